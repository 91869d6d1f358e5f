// Backoff with full jitter, Retry-After and HTTP dates: pure functions.
#include <catch2/catch.hpp>

#include "offline/sync/backoff.h"
#include "offline/sync/http.h"

using namespace mck;
using std::chrono::milliseconds;

TEST_CASE("the backoff ceiling doubles per attempt and stops at the cap") {
  BackoffPolicy p{milliseconds(100), milliseconds(5000)};
  CHECK(BackoffCeiling(p, 0) == milliseconds(100));
  CHECK(BackoffCeiling(p, 1) == milliseconds(200));
  CHECK(BackoffCeiling(p, 5) == milliseconds(3200));
  CHECK(BackoffCeiling(p, 6) == milliseconds(5000));
  CHECK(BackoffCeiling(p, 1000) == milliseconds(5000));  // no overflow after a long outage
}

TEST_CASE("full jitter spreads delays over the whole window and never beyond it") {
  BackoffPolicy p{milliseconds(100), milliseconds(10000)};
  std::mt19937_64 rng(42);
  int64_t lo = 1 << 30, hi = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto d = BackoffDelay(p, 20, rng).count();
    REQUIRE(d >= 0);
    REQUIRE(d <= 10000);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  CHECK(lo < 1000);  // the low end is used: kiosks do not all wait the maximum
  CHECK(hi > 9000);  // and so is the high end
}

TEST_CASE("the portal-wide pause starts portal_doublings up the same ladder") {
  BackoffPolicy p;  // offline/sync's defaults: 2 s, 15 min, 7 doublings
  CHECK(p.portal_doublings == 7);
  std::mt19937_64 rng(3);
  int64_t hi0 = 0, hi1 = 0;
  for (int i = 0; i < 500; ++i) {
    const auto first = PortalPauseDelay(p, 0, rng).count();
    const auto second = PortalPauseDelay(p, 1, rng).count();
    REQUIRE(first >= 0);
    REQUIRE(first <= 256'000);   // 2 s x 2^7
    REQUIRE(second <= 512'000);  // 2 s x 2^8
    hi0 = std::max(hi0, first);
    hi1 = std::max(hi1, second);
    REQUIRE(PortalPauseDelay(p, 40, rng, milliseconds(120'000)).count() <= 120'000 + 900'000);  // the cap holds
  }
  CHECK(hi0 > 230'000);
  CHECK(hi1 > 460'000);
  p.portal_doublings = 0;  // the item ladder itself
  for (int i = 0; i < 100; ++i) REQUIRE(PortalPauseDelay(p, 0, rng).count() <= 2000);
}

TEST_CASE("Retry-After is a floor under the jittered delay") {
  BackoffPolicy p{milliseconds(100), milliseconds(1000)};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const auto d = BackoffDelay(p, 3, rng, milliseconds(5000));
    REQUIRE(d >= milliseconds(5000));
    REQUIRE(d <= milliseconds(5800));
  }
}

TEST_CASE("Retry-After in seconds or as an HTTP date is measured on the portal's clock") {
  const TimePoint local = FromUnixSeconds(1'800'000'000);
  CHECK(ParseRetryAfter("120", std::nullopt, local) == milliseconds(120000));
  CHECK(ParseRetryAfter(" 7 ", std::nullopt, local) == milliseconds(7000));
  CHECK_FALSE(ParseRetryAfter("", std::nullopt, local));
  CHECK_FALSE(ParseRetryAfter("soon", std::nullopt, local));
  CHECK_FALSE(ParseRetryAfter("-5", std::nullopt, local));
  // The kiosk's clock is 10 minutes slow; the portal says "retry at its now + 30 s".
  const TimePoint server_now = local + std::chrono::minutes(10);
  const std::string when = FormatHttpDate(server_now + std::chrono::seconds(30));
  CHECK(ParseRetryAfter(when, server_now, local) == milliseconds(30000));
  // A date in the past means "now".
  CHECK(ParseRetryAfter(FormatHttpDate(server_now - std::chrono::seconds(30)), server_now, local) == milliseconds(0));
}

TEST_CASE("HTTP dates round-trip and clock skew is server minus kiosk") {
  const TimePoint t = FromUnixSeconds(1'795'000'000);
  CHECK(FormatHttpDate(t) == "Wed, 18 Nov 2026 11:06:40 GMT");
  CHECK(ParseHttpDate(FormatHttpDate(t)) == t);
  CHECK(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT") == FromUnixSeconds(784111777));
  CHECK_FALSE(ParseHttpDate("not a date"));
  CHECK(ClockSkewSeconds(t, t - std::chrono::seconds(90)) == 90);
  CHECK(ClockSkewSeconds(t, t + std::chrono::seconds(5)) == -5);
}

TEST_CASE("a Retry-After is capped at an hour, in seconds or as a date, and garbage is no pause") {
  const TimePoint local = FromUnixSeconds(1'800'000'000);
  CHECK(ParseRetryAfter("3600", std::nullopt, local) == kMaxRetryAfter);
  CHECK(ParseRetryAfter("86400", std::nullopt, local) == kMaxRetryAfter);                 // a day asked: an hour
  CHECK(ParseRetryAfter("99999999999999999999", std::nullopt, local) == kMaxRetryAfter);  // no overflow
  CHECK(ParseRetryAfter(FormatHttpDate(local + std::chrono::hours(72)), std::nullopt, local) == kMaxRetryAfter);
  CHECK(ParseRetryAfter(FormatHttpDate(local + std::chrono::minutes(5)), std::nullopt, local) == milliseconds(300000));
  for (const char* garbage : {"1.5", "+30", "0x10", "30s", "Mon", "12:00", "\xff\xfe", "Retry-After: 5"}) {
    INFO(garbage);
    CHECK_FALSE(ParseRetryAfter(garbage, std::nullopt, local));
  }
}
