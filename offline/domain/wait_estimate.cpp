#include "offline/domain/wait_estimate.h"

#include <algorithm>
#include <cstdio>

namespace mck {

std::vector<Seconds> ServiceTimes(const std::vector<CallRecord>& calls) {
  std::vector<Seconds> out;
  for (size_t i = 1; i < calls.size(); ++i) {
    const CallRecord& prev = calls[i - 1];
    const CallRecord& next = calls[i];
    if (next.issued > prev.called) continue;  // nobody waited: the gap may be idle time
    if (next.called < prev.called) continue;  // out of order (a clock set back): no measurement
    out.push_back(std::chrono::duration_cast<Seconds>(next.called - prev.called));
  }
  return out;
}

std::optional<Seconds> MovingMedian(const std::vector<Seconds>& samples, size_t window) {
  if (samples.empty() || window == 0) return std::nullopt;
  const size_t n = std::min(window, samples.size());
  std::vector<Seconds> last(samples.end() - static_cast<std::ptrdiff_t>(n), samples.end());
  std::sort(last.begin(), last.end());
  if (n % 2 == 1) return last[n / 2];
  return (last[n / 2 - 1] + last[n / 2]) / 2;
}

std::optional<TimePoint> EstimateComeBack(TimePoint now, int ahead, const std::vector<Seconds>& service_times,
                                          const WaitEstimateOptions& options) {
  if (ahead <= 0 || service_times.size() < options.min_samples) return std::nullopt;
  const auto median = MovingMedian(service_times, options.window);
  if (!median) return std::nullopt;
  const Seconds wait = *median * ahead;
  if (wait < options.min_wait) return std::nullopt;
  // Rounded down in Vietnam time (local minutes :00, :05, …): a citizen back a little early
  // waits a little; one back late has missed the call.
  const int64_t step = std::chrono::duration_cast<Seconds>(options.round_to).count();
  const int64_t local = UnixSeconds(now + wait) + kVietnamUtcOffsetSeconds;
  const TimePoint at = FromUnixSeconds(local - local % step - kVietnamUtcOffsetSeconds);
  if (at <= now) return std::nullopt;
  return at;
}

std::string FormatVietnamHhMm(TimePoint t) {
  const int64_t local = UnixSeconds(t) + kVietnamUtcOffsetSeconds;
  const int64_t of_day = ((local % 86400) + 86400) % 86400;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(of_day / 3600), static_cast<int>(of_day % 3600 / 60));
  return buf;
}

}  // namespace mck
