#include <catch2/catch.hpp>

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
