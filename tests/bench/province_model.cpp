#include "tests/bench/province_model.h"

#include <algorithm>
#include <queue>
#include <random>

namespace mck::province {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kMin = 60'000;

struct Item {
  int64_t created = 0, due = 0;
  int attempts = 0;
};

struct Kiosk {
  std::vector<Item> outbox;
  int64_t paused_until = 0;
  int portal_failures = 0;
  int64_t last_heartbeat = 0;
  bool in_flight = false;  // a request is out; its answer event will continue the pass
  bool nudged = false;     // a dossier arrived during the pass: the worker's Waker is pending
  bool in_pass = false;
  int failures_in_row = 0;
  uint64_t wake_gen = 0;  // only the latest scheduled wake counts (a Nudge replaces the sleep)
  int sending = -1;       // outbox index in flight; -2: a heartbeat
  std::mt19937_64 rng;
};

enum class Ev : uint8_t { kArrival, kWake, kAnswer };

struct Event {
  int64_t t;
  uint64_t seq;
  int kiosk;
  Ev type;
  uint64_t gen;  // kWake: the kiosk's wake_gen when scheduled; kAnswer: the answer's status
  bool operator>(const Event& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

class Sim {
 public:
  explicit Sim(const ProvinceParams& p) : p_(p), kiosks_(p.kiosks) {
    const size_t minutes = static_cast<size_t>(p.end_ms / kMin + 1);
    r_.offered_per_min.assign(minutes, 0);
    r_.served_per_min.assign(minutes, 0);
    std::mt19937_64 gen(p.seed);
    // Office hours, Vietnam time.
    const int64_t am0 = 7 * 3600'000LL + 30 * kMin, am1 = 11 * 3600'000LL + 30 * kMin;
    const int64_t pm0 = 13 * 3600'000LL + 30 * kMin, pm1 = 17 * 3600'000LL;
    const double open_ms = static_cast<double>((am1 - am0) + (pm1 - pm0));
    for (int k = 0; k < p.kiosks; ++k) {
      Kiosk& kk = kiosks_[k];
      kk.rng.seed(gen());
      // Heartbeats spread over the interval, as kiosks started at different times.
      kk.last_heartbeat = p.start_ms - std::uniform_int_distribution<int64_t>(0, p.heartbeat_ms - 1)(gen);
      const int per_day = std::uniform_int_distribution<int>(p.dossiers_min, p.dossiers_max)(gen);
      std::exponential_distribution<double> gap(per_day / open_ms);
      for (double t = 0;;) {
        t += gap(gen);
        if (t >= open_ms) break;
        const int64_t at = static_cast<int64_t>(t) + (t < am1 - am0 ? am0 : pm0 - (am1 - am0));
        Push(at, k, Ev::kArrival, 0);
        ++r_.dossiers;
        if (at < RecoveryMs()) ++before_recovery_;
      }
      Schedule(k, p.start_ms + std::uniform_int_distribution<int64_t>(0, p.interval_ms)(gen));
    }
    served_per_s_.assign(static_cast<size_t>(p.end_ms / 1000 + 1), 0);
  }

  ProvinceResult Run() {
    while (!q_.empty()) {
      Event e = q_.top();
      q_.pop();
      if (e.t >= p_.end_ms) break;
      now_ = e.t;
      Kiosk& k = kiosks_[e.kiosk];
      switch (e.type) {
        case Ev::kArrival:
          k.outbox.push_back({now_, now_, 0});
          ++queued_;
          if (k.in_pass) {
            k.nudged = true;
          } else {
            Pass(e.kiosk);  // Nudge: the worker wakes at once
          }
          break;
        case Ev::kWake:
          if (e.gen == k.wake_gen && !k.in_pass) Pass(e.kiosk);
          break;
        case Ev::kAnswer: Answer(e.kiosk, static_cast<int>(e.gen)); break;
      }
      if (queued_ == 0 && arrivals_done_ == r_.dossiers && r_.all_drained_ms < 0) r_.all_drained_ms = now_;
      if (r_.all_drained_ms >= 0 && now_ > 18 * 3600'000LL) break;
    }
    return r_;
  }

 private:
  int64_t RecoveryMs() const { return p_.outage_start_ms + p_.outage_ms; }
  bool PortalDown() const { return p_.outage_ms > 0 && now_ >= p_.outage_start_ms && now_ < RecoveryMs(); }

  void Push(int64_t t, int k, Ev type, uint64_t gen) { q_.push(Event{t, seq_++, k, type, gen}); }

  void Schedule(int k, int64_t t) {
    Kiosk& kk = kiosks_[k];
    ++kk.wake_gen;
    Push(t, k, Ev::kWake, kk.wake_gen);
  }

  milliseconds Delay(Kiosk& k, int attempt, std::optional<milliseconds> retry_after, int head_start = 0) {
    switch (p_.mode) {
      case RetryMode::kReal: return BackoffDelay(p_.policy, attempt + head_start, k.rng, retry_after);
      case RetryMode::kNoJitter:
        return BackoffCeiling(p_.policy, std::max(0, attempt) + head_start) + retry_after.value_or(milliseconds(0));
      case RetryMode::kOff: return p_.policy.base;  // no backoff at all: the pause too is `base`
    }
    return p_.policy.base;
  }

  // One request from kiosk k: 201/200, 503 (over capacity) or a refused connection (down).
  void Send(int k, int what) {
    Kiosk& kk = kiosks_[k];
    if (now_ < kk.paused_until) ++r_.sent_while_paused;
    kk.in_flight = true;
    kk.sending = what;
    ++r_.requests;
    ++r_.offered_per_min[static_cast<size_t>(now_ / kMin)];
    int status = 0;
    int64_t latency = p_.refused_latency_ms;
    if (PortalDown()) {
      ++r_.refused_down;
    } else {
      int64_t& in_second = served_per_s_[static_cast<size_t>(now_ / 1000)];
      if (p_.capacity_per_s > 0 && in_second >= p_.capacity_per_s) {
        status = 503;
        ++r_.refused_503;
      } else {
        status = 200;
        ++in_second;
        r_.max_served_in_a_second = std::max(r_.max_served_in_a_second, in_second);
        ++r_.served_per_min[static_cast<size_t>(now_ / kMin)];
        latency = p_.latency_ms;
      }
    }
    Push(now_ + latency, k, Ev::kAnswer, static_cast<uint64_t>(status));
  }

  // Syncer::Pass: while not paused, send the due items one by one; then the heartbeat when due.
  void Pass(int k) {
    Kiosk& kk = kiosks_[k];
    kk.in_pass = true;
    kk.nudged = false;
    kk.failures_in_row = 0;
    Continue(k);
  }

  void Continue(int k) {
    Kiosk& kk = kiosks_[k];
    if (now_ < kk.paused_until) return EndPass(k);
    int due = -1;
    for (size_t i = 0; i < kk.outbox.size(); ++i) {
      if (kk.outbox[i].due <= now_ && (due < 0 || kk.outbox[i].due < kk.outbox[static_cast<size_t>(due)].due)) {
        due = static_cast<int>(i);
      }
    }
    if (due >= 0) return Send(k, due);
    if (now_ - kk.last_heartbeat >= p_.heartbeat_ms && kk.sending != -2) {
      ++r_.heartbeats;
      return Send(k, -2);
    }
    EndPass(k);
  }

  void EndPass(int k) {
    Kiosk& kk = kiosks_[k];
    kk.in_pass = false;
    kk.sending = -1;
    if (kk.nudged) {
      kk.nudged = false;
      return Schedule(k, now_);
    }
    // WorkerLoop: the next pass at the next due item, at most `interval` away, not before the pause
    // ends; WaitForNextPass clamps the wait to [20 ms, interval].
    int64_t wake = now_ + p_.interval_ms;
    for (const Item& it : kk.outbox) wake = std::min(wake, it.due);
    wake = std::max(wake, kk.paused_until);
    wake = std::clamp(wake, now_ + 20, now_ + p_.interval_ms);
    Schedule(k, wake);
  }

  // Syncer::PausePortal: Retry-After (read by offline/sync's parser) as a floor, plus jitter.
  std::optional<milliseconds> PausePortal(Kiosk& kk, int status) {
    std::optional<milliseconds> retry_after;
    if (status == 503) retry_after = ParseRetryAfter(std::to_string(p_.retry_after_s), std::nullopt, TimePoint{});
    // Syncer::PausePortal: PortalPauseDelay, the policy's portal_doublings up.
    const milliseconds pause = Delay(kk, kk.portal_failures, retry_after, p_.policy.portal_doublings);
    ++kk.portal_failures;
    kk.paused_until = now_ + pause.count();
    return retry_after;
  }

  void Answer(int k, int status) {
    Kiosk& kk = kiosks_[k];
    kk.in_flight = false;
    const int what = kk.sending;
    if (what == -2) {  // the heartbeat (syncer_extras.cpp): a refusal pauses the portal, as below
      if (status == 200) {
        kk.last_heartbeat = now_;
      } else {
        PausePortal(kk, status);
      }
      return EndPass(k);
    }
    Item& item = kk.outbox[static_cast<size_t>(what)];
    if (status == 200) {
      if (item.created < RecoveryMs()) {
        if (++delivered_before_ == before_recovery_) r_.backlog_drained_ms = now_;
      }
      ++r_.delivered;
      ++arrivals_done_;
      --queued_;
      kk.outbox.erase(kk.outbox.begin() + what);
      kk.failures_in_row = 0;
      kk.portal_failures = std::max(0, kk.portal_failures - 1);  // Syncer: one success lowers the count by one
      kk.paused_until = 0;
      kk.sending = -1;
      return Continue(k);
    }
    // 503 (kPausePortal with Retry-After) or the portal unreachable (kCannotConnect: kPausePortal).
    const std::optional<milliseconds> retry_after = PausePortal(kk, status);
    int64_t next = now_ + Delay(kk, item.attempts, retry_after).count();
    next = std::max(next, kk.paused_until);
    item.due = next;
    ++item.attempts;
    EndPass(k);
  }

  const ProvinceParams& p_;
  std::vector<Kiosk> kiosks_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> q_;
  std::vector<int64_t> served_per_s_;
  ProvinceResult r_;
  int64_t now_ = 0;
  uint64_t seq_ = 0;
  int64_t queued_ = 0, arrivals_done_ = 0, before_recovery_ = 0, delivered_before_ = 0;
};

}  // namespace

const char* RetryModeName(RetryMode m) {
  switch (m) {
    case RetryMode::kReal: return "backoff + full jitter + Retry-After (offline/sync)";
    case RetryMode::kNoJitter: return "backoff without jitter, Retry-After honoured";
    case RetryMode::kOff: return "no backoff, no jitter, Retry-After ignored (retry every 2 s)";
  }
  return "?";
}

ProvinceResult RunProvince(const ProvinceParams& p) {
  return Sim(p).Run();
}

double MeanPerMinute(const std::vector<int64_t>& per_min, int64_t from_ms, int64_t to_ms) {
  const size_t a = static_cast<size_t>(from_ms / kMin), b = std::min(per_min.size(), static_cast<size_t>(to_ms / kMin));
  if (b <= a) return 0;
  double sum = 0;
  for (size_t i = a; i < b; ++i) sum += static_cast<double>(per_min[i]);
  return sum / static_cast<double>(b - a);
}

int64_t PeakPerMinute(const std::vector<int64_t>& per_min, int64_t from_ms, int64_t to_ms) {
  const size_t a = static_cast<size_t>(from_ms / kMin), b = std::min(per_min.size(), static_cast<size_t>(to_ms / kMin));
  int64_t peak = 0;
  for (size_t i = a; i < b; ++i) peak = std::max(peak, per_min[i]);
  return peak;
}

}  // namespace mck::province
