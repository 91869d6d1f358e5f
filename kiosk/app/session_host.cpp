#include "kiosk/app/session_host.h"

#include "offline/domain/log.h"

#include <SDL.h>
#include <pthread.h>
#include <signal.h>
#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

namespace mck::app {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void SessionHost::BlockStopSignals() {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void SessionHost::StartSignalThread(uint32_t event_type) {
  std::thread([this, event_type] {
    sigset_t set = StopSignals();
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      stop_.store(static_cast<int>(sig == SIGINT ? StopRequest::kInterrupt : StopRequest::kTerminate));
      SDL_Event e{};
      e.type = event_type;
      SDL_PushEvent(&e);
    }
  }).detach();
}

void SessionHost::ReadWatchdogFromEnv() {
  const char* v = std::getenv("WATCHDOG_USEC");
  if (!v || !*v) return;
  char* end = nullptr;
  const long long us = std::strtoll(v, &end, 10);
  if (end && *end == '\0' && us > 0) watchdog_us_ = us;
}

int SessionHost::MaxSleepMs() const {
  if (watchdog_us_ <= 0) return -1;
  return static_cast<int>(std::max<int64_t>(1, watchdog_us_ / 2000));  // half the interval
}

int SessionHost::ClampTimeout(int timeout_ms) const {
  const int max = MaxSleepMs();
  if (max < 0) return timeout_ms;
  return timeout_ms < 0 ? max : std::min(timeout_ms, max);
}

void SessionHost::FramePresented(std::chrono::steady_clock::time_point now) {
  if (!ready_sent_) {
    sd_notify(0, "READY=1\nSTATUS=showing the kiosk");
    ready_sent_ = true;
  }
  if (watchdog_us_ <= 0) return;
  if (pings_ > 0 && now - last_ping_ < std::chrono::microseconds(watchdog_us_ / 4)) return;
  sd_notify(0, "WATCHDOG=1");
  last_ping_ = now;
  ++pings_;
}

void SessionHost::Log(const std::string& line) {
  mck::Log(Severity::kNotice, "kiosk", line);  // stderr, or the journal (kiosk/core/journal.h)
}

void SessionHost::LeaveExitStatus(int exit_code) {
  const char* path = std::getenv(kStatusFileEnv);
  if (!path || !*path) return;
  std::ofstream f(path, std::ios::trunc);
  f << exit_code << "\n";
  f.close();
  if (!f) Log(std::string("cannot leave the exit status for the session wrapper in ") + path);
}

}  // namespace mck::app
