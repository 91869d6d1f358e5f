// The simulated province's invariants (tests/bench/province_model.h), on a small fleet: every
// dossier accepted exactly once, the portal never serving more than its capacity in a second, no
// kiosk sending inside its own pause, and the offline/sync policy keeping the fleet's return under
// 2x its steady rate where retrying without backoff does not. Figures: scripts/bench-province.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/bench/province_model.h"

using namespace mck::province;

namespace {

constexpr int64_t kHour = 3600'000;

ProvinceParams Small(RetryMode mode) {
  ProvinceParams p;
  p.kiosks = 300;
  p.mode = mode;
  p.outage_start_ms = 9 * kHour;
  p.outage_ms = 2 * kHour;
  return p;
}

double Steady(const ProvinceParams& p) {
  ProvinceParams normal = p;
  normal.outage_ms = 0;
  normal.capacity_per_s = 0;
  return MeanPerMinute(RunProvince(normal).offered_per_min, 8 * kHour, 17 * kHour) / 60.0;
}

}  // namespace

TEST_CASE("province model: every dossier accepted once, capacity and pauses kept", "[province]") {
  int64_t real_drained = -1;
  for (RetryMode mode : {RetryMode::kReal, RetryMode::kOff, RetryMode::kNoJitter}) {
    ProvinceParams p = Small(mode);
    p.capacity_per_s = static_cast<int>(std::ceil(Steady(p) * 1.5));
    const ProvinceResult r = RunProvince(p);
    INFO(RetryModeName(mode));
    CHECK(r.dossiers > 300 * 20);
    CHECK(r.delivered <= r.dossiers);
    CHECK(r.max_served_in_a_second <= p.capacity_per_s);
    CHECK(r.sent_while_paused == 0);
    CHECK(r.refused_down > 0);  // the outage was felt
    if (mode == RetryMode::kNoJitter) {
      // Pauses without jitter bring the kiosks back in lock-step into a saturated portal: with
      // pauses of minutes (portal_doublings) the backlog is not drained before the real policy's
      // (or at all that day): what the jitter buys.
      CHECK((r.backlog_drained_ms < 0 || r.backlog_drained_ms > real_drained));
      continue;
    }
    CHECK(r.delivered == r.dossiers);
    CHECK(r.backlog_drained_ms > p.outage_start_ms + p.outage_ms);
    CHECK(r.all_drained_ms >= r.backlog_drained_ms);
    if (mode == RetryMode::kReal) real_drained = r.backlog_drained_ms;
  }
}

TEST_CASE("province model: the sync policy stays under 2x the steady rate over the whole run, outage start included",
          "[province]") {
  ProvinceParams p = Small(RetryMode::kReal);
  const double steady = Steady(p);
  p.capacity_per_s = static_cast<int>(std::ceil(steady * 1.5));
  const int64_t recovery = p.outage_start_ms + p.outage_ms;
  const ProvinceResult real = RunProvince(p);
  CHECK(PeakPerMinute(real.offered_per_min, recovery, p.end_ms) / 60.0 <= 2 * steady);
  // The whole run, the outage's first minutes included (the fleet loses the portal together):
  // the portal-wide pause starts at base x 2^portal_doublings, not at base.
  CHECK(PeakPerMinute(real.offered_per_min, p.start_ms, p.end_ms) / 60.0 <= 2 * steady);
  ProvinceParams from_base = p;  // the same policy with pauses starting at base (2 s), as before
  from_base.policy.portal_doublings = 0;
  const ProvinceResult early = RunProvince(from_base);
  CHECK(PeakPerMinute(early.offered_per_min, p.outage_start_ms, recovery) / 60.0 > 2 * steady);
  p.mode = RetryMode::kOff;
  const ProvinceResult off = RunProvince(p);
  CHECK(PeakPerMinute(off.offered_per_min, recovery, p.end_ms) / 60.0 > 10 * steady);
}
