// Time for the kiosk: one Clock interface, injected wherever time decides behaviour (inactivity,
// backoff, retention, code dates), and Vietnam-time formatting. Vietnam has no daylight saving:
// local time is always UTC+07:00, so formatting needs no time-zone database.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace mck {

using TimePoint = std::chrono::system_clock::time_point;

// Thread-safe implementations only: the UI, sync and device threads share one clock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Monotonic time for measuring intervals (timeouts, backoff); unaffected by clock changes.
  virtual std::chrono::steady_clock::time_point Steady() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point Steady() const override { return std::chrono::steady_clock::now(); }
};

// A clock tests move by hand. Thread-safe: the offset is atomic.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : start_(start) {}
  TimePoint Now() const override { return start_ + Offset(); }
  std::chrono::steady_clock::time_point Steady() const override {
    return std::chrono::steady_clock::time_point{} + Offset();
  }
  void Advance(std::chrono::milliseconds d) { offset_ms_ += d.count(); }

 private:
  std::chrono::milliseconds Offset() const { return std::chrono::milliseconds(offset_ms_.load()); }
  TimePoint start_;
  std::atomic<int64_t> offset_ms_{0};
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
