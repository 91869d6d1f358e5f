// Retry timing for the sync engine: exponential backoff with full jitter, Retry-After, and the
// clock skew read from the portal's Date header. Pure functions over values, no I/O.
//
// Full jitter (delay uniform in [0, min(cap, base * 2^attempt)]) spreads the retries of many
// kiosks that lost the portal at the same moment, so its return is not met by a storm. A
// Retry-After from the portal is a floor: the kiosk waits at least that, plus jitter.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "offline/domain/clock.h"

namespace mck {

struct BackoffPolicy {
  std::chrono::milliseconds base{2000};
  std::chrono::milliseconds cap{15 * 60 * 1000};
  // The portal-wide pause (429/503, portal unreachable) starts this many doublings up: 2 s x 2^7
  // = 256 s for the first pause, then 512 s, then the cap. A whole province loses the portal at
  // the same moment; pauses starting at 2 s had 3,321 kiosks retrying 5-6 times in the outage's
  // first minutes (5.4x the steady request rate, scripts/bench-province); from 256 s, 1.5x.
  // A single failing item still retries from `base` (its own backoff).
  int portal_doublings = 7;
};

// The ceiling for attempt n (0-based): min(cap, base * 2^n), without overflow.
std::chrono::milliseconds BackoffCeiling(const BackoffPolicy& policy, int attempt);

// A full-jitter delay for attempt n. `retry_after`, when given, is added as a floor.
std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int attempt, std::mt19937_64& rng,
                                       std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

// The longest Retry-After the kiosk honours: a portal (or anything between) asking for more is
// taken to mean "long", not "a week" — the kiosk tries again after an hour (docs/sync.md).
inline constexpr std::chrono::milliseconds kMaxRetryAfter{60 * 60 * 1000};

// The portal-wide pause after `failures` pauses in a row: BackoffDelay at attempt
// failures + policy.portal_doublings (full jitter, Retry-After as a floor).
std::chrono::milliseconds PortalPauseDelay(const BackoffPolicy& policy, int failures, std::mt19937_64& rng,
                                           std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

// Retry-After: delta-seconds ("120") or an HTTP date (IMF-fixdate, RFC 850 or asctime), capped
// at kMaxRetryAfter. For a date the wait is measured against
// the server's own clock (`server_now`, from its Date header) when known, else `local_now`, so a
// kiosk whose clock is off still waits the time the portal meant. Negative waits become 0;
// nullopt when the value is missing or unreadable (garbage, a signed or fractional number, a
// date without a time): the kiosk's own backoff applies then.
std::optional<std::chrono::milliseconds> ParseRetryAfter(const std::string& value, std::optional<TimePoint> server_now,
                                                         TimePoint local_now);

// Server time minus local time, in whole seconds (positive: the kiosk is behind).
int64_t ClockSkewSeconds(TimePoint server_date, TimePoint local_now);

}  // namespace mck
