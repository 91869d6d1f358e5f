// The printer interface: receipts and queue tickets on an ESC/POS thermal printer (58 or 80 mm,
// 203 dpi), reached through a transport chosen by URI (file:, usb:, serial:, tcp://).
//
// Threading: every call may block up to the configured timeout; call them on the printer's
// worker thread, never on the UI thread. A printer that vanishes mid-job is an error, not a hang.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "status.h"

namespace mck::printer {

enum class PaperState { kOk, kPaperLow, kPaperOut, kCoverOpen, kOffline, kUnknown };
const char* PaperStateName(PaperState s);  // "ok", "paper_low", "paper_out", "cover_open", "offline", "unknown"

// A 1-bit raster: width in dots, rows of packed bits, MSB first, 1 = black (GS v 0 layout).
struct Raster {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> bits;  // height * ((width + 7) / 8)
};

class Printer {
 public:
  virtual ~Printer() = default;
  // Asks the printer (DLE EOT) how it is. kUnavailable/kTimeout when it does not answer.
  virtual Result<PaperState> QueryStatus() = 0;
  // Prints a raster and cuts. Succeeds only when the bytes were written AND the status read
  // afterwards says the printer is not out of paper, open or offline.
  virtual Status Print(const Raster& page) = 0;
};

}  // namespace mck::printer
