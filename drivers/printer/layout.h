// The receipt layout engine: a document is a list of blocks (text, two-column rows, columns,
// rules, QR codes, space), built as a plain value and rendered to a 1-bit Raster at the paper's
// width. Every printed document (kiosk slip, Mẫu 01 receipt, queue ticket, test page) comes
// from here, and so does its PNG preview (png.h): paper and preview are the same dots.
//
// Text: UTF-8, normalised to NFC before drawing (Noto Sans has every precomposed Vietnamese
// letter; no shaping is needed). Lines wrap at spaces, so a Vietnamese syllable ("Nguyễn") is
// never split; a single word wider than the line (a long code, a URL) breaks between letters.
// "\n" forces a line break. Sizes are the em size in dots (203 dpi: 24 dots ≈ 3 mm).
// Thread-safety: Layout is a value; Render uses the Fonts object it is given (see fonts.h).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "drivers/printer/fonts.h"
#include "drivers/printer/printer.h"

namespace mck::printer {

enum class Align { kLeft, kCenter, kRight };

struct TextStyle {
  int size = 24;  // dots
  bool bold = false;
  Align align = Align::kLeft;
  int indent = 0;  // dots from the left margin, for every line of the block (lists)
};

// Common sizes, chosen so the body reads at arm's length and OCR reads it too.
namespace size {
constexpr int kSmall = 22, kBody = 26, kHeading = 30, kTitle = 34, kCode = 40, kHuge = 150;
}

struct TextBlock {
  std::string text;
  TextStyle style;
};
// `left` at the left edge and `right` flush right on the same line when both fit; otherwise
// `left` wraps over the full width and `right` follows on its own line(s), flush right.
struct RowBlock {
  std::string left, right;
  TextStyle left_style, right_style;
};
// Equal-width columns, each cell wrapped and centred in its column (signature blocks).
struct ColumnsBlock {
  std::vector<std::string> cells;
  TextStyle style;
};
struct RuleBlock {
  int thickness = 2;
  bool dashed = false;
};
// module = dots per QR module; 0 picks the largest of 4..8 that fits in half the width.
struct QrBlock {
  std::string content;
  int module = 0;
  Align align = Align::kCenter;
};
struct SpaceBlock {
  int dots = 0;
};

using Block = std::variant<TextBlock, RowBlock, ColumnsBlock, RuleBlock, QrBlock, SpaceBlock>;

class Layout {
 public:
  Layout& Text(std::string text, TextStyle style = {});
  Layout& Row(std::string left, std::string right, TextStyle left_style = {}, TextStyle right_style = {});
  Layout& Columns(std::vector<std::string> cells, TextStyle style = {});
  Layout& Rule(int thickness = 2, bool dashed = false);
  Layout& Qr(std::string content, int module = 0, Align align = Align::kCenter);
  Layout& Space(int dots);
  const std::vector<Block>& blocks() const { return blocks_; }

 private:
  std::vector<Block> blocks_;
};

struct RenderOptions {
  int width = 576;  // dots: 576 for 80 mm, 384 for 58 mm (DotsForPaperWidthMm)
  int margin = 8;   // dots left and right
  int top = 8, bottom = 16;
};

// kInvalidArgument for text that is not UTF-8, a width under 128 dots, or a QR content too
// long for a QR code. The raster is exactly options.width wide.
Result<Raster> Render(const Layout& layout, Fonts& fonts, const RenderOptions& options = {});

// Word wrap, exposed for tests: lines of `text` that fit in `width` dots at `style`.
std::vector<std::string> WrapText(const std::string& text, Fonts& fonts, const TextStyle& style, int width);
// Width of one line of text in dots.
int MeasureText(const std::string& text, Fonts& fonts, int size, bool bold);

// What a layout says, one entry per block that carries text, before wrapping: text blocks as
// they are, a row as "left right", columns joined with " | ", a QR as "[QR] content". The same
// document gives the same lines whatever the paper: tests compare documents by it, and
// `kioskctl print ... --json` shows it.
std::vector<std::string> LayoutText(const Layout& layout);

}  // namespace mck::printer
