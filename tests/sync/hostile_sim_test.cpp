// A portal answer must never crash or wedge the kiosk, over real HTTPS: portal-sim scripted to
// answer one dossier with a hostile body (POST /admin/hostile), the kiosk's real HttpClient and
// kioskctl as a child process. Also: the portal-wide pause outlives the process, and proxies come
// from the config only (docs/security.md, "portal").
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "offline/store/settings.h"
#include "offline/sync/syncer.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

struct Setup : EnrolledKiosk {
  Setup() : EnrolledKiosk("TOKEN-H") {}
  std::vector<std::string> Submit(int n) {
    auto store = kiosk.OpenStore();
    std::mt19937_64 rng(5);
    return kiosk.SubmitDossiers(*store, n, 0, rng);
  }
  std::vector<std::string> SyncArgs() const {
    return {"--config", kiosk.config_file().string(), "sync", "--once", "--json"};
  }
  int64_t Requests() { return sim.Admin("GET", "/admin/stats")["counters"].value("requests", int64_t{0}); }
  // Adds a line to the kiosk's [portal] section (the last section of the harness's config).
  void AddPortalConfig(const std::string& line) { std::ofstream(kiosk.config_file(), std::ios::app) << line << "\n"; }
};

DossierState StateOf(const Kiosk& kiosk, const std::string& id) {
  return kiosk.OpenStore()->dossiers().Get(id).value().state;
}

// Runs kioskctl and requires that it ended by itself (an exit code, not a signal).
int RunAlive(const std::vector<std::string>& args, std::string* out = nullptr) {
  std::string o, e;
  const int rc = RunKioskctl(args, &o, &e);
  INFO("stdout: " << o.substr(0, 2000) << "\nstderr: " << e.substr(0, 2000));
  REQUIRE(rc >= 0);  // WaitChild: -signal when killed (SIGSEGV was -11)
  if (out) *out = o;
  return rc;
}

}  // namespace

TEST_CASE("hostile over HTTPS: 100,000 levels of nesting for one of three dossiers park it, kioskctl lives") {
  Setup s;
  auto ids = s.Submit(3);
  s.sim.Admin(
      "POST", "/admin/hostile",
      {{"match", "POST /api/v1/dossiers"}, {"body_contains", ids[1]}, {"status", 422}, {"generate", "deep:100000"}});
  RunAlive(s.SyncArgs());
  CHECK(StateOf(s.kiosk, ids[0]) == DossierState::kAccepted);
  CHECK(StateOf(s.kiosk, ids[1]) == DossierState::kNeedsAttention);
  CHECK(StateOf(s.kiosk, ids[2]) == DossierState::kAccepted);
  auto rec = s.kiosk.OpenStore()->dossiers().Get(ids[1]).value();
  REQUIRE(rec.last_error);
  CHECK(rec.last_error->find("HTTP 422") != std::string::npos);
}

TEST_CASE("hostile over HTTPS: a 2 MB answer is cut at the limit and parks that dossier, the others go") {
  Setup s;
  auto ids = s.Submit(3);
  s.sim.Admin(
      "POST", "/admin/hostile",
      {{"match", "POST /api/v1/dossiers"}, {"body_contains", ids[0]}, {"status", 201}, {"generate", "big:2000000"}});
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->accepted == 2);
  CHECK(sum->needs_attention == 1);
  auto rec = s.kiosk.OpenStore()->dossiers().Get(ids[0]).value();
  CHECK(rec.state == DossierState::kNeedsAttention);
  REQUIRE(rec.last_error);
  CHECK(rec.last_error->find("larger than 1048576 bytes") != std::string::npos);
}

TEST_CASE("hostile over HTTPS: wrong types in the submit answer park the dossier, kioskctl lives") {
  Setup s;
  auto ids = s.Submit(2);
  s.sim.Admin(
      "POST", "/admin/hostile",
      {{"match", "POST /api/v1/dossiers"}, {"body_contains", ids[0]}, {"status", 201}, {"generate", "wrong_types"}});
  s.sim.Admin("POST", "/admin/hostile",
              {{"match", "POST /api/v1/kiosks/heartbeat"}, {"status", 200}, {"generate", "wrong_types"}});
  s.sim.Admin("POST", "/admin/hostile",
              {{"match", "GET /api/v1/procedures"}, {"status", 200}, {"generate", "wrong_types"}});
  RunAlive(s.SyncArgs());
  CHECK(StateOf(s.kiosk, ids[0]) == DossierState::kNeedsAttention);
  CHECK(StateOf(s.kiosk, ids[1]) == DossierState::kAccepted);
}

TEST_CASE("pause: a 429's Retry-After is kept in the store and a second kioskctl run sends nothing before it ends") {
  Setup s;
  auto ids = s.Submit(2);
  s.sim.SetFaults({{"p429", 1.0}, {"retry_after_s", 120}});
  RunAlive(s.SyncArgs());
  s.sim.SetFaults({{"p429", 0.0}});
  {
    auto stored = s.kiosk.OpenStore()->settings().Get("sync.paused_until_unix_ms");
    REQUIRE(stored.ok());
    REQUIRE(*stored);
    const int64_t until = std::stoll(**stored) / 1000;
    const int64_t now = UnixSeconds(std::chrono::system_clock::now());
    CHECK(until >= now + 110);
    // 120 s plus at most the first portal pause's jitter ceiling (kioskctl sync's defaults: 2 s
    // base, 15 min cap, 7 doublings up: 256 s).
    const BackoffPolicy defaults;
    const int64_t ceiling_s =
        std::chrono::duration_cast<std::chrono::seconds>(BackoffCeiling(defaults, defaults.portal_doublings)).count();
    CHECK(ceiling_s == 256);
    CHECK(until <= now + 121 + ceiling_s);
  }
  const int64_t before = s.Requests();
  RunAlive(s.SyncArgs());  // a restarted runner, well within the 120 s
  CHECK(s.Requests() == before);
  CHECK(StateOf(s.kiosk, ids[0]) != DossierState::kAccepted);
  // Once the pause is over (moved into the past here, as time would, with the items' own due
  // times, which waited for the pause too), the next run delivers.
  {
    auto store = s.kiosk.OpenStore();
    REQUIRE(store->settings()
                .Put("sync.paused_until_unix_ms",
                     std::to_string((UnixSeconds(std::chrono::system_clock::now()) - 1) * 1000))
                .ok());
    REQUIRE(store->outbox().MakeDueNow().ok());
  }
  RunAlive(s.SyncArgs());
  CHECK(StateOf(s.kiosk, ids[0]) == DossierState::kAccepted);
  CHECK(StateOf(s.kiosk, ids[1]) == DossierState::kAccepted);
}

TEST_CASE("proxy: an environment proxy is ignored, a configured one is used") {
  Setup s;
  auto ids = s.Submit(1);
  // A port nothing listens on.
  const std::string dead = "http://127.0.0.1:9";
  for (const char* v : {"https_proxy", "HTTPS_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"})
    ::setenv(v, dead.c_str(), 1);
  ::unsetenv("NO_PROXY");
  ::unsetenv("no_proxy");
  RunAlive(s.SyncArgs());
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());  // and in process
  REQUIRE(syncer->RunOnce().ok());
  for (const char* v : {"https_proxy", "HTTPS_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}) ::unsetenv(v);
  CHECK(StateOf(s.kiosk, ids[0]) == DossierState::kAccepted);

  // The configured proxy (dead here) is the only way out: nothing reaches the portal.
  auto more = s.Submit(1);
  s.AddPortalConfig("proxy = \"" + dead + "\"");
  const int64_t before = s.Requests();
  std::string out;
  RunAlive(s.SyncArgs(), &out);
  CHECK(s.Requests() == before);
  CHECK(StateOf(s.kiosk, more[0]) != DossierState::kAccepted);
}
