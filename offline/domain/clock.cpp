#include "offline/domain/clock.h"

#include <algorithm>
#include <cstdio>

namespace mck {

void Waker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

bool Clock::WaitUntil(SteadyPoint deadline, Waker& waker) const {
  const auto real_deadline = std::chrono::steady_clock::now() + (deadline - Steady());
  std::unique_lock<std::mutex> lock(waker.mu_);
  waker.cv_.wait_until(lock, real_deadline, [&] { return waker.woken_; });
  const bool woken = waker.woken_;
  waker.woken_ = false;
  return woken;
}

bool ManualClock::WaitUntil(SteadyPoint deadline, Waker& waker) const {
  if (auto_advance_) {
    std::lock_guard<std::mutex> lock(waker.mu_);
    if (waker.woken_) {
      waker.woken_ = false;
      return true;
    }
    const int64_t target = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyPoint{}).count();
    int64_t now = offset_ms_.load();
    while (now < target && !offset_ms_.compare_exchange_weak(now, target)) {
    }
    return false;
  }
  const Waiter me{deadline, &waker};
  {
    std::lock_guard<std::mutex> lock(mu_);
    waiters_.push_back(&me);
  }
  waiters_changed_.notify_all();
  bool woken;
  {
    std::unique_lock<std::mutex> lock(waker.mu_);
    waker.cv_.wait(lock, [&] { return waker.woken_ || Steady() >= deadline; });
    woken = waker.woken_;
    waker.woken_ = false;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &me));
  }
  waiters_changed_.notify_all();
  return woken;
}

void ManualClock::Advance(std::chrono::milliseconds d) {
  offset_ms_ += d.count();
  std::lock_guard<std::mutex> lock(mu_);
  for (const Waiter* w : waiters_) {
    // Taking the waiter's mutex orders this after its predicate check: no wake-up is lost.
    { std::lock_guard<std::mutex> wl(w->waker->mu_); }
    w->waker->cv_.notify_all();
  }
}

std::optional<SteadyPoint> ManualClock::AwaitWaiters(size_t n, std::chrono::milliseconds real_timeout) const {
  std::optional<SteadyPoint> earliest;
  auto asleep = [&] {
    size_t count = 0;
    earliest.reset();
    for (const Waiter* w : waiters_) {
      std::lock_guard<std::mutex> wl(w->waker->mu_);
      if (w->waker->woken_ || w->deadline <= Steady()) continue;
      ++count;
      if (!earliest || w->deadline < *earliest) earliest = w->deadline;
    }
    return count >= n;
  };
  std::unique_lock<std::mutex> lock(mu_);
  if (!waiters_changed_.wait_for(lock, real_timeout, asleep)) return std::nullopt;
  return earliest;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(const CivilDate& d) {
  int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (d.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

int64_t UnixSeconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
TimePoint FromUnixSeconds(int64_t s) {
  return TimePoint(std::chrono::seconds(s));
}

static int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

CivilDate VietnamDate(TimePoint t) {
  return CivilFromDays(FloorDiv(UnixSeconds(t) + kVietnamUtcOffsetSeconds, 86400));
}

std::string FormatRfc3339Vietnam(TimePoint t) {
  const int64_t local = UnixSeconds(t) + kVietnamUtcOffsetSeconds;
  const int64_t days = FloorDiv(local, 86400);
  const int64_t sod = local - days * 86400;
  const CivilDate d = CivilFromDays(days);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", d.year, d.month, d.day,
                static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  return buf;
}

std::string FormatDate(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string FormatYymmdd(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d", d.year % 100, d.month, d.day);
  return buf;
}

bool IsValidCivilDate(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int max = (month == 2 && leap) ? 29 : kDays[month - 1];
  return day <= max;
}

static bool Digits(const std::string& s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::optional<CivilDate> ParseDate(const std::string& s) {
  CivilDate d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!Digits(s, 0, 4, &d.year) || !Digits(s, 5, 2, &d.month) || !Digits(s, 8, 2, &d.day)) {
    return std::nullopt;
  }
  if (!IsValidCivilDate(d.year, d.month, d.day)) return std::nullopt;
  return d;
}

std::optional<TimePoint> ParseRfc3339(const std::string& s) {
  if (s.size() < 20) return std::nullopt;
  auto date = ParseDate(s.substr(0, 10));
  if (!date || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
  int hh, mm, ss;
  if (!Digits(s, 11, 2, &hh) || s[13] != ':' || !Digits(s, 14, 2, &mm) || s[16] != ':' || !Digits(s, 17, 2, &ss) ||
      hh > 23 || mm > 59 || ss > 60) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
  }
  int offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !Digits(s, pos + 4, 2, &om)) {
      return std::nullopt;
    }
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t secs = DaysFromCivil(*date) * 86400 + hh * 3600 + mm * 60 + ss - offset;
  return FromUnixSeconds(secs);
}

}  // namespace mck
