// The simulator's admin endpoint: plain HTTP, bound to loopback only, for tests and the demo.
//   GET  /admin/stats                counters, faults, dossier and POST totals
//   POST /admin/faults               {"p500": 0.3, ...}: change fault injection (keys as in stats)
//   POST /admin/tokens               {"token": "...", "commune_code"?, "commune_name"?}
//   GET  /admin/dossiers             every dossier: code, client_id, kiosk, status, attachments, assurance
//   GET  /admin/decisions            every counter decision: key, dossier_code, decision, the papers
//                                    received (id, form, digitised) and its attachments' sha256; the signer
//                                    (certificate CN, serial, signing time) of a signed one, else null
//   GET  /admin/kiosks               enrolled kiosks and their last heartbeat
//   GET  /admin/digitised            {"<kiosk id>": {"YYYY-MM-DD": dossiers with digitised papers}}
//   GET  /admin/posts?endpoint=E     {"<Idempotency-Key>": POSTs received, ...}
//   GET  /admin/attachments          sha256, length, offset, complete, sha256 of the bytes held
//   GET  /admin/arrivals             [[ms since epoch, kiosk id], ...] of API requests
//   POST /admin/arrivals/reset
//   POST /admin/dossiers/status      {"dossier_code", "status", "note"?}: the back office moves it
//   POST /admin/dossiers/payment     {"dossier_code", "amount_vnd", "reference", "paid_at"?}: the bank
//                                    tells the portal the fee was transferred (the amount must be
//                                    the fee the portal counted: 409 otherwise; paid once: 409 again)
//   POST /admin/catalog              a new catalog body (its ETag changes)
//   POST /admin/commands             {"kiosk_id", "command"}: delivered with the next heartbeat
#include <algorithm>

#include "offline/domain/clock.h"
#include "offline/domain/ids.h"
#include "offline/domain/portal_status.h"
#include "tests/portal_sim/sim.h"

namespace portal_sim {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

namespace {

void Reply(Response& res, const json& j) {
  res.set_content(j.dump(), "application/json");
}

json Stats(Sim& sim) {
  json counters = json::object();
  for (const auto& [k, v] : sim.counters) counters[k] = v;
  mck::Status st;
  auto one = [&](const char* sql) -> int64_t {
    auto s = sim.db->Prepare(sql);
    return (s.ok() && s->Step(&st)) ? s->Int(0) : -1;
  };
  return {{"counters", counters},
          {"faults", sim.faults.ToJson()},
          {"dossiers", one("SELECT count(*) FROM dossiers")},
          {"dossier_posts", one("SELECT coalesce(sum(count), 0) FROM posts WHERE endpoint = 'dossiers'")},
          {"dossier_keys_posted", one("SELECT count(*) FROM posts WHERE endpoint = 'dossiers'")},
          {"max_posts_per_key", one("SELECT coalesce(max(count), 0) FROM posts WHERE endpoint = 'dossiers'")},
          {"ratings", one("SELECT count(*) FROM ratings")},
          {"decisions", one("SELECT count(*) FROM decisions")},
          {"attachments_complete", one("SELECT count(*) FROM attachments WHERE complete = 1")},
          {"kiosks", one("SELECT count(*) FROM kiosks")},
          {"heartbeats", one("SELECT coalesce(sum(heartbeats), 0) FROM kiosks")},
          {"catalog_etag", sim.catalog_etag}};
}

// The identity assurance word the kiosk sent (applicant.assurance, checked by the validator when
// the dossier arrived), or null for a body without one.
json ReceivedAssurance(const json& body) {
  if (!body.is_object() || !body.contains("applicant") || !body["applicant"].is_object()) return nullptr;
  const json& a = body["applicant"];
  return a.contains("assurance") && a["assurance"].is_string() ? a["assurance"] : json(nullptr);
}

}  // namespace

void RegisterAdmin(httplib::Server& admin, Sim& sim) {
  admin.Get("/admin/stats", [&](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    Reply(res, Stats(sim));
  });
  admin.Post("/admin/faults", [&](const Request& req, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    std::string error;
    if (!sim.faults.Apply(json::parse(req.body, nullptr, false), &error))
      return SendError(res, 400, "bad_faults", error);
    Reply(res, sim.faults.ToJson());
  });
  admin.Post("/admin/tokens", [&](const Request& req, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    json j = json::parse(req.body, nullptr, false);
    if (!j.is_object() || j.value("token", "").empty()) return SendError(res, 400, "bad_token", "{\"token\": ...}");
    auto ins = sim.db->Prepare("INSERT OR IGNORE INTO tokens(token, commune_code, commune_name) VALUES(?,?,?)");
    ins->Bind(1, j.value("token", "")).Bind(2, j.value("commune_code", sim.config.default_commune_code));
    ins->Bind(3, j.value("commune_name", sim.config.default_commune_name));
    if (!ins->Run().ok()) return SendError(res, 500, "db", "could not store the token");
    Reply(res, {{"ok", true}});
  });
  admin.Get("/admin/dossiers", [&](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    json out = json::array();
    auto s = sim.db->Prepare(
        "SELECT dossier_code, client_id, kiosk_id, procedure_code, status, appointment_date, body FROM dossiers "
        "ORDER BY rowid");
    mck::Status st;
    while (s->Step(&st)) {
      json body = json::parse(s->Text(6), nullptr, false);
      json shas = json::array();
      if (body.is_object()) {
        for (const auto& a : body.value("attachments", json::array())) shas.push_back(a.value("sha256", ""));
      }
      out.push_back({{"dossier_code", s->Text(0)},
                     {"client_id", s->Text(1)},
                     {"kiosk_id", s->Text(2)},
                     {"procedure_code", s->Text(3)},
                     {"status", s->Text(4)},
                     {"appointment_date", s->Text(5)},
                     {"attachments", shas},
                     {"assurance", ReceivedAssurance(body)}});
    }
    Reply(res, out);
  });
  admin.Get("/admin/decisions", [&](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    json out = json::array();
    auto s = sim.db->Prepare(
        "SELECT d.key, d.dossier_code, d.decision, d.body, s.name, s.serial, s.signed_at FROM decisions d "
        "LEFT JOIN decision_signers s ON s.key = d.key ORDER BY d.rowid");
    mck::Status st;
    while (s->Step(&st)) {
      const json body = json::parse(s->Text(3), nullptr, false);
      json shas = json::array(), received = json::array();
      if (body.is_object()) {
        for (const auto& a : body.value("attachments", json::array())) {
          if (a.is_object()) shas.push_back(a.value("sha256", ""));
        }
        for (const auto& d : body.value("documents_received", json::array())) {
          if (!d.is_object()) continue;
          json paper = {{"id", d.value("id", "")}, {"form", d.value("form", "")}};
          if (d.contains("digitised")) paper["digitised"] = d["digitised"];
          received.push_back(paper);
        }
      }
      json signer = nullptr;  // the officer who signed it (the certificate's name is public), or null
      if (s->OptText(4)) signer = {{"name", s->Text(4)}, {"serial", s->Text(5)}, {"signed_at", s->Text(6)}};
      out.push_back({{"key", s->Text(0)},
                     {"dossier_code", s->Text(1)},
                     {"decision", s->Text(2)},
                     {"documents_received", received},
                     {"attachments", shas},
                     {"signer", signer}});
    }
    Reply(res, out);
  });
  admin.Get("/admin/kiosks", [&](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    auto s = sim.db->Prepare(
        "SELECT kiosk_id, commune_code, enrolled_at, heartbeats, last_heartbeat, last_heartbeat_at FROM kiosks");
    json out = json::array();
    mck::Status st;
    while (s->Step(&st)) {
      out.push_back({{"kiosk_id", s->Text(0)},
                     {"commune_code", s->Text(1)},
                     {"enrolled_at", s->Text(2)},
                     {"heartbeats", s->Int(3)},
                     {"last_heartbeat", s->OptText(4).value_or("null")},
                     {"last_heartbeat_at", s->OptText(5).value_or("")}});
    }
    Reply(res, out);
  });
  admin.Get("/admin/digitised", [&](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    auto s = sim.db->Prepare("SELECT kiosk_id, day, dossiers FROM digitised_days ORDER BY kiosk_id, day");
    json out = json::object();
    mck::Status st;
    while (s->Step(&st)) out[s->Text(0)][s->Text(1)] = s->Int(2);
    Reply(res, out);
  });
  admin.Get("/admin/posts", [&](const Request& req, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    const std::string endpoint = req.has_param("endpoint") ? req.get_param_value("endpoint") : "dossiers";
    auto s = sim.db->Prepare("SELECT key, count FROM posts WHERE endpoint = ?");
    s->Bind(1, endpoint);
    json out = json::object();
    mck::Status st;
    while (s->Step(&st)) out[s->Text(0)] = s->Int(1);
    Reply(res, out);
  });
  admin.Get("/admin/attachments", [&](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    auto s = sim.db->Prepare("SELECT sha256, length, offset, complete, data FROM attachments");
    json out = json::array();
    mck::Status st;
    while (s->Step(&st)) {
      out.push_back({{"sha256", s->Text(0)},
                     {"length", s->Int(1)},
                     {"offset", s->Int(2)},
                     {"complete", s->Int(3) != 0},
                     {"data_sha256", mck::Sha256Hex(s->Blob(4))}});
    }
    Reply(res, out);
  });
  admin.Get("/admin/arrivals", [&](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    json out = json::array();
    for (const auto& [ms, kiosk] : sim.arrivals) out.push_back({ms, kiosk});
    Reply(res, out);
  });
  admin.Post("/admin/arrivals/reset", [&](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    sim.arrivals.clear();
    Reply(res, {{"ok", true}});
  });
  admin.Post("/admin/dossiers/status", [&](const Request& req, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    json j = json::parse(req.body, nullptr, false);
    if (!j.is_object()) return SendError(res, 400, "bad_json", "JSON object expected");
    static const char* kStatuses[] = {"received", "processing", "supplement_requested", "completed", "returned",
                                      "rejected", "withdrawn"};
    const std::string status = j.value("status", "");
    if (std::find(std::begin(kStatuses), std::end(kStatuses), status) == std::end(kStatuses)) {
      return SendError(res, 400, "bad_status", "unknown status");
    }
    auto up = sim.db->Prepare(
        "UPDATE dossiers SET status = ?, status_text = ?, note = ?, updated_at = ? WHERE dossier_code = ?");
    const std::string text = mck::PortalStatusVi(status);
    up->Bind(1, status)
        .Bind(2, text)
        .Bind(3, j.value("note", ""))
        .Bind(4, mck::FormatRfc3339Vietnam(std::chrono::system_clock::now()));
    up->Bind(5, j.value("dossier_code", ""));
    if (!up->Run().ok()) return SendError(res, 500, "db", "update failed");
    Reply(res, {{"ok", true}});
  });
  admin.Post("/admin/dossiers/payment", [&](const Request& req, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    json j = json::parse(req.body, nullptr, false);
    if (!j.is_object() || !j.contains("amount_vnd") || !j["amount_vnd"].is_number_integer()) {
      return SendError(res, 400, "bad_payment", "{\"dossier_code\", \"amount_vnd\", \"reference\"}");
    }
    const std::string code = j.value("dossier_code", "");
    const std::string reference = j.value("reference", "");
    if (reference.empty() || reference.size() > 64 ||
        reference.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
            std::string::npos) {
      return SendError(res, 400, "bad_reference", "reference: [A-Za-z0-9._-], 1 to 64 characters");
    }
    auto d = sim.db->Prepare("SELECT f.amount_vnd FROM dossiers d LEFT JOIN fees f ON f.dossier_code = d.dossier_code WHERE d.dossier_code = ?");
    d->Bind(1, code);
    mck::Status st;
    if (!d->Step(&st)) return SendError(res, 404, "not_found", "no dossier with this code");
    const int64_t fee = d->IsNull(0) ? 0 : d->Int(0);
    if (fee <= 0) return SendError(res, 409, "no_fee", "this dossier has no fee");
    if (j["amount_vnd"].get<int64_t>() != fee) {
      sim.Count("payments.wrong_amount");
      return SendError(res, 409, "wrong_amount", "the amount is not the dossier's fee");
    }
    const std::string paid_at = j.value("paid_at", mck::FormatRfc3339Vietnam(std::chrono::system_clock::now()));
    if (!mck::ParseRfc3339(paid_at)) return SendError(res, 400, "bad_paid_at", "paid_at must be RFC 3339");
    mck::Transaction txn(*sim.db);
    if (!txn.Begin().ok()) return SendError(res, 500, "db", "database busy");
    auto ins = sim.db->Prepare("INSERT INTO payments(dossier_code, amount_vnd, paid_at, reference) VALUES(?,?,?,?)");
    ins->Bind(1, code).Bind(2, fee).Bind(3, paid_at).Bind(4, reference);
    if (!ins->Run().ok()) return SendError(res, 409, "already_paid", "this fee or reference is already recorded");
    // The dossier changed: the kiosk's poll sees a new updated_at.
    auto up = sim.db->Prepare("UPDATE dossiers SET updated_at = ? WHERE dossier_code = ?");
    up->Bind(1, mck::FormatRfc3339Vietnam(std::chrono::system_clock::now())).Bind(2, code);
    if (!up->Run().ok() || !txn.Commit().ok()) return SendError(res, 500, "db", "could not record the payment");
    sim.Count("payments.recorded");
    Reply(res, {{"ok", true}, {"amount_vnd", fee}, {"paid_at", paid_at}});
  });
  admin.Post("/admin/catalog", [&](const Request& req, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    std::string error;
    if (!sim.SetCatalog(req.body, &error)) return SendError(res, 400, "bad_catalog", error);
    Reply(res, {{"etag", sim.catalog_etag}});
  });
  admin.Post("/admin/commands", [&](const Request& req, Response& res) {
    std::lock_guard<std::mutex> lock(sim.mu);
    json j = json::parse(req.body, nullptr, false);
    if (!j.is_object() || j.value("kiosk_id", "").empty() || j.value("command", "").empty()) {
      return SendError(res, 400, "bad_command", "{\"kiosk_id\", \"command\"}");
    }
    sim.pending_commands[j.value("kiosk_id", "")].push_back(j.value("command", ""));
    Reply(res, {{"ok", true}});
  });
}

}  // namespace portal_sim
