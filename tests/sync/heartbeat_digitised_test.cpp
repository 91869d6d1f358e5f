// The heartbeat's "digitised" figure (docs/portal.md, docs/scanning.md "The count") against the
// real portal simulator over HTTPS on loopback: the kiosk's count of dossiers with papers scanned
// at the kiosk per Vietnam day, and the simulator's checks of it.
#include <catch2/catch.hpp>

#include "offline/domain/ids.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/syncer.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {
using Setup = EnrolledKiosk;
}  // namespace

// docs/portal.md "digitised": the kiosk's count of dossiers with papers scanned at the kiosk, per
// Vietnam day of the last 7, and the simulator keeps each day's figure per kiosk.
TEST_CASE("the heartbeat carries the dossiers with digitised papers per day, and the portal keeps each day") {
  Setup s;
  ManualClock clock(std::chrono::system_clock::now() - std::chrono::hours(24 * 8));
  auto store = s.kiosk.OpenStore(&clock);
  auto submit = [&](int scans) {
    json body = DossierBody();
    std::vector<NewAttachment> atts;
    for (int i = 0; i < scans; ++i) {
      atts.push_back({"giay-to-" + std::to_string(i) + ".pdf", "application/pdf",
                      "%PDF-1.5 scan " + std::to_string(i) + " " + FormatRfc3339Vietnam(clock.Now())});
      body["documents"].push_back({{"id", "birth_certificate"},
                                   {"presented_at_counter", true},
                                   {"digitised", {{"sha256", Sha256Hex(atts.back().data)}, {"pages", 1 + i}}}});
    }
    auto d = store->dossiers().Submit(body, atts, "2026-11-01.test");
    INFO(d.status().ToString());
    REQUIRE(d.ok());
  };
  submit(1);  // 8 days ago: in the totals, not in the 7 days
  clock.Advance(std::chrono::hours(24 * 7));
  const std::string yesterday = FormatDate(VietnamDate(clock.Now()));
  submit(2);
  clock.Advance(std::chrono::hours(24));
  const std::string today = FormatDate(VietnamDate(clock.Now()));
  submit(1);
  submit(3);
  submit(0);

  SyncOptions o = s.kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  auto syncer = s.kiosk.OpenSyncer(o, &clock);
  REQUIRE(syncer->RunOnce().ok());
  auto kiosks = s.sim.Admin("GET", "/admin/kiosks");
  REQUIRE(kiosks.size() == 1);
  const json hb = json::parse(kiosks[0]["last_heartbeat"].get<std::string>());
  INFO(hb.dump());
  REQUIRE(hb.contains("digitised"));
  CHECK(hb["digitised"]["dossiers_total"] == 4);
  CHECK(hb["digitised"]["documents_total"] == 7);
  CHECK(hb["digitised"]["dossiers_by_day"] == json{{yesterday, 1}, {today, 2}});
  CHECK(s.sim.Admin("GET", "/admin/digitised") == json{{"KIOSK-0001", {{yesterday, 1}, {today, 2}}}});

  // One more today: the next heartbeat's figure for the day replaces the portal's.
  submit(1);
  REQUIRE(syncer->RunOnce().ok());
  CHECK(s.sim.Admin("GET", "/admin/digitised") == json{{"KIOSK-0001", {{yesterday, 1}, {today, 3}}}});
}

// The simulator's side of "digitised": a malformed figure is 422 invalid_heartbeat and records
// nothing; a heartbeat without it (a kiosk before this field) is answered as before.
TEST_CASE("portal-sim refuses a malformed digitised figure and accepts a heartbeat without one") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  auto e = LoadEnrolment(*store);
  REQUIRE(e.ok());
  HttpOptions h;
  h.base_url = e->portal_url;
  h.ca_file = e->ca_file;
  REQUIRE(LoadClientKey(*e, &h).ok());
  auto http = HttpClient::Create(std::move(h));
  REQUIRE(http.ok());
  int key = 0;
  auto post = [&](const std::string& body) {
    PortalRequest req;
    req.method = "POST";
    req.path = "/api/v1/kiosks/heartbeat";
    ++key;  // a new Idempotency-Key per request (below 100)
    const std::string idem = "3f1c6a44-1a52-4c1e-9a55-0c6a8f2b7d" + std::string(key < 10 ? "0" : "") + std::to_string(key);
    req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", idem}};
    req.body = body;
    auto resp = (*http)->Send(req);
    REQUIRE(resp.ok());
    return resp->status;
  };
  const char* const bad[] = {
      R"({"digitised": 3})",
      R"({"digitised": {"dossiers_total": 1, "documents_total": 1}})",
      R"({"digitised": {"dossiers_total": -1, "documents_total": 1, "dossiers_by_day": {}}})",
      R"({"digitised": {"dossiers_total": 1, "documents_total": 1, "dossiers_by_day": {"2026-02-30": 1}}})",
      R"({"digitised": {"dossiers_total": 1, "documents_total": 1, "dossiers_by_day": {"2026-12-07": "1"}}})",
  };
  for (const char* body : bad) {
    INFO(body);
    CHECK(post(body) == 422);
  }
  CHECK(s.sim.Admin("GET", "/admin/digitised") == json::object());
  CHECK(post(R"({"software_version": "0.9.0", "queue_depth": 0})") == 200);
  CHECK(post(R"({"digitised": {"dossiers_total": 2, "documents_total": 3, "dossiers_by_day": {"2026-12-07": 2}}})") ==
        200);
  CHECK(s.sim.Admin("GET", "/admin/digitised") == json{{"KIOSK-0001", {{"2026-12-07", 2}}}});
}
