// PurgeSchedule: the kiosk purges expired personal data by itself — once at start-up, then once
// a day — on a thread of its own with its OWN Store connection (opened on that thread), so no
// one has to remember `kioskctl db purge`. Each run is Store::PurgeExpired (retention.cpp):
// accepted and refused dossiers past retention_days, then a WAL checkpoint(TRUNCATE).
//
// Every wait goes through the injected Clock (Clock::WaitUntil), so a test drives the days with a
// ManualClock. Failures (store unopenable, disk full) are logged with codes only and retried at
// the next run; nothing here touches the UI.
//
// Thread-safety: construct and destroy from one thread; runs() and last_purged() from any. The
// destructor wakes the thread and joins it (a run in progress finishes first).
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

#include "offline/domain/clock.h"
#include "offline/store/options.h"

namespace mck {

namespace settings {
inline constexpr const char* kPurgeLastRunAt = "purge.last_run_at";   // RFC 3339, each run
inline constexpr const char* kPurgeLastResult = "purge.last_result";  // "purged N" or the error (English)
}  // namespace settings

class PurgeSchedule {
 public:
  static constexpr std::chrono::hours kInterval{24};
  // `options.clock` (or the system clock) drives both the retention cut-off and the days.
  explicit PurgeSchedule(StoreOptions options, std::chrono::milliseconds interval = kInterval);
  ~PurgeSchedule();
  PurgeSchedule(const PurgeSchedule&) = delete;
  PurgeSchedule& operator=(const PurgeSchedule&) = delete;

  // How many runs finished (successful or not), and how many dossiers the last one purged.
  uint64_t runs() const { return runs_.load(); }
  int last_purged() const { return last_purged_.load(); }

 private:
  void Run();

  StoreOptions options_;
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  Waker waker_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> runs_{0};
  std::atomic<int> last_purged_{-1};
  std::thread thread_;  // last: it uses the members above
};

}  // namespace mck
