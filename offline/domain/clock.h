// Time for the kiosk: one Clock interface, injected wherever time decides behaviour (inactivity,
// backoff, retention, code dates) and through which the sync engine does every wait, and
// Vietnam-time formatting. Vietnam has no daylight saving:
// local time is always UTC+07:00, so formatting needs no time-zone database.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mck {

using TimePoint = std::chrono::system_clock::time_point;

using SteadyPoint = std::chrono::steady_clock::time_point;

// A wake-up call for a thread that waits in Clock::WaitUntil. Wake() may be called from any
// thread: the wait in progress returns true at once, or, when nobody waits, the next one does
// (a wake is never lost, and several wakes before a wait count as one). One waiting thread per
// Waker.
class Waker {
 public:
  void Wake();

 private:
  friend class Clock;
  friend class ManualClock;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
};

// Thread-safe implementations only: the UI, sync and device threads share one clock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Monotonic time for measuring intervals (timeouts, backoff); unaffected by clock changes.
  virtual SteadyPoint Steady() const = 0;
  // Blocks the calling thread until Steady() reaches `deadline` (returns false) or `waker` is
  // woken (returns true; the wake is consumed). The sync engine waits only through this, so a
  // test drives every one of its pauses with a ManualClock instead of sleeping. This default
  // waits in real time for (deadline - Steady()): right for any clock that moves with real time.
  virtual bool WaitUntil(SteadyPoint deadline, Waker& waker) const;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  SteadyPoint Steady() const override { return std::chrono::steady_clock::now(); }
};

// A clock tests move by hand. Thread-safe. A thread in WaitUntil returns when Advance() moves
// the clock to or past its deadline, or when its Waker is woken; never because real time passed.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : start_(start) {}
  TimePoint Now() const override { return start_ + Offset(); }
  SteadyPoint Steady() const override { return SteadyPoint{} + Offset(); }
  bool WaitUntil(SteadyPoint deadline, Waker& waker) const override;
  // Moves time forward and releases the waiters whose deadline has come.
  void Advance(std::chrono::milliseconds d);
  // Simulated time: when on, a WaitUntil moves the clock straight to its deadline (unless a wake
  // is pending) instead of blocking. For one thread that runs a waiting loop itself (Drain).
  void set_auto_advance(bool on) { auto_advance_ = on; }
  // For a test that must know a worker thread has gone to sleep: blocks, up to `real_timeout`
  // of real time, until `n` threads are waiting in WaitUntil with their deadline still ahead and
  // no wake pending. Returns the earliest of those deadlines, or nullopt on timeout.
  std::optional<SteadyPoint> AwaitWaiters(size_t n, std::chrono::milliseconds real_timeout) const;

 private:
  struct Waiter {
    SteadyPoint deadline;
    Waker* waker;
  };
  std::chrono::milliseconds Offset() const { return std::chrono::milliseconds(offset_ms_.load()); }
  TimePoint start_;
  mutable std::atomic<int64_t> offset_ms_{0};  // mutable: WaitUntil moves it in auto-advance mode
  std::atomic<bool> auto_advance_{false};
  mutable std::mutex mu_;  // guards waiters_; taken before any Waker's mutex
  mutable std::condition_variable waiters_changed_;
  mutable std::vector<const Waiter*> waiters_;
};

struct CivilDate {
  int year = 0, month = 0, day = 0;
  auto operator<=>(const CivilDate&) const = default;
};

constexpr int kVietnamUtcOffsetSeconds = 7 * 3600;

// Vietnam-local calendar date of an instant.
CivilDate VietnamDate(TimePoint t);
// "2026-11-22T09:14:03+07:00"
std::string FormatRfc3339Vietnam(TimePoint t);
// "2026-11-22"
std::string FormatDate(const CivilDate& d);
// "261122"
std::string FormatYymmdd(const CivilDate& d);
// Strict "YYYY-MM-DD" with a real calendar date (leap years checked).
std::optional<CivilDate> ParseDate(const std::string& s);
// RFC 3339 with a "Z" or "+hh:mm" offset; fractional seconds allowed.
std::optional<TimePoint> ParseRfc3339(const std::string& s);
bool IsValidCivilDate(int year, int month, int day);
// Days since 1970-01-01 (proleptic Gregorian), and back.
int64_t DaysFromCivil(const CivilDate& d);
CivilDate CivilFromDays(int64_t days);
int64_t UnixSeconds(TimePoint t);
TimePoint FromUnixSeconds(int64_t s);

}  // namespace mck
