// scripts/bench-province: a province's kiosks after a 6-hour portal outage, with offline/sync's
// retry policy and with backoff and jitter turned off. Prints the figures next to the target and
// writes the request rate per minute for gnuplot.
//   province_bench [KIOSKS] [DATA_FILE]     (default 3321 kiosks: one per commune of Vietnam)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "offline/sync/syncer.h"
#include "tests/bench/province_model.h"

using namespace mck::province;

namespace {

constexpr int64_t kHour = 3600'000;

std::string Clock(int64_t ms) {
  char b[48];
  snprintf(b, sizeof b, "%02lld:%02lld", static_cast<long long>(ms / kHour),
           static_cast<long long>(ms % kHour / 60'000));
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  const int kiosks = argc > 1 ? std::atoi(argv[1]) : 3321;
  const std::string data = argc > 2 ? argv[2] : "";
  const double headroom = 1.5;  // the portal serves 1.5x a normal day's office-hour rate
  ProvinceParams base;
  base.kiosks = kiosks;
  const mck::SyncOptions sync_defaults;  // the cadences the kiosks really use
  base.interval_ms = std::chrono::duration_cast<std::chrono::milliseconds>(sync_defaults.interval).count();
  base.heartbeat_ms = std::chrono::duration_cast<std::chrono::milliseconds>(sync_defaults.heartbeat_interval).count();
  base.policy = sync_defaults.backoff;

  // A normal day: no outage, no capacity limit. Its office-hour rate is the steady rate.
  ProvinceParams normal = base;
  normal.outage_ms = 0;
  const ProvinceResult day = RunProvince(normal);
  const double steady = MeanPerMinute(day.offered_per_min, 8 * kHour, 17 * kHour) / 60.0;
  base.capacity_per_s = static_cast<int>(std::ceil(steady * headroom));
  const int64_t recovery = base.outage_start_ms + base.outage_ms;
  printf("simulated province: %d kiosks, %lld dossiers in the day, one process, simulated clock\n", kiosks,
         static_cast<long long>(day.dossiers));
  printf(
      "normal day: steady %.1f requests/s (08:00-17:00 mean), busiest minute %.1f/s; portal capacity set to "
      "%d/s (%.1fx steady)\n",
      steady, PeakPerMinute(day.offered_per_min, 8 * kHour, 17 * kHour) / 60.0, base.capacity_per_s, headroom);
  printf("outage %s-%s (portal down: connections refused), then capacity %d/s with 503 + Retry-After %d s\n",
         Clock(base.outage_start_ms).c_str(), Clock(recovery).c_str(), base.capacity_per_s, base.retry_after_s);

  std::vector<ProvinceResult> runs;
  for (RetryMode mode : {RetryMode::kReal, RetryMode::kNoJitter, RetryMode::kOff}) {
    ProvinceParams p = base;
    p.mode = mode;
    const ProvinceResult r = RunProvince(p);
    const double peak_all = PeakPerMinute(r.offered_per_min, p.start_ms, p.end_ms) / 60.0;
    const double peak_before = PeakPerMinute(r.offered_per_min, p.start_ms, p.outage_start_ms) / 60.0;
    const double peak_start = PeakPerMinute(r.offered_per_min, p.outage_start_ms, p.outage_start_ms + kHour) / 60.0;
    const double peak_during = PeakPerMinute(r.offered_per_min, p.outage_start_ms, recovery) / 60.0;
    const double peak_after = PeakPerMinute(r.offered_per_min, recovery, p.end_ms) / 60.0;
    printf("\n%s\n", RetryModeName(mode));
    printf("  peak over the whole run %.1f req/s = %.2fx steady (limit <= 2x)\n", peak_all, peak_all / steady);
    printf(
        "  before the outage %.2fx; its first hour %.2fx; the whole outage %.2fx; after recovery %.1f req/s = "
        "%.2fx\n",
        peak_before / steady, peak_start / steady, peak_during / steady, peak_after, peak_after / steady);
    printf(
        "  backlog (dossiers made before %s) accepted by %s: %s after recovery; every queue empty at %s\n",
        Clock(recovery).c_str(), r.backlog_drained_ms < 0 ? "never" : Clock(r.backlog_drained_ms).c_str(),
        r.backlog_drained_ms < 0 ? "-" : (std::to_string((r.backlog_drained_ms - recovery) / 60'000) + " min").c_str(),
        r.all_drained_ms < 0 ? "never" : Clock(r.all_drained_ms).c_str());
    printf(
        "  requests %lld: refused 503 %lld, refused while down %lld; delivered %lld of %lld; busiest second "
        "served %lld (capacity %d); sent inside a pause %lld\n",
        static_cast<long long>(r.requests), static_cast<long long>(r.refused_503),
        static_cast<long long>(r.refused_down), static_cast<long long>(r.delivered), static_cast<long long>(r.dossiers),
        static_cast<long long>(r.max_served_in_a_second), base.capacity_per_s,
        static_cast<long long>(r.sent_while_paused));
    runs.push_back(r);
  }
  if (!data.empty()) {
    FILE* f = fopen(data.c_str(), "w");
    if (!f) {
      perror(data.c_str());
      return 1;
    }
    fprintf(f, "# hour  normal_day  real_policy  no_jitter  off  capacity  (requests/s, per minute)\n");
    for (size_t m = static_cast<size_t>(base.start_ms / 60'000); m < 22 * 60; ++m) {
      fprintf(f, "%.4f %.2f %.2f %.2f %.2f %d\n", m / 60.0, day.offered_per_min[m] / 60.0,
              runs[0].offered_per_min[m] / 60.0, runs[1].offered_per_min[m] / 60.0, runs[2].offered_per_min[m] / 60.0,
              base.capacity_per_s);
    }
    fclose(f);
  }
  return 0;
}
