// A long outage: with the portal gone, citizens keep submitting and the queues grow; the kiosks
// back off instead of hammering; when the portal returns they come back spread out in time
// (full jitter), not all at once, and every queue drains exactly once.
//
// Time is a ManualClock shared by the eight kiosks' workers: the test moves it in 50 ms steps,
// each once every worker has gone back to sleep (ManualClock::AwaitWaiters), so every backoff
// and pause is honoured exactly and nothing sleeps. Only the simulator runs in real time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

#include "offline/sync/syncer.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;
using std::chrono::milliseconds;

TEST_CASE("after a long outage the queues drain without a request storm") {
  constexpr int kKiosks = 8;
  constexpr int kBefore = 10, kDuring = 5;
  const milliseconds cap(4000), step(50);
  const milliseconds real_timeout = std::chrono::seconds(30);  // a worker stuck is a failure
  ManualClock clock(std::chrono::system_clock::now());
  TempDir dir("mck-simdb");
  auto sim = std::make_unique<PortalSim>(PortalSim::Options{dir.path() / "sim.db", 0, "server", {}});
  const int port = sim->port();
  std::vector<std::unique_ptr<Kiosk>> kiosks;
  std::vector<std::unique_ptr<Store>> stores;
  std::mt19937_64 rng(77);
  for (int i = 0; i < kKiosks; ++i) {
    kiosks.push_back(std::make_unique<Kiosk>(i + 1));
    sim->AddToken("TOKEN-" + std::to_string(i));
    kiosks[i]->Enrol(*sim, "TOKEN-" + std::to_string(i));
    stores.push_back(kiosks[i]->OpenStore(&clock));
    kiosks[i]->SubmitDossiers(*stores[i], kBefore, 0, rng);
  }
  sim.reset();  // the portal goes away

  // Each kiosk's sync worker, as the kiosk application runs it.
  std::atomic<int> attempts_during_outage{0};
  std::atomic<bool> outage{true};
  std::atomic<int> accepted{0};
  std::mutex mu;                 // guards first, all
  std::map<int, int64_t> first;  // kiosk → manual ms after the return of its first acceptance
  std::vector<int64_t> all;      // manual ms after the return of every acceptance
  SteadyPoint back{};
  std::vector<std::unique_ptr<Syncer>> syncers;
  for (int i = 0; i < kKiosks; ++i) {
    SyncOptions o = kiosks[i]->sync_options();
    o.backoff.base = milliseconds(100);
    o.backoff.cap = cap;
    o.seed = 1000 + static_cast<uint64_t>(i);
    o.interval = std::chrono::seconds(30);  // only backoff and due times wake it
    syncers.push_back(kiosks[i]->OpenSyncer(o, &clock));
    syncers[i]->SetSink([&, i](const SyncEvent& e) {
      if (e.kind == SyncEvent::Kind::kRetry && outage) ++attempts_during_outage;
      if (e.kind == SyncEvent::Kind::kAccepted) {
        const int64_t at = std::chrono::duration_cast<milliseconds>(clock.Steady() - back).count();
        std::lock_guard<std::mutex> lock(mu);
        all.push_back(at);
        if (!first.count(i)) first[i] = at;
        ++accepted;
      }
    });
    syncers[i]->Start();
  }
  // One step of time, once every worker sleeps (its pass over, its next wake-up chosen).
  auto tick = [&] {
    REQUIRE(clock.AwaitWaiters(kKiosks, real_timeout));
    clock.Advance(step);
  };

  // Six seconds without a portal: submission is unaffected and the queues grow.
  for (milliseconds t(0); t < milliseconds(1500); t += step) tick();
  REQUIRE(clock.AwaitWaiters(kKiosks, real_timeout));
  for (int i = 0; i < kKiosks; ++i) {
    kiosks[i]->SubmitDossiers(*stores[i], kDuring, 0, rng);
    CHECK(stores[i]->outbox().Depth().value() == kBefore + kDuring);
  }
  for (milliseconds t(1500); t < milliseconds(6000); t += step) tick();
  REQUIRE(clock.AwaitWaiters(kKiosks, real_timeout));
  outage = false;
  // Backoff, not hammering: with a 100 ms base doubling to a 4 s cap, a kiosk tries about ten
  // times in six seconds; a loop without backoff would try thousands of times.
  INFO("attempts during the outage, all kiosks: " << attempts_during_outage.load());
  CHECK(attempts_during_outage.load() <= kKiosks * 20);
  CHECK(attempts_during_outage.load() >= kKiosks);  // they did keep trying

  // The portal returns on the same address, with what it had; the kiosks' time goes on.
  sim = std::make_unique<PortalSim>(PortalSim::Options{dir.path() / "sim.db", port, "server", {}});
  back = clock.Steady();
  const int total = kKiosks * (kBefore + kDuring);
  for (milliseconds t(0); accepted < total; t += step) {
    REQUIRE(t < milliseconds(60000));
    tick();
  }
  for (auto& s : syncers) s->Stop();

  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(first.size() == kKiosks);
  int64_t lo = 1 << 30, hi = 0;
  for (const auto& [k, at] : first) {
    lo = std::min(lo, at);
    hi = std::max(hi, at);
  }
  // Print the acceptances per 250 ms of kiosk time, for docs/sync.md.
  std::map<int64_t, int> bins;
  for (int64_t at : all) bins[at / 250]++;
  std::string hist;
  for (const auto& [bin, n] : bins) hist += std::to_string(bin * 250) + "ms:" + std::to_string(n) + " ";
  INFO("first arrivals spread over " << (hi - lo) << " ms; histogram " << hist);
  WARN("outage: first arrivals of " << kKiosks << " kiosks spread over " << (hi - lo)
                                    << " ms; acceptances per 250 ms: " << hist);
  // Full jitter: the kiosks' first attempts are spread over the backoff window, not bunched
  // into the same instant as a fixed retry interval would do.
  CHECK(hi - lo >= 500);

  // Every queue drained, exactly once.
  auto stats = sim->Admin("GET", "/admin/stats");
  CHECK(stats["max_posts_per_key"] == 1);
  CHECK(stats["dossiers"] == total);
  for (auto& s : stores) CHECK(s->outbox().Depth().value() == 0);
}
