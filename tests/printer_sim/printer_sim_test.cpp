// The printer-sim program as the demo and the UI engineer run it: a real process on loopback,
// told what to be through its flags and its control file, stopped with SIGTERM.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>
#include <thread>

#include "drivers/printer/escpos.h"
#include "drivers/printer/printer.h"
#include "tests/drivers/printer/test_support.h"

extern char** environ;

using namespace mck;
using namespace mck::printer;
using namespace std::chrono_literals;
using mck::printer::testing::TempDir;

namespace {

class SimProcess {
 public:
  explicit SimProcess(const TempDir& dir, std::vector<std::string> extra = {}) {
    port_file_ = dir / "port";
    std::vector<std::string> args = {PRINTER_SIM_BIN, "--port", "0", "--port-file", port_file_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(::posix_spawn(&pid_, PRINTER_SIM_BIN, nullptr, nullptr, argv.data(), environ) == 0);
    for (int i = 0; i < 200 && !std::filesystem::exists(port_file_); ++i) std::this_thread::sleep_for(20ms);
    REQUIRE(std::filesystem::exists(port_file_));
    std::ifstream(port_file_) >> port_;
    REQUIRE(port_ > 0);
  }
  ~SimProcess() {
    if (pid_ > 0) Stop();
  }
  int Stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string Uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path port_file_;
};

Raster Block(int width, int height) {
  Raster r = Raster::Blank(width, height);
  for (int y = 10; y < height - 10; ++y) {
    for (int x = 20; x < width - 20; ++x) r.SetDot(x, y);
  }
  return r;
}

}  // namespace

TEST_CASE("printer-sim prints jobs into its folder and follows its control file") {
  TempDir dir;
  const auto control = dir / "control";
  std::ofstream(control) << "ok\n";
  SimProcess sim(dir, {"--out", (dir / "jobs").string(), "--control", control.string()});
  auto p = OpenPrinter(sim.Uri());
  REQUIRE(p.ok());
  REQUIRE(*(*p)->QueryStatus() == PaperState::kOk);
  REQUIRE((*p)->Print(Block(576, 120)).ok());
  // The job is saved when the connection closes, which Print does before returning.
  for (int i = 0; i < 100 && !std::filesystem::exists(dir / "jobs" / "job-0001.json"); ++i)
    std::this_thread::sleep_for(20ms);
  REQUIRE(std::filesystem::exists(dir / "jobs" / "job-0001.bin"));
  REQUIRE(std::filesystem::exists(dir / "jobs" / "job-0001.png"));
  REQUIRE(std::filesystem::exists(dir / "jobs" / "last.png"));
  std::ifstream meta(dir / "jobs" / "job-0001.json");
  const auto j = nlohmann::json::parse(meta);
  CHECK(j["printed"] == true);
  CHECK(j["cuts"] == 1);
  CHECK(j["pages"][0]["width"] == 576);
  CHECK(j["pages"][0]["height"] == 120 + 90);
  CHECK(j["unknown_bytes"] == 0);

  std::ofstream(control) << "paper-out\n";
  PaperState seen = PaperState::kOk;
  for (int i = 0; i < 60 && seen != PaperState::kPaperOut; ++i) {
    std::this_thread::sleep_for(50ms);
    auto st = (*p)->QueryStatus();
    REQUIRE(st.ok());
    seen = *st;
  }
  CHECK(seen == PaperState::kPaperOut);
  Status refused = (*p)->Print(Block(576, 50));
  CHECK(refused.code() == Code::kUnavailable);
  CHECK_FALSE(std::filesystem::exists(dir / "jobs" / "job-0002.bin"));
  CHECK(sim.Stop() == 0);
}

TEST_CASE("printer-sim started in stall mode makes a print time out, and 58 mm paper is decoded at 384 dots") {
  TempDir dir;
  {
    SimProcess sim(dir, {"--mode", "stall", "--after", "10000"});
    PrinterOptions o;
    o.io_timeout = 600ms;
    o.status_timeout = 400ms;
    auto p = OpenPrinter(sim.Uri(), o);
    REQUIRE(p.ok());
    CHECK((*p)->Print(Block(576, 1000)).code() == Code::kTimeout);
  }
  std::filesystem::remove(dir / "port");
  SimProcess sim58(dir, {"--width", "384", "--out", (dir / "j58").string()});
  auto p = OpenPrinter(sim58.Uri());
  REQUIRE((*p)->Print(Block(384, 40)).ok());
  for (int i = 0; i < 100 && !std::filesystem::exists(dir / "j58" / "job-0001.json"); ++i)
    std::this_thread::sleep_for(20ms);
  std::ifstream meta(dir / "j58" / "job-0001.json");
  CHECK(nlohmann::json::parse(meta)["pages"][0]["width"] == 384);
}

TEST_CASE("printer-sim refuses bad flags with a usage message") {
  auto r = mck::printer::testing::Run(std::string(PRINTER_SIM_BIN) + " --mode jammed 2>&1");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("unknown printer-sim mode") != std::string::npos);
  r = mck::printer::testing::Run(std::string(PRINTER_SIM_BIN) + " --width 500 2>&1");
  CHECK(r.exit_code == 2);
}
