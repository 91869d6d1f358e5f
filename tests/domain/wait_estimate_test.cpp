// The wait estimate as pure functions (offline/domain/wait_estimate.h): which gaps count as
// service times, the moving median, the rounding, and when no time is printed. The estimate
// over a simulated day through the real store: tests/core/wait_estimate_day_test.cpp.
#include <catch2/catch.hpp>

#include "offline/domain/wait_estimate.h"

using namespace mck;
using std::chrono::minutes;

namespace {

TimePoint At(const std::string& hhmmss) {
  return *ParseRfc3339("2026-12-07T" + hhmmss + "+07:00");
}

std::vector<Seconds> Minutes(std::initializer_list<int> ms) {
  std::vector<Seconds> out;
  for (int m : ms) out.push_back(minutes(m));
  return out;
}

}  // namespace

TEST_CASE("a service time is the gap between two calls, only when the next number was already waiting") {
  const std::vector<CallRecord> calls = {
      {At("07:30:00"), At("07:31:00")},  // first of the day: no gap before it
      {At("07:30:30"), At("07:39:00")},  // waiting since 07:30:30 when 07:31's was called: 8 min
      {At("07:35:00"), At("07:45:30")},  // waiting since 07:35 when 07:39's was called: 6 min 30 s
      {At("07:48:00"), At("07:50:00")},  // taken after 07:45:30's call: the officer may have been idle
      {At("07:49:00"), At("08:02:00")},  // waiting since 07:49 when 07:50's was called: 12 min
  };
  const auto s = ServiceTimes(calls);
  REQUIRE(s.size() == 3);
  CHECK(s[0] == minutes(8));
  CHECK(s[1] == Seconds(390));
  CHECK(s[2] == minutes(12));
  CHECK(ServiceTimes({}).empty());
  CHECK(ServiceTimes({calls[0]}).empty());
  // A number taken at the very second of the previous call was waiting.
  CHECK(ServiceTimes({{At("08:00:00"), At("08:00:00")}, {At("08:00:00"), At("08:05:00")}}).size() == 1);
  // A clock set back between two calls gives no (negative) measurement.
  CHECK(ServiceTimes({{At("08:00:00"), At("08:10:00")}, {At("08:00:00"), At("08:05:00")}}).empty());
}

TEST_CASE("the moving median uses only the last N service times, and resists one long or short service") {
  CHECK_FALSE(MovingMedian({}, 7));
  CHECK(MovingMedian(Minutes({5}), 7) == minutes(5));
  CHECK(MovingMedian(Minutes({4, 8}), 7) == minutes(6));                 // even count: the middle two averaged
  CHECK(MovingMedian(Minutes({30, 30, 30, 5, 6, 7}), 3) == minutes(6));  // the morning's slow ones forgotten
  // A lunch-length gap and a no-show among seven barely move it; a mean would jump to 14 min.
  CHECK(MovingMedian(Minutes({8, 9, 60, 8, 1, 9, 8}), 7) == minutes(8));
  CHECK_FALSE(MovingMedian(Minutes({5}), 0));
}

TEST_CASE("come back at now + ahead x median, rounded down to 5 minutes in Vietnam time") {
  const auto eight = Minutes({8, 7, 9, 8});
  // 10:02 + 4 x 8 min = 10:34 -> 10:30.
  auto at = EstimateComeBack(At("10:02:00"), 4, eight);
  REQUIRE(at);
  CHECK(FormatVietnamHhMm(*at) == "10:30");
  CHECK(*at == At("10:30:00"));
  // Exactly on a five-minute mark stays there: 10:00 + 5 x 8 = 10:40.
  CHECK(FormatVietnamHhMm(*EstimateComeBack(At("10:00:00"), 5, eight)) == "10:40");
  // Across the hour and to the end of the day.
  CHECK(FormatVietnamHhMm(*EstimateComeBack(At("10:55:10"), 3, eight)) == "11:15");
  CHECK(FormatVietnamHhMm(*EstimateComeBack(At("16:20:00"), 10, eight)) == "17:40");
}

TEST_CASE("no time is printed when nobody is ahead, too little was measured today, or the wait is short") {
  const auto eight = Minutes({8, 8, 8});
  CHECK_FALSE(EstimateComeBack(At("09:00:00"), 0, eight));
  CHECK_FALSE(EstimateComeBack(At("09:00:00"), -1, eight));
  // The first numbers of the day: two measurements are not enough (never a guessed constant).
  CHECK_FALSE(EstimateComeBack(At("07:40:00"), 6, Minutes({8, 8})));
  CHECK_FALSE(EstimateComeBack(At("07:40:00"), 6, {}));
  CHECK(EstimateComeBack(At("07:40:00"), 6, eight));
  // 1 x 8 min is under 10 min: the citizen stays, no time. 2 x 8 = 16 min is printed.
  CHECK_FALSE(EstimateComeBack(At("09:00:00"), 1, eight));
  CHECK(EstimateComeBack(At("09:00:00"), 2, eight));
  // Options: a larger minimum of samples, a shorter minimum wait.
  WaitEstimateOptions o;
  o.min_samples = 4;
  CHECK_FALSE(EstimateComeBack(At("09:00:00"), 5, eight, o));
  o.min_samples = 1;
  o.min_wait = minutes(0);
  CHECK(FormatVietnamHhMm(*EstimateComeBack(At("09:00:00"), 1, eight, o)) == "09:05");
}

TEST_CASE("the promised time is never earlier than now") {
  WaitEstimateOptions o;
  o.min_wait = minutes(0);
  // 09:03 + 1 min rounds down to 09:00, before now: no time rather than a time already past.
  CHECK_FALSE(EstimateComeBack(At("09:03:00"), 1, Minutes({1, 1, 1}), o));
  for (int s = 0; s < 3600; s += 37) {
    const TimePoint now = At("09:00:00") + Seconds(s);
    for (int ahead = 1; ahead < 12; ++ahead) {
      if (auto at = EstimateComeBack(now, ahead, Minutes({3, 4, 5}))) CHECK(*at > now);
    }
  }
}

TEST_CASE("HH:MM is Vietnam time") {
  CHECK(FormatVietnamHhMm(*ParseRfc3339("2026-12-07T03:40:59Z")) == "10:40");
  CHECK(FormatVietnamHhMm(*ParseRfc3339("2026-12-07T17:05:00Z")) == "00:05");
}
