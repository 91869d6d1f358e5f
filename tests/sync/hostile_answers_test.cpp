// A portal answer must never crash or wedge the kiosk (docs/security.md, "portal"): the sync
// engine against the in-process fake portal answering with wrong types, deep nesting and
// unreadable bodies, on a ManualClock (no sockets, no sleeps). Each case threw, crashed or
// stopped the queue before the answers were read through offline/sync/answer.h.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "offline/sync/answer.h"
#include "offline/sync/syncer.h"
#include "tests/sync/fake_portal.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;
using std::chrono::seconds;

namespace {

struct Bench {
  ManualClock clock{std::chrono::system_clock::now()};
  Kiosk kiosk;
  std::unique_ptr<Store> store = kiosk.OpenStore(&clock);
  FakePortal portal{clock};
  SyncOptions options;
  std::mt19937_64 rng{7};

  Bench() {
    options = kiosk.sync_options();
    options.backoff.base = seconds(2);
    options.backoff.cap = seconds(60);
    options.send_heartbeat = false;
    options.refresh_catalog = false;
    options.poll_status = false;
    options.seed = 42;
  }
  std::unique_ptr<Syncer> Make() { return std::make_unique<Syncer>(*store, portal, clock, options); }
  std::vector<std::string> Submit(int n) { return kiosk.SubmitDossiers(*store, n, 0, rng); }
  DossierState State(const std::string& id) { return store->dossiers().Get(id).value().state; }
};

std::string Deep(size_t n) {
  return std::string(n, '[') + std::string(n, ']');
}

}  // namespace

TEST_CASE("hostile: a submit answer with a wrong type in any field parks that dossier and the next is delivered") {
  const std::vector<std::string> bodies = {
      R"({"dossier_code": 17})",
      R"({"dossier_code": ["000.00.24.H03-261122-0001"]})",
      R"({"dossier_code": "000.00.24.H03-261122-0001", "appointment_date": {"d": 1}})",
      R"({"dossier_code": "000.00.24.H03-261122-0001", "status": ["received"]})",
      R"({"dossier_code": "000.00.24.H03-261122-0001", "received_at": 5})",
      R"({"dossier_code": "../../admin"})",
      R"(["not", "an", "object"])",
      R"({"dossier_code": "000.00.24.H03-261122-0001")",  // cut short
      "",
  };
  for (const auto& body : bodies) {
    INFO(body);
    Bench b;
    auto ids = b.Submit(2);
    b.portal.Fail("POST /api/v1/dossiers", FakeFault::Raw(201, body));
    auto syncer = b.Make();
    auto sum = syncer->RunOnce();
    REQUIRE(sum.ok());
    CHECK(sum->needs_attention == 1);
    CHECK(sum->accepted == 1);
    CHECK(b.State(ids[0]) == DossierState::kNeedsAttention);
    CHECK(b.State(ids[1]) == DossierState::kAccepted);
    auto rec = b.store->dossiers().Get(ids[0]).value();
    REQUIRE(rec.last_error);
    CHECK(rec.last_error->find("portal answer unreadable") != std::string::npos);
    CHECK(syncer->exceptions_caught() == 0);  // read, not caught
  }
}

TEST_CASE("hostile: a 422 whose error envelope has wrong types parks the dossier with the readable reasons only") {
  Bench b;
  auto ids = b.Submit(2);
  b.portal.Fail(
      "POST /api/v1/dossiers",
      FakeFault::Raw(422, R"({"error": {"code": 422, "message": ["x"], "details": [{"field": 1, "message": {}},
                   "text", 5, {"field": "fields.child_dob", "message": "Ngày sinh không hợp lệ", "extra": [[[1]]]}]}})"));
  auto sum = b.Make()->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->needs_attention == 1);
  CHECK(sum->accepted == 1);
  auto rec = b.store->dossiers().Get(ids[0]).value();
  REQUIRE(rec.needs_attention_details.is_array());
  REQUIRE(rec.needs_attention_details.size() == 1);  // rebuilt: only string members survive
  CHECK(rec.needs_attention_details[0] == json{{"field", "fields.child_dob"}, {"message", "Ngày sinh không hợp lệ"}});
}

TEST_CASE("hostile: 100,000 levels of nesting in a refusal's details park one dossier, the thread lives") {
  Bench b;
  auto ids = b.Submit(3);
  b.portal.Fail("POST /api/v1/dossiers",
                FakeFault::Raw(422, R"({"error": {"code": "validation_failed", "message": "x", "details": )" +
                                        Deep(100000) + "}}"));
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Raw(201, R"({"dossier_code": "A-1", "x": )" + Deep(100000) + "}"));
  auto sum = b.Make()->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->needs_attention == 2);
  CHECK(sum->accepted == 1);
  CHECK(b.State(ids[2]) == DossierState::kAccepted);
}

TEST_CASE("hostile: odd decision, status, heartbeat and catalog answers are skipped without a throw") {
  Bench b;
  b.options.send_heartbeat = true;
  b.options.refresh_catalog = true;
  b.options.poll_status = true;
  b.options.status_poll_interval = seconds(1);
  auto ids = b.Submit(1);
  auto syncer = b.Make();
  REQUIRE(syncer->RunOnce()->accepted == 1);
  const std::string code = b.portal.OfficialCode(ids[0]);
  b.clock.Advance(seconds(3600));
  b.portal.Fail("POST /api/v1/kiosks/heartbeat", FakeFault::Raw(200, R"({"server_time": 0, "commands": "refresh"})"));
  b.portal.Fail("GET /api/v1/procedures", FakeFault::Raw(200, R"({"version": 2, "procedures": "none"})"));
  b.portal.Fail("GET /api/v1/dossiers/", FakeFault::Raw(200, R"({"status": ["completed"], "note": 1.5})"));
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->error.ok());
  CHECK_FALSE(sum->catalog_updated);
  CHECK(b.store->dossiers().Get(ids[0])->portal_status.value_or("") == "received");
  // A heartbeat command list with odd entries keeps the good ones.
  auto hb = ReadHeartbeatAnswer(R"({"commands": [1, {"command": []}, "refresh_catalog", {"command": "x y"}]})");
  REQUIRE(hb.ok());
  CHECK(hb->commands == std::vector<std::string>{"refresh_catalog"});
  CHECK(hb->skipped == 3);
}

TEST_CASE("hostile: the checked readers refuse wrong types by field name, never echoing the value") {
  auto a = ReadSubmitAnswer(R"({"dossier_code": "Nguyễn Thị Hoà"})");
  REQUIRE_FALSE(a.ok());
  CHECK(a.status().message_en().find("Nguy") == std::string::npos);
  auto s = ReadStatusAnswer(R"({"status": "received", "note": {"full_name": "Nguyễn Thị Hoà"}})");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message_en().find("answer.note must be a string") != std::string::npos);
  CHECK(s.status().message_en().find("Nguy") == std::string::npos);
  auto e = ReadEnrolAnswer(R"({"kiosk_id": "K-1", "certificate": 3})");
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().message_en().find("answer.certificate must be a string") != std::string::npos);
  auto deep = ReadSubmitAnswer("{\"dossier_code\": \"A\", \"x\": " + Deep(33) + "}");
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().message_en().find("nested deeper than 32") != std::string::npos);
  JsonLimits small;
  small.max_bytes = 10;
  CHECK_FALSE(ReadDecisionAnswer(R"({"status": "processing"})", small).ok());
  const PortalError pe = ReadPortalErrorBody(R"({"error": {"code": "bad code!", "message": "m"}})");
  CHECK(pe.code.empty());
  CHECK(pe.message == "m");
}

TEST_CASE("hostile: an exception while handling one item parks it, and one in a pass leaves the worker alive") {
  Bench b;
  auto ids = b.Submit(3);
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Throw());
  auto syncer = b.Make();
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->needs_attention == 1);
  CHECK(sum->accepted == 2);
  CHECK(syncer->exceptions_caught() == 1);
  CHECK(b.State(ids[0]) == DossierState::kNeedsAttention);

  // Outside any item (the heartbeat): the pass ends with kInternal, the worker goes on.
  b.options.send_heartbeat = true;
  auto worker = b.Make();
  b.portal.Fail("POST /api/v1/kiosks/heartbeat", FakeFault::Throw());
  auto more = b.Submit(1);
  const size_t before = b.portal.RequestCount();
  worker->Start();
  // The first pass delivers the dossier, then the heartbeat throws; the next pass (the clock
  // moved past the interval) sends a heartbeat again: the thread is alive.
  REQUIRE(b.portal.WaitForRequests(before + 2, std::chrono::seconds(20)));
  REQUIRE(b.clock.AwaitWaiters(1, std::chrono::seconds(20)).has_value());
  b.clock.Advance(b.options.interval + b.options.heartbeat_interval);
  worker->Nudge();
  REQUIRE(b.portal.WaitForRequests(before + 3, std::chrono::seconds(20)));
  worker->Stop();
  CHECK(worker->exceptions_caught() == 1);
  CHECK(b.State(more[0]) == DossierState::kAccepted);
}

namespace {
std::string ReadFileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("sealed: a portal error that echoes the applicant's name is in no database file, log or audit row") {
  Bench b;
  auto ids = b.Submit(1);
  const std::string echoed = "Tôn Nữ Echo Thị Bảy";
  b.portal.Fail("POST /api/v1/dossiers",
                FakeFault::Raw(422, json{{"error",
                                          {{"code", "validation_failed"},
                                           {"message", "Họ tên " + echoed + " không khớp CSDL dân cư"},
                                           {"details", json::array()}}}}
                                        .dump()));
  auto syncer = b.Make();
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  REQUIRE(sum->needs_attention == 1);
  // Staff still read the portal's words, through the store (unsealed on reading).
  auto rec = b.store->dossiers().Get(ids[0]).value();
  REQUIRE(rec.needs_attention_details.is_array());
  REQUIRE(rec.needs_attention_details.size() == 1);
  CHECK(rec.needs_attention_details[0]["message"].get<std::string>().find(echoed) != std::string::npos);
  REQUIRE(rec.last_error);
  CHECK(rec.last_error->find(echoed) == std::string::npos);
  CHECK(rec.last_error->find("HTTP 422 validation_failed") != std::string::npos);
  // The files, while the store is open (WAL and shm included): the name is nowhere in the clear.
  std::string files;
  for (const auto& entry : std::filesystem::directory_iterator(b.kiosk.store_options().data_dir)) {
    if (entry.path().filename().string().rfind("kiosk.db", 0) == 0) files += ReadFileBytes(entry.path());
  }
  REQUIRE(files.size() > 4096);
  CHECK(files.find("Echo Thị Bảy") == std::string::npos);
  CHECK(files.find("Echo") == std::string::npos);
}

TEST_CASE("the status answer's fee: absent in old answers, checked when present") {
  auto old = ReadStatusAnswer(R"({"status": "received"})");
  REQUIRE(old.ok());
  CHECK_FALSE(old->fee.has_value());
  auto null_fee = ReadStatusAnswer(R"({"status": "received", "fee": null})");
  REQUIRE(null_fee.ok());
  CHECK_FALSE(null_fee->fee.has_value());
  auto unpaid = ReadStatusAnswer(R"({"status": "received", "fee": {"amount_vnd": 16000, "paid": false}})");
  REQUIRE(unpaid.ok());
  REQUIRE(unpaid->fee.has_value());
  CHECK(unpaid->fee->amount_vnd == 16000);
  CHECK_FALSE(unpaid->fee->paid);
  auto paid = ReadStatusAnswer(
      R"({"status": "processing", "fee": {"amount_vnd": 16000, "paid": true, "paid_at": "2026-12-07T10:15:00+07:00",
          "reference": "FT26341ABC123"}})");
  REQUIRE(paid.ok());
  CHECK(paid->fee->paid);
  CHECK(paid->fee->reference == "FT26341ABC123");
  CHECK(paid->fee->paid_at == "2026-12-07T10:15:00+07:00");
  // Refused, by field: a negative sum, a reference that is not a bank's word, a paid fee
  // without its reference or time, an amount that is not a number.
  CHECK_FALSE(ReadStatusAnswer(R"({"status": "received", "fee": {"amount_vnd": -1}})").ok());
  auto name = ReadStatusAnswer(
      R"({"status": "received", "fee": {"amount_vnd": 1, "paid": true, "paid_at": "2026-12-07T10:15:00+07:00",
          "reference": "Nguyễn Thị Hoà"}})");
  REQUIRE_FALSE(name.ok());
  CHECK(name.status().message_en().find("Nguy") == std::string::npos);
  CHECK_FALSE(ReadStatusAnswer(R"({"status": "received", "fee": {"amount_vnd": 1, "paid": true}})").ok());
  CHECK_FALSE(
      ReadStatusAnswer(R"({"status": "received", "fee": {"amount_vnd": 1, "paid": true, "reference": "FT1"}})").ok());
  CHECK_FALSE(ReadStatusAnswer(R"({"status": "received", "fee": {"amount_vnd": "16000"}})").ok());
  CHECK_FALSE(ReadStatusAnswer(R"({"status": "received", "fee": 16000})").ok());
}
