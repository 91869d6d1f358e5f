// The printer interface: receipts and queue tickets on an ESC/POS thermal printer (58 or 80 mm,
// 203 dpi), reached through a transport chosen by URI (file:, usb:, serial:, tcp://).
// This header is the one thing the UI needs to print; what goes ON the paper is built with
// documents.h (plain structs → Layout) and layout.h (Layout → Raster), both pure.
//
// Threading: every call may block up to the configured timeouts; call them on the printer's
// worker thread, never on the UI thread. One Printer object is used by one thread at a time;
// separate objects (even for the same URI) may be used from separate threads. A printer that
// vanishes or stalls mid-job is an error (kUnavailable / kTimeout with a Vietnamese message),
// never a hang: no call blocks longer than connect_timeout + a few io/status timeouts.
//
// Errors: kInvalidArgument (bad URI or raster), kUnavailable (cannot reach the printer, it
// hung up, or it reports paper out / cover open / offline: message_vi says which), kTimeout
// (it stopped accepting bytes or answering status for io_timeout / status_timeout), kIo
// (local write error, e.g. disk full for file:).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "offline/domain/status.h"

namespace mck::printer {

enum class PaperState { kOk, kPaperLow, kPaperOut, kCoverOpen, kOffline, kUnknown };
const char* PaperStateName(PaperState s);  // "ok", "paper_low", "paper_out", "cover_open", "offline", "unknown"
// For people: "Máy in sẵn sàng", "Sắp hết giấy", "Hết giấy", ...
const char* PaperStateTextVi(PaperState s);

// Print width in dots at 203 dpi: 58 mm paper → 384, 80 mm → 576; 0 for any other width.
int DotsForPaperWidthMm(int width_mm);

// A 1-bit raster: width in dots, rows of packed bits, MSB first, 1 = black (GS v 0 layout).
struct Raster {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> bits;  // height * ((width + 7) / 8)

  static Raster Blank(int width, int height) {
    Raster r;
    r.width = width;
    r.height = height;
    r.bits.assign(static_cast<size_t>(height) * static_cast<size_t>(r.stride()), 0);
    return r;
  }
  int stride() const { return (width + 7) / 8; }
  // REQUIRES: 0 <= x < width, 0 <= y < height.
  bool Dot(int x, int y) const { return (bits[static_cast<size_t>(y) * stride() + x / 8] >> (7 - x % 8)) & 1; }
  void SetDot(int x, int y) { bits[static_cast<size_t>(y) * stride() + x / 8] |= uint8_t(0x80 >> (x % 8)); }
  bool Valid() const {
    return width > 0 && height > 0 && bits.size() == static_cast<size_t>(height) * static_cast<size_t>(stride());
  }
};

struct PrinterOptions {
  std::chrono::milliseconds connect_timeout{3000};  // tcp connect / device open
  std::chrono::milliseconds io_timeout{5000};       // longest time without one byte accepted
  std::chrono::milliseconds status_timeout{1500};   // wait for each DLE EOT answer
  // Ask the printer's status (DLE EOT) before and after each job. The URI can turn it off
  // ("?status=0") for printers with no back channel; file: never has one.
  bool query_status = true;
};

class Printer {
 public:
  virtual ~Printer() = default;
  // Asks the printer (DLE EOT 1, 2, 4) how it is. kUnknown (and ok) when the transport has no
  // back channel (file:, or ?status=0). kUnavailable/kTimeout when it does not answer.
  virtual Result<PaperState> QueryStatus() = 0;
  // Prints a raster and cuts. Succeeds only when the bytes were written AND the status read
  // afterwards says the printer is not out of paper, open or offline. Refuses to start (no byte
  // sent) when the status before says it cannot print. Paper low is not an error.
  virtual Status Print(const Raster& page) = 0;
  // The URI this printer was opened with, for logs and the technician screen.
  virtual std::string Uri() const = 0;
};

// Opens the printer a URI names (see docs/printer.md):
//   file:PATH                          appends each job to PATH (no status)
//   usb:/dev/usb/lp0                   USB printer class device (status if the printer answers)
//   serial:/dev/ttyUSB0?baud=19200&flow=none|rtscts|xonxoff
//   tcp://HOST:9100                    a network printer (raw port 9100)
// Any URI may add "?status=0" (no DLE EOT) and "timeout_ms=N" (io_timeout). Opening checks only
// the URI; the device is opened (or connected to) on each call, so a printer switched off after
// start-up is found at the next print and a re-plugged one works again without a restart.
Result<std::unique_ptr<Printer>> OpenPrinter(const std::string& uri, const PrinterOptions& options = {});

}  // namespace mck::printer
