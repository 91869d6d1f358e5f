// When to come back: a queue ticket's estimate of its call, from the service times measured at
// its counter today (docs/store.md "Wait estimates"). Pure functions: no clock, no store.
//
// A service time is the time between two calls at a counter, counted only when the second
// number was already waiting when the first was called (so the gap is the officer's work, not a
// quiet spell with nobody waiting). The estimate is
//   come back at = now + ahead × median(last `window` service times), rounded DOWN to 5 minutes,
// printed only when `ahead` > 0, at least `min_samples` were measured today, and the wait is at
// least `min_wait` (a shorter one: the citizen stays).
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/clock.h"

namespace mck {

using Seconds = std::chrono::seconds;

struct WaitEstimateOptions {
  size_t window = 7;       // the moving median's last N service times (docs/store.md: why 7)
  size_t min_samples = 3;  // fewer measured today: no time printed (never a guessed constant)
  std::chrono::minutes round_to{5};
  std::chrono::minutes min_wait{10};  // a shorter estimated wait prints no time
};

// One called number at a counter: when it was taken and when the officer called it.
struct CallRecord {
  TimePoint issued;
  TimePoint called;
};

// The service times of one counter's day, `calls` in the order they were called.
std::vector<Seconds> ServiceTimes(const std::vector<CallRecord>& calls);
// The median of the last `window` of `samples` (the mean of the middle two for an even count);
// nullopt when `samples` is empty.
std::optional<Seconds> MovingMedian(const std::vector<Seconds>& samples, size_t window);
// When to come back, or nullopt when no time should be printed (see the top of this file).
std::optional<TimePoint> EstimateComeBack(TimePoint now, int ahead, const std::vector<Seconds>& service_times,
                                          const WaitEstimateOptions& options = {});
// "10:40": the hour and minute in Vietnam time.
std::string FormatVietnamHhMm(TimePoint t);

}  // namespace mck
