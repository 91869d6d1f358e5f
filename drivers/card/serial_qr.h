// The QR scanner: a serial (or USB CDC-ACM) scanner read with termios, and the line assembly for
// a keyboard-wedge scanner whose "typing" the UI feeds in. Each scanned code is one line ending
// in CR and/or LF; parse it with ParseCccdQr (qr.h). Bytes are taken as they come (set the
// scanner to UTF-8 output; ParseCccdQr repairs the usual Latin-1 mojibake).
//
// Threading: SerialQrScanner belongs to one worker thread; Cancel() may be called from any thread
// (it writes to a self-pipe that wakes the poll).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "offline/domain/status.h"

namespace mck::card {

class SerialQrScanner {
 public:
  // `spec`: "serial:/dev/ttyACM0?baud=9600" (the config's qr_scanner) or a plain device path.
  // Raw mode, 8N1, no flow control. Baud rates 1200..115200. kNotFound / kInvalidArgument / kIo.
  static Result<std::unique_ptr<SerialQrScanner>> Open(const std::string& spec);
  ~SerialQrScanner();
  SerialQrScanner(const SerialQrScanner&) = delete;
  SerialQrScanner& operator=(const SerialQrScanner&) = delete;

  // One scanned line, without its terminator; nullopt when `timeout` passes or Cancel() is called.
  // kUnavailable when the scanner was unplugged (the device hung up). Lines longer than 4096
  // bytes are cut off and discarded whole.
  Result<std::optional<std::string>> ReadLine(std::chrono::milliseconds timeout);
  void Cancel();

 private:
  SerialQrScanner(int fd, int wake_read, int wake_write) : fd_(fd), wake_read_(wake_read), wake_write_(wake_write) {}
  std::optional<std::string> TakeLine();
  int fd_, wake_read_, wake_write_;
  std::string buffer_;
  bool discarding_ = false;
};

// Keyboard wedge: the scanner types the code followed by Enter. Feed() the text the UI receives
// (SDL text input) and Enter(); Enter returns the line typed since the last one.
class WedgeLine {
 public:
  void Feed(const std::string& text) {
    if (line_.size() + text.size() <= 4096) line_ += text;
  }
  std::string Enter() {
    std::string out;
    out.swap(line_);
    return out;
  }
  void Clear() { line_.clear(); }

 private:
  std::string line_;
};

}  // namespace mck::card
