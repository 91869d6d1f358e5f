// The serial QR scanner against a real tty: a pseudo-terminal whose master side plays the scanner.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <thread>

#include "drivers/card/qr.h"
#include "drivers/card/serial_qr.h"

using namespace mck::card;
using namespace std::chrono_literals;

namespace {
struct Pty {
  int master = -1;
  std::string slave;
  Pty() {
    master = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(grantpt(master) == 0);
    REQUIRE(unlockpt(master) == 0);
    slave = ptsname(master);
  }
  ~Pty() {
    if (master >= 0) close(master);
  }
  void Type(const std::string& s) { REQUIRE(write(master, s.data(), s.size()) == static_cast<ssize_t>(s.size())); }
};
}  // namespace

TEST_CASE("serial scanner: lines in pieces, CR LF, parsed as a CCCD QR", "[card][qr][serial]") {
  Pty pty;
  auto scanner = SerialQrScanner::Open("serial:" + pty.slave + "?baud=9600");
  REQUIRE(scanner.ok());
  const std::string qr = "024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Thôn Ví Dụ, Xã Mẫu|10052021";
  pty.Type(qr.substr(0, 20));
  std::thread later([&] {
    std::this_thread::sleep_for(50ms);
    pty.Type(qr.substr(20) + "\r\n001195001234||Trần Thị Mẫu|01021995|Nữ|Hà Nội|01072024\r");
  });
  auto line = (*scanner)->ReadLine(5s);
  later.join();
  REQUIRE(line.ok());
  REQUIRE(line->has_value());
  CHECK(**line == qr);
  CHECK(ParseCccdQr(**line).ok());
  auto second = (*scanner)->ReadLine(5s);
  REQUIRE(second.ok());
  REQUIRE(second->has_value());
  CHECK(ParseCccdQr(**second)->full_name == "Trần Thị Mẫu");
}

TEST_CASE("serial scanner: timeout, cancel, and a scanner unplugged", "[card][qr][serial]") {
  Pty pty;
  auto scanner = SerialQrScanner::Open(pty.slave);
  REQUIRE(scanner.ok());
  auto none = (*scanner)->ReadLine(50ms);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  std::thread canceller([&] {
    std::this_thread::sleep_for(50ms);
    (*scanner)->Cancel();
  });
  auto cancelled = (*scanner)->ReadLine(30s);
  canceller.join();
  REQUIRE(cancelled.ok());
  CHECK_FALSE(cancelled->has_value());
  close(pty.master);  // the device goes away
  pty.master = -1;
  auto gone = (*scanner)->ReadLine(2s);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.status().code() == mck::Code::kUnavailable);
}

TEST_CASE("serial scanner: bad specs are refused clearly", "[card][qr][serial]") {
  CHECK(SerialQrScanner::Open("serial:/dev/nonexistent-scanner").status().code() == mck::Code::kNotFound);
  CHECK(SerialQrScanner::Open("serial:/dev/null?baud=12345").status().code() == mck::Code::kInvalidArgument);
}

TEST_CASE("keyboard wedge lines", "[card][qr]") {
  WedgeLine w;
  w.Feed("024090000017|");
  w.Feed("121234567|A");
  CHECK(w.Enter() == "024090000017|121234567|A");
  CHECK(w.Enter().empty());
}
