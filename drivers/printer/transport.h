// Byte transports to a printer, chosen by URI, all with timeouts: nothing here blocks longer
// than the timeout it was given. Native errors (errno) are mapped to Status in one place
// (transport.cpp, ErrnoStatus).
//
//   file:PATH                           development only: a regular file (appended, created 0600;
//                                       a slip holds names and phones), or any writable path; no reads
//   "" or "none"                        no printer configured: kFailedPrecondition, "Chưa cấu hình máy in"
//   usb:/dev/usb/lp0                    USB printer class (usblp); reads when the printer has a
//                                       back channel
//   serial:/dev/ttyUSB0?baud=19200&flow=none|rtscts|xonxoff   termios raw 8N1
//   tcp://HOST:PORT                     raw TCP (port 9100 by default)
// Common query options: status=0|1 (DLE EOT before/after jobs), timeout_ms=N (io timeout).
//
// Thread-safety: a Transport is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/printer/printer.h"

namespace mck::printer {

struct PrinterUri {
  enum class Kind { kFile, kUsb, kSerial, kTcp };
  Kind kind = Kind::kFile;
  std::string path;  // file, usb, serial
  std::string host;  // tcp
  int port = 9100;   // tcp
  int baud = 19200;  // serial
  enum class Flow { kNone, kRtsCts, kXonXoff };
  Flow flow = Flow::kNone;
  std::optional<bool> status;                        // ?status=0|1; unset: the kind's default
  std::optional<std::chrono::milliseconds> timeout;  // ?timeout_ms=N
};

// kInvalidArgument, with a Vietnamese message naming what is wrong, for anything malformed:
// unknown scheme, empty path, port outside 1..65535, unsupported baud rate, unknown option.
Result<PrinterUri> ParsePrinterUri(const std::string& uri);

class Transport {
 public:
  virtual ~Transport() = default;
  // Writes all bytes. kTimeout when no byte is accepted for io_timeout; kUnavailable when the
  // peer hangs up or the device goes away; kIo for local errors.
  virtual Status Write(const uint8_t* data, size_t n) = 0;
  Status Write(const std::vector<uint8_t>& b) { return Write(b.data(), b.size()); }
  // Reads one byte within `timeout`. kTimeout when none arrives; kUnavailable on hang-up.
  virtual Result<uint8_t> ReadByte(std::chrono::milliseconds timeout) = 0;
  // Discards bytes already received (stale status answers) without waiting.
  virtual void DrainInput() = 0;
  // False for transports that cannot read (file:).
  virtual bool CanRead() const = 0;
};

// Opens (or connects to) the device. connect_timeout bounds tcp connects; device opens are
// non-blocking. kUnavailable when the device is absent or refuses, kTimeout on connect timeout.
Result<std::unique_ptr<Transport>> OpenTransport(const PrinterUri& uri, const PrinterOptions& options);

}  // namespace mck::printer
