// ESC/POS encoding and status decoding: pure functions over bytes, no I/O.
//
// Only the handful of commands every ESC/POS thermal printer understands are used:
//   ESC @            initialise (clears modes left by a previous job)
//   GS v 0 m xL xH yL yH d1..dk   raster bit image; x in bytes, y in dots; MSB = leftmost dot
//   ESC d n          feed n lines
//   GS V 66 n        feed to the cutter (+ n dots) and partial cut
//   DLE EOT n        real-time status (n = 1 printer, 2 offline cause, 3 error cause, 4 paper)
// Text is never sent as characters: Vietnamese goes out as raster (code pages cannot print it
// reliably, see docs/printer.md). Tall images are split into bands of at most kMaxBandRows rows,
// because many printers' receive buffers cannot hold a whole receipt in one GS v 0.
// Thread-safety: all functions are pure.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "drivers/printer/printer.h"

namespace mck::printer::escpos {

using Bytes = std::vector<uint8_t>;

constexpr int kMaxBandRows = 128;
constexpr uint8_t kEsc = 0x1B, kGs = 0x1D, kDle = 0x10, kEot = 0x04;

void AppendInitialize(Bytes& out);                    // 1B 40
void AppendFeedLines(Bytes& out, int lines);          // 1B 64 n (0..255, clamped)
void AppendCut(Bytes& out, int extra_feed_dots = 0);  // 1D 56 42 n
// GS v 0 (m = 0, normal scale), split into bands of band_rows rows.
// REQUIRES: raster.Valid(), 1 <= band_rows <= 65535, raster.stride() <= 65535.
void AppendRaster(Bytes& out, const Raster& raster, int band_rows = kMaxBandRows);

// A whole job: initialise, raster, feed `feed_lines`, cut.
Bytes EncodeJob(const Raster& page, int feed_lines = 3);

// ---- status (DLE EOT) --------------------------------------------------------------------------
enum class StatusRequest : uint8_t { kPrinter = 1, kOfflineCause = 2, kErrorCause = 3, kPaperSensor = 4 };
Bytes StatusQuery(StatusRequest n);  // 10 04 n

struct PrinterStatus {
  bool offline = false;       // n=1 bit 3
  bool cover_open = false;    // n=2 bit 2
  bool feed_button = false;   // n=2 bit 3
  bool paper_out = false;     // n=2 bit 5 (printing stopped: paper end) or n=4 bits 5+6
  bool error = false;         // n=2 bit 6, or n=3 bits 3/5 (unrecoverable / auto-recoverable)
  bool cutter_error = false;  // n=3 bit 2
  bool paper_low = false;     // n=4 bits 2+3 (near end)
};

// Every DLE EOT answer has bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0; a byte that breaks that
// rule is not a status answer (noise, an ASB frame, another protocol): false.
bool IsStatusByte(uint8_t b);
// Folds one answer into *status. Returns false (status untouched) when !IsStatusByte(b).
bool DecodeStatusByte(StatusRequest n, uint8_t b, PrinterStatus* status);
// The one state people see, most serious first: cover open, paper out, offline/error, paper low.
PaperState Summarize(const PrinterStatus& s);

// The bytes a printer in `s` answers to DLE EOT n (used by the simulator and the tests).
uint8_t EncodeStatusByte(StatusRequest n, const PrinterStatus& s);

}  // namespace mck::printer::escpos
