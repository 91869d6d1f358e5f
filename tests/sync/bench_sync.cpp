// bench-sync-drain: dossiers per second draining 10,000 queued dossiers into portal-sim over
// HTTPS with mTLS, with connection reuse (the sync engine as shipped) and with a naive client
// that opens a new TCP+TLS connection for every request, measured in the same run.
// Run through scripts/bench-sync; it is a Catch program so that it can use the test harness.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>

#include "offline/sync/syncer.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;

namespace {

int Count() {
  const char* n = std::getenv("MCK_BENCH_DOSSIERS");
  return n && *n ? std::max(100, std::atoi(n)) : 10000;
}

// Queues n dossiers, spread over days (a kiosk numbers at most 9,999 dossiers a day).
void Queue(Kiosk& kiosk, int n, std::mt19937_64& rng) {
  ManualClock clock(std::chrono::system_clock::now() - std::chrono::hours(24 * 4));
  auto store = kiosk.OpenStore(&clock);
  for (int done = 0; done < n;) {
    const int batch = std::min(3000, n - done);
    kiosk.SubmitDossiers(*store, batch, 0, rng);
    done += batch;
    clock.Advance(std::chrono::hours(24));
  }
}

struct Run {
  double seconds = 0;
  int accepted = 0;
  long connections = 0;
  double https_seconds = 0;
  long requests = 0;
};

Run Drain(Kiosk& kiosk, bool reuse) {
  SyncOptions o = kiosk.sync_options();
  o.batch = 32;
  o.lease = std::chrono::seconds(300);
  o.poll_status = false;
  o.send_heartbeat = false;
  o.refresh_catalog = false;
  auto syncer = kiosk.OpenSyncer(o, nullptr, reuse);
  const auto t0 = std::chrono::steady_clock::now();
  auto sum = syncer->Drain();
  const auto t1 = std::chrono::steady_clock::now();
  REQUIRE(sum.ok());
  INFO(sum->error.ToString());
  REQUIRE(sum->error.ok());
  REQUIRE(sum->remaining == 0);
  return {std::chrono::duration<double>(t1 - t0).count(), sum->accepted, sum->connections_opened,
          sum->seconds_in_transfers, sum->requests};
}

void Print(const char* label, const Run& r, int n) {
  std::printf("  %-36s %8.1f dossiers/s  (%6.2f s; %5ld TLS connections; HTTPS %.2f ms/request)\n", label,
              n / r.seconds, r.seconds, r.connections, 1000.0 * r.https_seconds / std::max(1L, r.requests));
}

// One pair of drains (reuse, then naive) with the kiosks' data under `tmpdir`.
void Pair(const char* where, const char* tmpdir, int n) {
  setenv("TMPDIR", tmpdir, 1);
  TempDir dir("mck-bench");
  PortalSim sim({dir.path() / "sim.db", 0, "server", {}});
  sim.AddToken("BENCH-REUSE", "000.00.24.H03");
  sim.AddToken("BENCH-NAIVE", "000.00.24.H05");  // another commune: its own daily sequences
  Kiosk reuse_kiosk(1), naive_kiosk(2);
  reuse_kiosk.Enrol(sim, "BENCH-REUSE");
  naive_kiosk.Enrol(sim, "BENCH-NAIVE");
  std::mt19937_64 rng(10000);
  std::printf("bench-sync: queueing %d dossiers in each of two kiosks (%s)...\n", n, where);
  std::fflush(stdout);
  Queue(reuse_kiosk, n, rng);
  Queue(naive_kiosk, n, rng);
  const Run reuse = Drain(reuse_kiosk, true);
  const Run naive = Drain(naive_kiosk, false);
  REQUIRE(reuse.accepted == n);
  REQUIRE(naive.accepted == n);
  std::printf("bench-sync: drain %d dossiers, HTTPS + mTLS to portal-sim on 127.0.0.1, kiosk store on %s\n", n, where);
  Print("connection reuse (as shipped):", reuse, n);
  Print("naive, new connection per request:", naive, n);
  std::printf(
      "  ratio reuse/naive: %.2fx dossiers/s; %.2fx less time per HTTPS request\n", naive.seconds / reuse.seconds,
      (naive.https_seconds / std::max(1L, naive.requests)) / (reuse.https_seconds / std::max(1L, reuse.requests)));
  std::fflush(stdout);
  auto stats = sim.Admin("GET", "/admin/stats");
  REQUIRE(stats["dossiers"] == 2 * n);
  REQUIRE(stats["max_posts_per_key"] == 1);
}

}  // namespace

TEST_CASE("bench: drain 10000 queued dossiers with connection reuse and with a new connection per request",
          "[.bench]") {
  const int n = Count();
  const char* tmp = std::getenv("TMPDIR");
  const std::string disk = tmp && *tmp ? tmp : "/tmp";
  // As shipped: every acceptance is a durable transaction (synchronous=FULL, one fsync).
  Pair(("disk (" + disk + ", fsync per acceptance)").c_str(), disk.c_str(), n);
  // The same with the store in memory (/dev/shm): what the protocol alone allows.
  if (std::filesystem::is_directory("/dev/shm")) Pair("tmpfs (/dev/shm, fsync free)", "/dev/shm", n);
}
