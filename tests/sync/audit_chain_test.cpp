// The audit chain's head travels with every heartbeat, and the portal simulator, which keeps the
// heads it was sent, tells an honest chain from one cut short or rewritten on the kiosk's disk
// (by someone with root, who can drop the append-only triggers and even recompute the hashes).
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "offline/domain/ids.h"
#include "offline/store/staff_auth.h"
#include "offline/sync/syncer.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

struct Setup {
  TempDir dir{"mck-audit"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "3"}}};
  Kiosk kiosk;
  std::mt19937_64 rng{9};
  Setup() {
    sim.AddToken("TOKEN-A");
    kiosk.Enrol(sim, "TOKEN-A");
  }
  // Submits `n` dossiers and runs one sync pass with a heartbeat; the simulator's verdict.
  json Pass(int n) {
    {
      auto store = kiosk.OpenStore();
      kiosk.SubmitDossiers(*store, n, 0, rng);
    }
    SyncOptions o = kiosk.sync_options();
    o.heartbeat_interval = std::chrono::seconds(0);
    auto syncer = kiosk.OpenSyncer(o);
    auto r = syncer->RunOnce();
    REQUIRE(r.ok());
    REQUIRE(r->error.ok());
    return sim.Admin("GET", "/admin/audit")["KIOSK-0001"];
  }
  // Raw SQL on the kiosk's database, as an intruder with root would.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((kiosk.dir() / "data" / "kiosk.db").c_str(), &db) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    INFO((err ? err : ""));
    sqlite3_free(err);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
  }
};

// Rewrites row `id`'s detail and recomputes every hash from it on (audit.cpp's formula), so the
// chain verifies on the kiosk itself.
void RewriteFrom(Setup& s, int64_t id) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((s.kiosk.dir() / "data" / "kiosk.db").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "DROP TRIGGER audit_log_no_update", nullptr, nullptr, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db,
                       ("UPDATE audit_log SET detail = 'nothing happened' WHERE id = " + std::to_string(id)).c_str(),
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* sel = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id", -1, &sel,
                             nullptr) == SQLITE_OK);
  std::string prev(64, '0');
  std::vector<std::tuple<int64_t, std::string, std::string>> fixed;  // id, prev, hash
  auto col = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(sel, c))); };
  while (sqlite3_step(sel) == SQLITE_ROW) {
    const int64_t rid = sqlite3_column_int64(sel, 0);
    const std::string hash = Sha256Hex(prev + '\x1f' + std::to_string(rid) + '\x1f' + col(1) + '\x1f' + col(2) +
                                       '\x1f' + col(3) + '\x1f' + col(4) + '\x1f' + col(5));
    fixed.emplace_back(rid, prev, hash);
    prev = hash;
  }
  sqlite3_finalize(sel);
  for (const auto& [rid, p, h] : fixed) {
    const std::string sql =
        "UPDATE audit_log SET prev_hash = '" + p + "', hash = '" + h + "' WHERE id = " + std::to_string(rid);
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  sqlite3_close(db);
  CHECK(s.kiosk.OpenStore()->Check().value().audit_ok);  // the kiosk alone cannot tell
}

}  // namespace

TEST_CASE("heartbeats carry the audit head and the day's staff lock-outs, and an honest chain is accepted") {
  Setup s;
  json first = s.Pass(2);
  CHECK(first["verdict"] == "ok");
  json second = s.Pass(1);
  CHECK(second["verdict"] == "ok");
  CHECK(second["alarm"].is_null());
  CHECK(second["heads"] == 2);
  auto kiosks = s.sim.Admin("GET", "/admin/kiosks");
  const json hb = json::parse(kiosks[0]["last_heartbeat"].get<std::string>());
  auto store = s.kiosk.OpenStore();
  const auto head = store->LastAudit().value();
  // The pass may audit more after its heartbeat (the metrics it records): the head sent is a row
  // of the chain as it stands, with that row's hash.
  const int64_t sent_id = hb["audit"]["head_id"].get<int64_t>();
  CHECK(sent_id <= head.id);
  CHECK(sent_id >= head.id - 2);
  CHECK(store->AuditHashAt(sent_id).value().value_or("") == hb["audit"]["head_hash"].get<std::string>());
  CHECK(hb["audit"]["reported_id"].is_number_integer());
  CHECK(hb["staff_lockouts_today"] == 0);
}

TEST_CASE("the portal detects an audit chain cut short on the kiosk") {
  Setup s;
  REQUIRE(s.Pass(2)["verdict"] == "ok");
  json before = s.Pass(1);
  REQUIRE(before["verdict"] == "ok");
  const int64_t reported = before["max_id"].get<int64_t>();
  s.Tamper("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > " + std::to_string(reported - 3) +
           "; DELETE FROM settings WHERE key = 'audit.reported_id';");
  json after = s.Pass(0);
  CHECK(after["verdict"] == "truncated");
  CHECK(after["alarm"] == "truncated");
  json later = s.Pass(3);                // the chain grows again from where it was cut
  CHECK(later["alarm"] == "truncated");  // the first alarm stays until a technician looks
}

TEST_CASE("the portal detects an audit chain rewritten on the kiosk, even with its hashes recomputed") {
  Setup s;
  REQUIRE(s.Pass(2)["verdict"] == "ok");
  REQUIRE(s.Pass(1)["verdict"] == "ok");
  RewriteFrom(s, 2);
  json after = s.Pass(1);
  CHECK(after["verdict"] == "rewritten");
  CHECK(after["alarm"] == "rewritten");
}
