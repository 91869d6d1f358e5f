// Officers (offline/store/officers.h): accounts, their own PINs and lock-outs, and audit rows
// that name them.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "offline/store/officers.h"
#include "offline/store/staff_auth.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {

OfficerPinPolicy FastOfficerPolicy() {
  OfficerPinPolicy p;
  p.max_attempts = 3;
  p.lockout = std::chrono::seconds(300);
  p.iterations = 1000;  // fast for tests; the default is 200,000
  return p;
}

Officer Lan() {
  Officer o;
  o.id = "cb.lan";
  o.name = "Nguyễn Thị Lan";
  o.title = "Công chức Tư pháp - Hộ tịch";
  o.counters = {"HT", "TP"};
  return o;
}

// (actor, action, subject, detail) of every audit row whose action starts with `prefix`.
std::vector<std::vector<std::string>> AuditRows(Store& store, const std::string& prefix) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(store.database_path().c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, "SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE ?1 || '%' ORDER BY id",
                             -1, &s, nullptr) == SQLITE_OK);
  sqlite3_bind_text(s, 1, prefix.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<std::vector<std::string>> rows;
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < 4; ++i) row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, i)));
    rows.push_back(row);
  }
  sqlite3_finalize(s);
  sqlite3_close(h);
  return rows;
}

}  // namespace

TEST_CASE("an officer is added, listed, signs in with their own PIN, and the PIN is not stored") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  CHECK_FALSE(store->officers().AnyEnabled().value());
  REQUIRE(store->officers().Add(Lan(), "358024", FastOfficerPolicy()).ok());
  CHECK(store->officers().AnyEnabled().value());

  auto list = store->officers().List().value();
  REQUIRE(list.size() == 1);
  CHECK(list[0].id == "cb.lan");
  CHECK(list[0].name == "Nguyễn Thị Lan");
  CHECK(list[0].counters == std::vector<std::string>{"HT", "TP"});
  CHECK(list[0].created_at == "2026-11-26T09:00:00+07:00");

  auto in = store->officers().SignIn("cb.lan", "358024", FastOfficerPolicy()).value();
  CHECK(in.check == OfficerCheck::kOk);
  CHECK(in.officer.name == "Nguyễn Thị Lan");
  CHECK(store->officers().SignIn("cb.nobody", "358024", FastOfficerPolicy()).value().check == OfficerCheck::kUnknown);
  REQUIRE(store->officers().SignedOut("cb.lan", "inactivity").ok());

  const auto rows = AuditRows(*store, "officer.");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"technician", "officer.added", "officer:cb.lan", "counters=HT,TP"});
  CHECK(rows[1] == std::vector<std::string>{"officer:cb.lan", "officer.signed_in", "officer:cb.lan", ""});
  CHECK(rows[2] == std::vector<std::string>{"officer:cb.lan", "officer.signed_out", "officer:cb.lan", "why=inactivity"});

  // Neither the PIN nor anything else but its PBKDF2 record is kept.
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(store->database_path().c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, "SELECT pin_record FROM officers", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  const std::string record = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(h);
  CHECK(record.rfind("pbkdf2-sha256$1000$", 0) == 0);
  CHECK(record.find("358024") == std::string::npos);
  CHECK(store->Check().value().ok());
}

TEST_CASE("officer accounts refuse bad ids, names, trivial PINs, the technician's PIN and a taken id") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  PinPolicy tech;
  tech.iterations = 1000;
  REQUIRE(StaffAuth(*store, clock, tech, PinRole::kTechnician).SetPin("975310").ok());

  Officer bad = Lan();
  bad.id = "Cán Bộ";
  bad.name = "  ";
  const Status both = store->officers().Add(bad, "358024", FastOfficerPolicy());
  CHECK(both.code() == Code::kInvalidArgument);
  CHECK(both.message_vi().find("Mã cán bộ") != std::string::npos);
  CHECK(both.message_vi().find("họ tên") != std::string::npos);
  CHECK(store->officers().Add(Lan(), "123456", FastOfficerPolicy()).code() == Code::kInvalidArgument);
  CHECK(store->officers().Add(Lan(), "12345", FastOfficerPolicy()).code() == Code::kInvalidArgument);
  const Status tech_pin = store->officers().Add(Lan(), "975310", FastOfficerPolicy());
  CHECK(tech_pin.code() == Code::kInvalidArgument);
  CHECK(tech_pin.message_vi().find("kỹ thuật viên") != std::string::npos);
  REQUIRE(store->officers().Add(Lan(), "358024", FastOfficerPolicy()).ok());
  CHECK(store->officers().Add(Lan(), "470258", FastOfficerPolicy()).code() == Code::kAlreadyExists);
  CHECK(store->officers().List().value().size() == 1);
  // A name typed in decomposed form is kept in NFC.
  Officer nfd;
  nfd.id = "cb.hoa";
  nfd.name = "Tra\xcc\x82\xcc\x80n Thi\xcc\xa3 Hoa\xcc\x80";  // "Trần Thị Hoà" with combining marks
  REQUIRE(store->officers().Add(nfd, "470258", FastOfficerPolicy()).ok());
  CHECK(store->officers().Get("cb.hoa").value().name == "Trần Thị Hoà");
}

TEST_CASE("an officer is locked out after wrong PINs, alone, and the lock survives a restart") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const auto opts = TestOptions(dir, &clock);
  auto store = OpenStore(opts);
  REQUIRE(store->officers().Add(Lan(), "358024", FastOfficerPolicy()).ok());
  Officer minh;
  minh.id = "cb.minh";
  minh.name = "Lê Văn Minh";
  REQUIRE(store->officers().Add(minh, "470258", FastOfficerPolicy()).ok());

  auto w1 = store->officers().SignIn("cb.lan", "000000", FastOfficerPolicy()).value();
  CHECK(w1.check == OfficerCheck::kWrong);
  CHECK(w1.attempts_left == 2);
  CHECK(store->officers().SignIn("cb.lan", "111111", FastOfficerPolicy()).value().attempts_left == 1);
  auto locked = store->officers().SignIn("cb.lan", "222222", FastOfficerPolicy()).value();
  CHECK(locked.check == OfficerCheck::kLocked);
  CHECK(locked.locked_for_s == 300);
  // Another officer is not locked out by it.
  CHECK(store->officers().SignIn("cb.minh", "470258", FastOfficerPolicy()).value().check == OfficerCheck::kOk);

  store.reset();
  store = OpenStore(opts);
  CHECK(store->officers().SignIn("cb.lan", "358024", FastOfficerPolicy()).value().check == OfficerCheck::kLocked);
  CHECK(store->officers().Get("cb.lan").value().locked_until > 0);
  clock.Advance(std::chrono::seconds(301));
  // The second lock-out in a row lasts three times as long.
  for (const char* wrong : {"000000", "111111"}) {
    CHECK(store->officers().SignIn("cb.lan", wrong, FastOfficerPolicy()).value().check == OfficerCheck::kWrong);
  }
  CHECK(store->officers().SignIn("cb.lan", "333333", FastOfficerPolicy()).value().locked_for_s == 900);
  // The technician lifts it; the PIN is unchanged.
  REQUIRE(store->officers().Unlock("cb.lan").ok());
  CHECK(store->officers().SignIn("cb.lan", "358024", FastOfficerPolicy()).value().check == OfficerCheck::kOk);
  const auto rows = AuditRows(*store, "officer.pin_");
  CHECK(rows.size() == 6);  // 4 wrong, 2 locked
  for (const auto& r : rows) CHECK(r[0] == "officer:cb.lan");
  CHECK(store->Check().value().ok());
}

TEST_CASE("a disabled officer cannot sign in, a reset PIN replaces the old one, and unknown ids are kNotFound") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  REQUIRE(store->officers().Add(Lan(), "358024", FastOfficerPolicy()).ok());
  REQUIRE(store->officers().SetDisabled("cb.lan", true).ok());
  CHECK(store->officers().SignIn("cb.lan", "358024", FastOfficerPolicy()).value().check == OfficerCheck::kDisabled);
  CHECK_FALSE(store->officers().AnyEnabled().value());
  CHECK(store->officers().Get("cb.lan").value().disabled);
  REQUIRE(store->officers().SetDisabled("cb.lan", false).ok());
  REQUIRE(store->officers().ResetPin("cb.lan", "470258", FastOfficerPolicy()).ok());
  CHECK(store->officers().SignIn("cb.lan", "358024", FastOfficerPolicy()).value().check == OfficerCheck::kWrong);
  CHECK(store->officers().SignIn("cb.lan", "470258", FastOfficerPolicy()).value().check == OfficerCheck::kOk);
  CHECK(store->officers().SetDisabled("cb.x", true).code() == Code::kNotFound);
  CHECK(store->officers().ResetPin("cb.x", "470258", FastOfficerPolicy()).code() == Code::kNotFound);
  CHECK(store->officers().Get("cb.x").status().code() == Code::kNotFound);
  const auto rows = AuditRows(*store, "officer.");
  std::vector<std::string> actions;
  for (const auto& r : rows) actions.push_back(r[1]);
  CHECK(actions == std::vector<std::string>{"officer.added", "officer.disabled", "officer.enabled", "officer.pin_reset",
                                            "officer.pin_wrong", "officer.signed_in"});
}

TEST_CASE("staff acts through a store name the officer set as its staff actor, and a decision names its officer") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  REQUIRE(store->officers().Add(Lan(), "358024", FastOfficerPolicy()).ok());
  REQUIRE(store->tickets().Reserve("HT", std::nullopt).ok());
  REQUIRE(store->tickets().Reserve("HT", std::nullopt).ok());
  auto ts = store->tickets().Today(TicketState::kPending).value();
  for (const auto& t : ts) REQUIRE(store->tickets().SetState(t.id, TicketState::kIssued).ok());
  CHECK(store->staff_actor() == "staff");
  REQUIRE(store->tickets().CallNext("HT").ok());
  store->SetStaffActor(OfficerBook::Actor("cb.lan"));
  REQUIRE(store->tickets().CallNext("HT").ok());
  REQUIRE(store->outbox().MakeDueNow().ok());
  const auto called = AuditRows(*store, "ticket.called");
  REQUIRE(called.size() == 2);
  CHECK(called[0][0] == "staff");
  CHECK(called[1][0] == "officer:cb.lan");
  CHECK(AuditRows(*store, "outbox.send_now").at(0)[0] == "officer:cb.lan");

  // A decision's audit row names the officer its body names, when the kiosk knows them.
  auto submitted = store->dossiers().Submit(SampleBody(), {}, "v");
  REQUIRE(submitted.ok());
  nlohmann::json decision = {{"decision", "refuse"}, {"officer", "cb.lan"}, {"reason", "Thiếu giấy tờ"},
                             {"decided_at", "2026-11-26T09:05:00+07:00"}};
  REQUIRE(store->decisions().Submit(submitted->client_id, decision, {}).ok());
  decision["officer"] = "Người lạ";
  REQUIRE(store->decisions().Submit(submitted->client_id, decision, {}).ok());
  const auto decided = AuditRows(*store, "decision.submitted");
  REQUIRE(decided.size() == 2);
  CHECK(decided[0][0] == "officer:cb.lan");
  CHECK(decided[1][0] == "staff");
}

TEST_CASE("an officer who signs in with the signing token has no PIN of their own, and the token's yes is audited") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  Officer an = Lan();
  an.id = "cb.an";
  an.sign_in = "token";
  CHECK(store->officers().Add(an, "358024", FastOfficerPolicy()).code() == Code::kInvalidArgument);  // no PIN
  REQUIRE(store->officers().Add(an, "", FastOfficerPolicy()).ok());
  CHECK(store->officers().Get("cb.an")->sign_in == "token");
  CHECK(store->officers().List()->front().sign_in == "token");
  // Their own PIN check says: ask the token (no failure counted, nothing compared).
  auto r = store->officers().SignIn("cb.an", "", FastOfficerPolicy());
  REQUIRE(r.ok());
  CHECK(r->check == OfficerCheck::kUseToken);
  CHECK(r->officer.name == "Nguyễn Thị Lan");
  CHECK(store->officers().ResetPin("cb.an", "470258", FastOfficerPolicy()).code() == Code::kFailedPrecondition);
  auto in = store->officers().SignedInWithToken("cb.an", "1001");
  REQUIRE(in.ok());
  CHECK(in->check == OfficerCheck::kOk);
  CHECK(AuditRows(*store, "officer.signed_in") ==
        std::vector<std::vector<std::string>>{{"officer:cb.an", "officer.signed_in", "officer:cb.an", "by=token serial=1001"}});
  // A PIN officer cannot be signed in by a token's say-so.
  REQUIRE(store->officers().Add(Lan(), "358024", FastOfficerPolicy()).ok());
  CHECK(store->officers().SignedInWithToken("cb.lan", "1001").status().code() == Code::kFailedPrecondition);
  REQUIRE(store->officers().SetDisabled("cb.an", true).ok());
  CHECK(store->officers().SignedInWithToken("cb.an", "1001")->check == OfficerCheck::kDisabled);
}
