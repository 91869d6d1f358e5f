// The wait estimate over simulated days (docs/store.md "Wait estimates"): seeded random arrivals
// and service times at three counters, every number taken, printed and called through the real
// TicketDesk and Store (a SQLite file) with a ManualClock, and each printed "quay lại khoảng
// HH:MM" compared with when that number was really called. The same tickets are also given a
// constant estimate (one service time for every counter, all day) to show what the moving median
// buys. The figures are printed; the bounds asserted are argued in docs/store.md from them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <random>

#include "kiosk/core/tickets.h"
#include "tests/core/core_fixture.h"

using namespace mck;
using std::chrono::minutes;

namespace {

// A counter's day: its service times are lognormal (σ = 0.45) around a median that drifts
// linearly from `median_start` to `median_end` minutes between 07:30 and 16:30; arrivals are
// Poisson at `load` × the counter's service rate, busier in the morning (×1.25 before 09:30) and
// quieter after 14:00 (×0.7). One called citizen in 20 does not come (a 1-minute "service").
struct CounterModel {
  std::string code;
  double median_start, median_end;
  double load;
};

constexpr double kSigma = 0.45;
const TimePoint kOpen = *ParseRfc3339("2026-12-07T07:30:00+07:00");
const TimePoint kLastArrival = *ParseRfc3339("2026-12-07T16:30:00+07:00");

double DayFraction(TimePoint t) {
  return std::clamp(std::chrono::duration<double>(t - kOpen) / (kLastArrival - kOpen), 0.0, 1.0);
}
double MedianAt(const CounterModel& m, TimePoint t) {
  return m.median_start + (m.median_end - m.median_start) * DayFraction(t);
}
TimePoint Plus(TimePoint t, double minutes_) {
  return t + std::chrono::milliseconds(static_cast<int64_t>(std::llround(minutes_ * 60000.0)));
}

struct Issued {
  std::string counter;
  int ahead = 0;
  std::optional<TimePoint> moving, constant;  // the two promises (nullopt: no time printed)
  std::optional<TimePoint> called;
};

struct Figures {
  size_t promised = 0;
  double median_abs = 0, p90_abs = 0, late_share = 0;
};

// Errors in minutes of the promises `pick` returns, over the numbers that have one and were called.
template <class Pick>
Figures Measure(const std::vector<Issued>& issued, Pick pick) {
  std::vector<double> abs_err;
  size_t late = 0;
  for (const auto& i : issued) {
    const std::optional<TimePoint> promise = pick(i);
    if (!promise || !i.called) continue;
    const double err = std::chrono::duration<double>(*i.called - *promise).count() / 60.0;
    abs_err.push_back(std::abs(err));
    if (err < 0) ++late;  // called before the promised time: back too late
  }
  Figures f;
  f.promised = abs_err.size();
  if (abs_err.empty()) return f;
  std::sort(abs_err.begin(), abs_err.end());
  f.median_abs = abs_err[abs_err.size() / 2];
  f.p90_abs = abs_err[std::min(abs_err.size() - 1, abs_err.size() * 9 / 10)];
  f.late_share = static_cast<double>(late) / static_cast<double>(abs_err.size());
  return f;
}

// One day at `models`' counters; returns every number taken.
std::vector<Issued> SimulateDay(uint32_t seed, const std::vector<CounterModel>& models, Seconds constant_service) {
  test::Core c(kOpen);
  core::TicketDesk desk(*c.store, c.catalog, c.config);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  struct Counter {
    const CounterModel* model;
    TimePoint next_arrival;
    std::optional<TimePoint> busy_until;
  };
  auto next_arrival = [&](const CounterModel& m, TimePoint from) {
    const double factor = from < Plus(kOpen, 120) ? 1.25 : DayFraction(from) > 6.5 / 9 ? 0.7 : 1.0;
    const double mean_service = MedianAt(m, from) * std::exp(kSigma * kSigma / 2);
    std::exponential_distribution<double> gap(m.load * factor / mean_service);
    return Plus(from, gap(rng));
  };
  std::vector<Counter> counters;
  for (const auto& m : models) counters.push_back({&m, next_arrival(m, kOpen), std::nullopt});
  std::vector<Issued> issued;
  std::map<int64_t, size_t> by_id;
  const std::vector<Seconds> constant(3, constant_service);

  auto call_next = [&](Counter& k) {
    auto t = desk.CallNext(k.model->code);
    if (!t.ok()) {
      REQUIRE(t.status().code() == Code::kNotFound);
      return;
    }
    issued[by_id.at(t->id)].called = c.clock.Now();
    const double median = MedianAt(*k.model, c.clock.Now());
    std::lognormal_distribution<double> service(std::log(median), kSigma);
    const double s = service(rng);  // drawn for every call, so a no-show does not shift the stream
    k.busy_until = Plus(c.clock.Now(), unit(rng) < 0.05 ? 1.0 : s);
  };
  while (true) {
    Counter* next = nullptr;
    TimePoint when = TimePoint::max();
    bool finish = false;
    for (auto& k : counters) {
      if (k.busy_until && *k.busy_until < when) next = &k, when = *k.busy_until, finish = true;
      if (k.next_arrival <= kLastArrival && k.next_arrival < when) next = &k, when = k.next_arrival, finish = false;
    }
    if (!next) break;
    c.clock.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(when - c.clock.Now()));
    if (finish) {
      next->busy_until.reset();
      call_next(*next);
      continue;
    }
    auto r = desk.Reserve(next->model->code, std::nullopt);
    REQUIRE(r.ok());
    REQUIRE(desk.RecordPrint(r->ticket, Status::Ok()).ok());
    Issued i;
    i.counter = next->model->code;
    i.ahead = r->document.waiting_before;
    i.moving = r->come_back_at;
    i.constant = EstimateComeBack(c.clock.Now(), i.ahead, constant);
    by_id[r->ticket.id] = issued.size();
    issued.push_back(i);
    next->next_arrival = next_arrival(*next->model, c.clock.Now());
    if (!next->busy_until) call_next(*next);
  }
  return issued;
}

void Print(const std::string& what, const Figures& f) {
  std::cout << "  " << what << ": " << f.promised << " promises, |error| median " << std::round(f.median_abs * 10) / 10
            << " min, p90 " << std::round(f.p90_abs * 10) / 10 << " min, back too late "
            << std::round(f.late_share * 1000) / 10 << " %\n";
}

}  // namespace

TEST_CASE("over simulated days the moving median's promised times are closer to the real calls than a constant's") {
  // Counters differ as fields do: HT (hộ tịch) is quick and slows through the day (5 -> 8 min),
  // DD (đất đai) is slow and speeds up (18 -> 12), XH stays near 9.
  const std::vector<CounterModel> models = {{"HT", 5, 8, 0.92}, {"DD", 18, 12, 0.9}, {"XH", 9, 10, 0.88}};
  // The constant: the mean of the counters' medians over the day — one default for the kiosk,
  // right on average.
  const Seconds constant_service = minutes(10) + Seconds(20);
  // One day gives 30-100 promises: too few to compare on (the constant wins some days); the
  // comparison and the bounds are on the days together.
  constexpr uint32_t kDays = 10;
  std::vector<Issued> all;
  for (uint32_t seed = 1; seed <= kDays; ++seed) {
    const auto day = SimulateDay(seed, models, constant_service);
    size_t ahead = 0;
    for (const auto& i : day) ahead += i.ahead > 0;
    // Compared on the same numbers: those given a time by both.
    const auto both = [](const Issued& i) { return i.moving && i.constant; };
    const Figures moving = Measure(day, [&](const Issued& i) { return both(i) ? i.moving : std::nullopt; });
    const Figures constant = Measure(day, [&](const Issued& i) { return both(i) ? i.constant : std::nullopt; });
    std::cout << "day " << seed << ": " << day.size() << " numbers, " << ahead << " with someone ahead, "
              << Measure(day, [](const Issued& i) { return i.moving; }).promised << " given a time\n";
    Print("moving median", moving);
    Print("constant     ", constant);
    all.insert(all.end(), day.begin(), day.end());
  }
  const auto both = [](const Issued& i) { return i.moving && i.constant; };
  const Figures moving = Measure(all, [&](const Issued& i) { return both(i) ? i.moving : std::nullopt; });
  const Figures constant = Measure(all, [&](const Issued& i) { return both(i) ? i.constant : std::nullopt; });
  std::cout << kDays << " days together:\n";
  Print("moving median", moving);
  Print("constant     ", constant);
  for (const auto& code : {"HT", "DD", "XH"}) {
    const auto at = [&](const Issued& i) { return both(i) && i.counter == code ? i.moving : std::nullopt; };
    Print(std::string("moving median at ") + code, Measure(all, at));
  }
  // Figures of these ten days (docs/store.md "Wait estimates"): moving median |error| median
  // 11.3 min, p90 39.7 min, back too late 19.6 %; the constant 12.1 min, 48.2 min, 51.6 %. The
  // typical error is close (both carry the queue's own randomness); the moving median's gain is
  // in the tail and, above all, in citizens sent back too late. Bounds with some room:
  CHECK(moving.promised >= 500);
  CHECK(moving.median_abs < constant.median_abs);
  CHECK(moving.p90_abs < constant.p90_abs);
  CHECK(moving.late_share < constant.late_share / 2);
  CHECK(moving.median_abs <= 15.0);
  CHECK(moving.p90_abs <= 45.0);
  CHECK(moving.late_share <= 0.25);
}
