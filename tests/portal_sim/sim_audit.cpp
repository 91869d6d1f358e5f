// The audit chain's head, checked at every heartbeat (docs/portal.md, "Audit chain").
//
// The simulator keeps every head a kiosk reported (kiosk, row id, hash; the first hash seen for
// an id wins) and judges each new heartbeat's "audit" object against them:
//   truncated  the head is below the highest id it reported before, or the row it last reported
//              no longer exists (reported_hash null)
//   rewritten  a row it reported before now has another hash (reported_hash, or head_hash at an
//              id already known)
//   unproven   the simulator knows heads of this kiosk but the kiosk names none it reported, or one
//              the simulator never received (its memory of what it reported was lost or forged)
//   ok         otherwise (also the first heartbeat, and a kiosk whose answer was lost: every head
//              it ever sent is known)
// The first verdict that is not ok stays as the kiosk's alarm until a technician looks
// (GET /admin/audit); later heartbeats still get their own verdict.
#include "tests/portal_sim/sim.h"
#include "tests/portal_sim/sim_http.h"

namespace portal_sim {

using nlohmann::json;

namespace {

void EnsureTables(Sim& sim) {
  (void)sim.db->Exec(R"SQL(
CREATE TABLE IF NOT EXISTS audit_heads(kiosk_id TEXT NOT NULL, id INTEGER NOT NULL, hash TEXT NOT NULL,
  PRIMARY KEY(kiosk_id, id));
CREATE TABLE IF NOT EXISTS audit_state(kiosk_id TEXT PRIMARY KEY, verdict TEXT NOT NULL, detail TEXT NOT NULL,
  alarm TEXT, alarm_detail TEXT, alarm_at TEXT);
)SQL");
}

std::optional<std::string> KnownHash(Sim& sim, const std::string& kiosk, int64_t id) {
  auto s = sim.db->Prepare("SELECT hash FROM audit_heads WHERE kiosk_id = ? AND id = ?");
  s->Bind(1, kiosk).Bind(2, id);
  mck::Status st;
  if (s->Step(&st)) return s->Text(0);
  return std::nullopt;
}

}  // namespace

std::string CheckAuditHead(Sim& sim, const std::string& kiosk, const json& body) {
  EnsureTables(sim);
  if (!body.contains("audit") || !body["audit"].is_object()) return "absent";
  const json& a = body["audit"];
  if (!a.contains("head_id") || !a["head_id"].is_number_integer() || !a.contains("head_hash") ||
      !a["head_hash"].is_string()) {
    return "absent";
  }
  const int64_t head_id = a["head_id"].get<int64_t>();
  const std::string head_hash = a["head_hash"].get<std::string>();
  auto max = sim.db->Prepare("SELECT max(id) FROM audit_heads WHERE kiosk_id = ?");
  max->Bind(1, kiosk);
  mck::Status st;
  std::optional<int64_t> max_known;
  if (max->Step(&st) && max->OptText(0)) max_known = max->Int(0);

  std::string verdict = "ok", detail;
  if (max_known) {
    const json rid = a.value("reported_id", json());
    const json rhash = a.value("reported_hash", json());
    if (head_id < *max_known) {
      verdict = "truncated";
      detail = "head " + std::to_string(head_id) + " is below the reported " + std::to_string(*max_known);
    } else if (auto known = KnownHash(sim, kiosk, head_id); known && *known != head_hash) {
      verdict = "rewritten";
      detail = "row " + std::to_string(head_id) + " changed its hash";
    } else if (!rid.is_number_integer()) {
      verdict = "unproven";
      detail = "the kiosk names no head it reported";
    } else if (auto was = KnownHash(sim, kiosk, rid.get<int64_t>()); !was) {
      verdict = "unproven";
      detail = "row " + std::to_string(rid.get<int64_t>()) + " was never reported";
    } else if (!rhash.is_string()) {
      verdict = "truncated";
      detail = "reported row " + std::to_string(rid.get<int64_t>()) + " is gone";
    } else if (rhash.get<std::string>() != *was) {
      verdict = "rewritten";
      detail = "reported row " + std::to_string(rid.get<int64_t>()) + " changed its hash";
    }
  }
  auto ins = sim.db->Prepare("INSERT OR IGNORE INTO audit_heads(kiosk_id, id, hash) VALUES(?,?,?)");
  ins->Bind(1, kiosk).Bind(2, head_id).Bind(3, head_hash);
  (void)ins->Run();
  auto up = sim.db->Prepare(
      "INSERT INTO audit_state(kiosk_id, verdict, detail, alarm, alarm_detail, alarm_at) VALUES(?1,?2,?3,"
      "CASE WHEN ?2 = 'ok' THEN NULL ELSE ?2 END, CASE WHEN ?2 = 'ok' THEN NULL ELSE ?3 END,"
      "CASE WHEN ?2 = 'ok' THEN NULL ELSE ?4 END) "
      "ON CONFLICT(kiosk_id) DO UPDATE SET verdict = ?2, detail = ?3, "
      "alarm = coalesce(alarm, CASE WHEN ?2 = 'ok' THEN NULL ELSE ?2 END), "
      "alarm_detail = coalesce(alarm_detail, CASE WHEN ?2 = 'ok' THEN NULL ELSE ?3 END), "
      "alarm_at = coalesce(alarm_at, CASE WHEN ?2 = 'ok' THEN NULL ELSE ?4 END)");
  up->Bind(1, kiosk).Bind(2, verdict).Bind(3, detail).Bind(4, NowVn());
  (void)up->Run();
  sim.Count("audit." + verdict);
  return verdict;
}

void RegisterAuditAdmin(httplib::Server& admin, Sim& sim) {
  // GET /admin/audit: per kiosk, the last verdict, the standing alarm and the heads known.
  admin.Get("/admin/audit", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    EnsureTables(sim);
    auto s = sim.db->Prepare(
        "SELECT s.kiosk_id, s.verdict, s.detail, s.alarm, s.alarm_detail, s.alarm_at, "
        "(SELECT count(*) FROM audit_heads h WHERE h.kiosk_id = s.kiosk_id), "
        "(SELECT max(id) FROM audit_heads h WHERE h.kiosk_id = s.kiosk_id) FROM audit_state s");
    json out = json::object();
    mck::Status st;
    while (s->Step(&st)) {
      out[s->Text(0)] = {{"verdict", s->Text(1)},
                         {"detail", s->Text(2)},
                         {"alarm", s->OptText(3) ? json(*s->OptText(3)) : json()},
                         {"alarm_detail", s->OptText(4) ? json(*s->OptText(4)) : json()},
                         {"alarm_at", s->OptText(5) ? json(*s->OptText(5)) : json()},
                         {"heads", s->Int(6)},
                         {"max_id", s->Int(7)}};
    }
    res.set_content(out.dump(), "application/json");
  });
}

}  // namespace portal_sim
