#include "offline/sync/backoff.h"

#include <algorithm>
#include <cctype>

#include "offline/sync/http.h"

namespace mck {

std::chrono::milliseconds BackoffCeiling(const BackoffPolicy& policy, int attempt) {
  const int64_t base = std::max<int64_t>(1, policy.base.count());
  const int64_t cap = std::max<int64_t>(base, policy.cap.count());
  int64_t ceiling = base;
  for (int i = 0; i < attempt && ceiling < cap; ++i) ceiling *= 2;
  return std::chrono::milliseconds(std::min(ceiling, cap));
}

std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int attempt, std::mt19937_64& rng,
                                       std::optional<std::chrono::milliseconds> retry_after) {
  std::uniform_int_distribution<int64_t> dist(0, BackoffCeiling(policy, std::max(0, attempt)).count());
  std::chrono::milliseconds d(dist(rng));
  if (retry_after) d += *retry_after;
  return d;
}

std::chrono::milliseconds PortalPauseDelay(const BackoffPolicy& policy, int failures, std::mt19937_64& rng,
                                           std::optional<std::chrono::milliseconds> retry_after) {
  return BackoffDelay(policy, std::max(0, failures) + std::max(0, policy.portal_doublings), rng, retry_after);
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value_in,
                                                         std::optional<TimePoint> server_now, TimePoint local_now) {
  std::string value = value_in;
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.erase(value.begin());
  if (value.empty()) return std::nullopt;
  if (value.size() > 64) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return kMaxRetryAfter;
    return std::min(kMaxRetryAfter, std::chrono::milliseconds(std::stoll(value) * 1000));
  }
  // An HTTP date names a weekday or month and a time: anything else (libcurl's parser is
  // lenient: "-5", "1.5", "soon") is garbage, not a date.
  const bool has_letter = std::any_of(value.begin(), value.end(), [](unsigned char c) { return std::isalpha(c); });
  if (!has_letter || value.find(':') == std::string::npos) return std::nullopt;
  auto when = ParseHttpDate(value);
  if (!when) return std::nullopt;
  const TimePoint now = server_now.value_or(local_now);
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
  return std::clamp(wait, std::chrono::milliseconds(0), kMaxRetryAfter);
}

int64_t ClockSkewSeconds(TimePoint server_date, TimePoint local_now) {
  return UnixSeconds(server_date) - UnixSeconds(local_now);
}

}  // namespace mck
