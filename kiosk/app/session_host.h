// How the kiosk lives inside its session (docs/packaging.md): the systemd unit runs
// `cage -d -- kiosk …` as the kiosk user, Type=notify with a watchdog and NotifyAccess=all (the
// kiosk is cage's child, not the unit's main process).
//   * Stop signals: SIGTERM (systemd's stop) is the ONE clean way out from outside; from inside,
//     only the technician's "Tắt máy" / "Khởi động lại" (technician mode), which leaves the loop
//     the same way with kExitShutDown / kExitRestart (docs/packaging.md). SIGINT is what SDL would turn into SDL_QUIT;
//     in kiosk mode it is ignored and logged like every other quit request. The signals are blocked in every thread
//     (BlockStopSignals before any thread starts) and taken by one sigwait thread, which pushes
//     an SDL event — so SDL's own handlers are switched off (SDL_HINT_NO_SIGNAL_HANDLERS).
//   * Watchdog: READY=1 after the first frame; WATCHDOG=1 after a presented frame, at most every
//     quarter interval, and the loop never sleeps longer than half the interval, so an idle
//     kiosk keeps pinging while a hung UI thread stops and is killed.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace mck::app {

// Why the loop was woken by the signal thread.
enum class StopRequest : int { kNone = 0, kTerminate = 1, kInterrupt = 2 };

class SessionHost {
 public:
  // The kiosk's exit status after the technician's choice. The unit restarts the session on any
  // exit (Restart=always) except kExitShutDown, which it lists in RestartPreventExitStatus=.
  static constexpr int kExitShutDown = 75;
  static constexpr int kExitRestart = 76;
  // The session wrapper (packaging/kiosk-session, the unit's ExecStart=) runs cage, which exits 0
  // whatever its client returned (Debian 12's cage 0.1.4), so the kiosk leaves kExitShutDown or
  // kExitRestart in the file named by $MCK_SESSION_STATUS_FILE (the wrapper's, in the unit's
  // RuntimeDirectory=) right before it exits, and the wrapper exits with it. Nothing without
  // the variable; a failure to write is logged (the unit then restarts the session).
  static constexpr const char* kStatusFileEnv = "MCK_SESSION_STATUS_FILE";
  static void LeaveExitStatus(int exit_code);

  // Blocks SIGTERM, SIGINT and SIGHUP in the calling thread; threads created later inherit the
  // mask. REQUIRES: called first in main, before any thread exists.
  static void BlockStopSignals();

  // Starts the sigwait thread; each signal stores its StopRequest and calls `wake(event_type)`
  // (SDL_PushEvent is thread-safe). The thread is detached and lives until the process ends.
  void StartSignalThread(uint32_t event_type);
  // The last signal taken, cleared.
  StopRequest TakeStop() { return static_cast<StopRequest>(stop_.exchange(0)); }

  // The watchdog interval from $WATCHDOG_USEC. $WATCHDOG_PID is deliberately not checked: it
  // names cage, the unit's main process, and the kiosk is its child (NotifyAccess=all).
  void ReadWatchdogFromEnv();
  bool watchdog_enabled() const { return watchdog_us_ > 0; }
  // The longest the UI thread may sleep, in ms (-1: no limit).
  int MaxSleepMs() const;
  // Clamps a FramePacer timeout (-1: forever) to MaxSleepMs.
  int ClampTimeout(int timeout_ms) const;
  // After a frame was presented: READY=1 the first time, WATCHDOG=1 when due.
  void FramePresented(std::chrono::steady_clock::time_point now);
  int pings() const { return pings_; }

  // One line for the journal (stderr is the journal under systemd), prefixed "kiosk: ".
  static void Log(const std::string& line);

 private:
  std::atomic<int> stop_{0};
  int64_t watchdog_us_ = 0;
  bool ready_sent_ = false;
  std::chrono::steady_clock::time_point last_ping_{};
  int pings_ = 0;
};

}  // namespace mck::app
