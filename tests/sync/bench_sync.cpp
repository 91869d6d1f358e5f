// bench-sync-drain: dossiers per second draining 10,000 queued dossiers into portal-sim over
// HTTPS with mTLS: the sync engine as shipped (overlapped POSTs over kept-alive connections, a
// batch's acceptances in one transaction), the engine one request at a time (the way it was
// before issue 15, for reference), and a naive client that opens a new TCP+TLS connection for
// every request and commits every acceptance alone, measured in the same run. It prints the
// ratio shipped/naive next to issue 15's target (>= 5x with the store on disk).
// Run through scripts/bench-sync; it is a Catch program so that it can use the test harness.
#include <catch2/catch.hpp>

#include <algorithm>
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

constexpr double kTarget = 5.0;  // issue 15: shipped/naive >= 5x, store on disk

// As shipped: SyncOptions' default in_flight (config [portal] sync_in_flight), unless
// MCK_BENCH_IN_FLIGHT says otherwise.
int ShippedInFlight() {
  const char* n = std::getenv("MCK_BENCH_IN_FLIGHT");
  return n && *n ? std::clamp(std::atoi(n), 1, 32) : SyncOptions{}.in_flight;
}

Run Drain(Kiosk& kiosk, bool reuse, int in_flight) {
  SyncOptions o = kiosk.sync_options();
  o.in_flight = in_flight;
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
// Returns the ratio shipped/naive in dossiers/s.
double Trio(const char* where, const char* tmpdir, int n) {
  setenv("TMPDIR", tmpdir, 1);
  TempDir dir("mck-bench");
  PortalSim sim({dir.path() / "sim.db", 0, "server", {}});
  sim.AddToken("BENCH-REUSE", "000.00.24.H03");
  sim.AddToken("BENCH-NAIVE", "000.00.24.H05");  // another commune: its own daily sequences
  sim.AddToken("BENCH-SERIAL", "000.00.24.H07");
  Kiosk reuse_kiosk(1), naive_kiosk(2), serial_kiosk(3);
  reuse_kiosk.Enrol(sim, "BENCH-REUSE");
  naive_kiosk.Enrol(sim, "BENCH-NAIVE");
  serial_kiosk.Enrol(sim, "BENCH-SERIAL");
  std::mt19937_64 rng(10000);
  std::printf("bench-sync: queueing %d dossiers in each of three kiosks (%s)...\n", n, where);
  std::fflush(stdout);
  Queue(reuse_kiosk, n, rng);
  Queue(naive_kiosk, n, rng);
  Queue(serial_kiosk, n, rng);
  const int in_flight = ShippedInFlight();
  const Run reuse = Drain(reuse_kiosk, true, in_flight);
  const Run serial = Drain(serial_kiosk, true, 1);
  const Run naive = Drain(naive_kiosk, false, 1);
  REQUIRE(reuse.accepted == n);
  REQUIRE(serial.accepted == n);
  REQUIRE(naive.accepted == n);
  std::printf("bench-sync: drain %d dossiers, HTTPS + mTLS to portal-sim on 127.0.0.1, kiosk store on %s\n", n, where);
  char label[64];
  std::snprintf(label, sizeof label, "as shipped (%d in flight, group commit):", in_flight);
  Print(label, reuse, n);
  Print("reuse, one at a time (before #15):", serial, n);
  Print("naive, new connection per request:", naive, n);
  const double ratio = naive.seconds / reuse.seconds;
  std::printf("  ratio shipped/naive: %.2fx dossiers/s (one at a time/naive: %.2fx)\n", ratio,
              naive.seconds / serial.seconds);
  std::fflush(stdout);
  auto stats = sim.Admin("GET", "/admin/stats");
  REQUIRE(stats["dossiers"] == 3 * n);
  REQUIRE(stats["max_posts_per_key"] == 1);
  return ratio;
}

}  // namespace

TEST_CASE("bench: drain 10000 queued dossiers with connection reuse and with a new connection per request",
          "[.bench]") {
  const int n = Count();
  const char* tmp = std::getenv("TMPDIR");
  const std::string disk = tmp && *tmp ? tmp : "/tmp";
  // Every commit is durable (synchronous=FULL, one fsync): per batch as shipped, per acceptance
  // one at a time and naive.
  const double on_disk = Trio(("disk (" + disk + ", fsync per commit)").c_str(), disk.c_str(), n);
  // The same with the store in memory (/dev/shm): what the protocol alone allows.
  double on_tmpfs = 0;
  if (std::filesystem::is_directory("/dev/shm")) on_tmpfs = Trio("tmpfs (/dev/shm, fsync free)", "/dev/shm", n);
  std::printf("bench-sync: issue 15: shipped/naive on disk %.2fx (target >= %.1fx: %s); on tmpfs %.2fx\n", on_disk,
              kTarget, on_disk >= kTarget ? "met" : "NOT met", on_tmpfs);
}
