// Transports and the Printer against real peers on this machine: files, a pseudo-terminal
// standing in for a serial (or USB printer class) device, and the loopback network printer
// simulator in every state it can be told to be in.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "drivers/printer/escpos.h"
#include "drivers/printer/escpos_decode.h"
#include "drivers/printer/printer.h"
#include "drivers/printer/transport.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/printer_sim/sim_server.h"

using namespace mck;
using namespace mck::printer;
using namespace std::chrono_literals;
using mck::printer::sim::PrinterSim;
using mck::printer::sim::SimMode;
using mck::printer::sim::SimOptions;
using mck::printer::testing::TempDir;

namespace {

Raster Stripes(int width, int height) {
  Raster r = Raster::Blank(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = (y % 7); x < width; x += 5) r.SetDot(x, y);
  }
  return r;
}

std::unique_ptr<PrinterSim> StartSim(SimMode mode, long after = 0) {
  SimOptions o;
  o.mode = mode;
  o.after_bytes = after;
  auto sim = PrinterSim::Start(o);
  REQUIRE(sim.ok());
  return std::move(sim.value());
}

PrinterOptions WithTimeouts(std::chrono::milliseconds connect, std::chrono::milliseconds io,
                            std::chrono::milliseconds status) {
  PrinterOptions o;
  o.connect_timeout = connect;
  o.io_timeout = io;
  o.status_timeout = status;
  return o;
}

// Short timeouts, for the tests that expect a timeout (they wait these out).
PrinterOptions Fast() {
  return WithTimeouts(1000ms, 700ms, 500ms);
}

// Generous timeouts, for the tests that expect an answer: a printer that answers costs no waiting,
// and a machine loaded by a parallel build must not turn a slow answer into a false failure (seen:
// a status query past 500 ms with the load average at 9).
PrinterOptions Patient() {
  return WithTimeouts(10000ms, 10000ms, 10000ms);
}

// The printer's status, which must be known: a failed query fails the test instead of being read.
PaperState KnownStatus(Printer& p) {
  auto st = p.QueryStatus();
  REQUIRE(st.ok());
  return *st;
}

std::unique_ptr<Printer> Open(const std::string& uri, const PrinterOptions& o = Patient()) {
  auto p = OpenPrinter(uri, o);
  REQUIRE(p.ok());
  return std::move(p.value());
}

std::vector<uint8_t> ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("printer URIs are parsed, and bad ones refused with the reason") {
  auto tcp = ParsePrinterUri("tcp://192.168.1.50:9100");
  REQUIRE(tcp.ok());
  CHECK(tcp->kind == PrinterUri::Kind::kTcp);
  CHECK(tcp->host == "192.168.1.50");
  CHECK(tcp->port == 9100);
  auto def = ParsePrinterUri("tcp://printer.local");
  REQUIRE(def.ok());
  CHECK(def->port == 9100);
  auto v6 = ParsePrinterUri("tcp://[::1]:9101?timeout_ms=2500");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 9101);
  CHECK(v6->timeout == 2500ms);
  auto serial = ParsePrinterUri("serial:/dev/ttyUSB0?baud=9600&flow=rtscts");
  REQUIRE(serial.ok());
  CHECK(serial->path == "/dev/ttyUSB0");
  CHECK(serial->baud == 9600);
  CHECK(serial->flow == PrinterUri::Flow::kRtsCts);
  auto usb = ParsePrinterUri("usb:/dev/usb/lp0?status=0");
  REQUIRE(usb.ok());
  CHECK(usb->kind == PrinterUri::Kind::kUsb);
  CHECK(usb->status == false);
  CHECK(ParsePrinterUri("file:/tmp/x.bin")->path == "/tmp/x.bin");

  for (const char* bad : {"lpt:/dev/lp0", "file:", "tcp://", "tcp://host:0", "tcp://host:70000", "tcp://host:abc",
                          "serial:/dev/ttyS0?baud=12345", "usb:/dev/usb/lp0?baud=9600", "file:/x?colour=red",
                          "tcp://h:9100?timeout_ms=5"}) {
    CAPTURE(bad);
    auto r = ParsePrinterUri(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message_vi().find("Địa chỉ máy in") != std::string::npos);
  }
}

TEST_CASE("file: printers append each job's exact bytes and report an unknown status") {
  TempDir dir;
  const auto path = dir / "out.bin";
  auto p = Open("file:" + path.string());
  const Raster a = Stripes(576, 50), b = Stripes(384, 20);
  REQUIRE(p->Print(a).ok());
  REQUIRE(p->Print(b).ok());
  auto expected = escpos::EncodeJob(a);
  const auto second = escpos::EncodeJob(b);
  expected.insert(expected.end(), second.begin(), second.end());
  CHECK(ReadAll(path) == expected);
  auto st = p->QueryStatus();
  REQUIRE(st.ok());
  CHECK(*st == PaperState::kUnknown);
}

TEST_CASE("a file: printer's file is 0600 whatever the umask, and an old 0644 file is narrowed") {
  TempDir dir;
  const mode_t old_umask = ::umask(0);  // the widest umask: the mode must come from the code
  const auto path = dir / "slips.bin";
  {
    auto p = Open("file:" + path.string());
    REQUIRE(p->Print(Stripes(64, 4)).ok());
  }
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const auto old = dir / "old.bin";
  { std::ofstream(old) << "x"; }
  REQUIRE(::chmod(old.c_str(), 0644) == 0);
  {
    auto p = Open("file:" + old.string());
    REQUIRE(p->Print(Stripes(64, 4)).ok());
  }
  ::umask(old_umask);
  REQUIRE(::stat(old.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("no printer configured is a clear state, not a file") {
  for (const char* uri : {"", "none"}) {
    auto p = OpenPrinter(uri);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == Code::kFailedPrecondition);
    CHECK(p.status().message_vi().find("Chưa cấu hình máy in") != std::string::npos);
  }
}

TEST_CASE("a file: printer in a folder that does not exist fails with a Vietnamese message") {
  auto p = Open("file:/nonexistent-dir-mck/x.bin");
  Status st = p->Print(Stripes(64, 4));
  CHECK(st.code() == Code::kUnavailable);
  CHECK(st.message_vi().find("máy in") != std::string::npos);
}

TEST_CASE("an empty raster is refused before anything is sent") {
  TempDir dir;
  auto p = Open("file:" + (dir / "x.bin").string());
  CHECK(p->Print(Raster{}).code() == Code::kInvalidArgument);
  CHECK_FALSE(std::filesystem::exists(dir / "x.bin"));
}

TEST_CASE("a network printer that is ready prints the job and the paper shows our dots") {
  auto sim = StartSim(SimMode::kOk);
  auto p = Open(sim->Uri());
  auto st = p->QueryStatus();
  REQUIRE(st.ok());
  CHECK(*st == PaperState::kOk);
  const Raster r = Stripes(576, 400);
  REQUIRE(p->Print(r).ok());
  REQUIRE(sim->WaitForJobs(1, 2s));
  const auto jobs = sim->Jobs();
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].printed);
  CHECK(jobs[0].decoded.status_queries.size() == 8);  // 4 before, 4 after
  REQUIRE(jobs[0].decoded.pages.size() == 1);
  const Raster& paper = jobs[0].decoded.pages[0];
  CHECK(std::equal(r.bits.begin(), r.bits.end(), paper.bits.begin()));
}

TEST_CASE("a network printer out of paper: status says so and nothing is sent") {
  auto sim = StartSim(SimMode::kPaperOut);
  auto p = Open(sim->Uri());
  auto st = p->QueryStatus();
  REQUIRE(st.ok());
  CHECK(*st == PaperState::kPaperOut);
  Status printed = p->Print(Stripes(576, 100));
  CHECK(printed.code() == Code::kUnavailable);
  CHECK(printed.message_vi().find("hết giấy") != std::string::npos);
  CHECK(printed.message_en().find("paper_out") != std::string::npos);
  CHECK(sim->JobCount() == 0);
}

TEST_CASE("a network printer with its cover open or offline refuses, with paper low it prints") {
  {
    auto sim = StartSim(SimMode::kCoverOpen);
    auto p = Open(sim->Uri());
    CHECK(KnownStatus(*p) == PaperState::kCoverOpen);
    Status st = p->Print(Stripes(576, 10));
    CHECK(st.code() == Code::kUnavailable);
    CHECK(st.message_vi().find("Nắp máy in") != std::string::npos);
  }
  {
    auto sim = StartSim(SimMode::kOffline);
    auto p = Open(sim->Uri());
    CHECK(KnownStatus(*p) == PaperState::kOffline);
    CHECK(p->Print(Stripes(576, 10)).code() == Code::kUnavailable);
  }
  {
    auto sim = StartSim(SimMode::kPaperLow);
    auto p = Open(sim->Uri());
    CHECK(KnownStatus(*p) == PaperState::kPaperLow);
    CHECK(p->Print(Stripes(576, 10)).ok());
    CHECK(sim->WaitForJobs(1, 2s));
  }
}

TEST_CASE("a network printer that stalls mid-job is a timeout within the configured time, not a hang") {
  auto sim = StartSim(SimMode::kStall, 20000);  // takes 20 kB of an ~90 kB job, then stops reading
  PrinterOptions o = Fast();
  auto p = Open(sim->Uri(), o);
  const auto t0 = std::chrono::steady_clock::now();
  Status st = p->Print(Stripes(576, 1250));
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  CHECK(st.code() == Code::kTimeout);
  CHECK(st.message_vi().find("Máy in") != std::string::npos);
  // Bound: the no-progress window plus generous slack for a loaded CI machine.
  CHECK(elapsed < o.io_timeout + 3s);
}

TEST_CASE("a network printer that never answers status is a timeout before anything is printed") {
  auto sim = StartSim(SimMode::kSilent);
  auto p = Open(sim->Uri(), Fast());
  auto st = p->QueryStatus();
  REQUIRE_FALSE(st.ok());
  CHECK(st.status().code() == Code::kTimeout);
  CHECK(p->Print(Stripes(576, 10)).code() == Code::kTimeout);
  CHECK(sim->JobCount() == 0);
}

TEST_CASE("a network printer that hangs up mid-job is 'unavailable'") {
  auto sim = StartSim(SimMode::kDrop, 5000);
  auto p = Open(sim->Uri());
  Status st = p->Print(Stripes(576, 1250));
  REQUIRE_FALSE(st.ok());
  // Depending on timing the hang-up shows as a reset while writing or a close while reading.
  CHECK(st.code() == Code::kUnavailable);
}

TEST_CASE("status can be turned off per URI for printers without a back channel") {
  auto sim = StartSim(SimMode::kSilent);
  auto p = Open(sim->Uri() + "?status=0");
  CHECK(KnownStatus(*p) == PaperState::kUnknown);
  REQUIRE(p->Print(Stripes(576, 10)).ok());
  CHECK(sim->WaitForJobs(1, 2s));
}

TEST_CASE("nobody listening on the port is 'unavailable' at once") {
  int port = 0;
  {
    auto sim = StartSim(SimMode::kOk);
    port = sim->port();
  }
  auto p = Open("tcp://127.0.0.1:" + std::to_string(port));
  Status st = p->Print(Stripes(64, 4));
  CHECK(st.code() == Code::kUnavailable);
  CHECK(st.message_vi().find("không kết nối được máy in") != std::string::npos);
}

TEST_CASE("the simulator follows its control file while it runs") {
  TempDir dir;
  const auto control = dir / "control";
  std::ofstream(control) << "ok\n";
  SimOptions o;
  o.control_file = control;
  o.out_dir = dir / "jobs";
  auto sim = PrinterSim::Start(o);
  REQUIRE(sim.ok());
  auto p = Open((*sim)->Uri());
  REQUIRE(p->Print(Stripes(576, 30)).ok());
  REQUIRE((*sim)->WaitForJobs(1, 2s));
  CHECK(std::filesystem::exists(dir / "jobs" / "job-0001.bin"));
  CHECK(std::filesystem::exists(dir / "jobs" / "job-0001.png"));
  CHECK(std::filesystem::exists(dir / "jobs" / "job-0001.json"));
  CHECK(ReadAll(dir / "jobs" / "job-0001.bin").size() == escpos::EncodeJob(Stripes(576, 30)).size() + 24);
  std::ofstream(control) << "cover-open   \n";
  // The simulator polls the file every 50 ms; a mode change is visible at the next query.
  PaperState seen = PaperState::kOk;
  for (int i = 0; i < 60 && seen != PaperState::kCoverOpen; ++i) {
    std::this_thread::sleep_for(50ms);
    auto st = p->QueryStatus();
    REQUIRE(st.ok());
    seen = *st;
  }
  CHECK(seen == PaperState::kCoverOpen);
}

namespace {

// The far end of a pseudo-terminal playing a serial printer: collects bytes, answers DLE EOT
// (unless silent), until stopped.
struct PtyPrinter {
  int master = -1, slave = -1;
  std::string slave_name;
  std::atomic<bool> stop{false}, silent{false};
  std::vector<uint8_t> received;
  std::thread thread;

  PtyPrinter() {
    char name[128];
    REQUIRE(::openpty(&master, &slave, name, nullptr, nullptr) == 0);
    slave_name = name;
    ::fcntl(master, F_SETFL, O_NONBLOCK);
    thread = std::thread([this] {
      escpos::EscPosDecoder dec(576, [this](escpos::StatusRequest n) {
        if (silent) return;
        const uint8_t b = escpos::EncodeStatusByte(n, {});
        (void)::write(master, &b, 1);
      });
      uint8_t buf[4096];
      while (!stop) {
        pollfd p{master, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        const ssize_t r = ::read(master, buf, sizeof buf);
        if (r <= 0) continue;
        received.insert(received.end(), buf, buf + r);
        dec.Feed(buf, static_cast<size_t>(r));
      }
    });
  }
  ~PtyPrinter() {
    stop = true;
    thread.join();
    ::close(slave);
    ::close(master);
  }
};

}  // namespace

TEST_CASE("a serial printer (a pseudo-terminal, set raw by termios) prints and answers status") {
  PtyPrinter pty;
  auto p = Open("serial:" + pty.slave_name + "?baud=115200");
  auto st = p->QueryStatus();
  REQUIRE(st.ok());
  CHECK(*st == PaperState::kOk);
  const Raster r = Stripes(384, 200);
  REQUIRE(p->Print(r).ok());
  // The raw line discipline passes every byte through unchanged (no CR/LF mapping, no echo).
  pty.stop = true;
  pty.thread.join();
  pty.thread = std::thread([] {});
  const auto job = escpos::EncodeJob(r);
  // QueryStatus: 4 queries of 3 bytes; Print: 4 queries, the job, 4 queries.
  REQUIRE(pty.received.size() == 12 + 12 + job.size() + 12);
  CHECK(std::equal(job.begin(), job.end(), pty.received.begin() + 24));
}

TEST_CASE("a serial or USB printer that stops answering is a timeout") {
  PtyPrinter pty;
  pty.silent = true;
  for (const std::string scheme : {"serial:", "usb:"}) {
    CAPTURE(scheme);
    auto p = Open(scheme + pty.slave_name, Fast());
    const auto t0 = std::chrono::steady_clock::now();
    Status st = p->Print(Stripes(384, 20));
    CHECK(st.code() == Code::kTimeout);
    CHECK(std::chrono::steady_clock::now() - t0 < Fast().status_timeout + 3s);
  }
}

TEST_CASE("a serial device that does not exist is 'unavailable' with a Vietnamese message") {
  auto p = Open("serial:/dev/ttyMCK-does-not-exist");
  auto st = p->QueryStatus();
  REQUIRE_FALSE(st.ok());
  CHECK(st.status().code() == Code::kUnavailable);
  CHECK(st.status().message_vi().find("/dev/ttyMCK-does-not-exist") != std::string::npos);
}
