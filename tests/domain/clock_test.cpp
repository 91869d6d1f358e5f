#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "offline/domain/clock.h"

using namespace mck;

TEST_CASE("Vietnam time is UTC+07:00 all year, across midnight") {
  // 2026-11-25T17:30:00Z is 00:30 on the 26th in Vietnam.
  const TimePoint t = *ParseRfc3339("2026-11-25T17:30:00Z");
  CHECK(FormatRfc3339Vietnam(t) == "2026-11-26T00:30:00+07:00");
  CHECK(VietnamDate(t) == CivilDate{2026, 11, 26});
  CHECK(FormatYymmdd(VietnamDate(t)) == "261126");
  const TimePoint summer = *ParseRfc3339("2026-07-01T09:00:00+07:00");
  CHECK(FormatRfc3339Vietnam(summer) == "2026-07-01T09:00:00+07:00");
}

TEST_CASE("dates are parsed strictly, leap years included") {
  CHECK(ParseDate("2024-02-29").has_value());
  CHECK_FALSE(ParseDate("2026-02-29").has_value());
  CHECK_FALSE(ParseDate("1900-02-29").has_value());
  CHECK(ParseDate("2000-02-29").has_value());
  for (const char* bad : {"2026-13-01", "2026-00-10", "2026-04-31", "26-11-2026", "2026/11/26", "2026-11-2", ""}) {
    CHECK_FALSE(ParseDate(bad).has_value());
  }
}

TEST_CASE("civil days round-trip over a wide range") {
  for (int64_t d = -800000; d <= 800000; d += 97) {
    CHECK(DaysFromCivil(CivilFromDays(d)) == d);
  }
  CHECK(DaysFromCivil({1970, 1, 1}) == 0);
}

TEST_CASE("RFC 3339 accepts offsets and fractions, refuses junk") {
  CHECK(UnixSeconds(*ParseRfc3339("1970-01-01T07:00:00+07:00")) == 0);
  CHECK(UnixSeconds(*ParseRfc3339("1970-01-01T00:00:01.250Z")) == 1);
  CHECK_FALSE(ParseRfc3339("2026-11-26T25:00:00Z").has_value());
  CHECK_FALSE(ParseRfc3339("2026-11-26T10:00:00").has_value());
  CHECK_FALSE(ParseRfc3339("2026-11-26T10:00:00+0700").has_value());
}

TEST_CASE("a manual clock moves only when told") {
  ManualClock c(FromUnixSeconds(1000));
  CHECK(UnixSeconds(c.Now()) == 1000);
  c.Advance(std::chrono::seconds(90));
  CHECK(UnixSeconds(c.Now()) == 1090);
}

TEST_CASE("a wake given before the wait is not lost and is consumed once") {
  ManualClock clock(FromUnixSeconds(1'800'000'000));
  Waker waker;
  waker.Wake();
  waker.Wake();  // two wakes before a wait count as one
  CHECK(clock.WaitUntil(clock.Steady() + std::chrono::hours(1), waker));
  clock.set_auto_advance(true);  // so that the next wait cannot block this test
  CHECK_FALSE(clock.WaitUntil(clock.Steady() + std::chrono::seconds(5), waker));
}

TEST_CASE("auto-advance moves a manual clock straight to the deadline and never back") {
  ManualClock clock(FromUnixSeconds(1'800'000'000));
  clock.set_auto_advance(true);
  Waker waker;
  const auto start = clock.Steady();
  CHECK_FALSE(clock.WaitUntil(start + std::chrono::seconds(90), waker));
  CHECK(clock.Steady() - start == std::chrono::seconds(90));
  CHECK(clock.Now() == FromUnixSeconds(1'800'000'090));
  CHECK_FALSE(clock.WaitUntil(start + std::chrono::seconds(10), waker));  // already past
  CHECK(clock.Steady() - start == std::chrono::seconds(90));
}

TEST_CASE("a thread waiting on a manual clock returns when the clock passes its deadline, not before") {
  ManualClock clock(FromUnixSeconds(1'800'000'000));
  Waker waker;
  const auto deadline = clock.Steady() + std::chrono::seconds(30);
  std::atomic<int> result{-1};
  std::thread t([&] { result = clock.WaitUntil(deadline, waker) ? 1 : 0; });
  auto seen = clock.AwaitWaiters(1, std::chrono::seconds(20));
  REQUIRE(seen);
  CHECK(*seen == deadline);
  clock.Advance(std::chrono::seconds(29));
  // Still asleep: the deadline is ahead, so it is counted as a waiter again.
  REQUIRE(clock.AwaitWaiters(1, std::chrono::seconds(20)));
  CHECK(result == -1);
  clock.Advance(std::chrono::seconds(1));
  t.join();
  CHECK(result == 0);
}

TEST_CASE("a wake from another thread ends a wait on the system clock") {
  SystemClock clock;
  Waker waker;
  CHECK_FALSE(clock.WaitUntil(clock.Steady() - std::chrono::seconds(1), waker));  // past: at once
  std::thread t([&] { waker.Wake(); });
  CHECK(clock.WaitUntil(clock.Steady() + std::chrono::hours(1), waker));  // returns only by the wake
  t.join();
}
