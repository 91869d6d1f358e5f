// Shared by the PC/SC integration tests (pcsc_integration_test.cpp, pcsc_key_proof_test.cpp):
// the virtual card in slot 0 of vpcd as an object, and the usual key and options. See
// run_pcsc_tests.sh for the environment (MCK_VCARD, MCK_PKI, MCK_KIOSKCTL, MCK_PCSCD_RESTART).
#pragma once

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

#include "drivers/card/mrz.h"
#include "drivers/card/pcsc_reader.h"
#include "tests/support/read_file.h"

extern char** environ;

namespace mck::card::pcsc_test {

using namespace std::chrono_literals;

inline constexpr char kSlot0[] = "Virtual PCD 00 00";

inline std::string Env(const char* name) {
  const char* v = getenv(name);
  return v ? v : "";
}

inline pid_t Spawn(const std::vector<std::string>& argv, const std::string& out_file) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

// Blocks until `reader` reports the wanted card event (or the first state shows it).
inline bool WaitFor(PcscCardReader& r, CardEventKind kind, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    auto ev = r.WaitForChange(500ms);
    if (!ev.ok()) return false;
    for (const auto& e : *ev) {
      if (e.kind == kind && e.reader == kSlot0) return true;
    }
  }
  return false;
}

// One virtual card in slot 0 for the lifetime of the object.
class VirtualCard {
 public:
  explicit VirtualCard(std::vector<std::string> extra) {
    log_ = "/tmp/mck-vcard-" + std::to_string(getpid()) + ".log";
    std::vector<std::string> argv = {"/usr/bin/python3", Env("MCK_VCARD"), "--port", "35963"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pid_ = Spawn(argv, log_);
    REQUIRE(pid_ > 0);
    PcscCardReader watcher(PcscOptions{});
    const bool inserted = WaitFor(watcher, CardEventKind::kCardInserted);
    // A failed constructor runs no destructor: stop the card here, or it keeps vpcd's port.
    if (!inserted) Stop();
    REQUIRE(inserted);
  }
  ~VirtualCard() { Stop(); }
  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int st;
      waitpid(pid_, &st, 0);
      pid_ = -1;
      // Let pcscd notice the card is gone before the next test inserts another: a fresh reader's
      // first WaitForChange reports the cards present.
      for (int i = 0; i < 100; ++i) {
        PcscCardReader w(PcscOptions{});
        auto ev = w.WaitForChange(0ms);
        bool present = false;
        if (ev.ok()) {
          for (const auto& e : *ev) present |= e.kind == CardEventKind::kCardInserted && e.reader == kSlot0;
        }
        if (!present) break;
        std::this_thread::sleep_for(100ms);
      }
    }
  }
  std::string Output() const { return mck::test::ReadAll(log_); }

 private:
  pid_t pid_ = -1;
  std::string log_;
};

inline AccessKey CccdKey() {
  auto k = AccessKeyFromIdNumber("024090000017", {1990, 3, 15});
  REQUIRE(k.ok());
  return *k;
}

inline PcscOptions Options(const std::string& csca = "") {
  PcscOptions o;
  o.reader_name = kSlot0;
  o.csca_file = csca;
  return o;
}

}  // namespace mck::card::pcsc_test
