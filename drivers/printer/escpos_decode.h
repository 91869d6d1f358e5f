// Decodes an ESC/POS byte stream back into what a printer would put on paper: the raster pages
// (split at each cut) and the status queries it must answer. It is the inverse of escpos.h and
// serves the printer simulator (tests/printer_sim) and the tests that check our own bytes.
//
// Understood: ESC @, ESC d n, ESC J n, ESC 2, ESC 3 n, ESC a n, ESC E n, ESC ! n, GS ! n,
// GS V m [n], GS v 0 m xL xH yL yH data (m = 0..3: double width/height), DLE EOT n, LF, CR,
// and printable bytes (counted as text, not drawn: this project never prints text). Anything
// else is counted in unknown_bytes and skipped one byte at a time, as printers do.
// Thread-safety: an EscPosDecoder is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "drivers/printer/escpos.h"

namespace mck::printer::escpos {

struct DecodedJob {
  std::vector<Raster> pages;  // one per cut; the last one also when the stream ends uncut
  int cuts = 0;
  int raster_commands = 0;
  int initialisations = 0;
  size_t text_bytes = 0;  // printable bytes sent as text (this project sends none)
  size_t unknown_bytes = 0;
  std::vector<StatusRequest> status_queries;
};

class EscPosDecoder {
 public:
  // Called as soon as a DLE EOT n is complete, so a simulator can answer at once.
  using StatusHook = std::function<void(StatusRequest)>;
  explicit EscPosDecoder(int paper_width_dots = 576, StatusHook hook = nullptr)
      : paper_width_(paper_width_dots), hook_(std::move(hook)) {}

  void Feed(const uint8_t* data, size_t n);
  void Feed(const std::vector<uint8_t>& b) { Feed(b.data(), b.size()); }
  // Ends the stream: flushes the page in progress (if it has anything on it) and returns all.
  DecodedJob Finish();
  // Pages completed so far (by cuts).
  const DecodedJob& progress() const { return job_; }
  // True when the decoder is in the middle of a command (e.g. inside GS v 0 data).
  bool InCommand() const { return !pending_.empty() || raster_remaining_ > 0; }

 private:
  void Step(uint8_t b);
  void StartRaster();
  void AddBlankRows(int rows);
  void FinishPage();

  int paper_width_;
  StatusHook hook_;
  DecodedJob job_;
  std::vector<uint8_t> pending_;  // bytes of an incomplete command header
  // Current page: rows of packed bits at paper width, plus blank rows not yet materialised.
  Raster page_;
  bool page_has_content_ = false;
  int line_spacing_ = 30;  // dots; ESC 2 default 1/6 inch (≈ 34 at 203 dpi; printers use 30)
  // Raster command in progress.
  size_t raster_remaining_ = 0;
  int raster_stride_ = 0, raster_rows_ = 0, raster_scale_x_ = 1, raster_scale_y_ = 1;
  std::vector<uint8_t> raster_data_;
};

// Whole-buffer convenience.
DecodedJob DecodeEscPos(const std::vector<uint8_t>& bytes, int paper_width_dots = 576);

// Stacks pages vertically with a gap of `gap_dots` rows (for one preview of a multi-page job).
Raster StackPages(const std::vector<Raster>& pages, int gap_dots = 16);

}  // namespace mck::printer::escpos
