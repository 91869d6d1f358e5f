// The simulator's state: its SQLite file, the fault dice, the catalog.
#include <chrono>

#include "offline/domain/ids.h"
#include "tests/portal_sim/sim.h"

namespace portal_sim {

using nlohmann::json;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message,
               const json& details) {
  res.status = status;
  res.set_content(json{{"error", {{"code", code}, {"message", message}, {"details", details}}}}.dump(),
                  "application/json");
}

json Faults::ToJson() const {
  return {{"p500", p500},
          {"p503", p503},
          {"p429", p429},
          {"retry_after_s", retry_after_s},
          {"retry_after_on_503", retry_after_on_503},
          {"p_drop_request", p_drop_request},
          {"p_drop_response", p_drop_response},
          {"p_slow", p_slow},
          {"slow_ms", slow_ms},
          {"fail_procedure", fail_procedure},
          {"refuse_value", refuse_value},
          {"down", down},
          {"lose_next_upload", lose_next_upload}};
}

bool Faults::Apply(const json& j, std::string* error) {
  if (!j.is_object()) {
    *error = "faults must be a JSON object";
    return false;
  }
  Faults f = *this;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    auto prob = [&](double* out) {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) return false;
      *out = v.get<double>();
      return true;
    };
    bool ok = true;
    if (k == "p500")
      ok = prob(&f.p500);
    else if (k == "p503")
      ok = prob(&f.p503);
    else if (k == "p429")
      ok = prob(&f.p429);
    else if (k == "p_drop_request")
      ok = prob(&f.p_drop_request);
    else if (k == "p_drop_response")
      ok = prob(&f.p_drop_response);
    else if (k == "p_slow")
      ok = prob(&f.p_slow);
    else if (k == "retry_after_s" && v.is_number_integer() && v.get<int>() >= 0)
      f.retry_after_s = v.get<int>();
    else if (k == "slow_ms" && v.is_number_integer() && v.get<int>() >= 0)
      f.slow_ms = v.get<int>();
    else if (k == "fail_procedure" && v.is_string())
      f.fail_procedure = v.get<std::string>();
    else if (k == "refuse_value" && v.is_string())
      f.refuse_value = v.get<std::string>();
    else if (k == "down" && v.is_boolean())
      f.down = v.get<bool>();
    else if (k == "retry_after_on_503" && v.is_boolean())
      f.retry_after_on_503 = v.get<bool>();
    else if (k == "lose_next_upload" && v.is_boolean())
      f.lose_next_upload = v.get<bool>();
    else
      ok = false;
    if (!ok) {
      *error = "bad or unknown fault setting: " + k;
      return false;
    }
  }
  if (f.p500 + f.p503 + f.p429 + f.p_drop_request + f.p_drop_response > 1.0) {
    *error = "fault shares add up to more than 1";
    return false;
  }
  *this = f;
  return true;
}

Fault Sim::Roll() {
  if (faults.down) return Fault::k503;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  double x = u(rng);
  for (auto [p, f] : {std::pair{faults.p500, Fault::k500}, std::pair{faults.p503, Fault::k503},
                      std::pair{faults.p429, Fault::k429}, std::pair{faults.p_drop_request, Fault::kDropRequest},
                      std::pair{faults.p_drop_response, Fault::kDropResponse}}) {
    if (x < p) return f;
    x -= p;
  }
  return Fault::kNone;
}

bool Sim::RollSlow() {
  if (faults.p_slow <= 0 || faults.slow_ms <= 0) return false;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  return u(rng) < faults.p_slow;
}

bool Sim::SetCatalog(const std::string& body, std::string* error) {
  auto parsed = mck::ParseCatalogText(body);
  if (!parsed.ok()) {
    *error = parsed.status().message_en();
    return false;
  }
  catalog = std::move(parsed.value());
  catalog_body = body;
  catalog_etag = "\"" + mck::Sha256Hex(body).substr(0, 20) + "\"";
  return true;
}

mck::Status OpenSimDb(Sim& sim) {
  auto db = mck::Db::Open(sim.config.db_path);
  if (!db.ok()) return db.status();
  sim.db = std::move(db.value());
  MCK_RETURN_IF_ERROR(sim.db->Exec("PRAGMA journal_mode=WAL"));
  MCK_RETURN_IF_ERROR(sim.db->Exec("PRAGMA synchronous=NORMAL"));
  if (sim.config.allow_duplicates) {
    // Proof mode: the same client_id may be created twice (and is then counted, not refused).
    MCK_RETURN_IF_ERROR(sim.db->Exec(
        "CREATE TABLE IF NOT EXISTS dossiers(dossier_code TEXT PRIMARY KEY, client_id TEXT NOT NULL, "
        "kiosk_id TEXT NOT NULL, procedure_code TEXT NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL, "
        "appointment_date TEXT NOT NULL, status TEXT NOT NULL, status_text TEXT NOT NULL, updated_at TEXT NOT NULL, "
        "note TEXT NOT NULL DEFAULT '', decision TEXT)"));
  }
  return sim.db->Exec(R"SQL(
CREATE TABLE IF NOT EXISTS tokens(token TEXT PRIMARY KEY, commune_code TEXT NOT NULL, commune_name TEXT NOT NULL,
  used_by TEXT, used_at TEXT);
CREATE TABLE IF NOT EXISTS kiosks(kiosk_id TEXT PRIMARY KEY, commune_code TEXT NOT NULL, commune_name TEXT NOT NULL,
  hostname TEXT, software_version TEXT, enrolled_at TEXT NOT NULL, last_heartbeat TEXT, last_heartbeat_at TEXT,
  heartbeats INTEGER NOT NULL DEFAULT 0);
-- Dossiers with papers digitised at the kiosk, per kiosk and Vietnam day, from the heartbeats.
CREATE TABLE IF NOT EXISTS digitised_days(kiosk_id TEXT NOT NULL, day TEXT NOT NULL, dossiers INTEGER NOT NULL,
  reported_at TEXT NOT NULL, PRIMARY KEY(kiosk_id, day));
-- The first binding answer per (scope, key): replays get it back; another body gets 409.
CREATE TABLE IF NOT EXISTS idempotency(scope TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL,
  status INTEGER NOT NULL, response TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(scope, key));
-- Every POST that arrived, per endpoint and Idempotency-Key, whatever became of it.
CREATE TABLE IF NOT EXISTS posts(endpoint TEXT NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY(endpoint, key));
CREATE TABLE IF NOT EXISTS sequences(agency TEXT NOT NULL, day TEXT NOT NULL, last INTEGER NOT NULL,
  PRIMARY KEY(agency, day));
CREATE TABLE IF NOT EXISTS dossiers(dossier_code TEXT PRIMARY KEY, client_id TEXT NOT NULL UNIQUE,
  kiosk_id TEXT NOT NULL, procedure_code TEXT NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL,
  appointment_date TEXT NOT NULL, status TEXT NOT NULL, status_text TEXT NOT NULL, updated_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '', decision TEXT);
-- The fee the portal counted for a dossier (the validator's fee_vnd), when there is one.
CREATE TABLE IF NOT EXISTS fees(dossier_code TEXT PRIMARY KEY, amount_vnd INTEGER NOT NULL);
-- Fees paid by bank transfer, as the portal's bank tells it (POST /admin/dossiers/payment).
CREATE TABLE IF NOT EXISTS payments(dossier_code TEXT PRIMARY KEY, amount_vnd INTEGER NOT NULL,
  paid_at TEXT NOT NULL, reference TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS attachments(sha256 TEXT PRIMARY KEY, length INTEGER NOT NULL, offset INTEGER NOT NULL,
  data BLOB NOT NULL, complete INTEGER NOT NULL DEFAULT 0, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ratings(key TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, body TEXT NOT NULL,
  received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions(key TEXT PRIMARY KEY, dossier_code TEXT NOT NULL, decision TEXT NOT NULL,
  body TEXT NOT NULL, received_at TEXT NOT NULL);
-- Who signed a signed decision (its certificate's CN and serial, the signing time), by decision key.
CREATE TABLE IF NOT EXISTS decision_signers(key TEXT PRIMARY KEY, name TEXT NOT NULL, serial TEXT NOT NULL,
  signed_at TEXT NOT NULL);
)SQL");
}

}  // namespace portal_sim
