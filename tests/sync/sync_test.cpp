// The sync engine against the portal simulator over real HTTPS: enrolment, delivery, the
// portal's answers, status polling, catalog and heartbeat.
#include <sqlite3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/lookup.h"
#include "offline/sync/syncer.h"
#include "tests/support/read_file.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {
struct Setup : EnrolledKiosk {
  // `n` dossiers (random `seed`, no attachments) submitted to `store` and delivered by one pass
  // of a new syncer (REQUIREd: all `n` accepted). Their client ids, and the syncer.
  std::pair<std::vector<std::string>, std::unique_ptr<Syncer>> SubmitAndDeliver(Store& store, int n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto ids = kiosk.SubmitDossiers(store, n, 0, rng);
    auto syncer = kiosk.OpenSyncer(kiosk.sync_options());
    REQUIRE(syncer->RunOnce()->accepted == n);
    return {std::move(ids), std::move(syncer)};
  }
};
}  // namespace

TEST_CASE("enrolment makes the key on the kiosk and keeps it 0600 and pins the CA and a used token is refused") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  auto e = LoadEnrolment(*store);
  REQUIRE(e.ok());
  CHECK(e->kiosk_id == "KIOSK-0001");
  CHECK(e->commune_code == "000.00.24.H03");
  struct stat st {};
  REQUIRE(::stat(e->key_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(std::filesystem::exists(e->ca_file));

  Kiosk other(8);
  auto other_store = other.OpenStore();
  EnrolRequest req;
  req.portal_url = s.sim.url();
  req.token = "TOKEN-A";  // already used
  req.ca_file = CertsDir() / "ca.pem";
  auto again = Enrol(*other_store, other.store_options().data_dir, req);
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().code() == Code::kRejected);
  CHECK_FALSE(LoadEnrolment(*other_store).ok());  // nothing recorded
}

TEST_CASE("a call without the kiosk's client certificate is refused by the portal") {
  Setup s;
  HttpOptions h;
  h.base_url = s.sim.url();
  h.ca_file = CertsDir() / "ca.pem";
  auto http = HttpClient::Create(h);
  REQUIRE(http.ok());
  HttpRequest req;
  req.path = "/api/v1/procedures";
  auto resp = (*http)->Send(req);
  REQUIRE(resp.ok());
  CHECK(resp->status == 401);
}

TEST_CASE("dossiers with attachments are accepted once with official codes and the portal holds the same bytes") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  std::mt19937_64 rng(1);
  auto ids = s.kiosk.SubmitDossiers(*store, 6, 2, rng);
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  std::vector<SyncEvent::Kind> kinds;
  std::mutex mu;
  syncer->SetSink([&](const SyncEvent& e) {
    std::lock_guard<std::mutex> lock(mu);
    kinds.push_back(e.kind);
  });
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  INFO(sum->error.ToString());
  CHECK(sum->error.ok());
  CHECK(sum->accepted == 6);
  CHECK(sum->remaining == 0);
  CHECK(sum->attachments_uploaded == 3);
  CHECK(std::count(kinds.begin(), kinds.end(), SyncEvent::Kind::kAccepted) == 6);
  CHECK(kinds.back() == SyncEvent::Kind::kPassFinished);

  auto sim_dossiers = s.sim.Admin("GET", "/admin/dossiers");
  REQUIRE(sim_dossiers.size() == 6);
  for (const auto& d : sim_dossiers) {
    auto local = store->dossiers().Get(d["client_id"].get<std::string>());
    REQUIRE(local.ok());
    CHECK(local->state == DossierState::kAccepted);
    CHECK(local->dossier_code == d["dossier_code"].get<std::string>());
    CHECK(local->appointment_date == d["appointment_date"].get<std::string>());
    // <agency>-<yymmdd>-<4 digits>
    CHECK(std::regex_match(d["dossier_code"].get<std::string>(), std::regex(R"(000\.00\.24\.H03-\d{6}-\d{4})")));
  }
  for (const auto& a : s.sim.Admin("GET", "/admin/attachments")) {
    CHECK(a["complete"] == true);
    CHECK(a["data_sha256"] == a["sha256"]);
  }
  CHECK(s.sim.Admin("GET", "/admin/stats")["max_posts_per_key"] == 1);

  // A second pass has nothing to send.
  auto again = syncer->RunOnce();
  REQUIRE(again.ok());
  CHECK(again->sent == 0);
  CHECK(s.sim.Admin("GET", "/admin/stats")["dossier_posts"] == 6);
}

TEST_CASE(
    "a 422 parks the dossier with the portal's reasons and once staff re-queue it the same client_id is accepted") {
  Setup s;
  s.sim.SetFaults({{"fail_procedure", "2.000815"}});
  auto store = s.kiosk.OpenStore();
  std::mt19937_64 rng(2);
  auto refused = s.kiosk.SubmitDossiers(*store, 1, 0, rng, "2.000815");
  auto fine = s.kiosk.SubmitDossiers(*store, 2, 0, rng);
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->accepted == 2);
  CHECK(sum->needs_attention == 1);
  auto parked = store->dossiers().Get(refused[0]);
  REQUIRE(parked.ok());
  CHECK(parked->state == DossierState::kNeedsAttention);
  REQUIRE(parked->needs_attention_details.is_array());
  CHECK(parked->needs_attention_details[0]["field"] == "procedure_code");
  CHECK(parked->last_error.value_or("").find("422") != std::string::npos);

  s.sim.SetFaults({{"fail_procedure", ""}});
  REQUIRE(store->outbox().Requeue(refused[0]).ok());
  auto second = syncer->RunOnce();
  REQUIRE(second.ok());
  CHECK(second->accepted == 1);
  CHECK(store->dossiers().Get(refused[0])->state == DossierState::kAccepted);
}

TEST_CASE("ratings and counter decisions are delivered once and a decision's status comes back to the kiosk") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  auto [ids, syncer] = s.SubmitAndDeliver(*store, 1, 3);
  const std::string code = *store->dossiers().Get(ids[0])->dossier_code;

  Rating r;
  r.dossier_code = code;
  r.counter = "HT";
  r.scores = {{"thai_do", 5}, {"thoi_gian", 4}};
  r.comment = "Cán bộ nhiệt tình";
  REQUIRE(store->ratings().Submit(r).ok());
  auto bad = store->decisions().Submit(code, {{"decision", "refuse"}, {"officer", "CB01"}});
  CHECK_FALSE(bad.ok());  // a refusal needs a reason, before anything is queued
  auto key = store->decisions().Submit(
      code, {{"decision", "accept"},
             {"officer", "CB01"},
             {"documents_received", {{{"id", "birth_certificate"}, {"form", "original"}, {"count", 1}}}}});
  REQUIRE(key.ok());
  s.sim.SetFaults({{"p_drop_response", 1.0}});  // first answers are lost on the way back
  auto lost = syncer->RunOnce();
  REQUIRE(lost.ok());
  CHECK(lost->delivered == 0);
  s.sim.SetFaults({{"p_drop_response", 0.0}});
  auto sum = syncer->Drain();
  REQUIRE(sum.ok());
  CHECK(sum->delivered == 2);
  auto stats = s.sim.Admin("GET", "/admin/stats");
  CHECK(stats["ratings"] == 1);
  CHECK(stats["decisions"] == 1);
  CHECK(stats["counters"]["idempotency.replay"].get<int>() >= 2);  // the resends were replays
  auto rec = store->dossiers().Get(ids[0]);
  CHECK(rec->portal_status == "processing");
}

TEST_CASE("a rating keyed to the provisional code reaches the portal with the official code") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  std::mt19937_64 rng(5);
  auto ids = s.kiosk.SubmitDossiers(*store, 1, 0, rng);
  const std::string provisional = store->dossiers().Get(ids[0])->provisional_code;
  Rating r;
  r.dossier_code = provisional;  // what the citizen holds right after submitting
  r.counter = "HT";
  r.scores = {{"tong_the", 5}};
  REQUIRE(store->ratings().Submit(r).ok());
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  auto sum = syncer->Drain();
  REQUIRE(sum.ok());
  CHECK(sum->accepted == 1);
  CHECK(sum->delivered == 1);
  const std::string official = *store->dossiers().Get(ids[0])->dossier_code;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2((s.dir.path() / "sim.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT body FROM ratings", -1, &st, nullptr) == SQLITE_OK);
  std::vector<json> bodies;
  while (sqlite3_step(st) == SQLITE_ROW) {
    bodies.push_back(json::parse(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  REQUIRE(bodies.size() == 1);
  CHECK(bodies[0]["dossier_code"] == official);
  CHECK(official != provisional);
}

TEST_CASE("status polling brings the back office's decisions to the kiosk and look-up asks the portal") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  auto [ids, syncer] = s.SubmitAndDeliver(*store, 2, 4);
  const std::string code = *store->dossiers().Get(ids[1])->dossier_code;
  s.sim.Admin("POST", "/admin/dossiers/status", {{"dossier_code", code}, {"status", "completed"}});

  SyncOptions o = s.kiosk.sync_options();
  auto fresh = s.kiosk.OpenSyncer(o);  // a new runner polls every unfinished dossier once
  auto sum = fresh->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->status_updates == 1);
  CHECK(store->dossiers().Get(ids[1])->portal_status == "completed");
  CHECK(store->dossiers().Get(ids[0])->portal_status == "received");

  auto e = LoadEnrolment(*store);
  auto http = MakePortalClient(*e, std::chrono::seconds(5), std::chrono::seconds(10));
  REQUIRE(http.ok());
  auto by_client = LookupDossier(**http, ids[1]);
  REQUIRE(by_client.ok());
  CHECK(by_client->dossier_code == code);
  CHECK(by_client->status == "completed");
  auto unknown = LookupDossier(**http, "000.00.24.H03-990101-0001");
  CHECK(unknown.status().code() == Code::kNotFound);

  std::string out;
  REQUIRE(RunKioskctl({"--config", s.kiosk.config_file().string(), "lookup", code, "--json"}, &out) == 0);
  CHECK(json::parse(out)["portal"]["status"] == "completed");
}

TEST_CASE("a fee is unpaid until the portal's bank reports the transfer and the kiosk's poll records it paid") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  std::mt19937_64 rng(5);
  auto fee_ids = s.kiosk.SubmitDossiers(*store, 1, 0, rng, "2.000815");  // the fixture's fee: 2,000 đ
  auto free_ids = s.kiosk.SubmitDossiers(*store, 1, 0, rng, "1.001193");
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  REQUIRE(syncer->RunOnce()->accepted == 2);
  const std::string code = *store->dossiers().Get(fee_ids[0])->dossier_code;

  // The first poll: the portal holds the fee, unpaid; a free dossier has no fee at all.
  auto first = s.kiosk.OpenSyncer(s.kiosk.sync_options())->RunOnce();
  REQUIRE(first.ok());
  CHECK(first->fees_paid == 0);
  auto unpaid = store->dossiers().Get(fee_ids[0]);
  REQUIRE(unpaid->fee.has_value());
  CHECK(unpaid->fee->amount_vnd == 2000);
  CHECK_FALSE(unpaid->fee->paid);
  CHECK(unpaid->fee->reference.empty());
  CHECK_FALSE(store->dossiers().Get(free_ids[0])->fee.has_value());

  // The bank's notice with a wrong amount is refused; with the fee, recorded once.
  httplib::Client admin("127.0.0.1", s.sim.admin_port());
  auto wrong = admin.Post("/admin/dossiers/payment",
                          json{{"dossier_code", code}, {"amount_vnd", 1000}, {"reference", "FT26341X1"}}.dump(),
                          "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 409);
  auto no_fee = admin.Post("/admin/dossiers/payment",
                           json{{"dossier_code", *store->dossiers().Get(free_ids[0])->dossier_code},
                                {"amount_vnd", 0},
                                {"reference", "FT26341X2"}}
                               .dump(),
                           "application/json");
  REQUIRE(no_fee);
  CHECK(no_fee->status == 409);
  s.sim.Admin("POST", "/admin/dossiers/payment",
              {{"dossier_code", code},
               {"amount_vnd", 2000},
               {"reference", "FT26341ABC123"},
               {"paid_at", "2026-12-07T10:15:00+07:00"}});
  auto again = admin.Post("/admin/dossiers/payment",
                          json{{"dossier_code", code}, {"amount_vnd", 2000}, {"reference", "FT26341ABC124"}}.dump(),
                          "application/json");
  REQUIRE(again);
  CHECK(again->status == 409);

  // The next poll of a fresh runner (the interval of the old one has not passed) sees it paid.
  std::vector<SyncEvent> events;
  auto poller = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  std::mutex mu;
  poller->SetSink([&](const SyncEvent& e) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(e);
  });
  auto second = poller->RunOnce();
  REQUIRE(second.ok());
  CHECK(second->fees_paid == 1);
  auto paid = store->dossiers().Get(fee_ids[0]);
  REQUIRE(paid->fee.has_value());
  CHECK(paid->fee->paid);
  CHECK(paid->fee->amount_vnd == 2000);
  CHECK(paid->fee->reference == "FT26341ABC123");
  CHECK(paid->fee->paid_at == "2026-12-07T10:15:00+07:00");
  CHECK(std::count_if(events.begin(), events.end(), [&](const SyncEvent& e) {
          return e.kind == SyncEvent::Kind::kFeePaid && e.subject == code && e.detail == "FT26341ABC123";
        }) == 1);
  // Audited once, with the sum and the reference only.
  auto third = s.kiosk.OpenSyncer(s.kiosk.sync_options())->RunOnce();
  REQUIRE(third.ok());
  CHECK(third->fees_paid == 0);

  // The look-up (kioskctl, the citizen's screen) reads the same fee.
  auto e = LoadEnrolment(*store);
  auto http = MakePortalClient(*e, std::chrono::seconds(5), std::chrono::seconds(10));
  REQUIRE(http.ok());
  auto looked = LookupDossier(**http, code);
  REQUIRE(looked.ok());
  REQUIRE(looked->fee.has_value());
  CHECK(looked->fee->paid);
  CHECK(looked->fee->reference == "FT26341ABC123");
  std::string out;
  REQUIRE(RunKioskctl({"--config", s.kiosk.config_file().string(), "lookup", code, "--json"}, &out) == 0);
  const json j = json::parse(out);
  CHECK(j["portal"]["fee"]["paid"] == true);
  CHECK(j["portal"]["fee"]["amount_vnd"] == 2000);
  CHECK(j["portal"]["fee"]["reference"] == "FT26341ABC123");
}

TEST_CASE("the catalog is fetched with its ETag and a heartbeat's refresh_catalog command fetches it again") {
  Setup s;
  SyncOptions o = s.kiosk.sync_options();
  auto syncer = s.kiosk.OpenSyncer(o);
  auto first = syncer->RunOnce();
  REQUIRE(first.ok());
  CHECK(first->catalog_updated);
  auto store = s.kiosk.OpenStore();
  CHECK_FALSE(store->catalog().Raw()->etag.empty());

  auto again = s.kiosk.OpenSyncer(o);  // asks with If-None-Match: 304, nothing changes
  auto second = again->RunOnce();
  REQUIRE(second.ok());
  CHECK_FALSE(second->catalog_updated);
  CHECK(s.sim.Admin("GET", "/admin/stats")["counters"]["catalog.not_modified"] == 1);

  // The portal publishes a new catalog and tells this kiosk through the heartbeat; periodic
  // refresh is off, so only the command can fetch it.
  json cat = json::parse(ReadAll(FixtureCatalog()));
  cat["version"] = "2026-11-02.1";
  s.sim.Admin("POST", "/admin/catalog", cat);
  SyncOptions o2 = o;
  o2.refresh_catalog = false;
  auto quiet = s.kiosk.OpenSyncer(o2);
  auto third = quiet->RunOnce();
  REQUIRE(third.ok());
  CHECK_FALSE(third->catalog_updated);
  s.sim.Admin("POST", "/admin/commands", {{"kiosk_id", "KIOSK-0001"}, {"command", "refresh_catalog"}});
  o2.heartbeat_interval = std::chrono::seconds(0);
  auto told = s.kiosk.OpenSyncer(o2);
  auto fourth = told->RunOnce();
  REQUIRE(fourth.ok());
  CHECK(fourth->catalog_updated);
  CHECK(store->catalog().Load()->version == "2026-11-02.1");
}

TEST_CASE("heartbeats carry counts and states and never personal data") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  std::mt19937_64 rng(5);
  s.kiosk.SubmitDossiers(*store, 3, 0, rng);
  SyncOptions o = s.kiosk.sync_options();
  o.printer_state = [] { return std::string("paper_low"); };
  o.heartbeat_interval = std::chrono::seconds(0);
  s.sim.SetFaults({{"down", true}});
  ManualClock clock(std::chrono::system_clock::now());
  auto syncer = s.kiosk.OpenSyncer(o, &clock);
  auto down = syncer->RunOnce();  // portal under maintenance: nothing delivered, no heartbeat
  REQUIRE(down.ok());
  CHECK(down->accepted == 0);
  CHECK(down->error.code() == Code::kUnavailable);
  s.sim.SetFaults({{"down", false}});
  clock.Advance(std::chrono::minutes(1));  // past the pause and the items' due time
  auto up = syncer->RunOnce();
  REQUIRE(up.ok());
  CHECK(up->accepted == 3);
  auto kiosks = s.sim.Admin("GET", "/admin/kiosks");
  REQUIRE(kiosks.size() == 1);
  const json hb = json::parse(kiosks[0]["last_heartbeat"].get<std::string>());
  CHECK(hb["printer"]["state"] == "paper_low");
  CHECK(hb.contains("queue_depth"));
  CHECK(hb.contains("oldest_unsynced_age_s"));
  CHECK(hb.contains("disk_free_bytes"));
  CHECK(hb["last_sync_error"].get<std::string>().find("503") != std::string::npos);
  const std::string text = hb.dump();
  for (const char* personal : {"024190001234", "Nguyễn", "0912345678", "Thôn Mẫu"}) {
    CHECK(text.find(personal) == std::string::npos);
  }
}

TEST_CASE("Stop() ends a worker promptly even in the middle of a slow answer") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  std::mt19937_64 rng(6);
  s.kiosk.SubmitDossiers(*store, 1, 0, rng);
  s.sim.SetFaults({{"p_slow", 1.0}, {"slow_ms", 10000}});
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  syncer->Start();
  // The worker's first request is held by the simulator (another process): wait until it is.
  REQUIRE(WaitFor([&] { return s.sim.Admin("GET", "/admin/stats")["counters"].value("fault.slow", 0) >= 1; },
                  std::chrono::seconds(10)));
  const auto t0 = std::chrono::steady_clock::now();
  syncer->Stop();
  // The slow answer would take 10 s; the stop flag aborts the transfer well before.
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  CHECK_FALSE(syncer->running());
  // The lease was handed back: the dossier is queued again, not stuck in "sending".
  CHECK(store->dossiers().List(DossierState::kQueued)->size() == 1);
}

TEST_CASE("a counter decision waits until its dossier has reached the portal") {
  Setup s;
  s.sim.SetFaults({{"fail_procedure", "2.000815"}});
  auto store = s.kiosk.OpenStore();
  std::mt19937_64 rng(8);
  auto ids = s.kiosk.SubmitDossiers(*store, 1, 0, rng, "2.000815");
  REQUIRE(store->decisions().Submit(ids[0], {{"decision", "accept"}, {"officer", "CB02"}}).ok());
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  auto first = syncer->RunOnce();
  REQUIRE(first.ok());
  CHECK(first->needs_attention == 1);  // the dossier, not the decision
  CHECK(first->delivered == 0);
  CHECK(s.sim.Admin("GET", "/admin/stats")["decisions"] == 0);

  s.sim.SetFaults({{"fail_procedure", ""}});
  REQUIRE(store->outbox().Requeue(ids[0]).ok());
  auto rest = syncer->Drain();
  REQUIRE(rest.ok());
  CHECK(rest->accepted == 1);
  CHECK(rest->delivered == 1);
  CHECK(store->dossiers().Get(ids[0])->portal_status == "processing");
}

TEST_CASE("a 428 for an attachment the portal lost: it is uploaded again and the dossier posted again") {
  Setup s;
  auto store = s.kiosk.OpenStore();
  std::mt19937_64 rng(12);
  auto ids = s.kiosk.SubmitDossiers(*store, 1, 1, rng);
  s.sim.SetFaults({{"lose_next_upload", true}});
  auto syncer = s.kiosk.OpenSyncer(s.kiosk.sync_options());
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->accepted == 1);
  CHECK(sum->attachments_uploaded == 2);  // once before the POST, once after the 428
  auto stats = s.sim.Admin("GET", "/admin/stats");
  CHECK(stats["counters"]["attachments.lost"] == 1);
  CHECK(stats["counters"]["dossiers.428"] == 1);
  CHECK(stats["dossier_posts"] == 2);
  for (const auto& a : s.sim.Admin("GET", "/admin/attachments")) CHECK(a["data_sha256"] == a["sha256"]);
}

namespace {
// One queued dossier; a pass while the portal is down, then one after it came back: with a 60 s
// backoff (far longer than a test runs in real time) the second pass sends nothing.
struct PausedByAnOutage {
  ManualClock clock{std::chrono::system_clock::now()};
  std::unique_ptr<Syncer> syncer;
  StoreOptions store_options;

  explicit PausedByAnOutage(Setup& s) {
    // Submitted on the same clock: on the system clock its due time could fall a second after
    // the frozen clock's now (a loaded machine crossing a second), and the first pass would
    // find nothing due (seen once under load).
    auto store = s.kiosk.OpenStore(&clock);
    std::mt19937_64 rng(13);
    s.kiosk.SubmitDossiers(*store, 1, 0, rng);
    SyncOptions options = s.kiosk.sync_options();
    options.backoff.base = std::chrono::milliseconds(60000);
    options.backoff.cap = std::chrono::milliseconds(60000);
    syncer = s.kiosk.OpenSyncer(options, &clock);
    store_options = s.kiosk.store_options(&clock);
    s.sim.SetFaults({{"down", true}});
    auto down = syncer->RunOnce();
    REQUIRE(down.ok());
    CHECK(down->retried == 1);
    REQUIRE(down->portal_pause);
    s.sim.SetFaults({{"down", false}});
    auto paused = syncer->RunOnce();  // the portal is back, but the kiosk's clock says "not yet"
    REQUIRE(paused.ok());
    CHECK(paused->sent == 0);
    CHECK(s.sim.Admin("GET", "/admin/stats")["dossier_posts"] == 1);
  }
};
}  // namespace

TEST_CASE("the injected clock decides when the portal is tried again") {
  Setup s;
  PausedByAnOutage p(s);
  p.clock.Advance(std::chrono::milliseconds(121000));  // past the pause and the item's own backoff
  auto later = p.syncer->RunOnce();
  REQUIRE(later.ok());
  CHECK(later->accepted == 1);
}

TEST_CASE("staff's send now: the item's retry and the portal's pause are not waited out") {
  Setup s;
  PausedByAnOutage p(s);
  // "Gửi ngay": the UI's store makes the item due, the worker drops its pause.
  auto ui_store = Store::Open(p.store_options);
  REQUIRE(ui_store.ok());
  CHECK((*ui_store)->outbox().MakeDueNow().value() == 1);
  p.syncer->ForceNow();
  auto forced = p.syncer->RunOnce();
  REQUIRE(forced.ok());
  CHECK(forced->accepted == 1);
  CHECK(s.sim.Admin("GET", "/admin/stats")["dossier_posts"] == 2);
}
