// A software TPM 2.0 (Debian's swtpm) as a child process on free loopback ports, for the
// keys-at-rest tests (offline/store/key_vault.h). Each Swtpm has its own state directory, so two
// of them are two different TPMs (different owner seeds): what one sealed the other cannot load.
//
// swtpm missing: with MCK_REQUIRE_ALL=1 (scripts/test, CI) the test fails; without it the process
// prints a visible SKIP and exits 77, which the test's CMakeLists maps to ctest "skipped"
// (SKIP_RETURN_CODE 77).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>

namespace mck::test {

inline bool SwtpmInstalled() {
  return ::access("/usr/bin/swtpm", X_OK) == 0;
}

// Fails (MCK_REQUIRE_ALL=1) or skips the whole test program when swtpm is not installed.
inline void RequireSwtpmOrSkip() {
  if (SwtpmInstalled()) return;
  const char* all = std::getenv("MCK_REQUIRE_ALL");
  if (all && std::string(all) == "1") FAIL("swtpm is not installed (apt-get install swtpm swtpm-tools)");
  std::cerr << "SKIP: swtpm is not installed; the TPM tests did not run (MCK_REQUIRE_ALL=1 makes this a failure)\n";
  std::exit(77);
}

class Swtpm {
 public:
  explicit Swtpm(const std::filesystem::path& state_dir) : state_(state_dir) {
    RequireSwtpmOrSkip();
    std::filesystem::create_directories(state_);
    for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) Start();
    REQUIRE(pid_ > 0);
  }
  ~Swtpm() { Stop(); }
  Swtpm(const Swtpm&) = delete;
  Swtpm& operator=(const Swtpm&) = delete;

  std::string tcti() const { return "swtpm:host=127.0.0.1,port=" + std::to_string(port_); }
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  static int FreePort() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
  }
  static bool Accepts(int port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
  }
  void Start() {
    // The swtpm TCTI finds the control channel at port + 1.
    port_ = FreePort();
    if (port_ >= 65535) port_ = FreePort();
    const int ctrl = port_ + 1;
    const std::string server = "type=tcp,bindaddr=127.0.0.1,port=" + std::to_string(port_);
    const std::string control = "type=tcp,bindaddr=127.0.0.1,port=" + std::to_string(ctrl);
    const std::string state = "dir=" + state_.string();
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::execl("/usr/bin/swtpm", "swtpm", "socket", "--tpm2", "--server", server.c_str(), "--ctrl", control.c_str(),
              "--tpmstate", state.c_str(), "--flags", "not-need-init,startup-clear", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Wait for the condition (the server port accepts) or for the child to die (port taken).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int backoff_ms = 1;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) return;  // exited: try other ports
      if (Accepts(port_)) {
        pid_ = pid;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));  // polling another process
      backoff_ms = std::min(backoff_ms * 2, 50);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }

  std::filesystem::path state_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace mck::test
