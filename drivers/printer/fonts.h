// The kiosk's font for printing: Noto Sans (Debian fonts-noto-core), which covers every
// precomposed Vietnamese letter and the đồng sign. Font files are never copied into git.
//
// Lookup, first match wins (a folder counts when it holds NotoSans-Regular.ttf and
// NotoSans-Bold.ttf):
//   1. $MCK_FONT_DIR            — if set, it MUST hold the fonts (a typo is an error, not a
//                                  silent fallback)
//   2. <source dir>/assets/fonts — the project's assets folder, when a build ships fonts there
//   3. /usr/share/fonts/truetype/noto — Debian's fonts-noto-core
//
// Glyphs are rasterised with FreeType (grey, then thresholded to 1 bit) and cached per
// (code point, size, weight).
// Thread-safety: a Fonts object (its FT_Library, faces and cache) is used by one thread at a
// time; the printer worker keeps its own. Loading costs a few milliseconds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <unordered_map>
#include <vector>

#include "offline/domain/status.h"

namespace mck::printer {

struct FontFiles {
  std::filesystem::path regular;
  std::filesystem::path bold;
};

// kNotFound with a Vietnamese message naming the folders tried and the package to install.
Result<FontFiles> FindFonts();

struct Glyph {
  int left = 0;  // from the pen position to the bitmap's left edge, dots
  int top = 0;   // from the baseline up to the bitmap's top row, dots
  int width = 0, rows = 0;
  int advance = 0;            // pen advance, dots
  std::vector<uint8_t> mask;  // rows * width, 1 = black
};

class Fonts {
 public:
  static Result<std::unique_ptr<Fonts>> Load();  // FindFonts() then LoadFrom
  static Result<std::unique_ptr<Fonts>> LoadFrom(const FontFiles& files);
  ~Fonts();
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;

  // A glyph at `size_px` (the em size in dots). A code point the font lacks draws the font's
  // .notdef box, so a missing letter is visible on paper rather than silently dropped.
  const Glyph& Get(char32_t cp, int size_px, bool bold);
  int Kerning(char32_t left, char32_t right, int size_px, bool bold);
  int Ascender(int size_px, bool bold);    // baseline below the line's top, dots
  int LineHeight(int size_px, bool bold);  // baseline to baseline, dots
  const FontFiles& files() const { return files_; }

 private:
  struct Impl;
  Fonts() = default;
  FontFiles files_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mck::printer
