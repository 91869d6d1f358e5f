// The kiosk gateway contract (portal-api.md) on the HTTPS listener, with fault injection.
#include "offline/domain/clock.h"
#include "offline/domain/digitised.h"
#include "offline/domain/ids.h"
#include "offline/domain/portal_status.h"
#include "offline/domain/signature.h"
#include "offline/domain/validation.h"
#include "tests/portal_sim/sim.h"
#include "tests/portal_sim/sim_http.h"

namespace portal_sim {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

namespace {

mck::CivilDate TodayVn() {
  return mck::VietnamDate(std::chrono::system_clock::now());
}

// `days` working days (Monday to Friday) after `from`; 0: the same day.
mck::CivilDate AddWorkingDays(mck::CivilDate from, int days) {
  int64_t d = mck::DaysFromCivil(from);
  while (days > 0) {
    ++d;
    const int64_t weekday = (((d + 3) % 7) + 7) % 7;  // 1970-01-01 was a Thursday; 0 = Monday
    if (weekday < 5) --days;
  }
  return mck::CivilFromDays(d);
}

std::string BodyHash(const json& body) {
  return mck::Sha256Hex(body.dump());
}

// Under sim.mu: answers from the idempotency record when the key is known. true: answered.
bool Replay(Sim& sim, const std::string& scope, const std::string& key, const std::string& hash, Response& res,
            bool created_becomes_ok) {
  auto s = sim.db->Prepare("SELECT body_hash, status, response FROM idempotency WHERE scope = ? AND key = ?");
  mck::Status st;
  if (!s.ok()) return false;
  s->Bind(1, scope).Bind(2, key);
  if (!s->Step(&st)) return false;
  if (s->Text(0) != hash) {
    sim.Count("idempotency.conflict");
    SendError(res, 409, "idempotency_key_reused", "this Idempotency-Key was used with a different body");
    return true;
  }
  sim.Count("idempotency.replay");
  const int status = static_cast<int>(s->Int(1));
  res.status = (created_becomes_ok && status == 201) ? 200 : status;
  res.set_content(s->Text(2), "application/json");
  return true;
}

mck::Status Bind(Sim& sim, const std::string& scope, const std::string& key, const std::string& hash, int status,
                 const std::string& response) {
  auto ins =
      sim.db->Prepare("INSERT INTO idempotency(scope, key, body_hash, status, response, at) VALUES(?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, scope).Bind(2, key).Bind(3, hash).Bind(4, status).Bind(5, response).Bind(6, NowVn());
  return ins->Run();
}

// Parses the JSON body and the Idempotency-Key; answers 400 and returns false when unusable.
bool ReadJson(const Request& req, Response& res, json* body, std::string* key) {
  *key = req.get_header_value("Idempotency-Key");
  if (!mck::IsUuid(*key)) {
    SendError(res, 400, "idempotency_key_required", "Idempotency-Key must be a UUID");
    return false;
  }
  *body = json::parse(req.body, nullptr, false);
  if (!body->is_object()) {
    SendError(res, 400, "invalid_json", "the body must be a JSON object");
    return false;
  }
  return true;
}

// A POST's start, after Begin: nothing more to do when Begin answered, the fault drops the
// connection, or the body or its Idempotency-Key is unusable (answered 400). true: go on.
bool ReadPost(const std::optional<Caller>& c, const Request& req, Response& res, json* body, std::string* key) {
  if (!c) return false;
  if (c->fault == Fault::kDropRequest) {
    DropConnection(req);
    return false;
  }
  return ReadJson(req, res, body, key);
}

// Counts `counter` and answers `status` with `answer`.
void Answer(Sim& sim, const Request& req, Response& res, const Caller& c, const char* counter, int status,
            const json& answer) {
  sim.Count(counter);
  res.status = status;
  res.set_content(answer.dump(), "application/json");
  Finish(req, res, c);
}

json DossierStatusJson(const mck::Stmt& s) {
  // columns: kStatusColumns
  json j = {{"dossier_code", s.Text(0)}, {"status", s.Text(1)},           {"status_text", s.Text(2)},
            {"updated_at", s.Text(3)},   {"appointment_date", s.Text(4)}, {"note", s.Text(5)}};
  // The fee (our extension, docs/portal.md "Payment status"): only for a dossier with one.
  if (!s.IsNull(6) && s.Int(6) > 0) {
    json fee = {{"amount_vnd", s.Int(6)}, {"paid", !s.IsNull(7)}};
    if (!s.IsNull(7)) {
      fee["paid_at"] = s.Text(7);
      fee["reference"] = s.Text(8);
    }
    j["fee"] = fee;
  }
  return j;
}

constexpr const char* kStatusColumns =
    "d.dossier_code, d.status, d.status_text, d.updated_at, d.appointment_date, d.note, "
    "f.amount_vnd, p.paid_at, p.reference FROM dossiers d LEFT JOIN fees f ON f.dossier_code = d.dossier_code "
    "LEFT JOIN payments p ON p.dossier_code = d.dossier_code";

// ---- handlers ------------------------------------------------------------------------------------

void Enroll(Sim& sim, const Request& req, Response& res) {
  auto c = Begin(sim, req, res, "enroll", /*needs_kiosk=*/false);
  json body;
  std::string key;
  if (!ReadPost(c, req, res, &body, &key)) return;
  std::lock_guard<std::mutex> lock(sim.mu);
  const std::string hash = BodyHash(body);
  if (Replay(sim, "enroll", key, hash, res, false)) return Finish(req, res, *c);
  const std::string token = body.value("token", "");
  auto t = sim.db->Prepare("SELECT commune_code, commune_name FROM tokens WHERE token = ? AND used_by IS NULL");
  mck::Status st;
  if (!t.ok() || token.empty() || !(t->Bind(1, token), t->Step(&st))) {
    sim.Count("enroll.bad_token");
    return SendError(res, 401, "invalid_token", "enrolment token unknown or already used");
  }
  const std::string commune_code = t->Text(0), commune_name = t->Text(1);
  auto n = sim.db->Prepare("SELECT count(*) FROM kiosks");
  n->Step(&st);
  char id[32];
  std::snprintf(id, sizeof id, "KIOSK-%04lld", static_cast<long long>(n->Int(0) + 1));
  std::string error;
  auto cert = SignKioskCsr(sim, body.value("csr", ""), id, commune_code, &error);
  if (!cert) {
    return SendError(res, 422, "invalid_csr", error, json::array({{{"field", "csr"}, {"message", error}}}));
  }
  mck::Transaction txn(*sim.db);
  if (!txn.Begin().ok()) return SendError(res, 500, "internal_error", "database busy");
  auto use = sim.db->Prepare("UPDATE tokens SET used_by = ?, used_at = ? WHERE token = ?");
  use->Bind(1, id).Bind(2, NowVn()).Bind(3, token);
  auto ins = sim.db->Prepare(
      "INSERT INTO kiosks(kiosk_id, commune_code, commune_name, hostname, software_version, enrolled_at) "
      "VALUES(?,?,?,?,?,?)");
  ins->Bind(1, id).Bind(2, commune_code).Bind(3, commune_name).Bind(4, body.value("hostname", ""));
  ins->Bind(5, body.value("software_version", "")).Bind(6, NowVn());
  const json answer = {{"kiosk_id", id},           {"commune_code", commune_code}, {"commune_name", commune_name},
                       {"certificate", cert->pem}, {"ca_chain", sim.ca_pem},       {"expires_at", cert->expires_at}};
  if (!use->Run().ok() || !ins->Run().ok() || !Bind(sim, "enroll", key, hash, 201, answer.dump()).ok() ||
      !txn.Commit().ok()) {
    return SendError(res, 500, "internal_error", "could not record the enrolment");
  }
  Answer(sim, req, res, *c, "enroll.ok", 201, answer);
}

void GetProcedures(Sim& sim, const Request& req, Response& res) {
  auto c = Begin(sim, req, res, "");
  if (!c) return;
  if (c->fault == Fault::kDropRequest) return DropConnection(req);
  std::lock_guard<std::mutex> lock(sim.mu);
  res.set_header("ETag", sim.catalog_etag);
  res.set_header("Cache-Control", "no-cache");
  if (req.get_header_value("If-None-Match") == sim.catalog_etag) {
    sim.Count("catalog.not_modified");
    res.status = 304;
    return;
  }
  sim.Count("catalog.sent");
  res.status = 200;
  res.set_content(sim.catalog_body, "application/json");
  Finish(req, res, *c);
}

// The attachments a dossier or a decision lists that have not arrived whole: 428's details.
json MissingAttachments(Sim& sim, const json& body) {
  json missing = json::array();
  const json none = json::array();
  const json& list = body.contains("attachments") && body["attachments"].is_array() ? body["attachments"] : none;
  for (const auto& a : list) {
    const std::string sha = a.is_object() ? a.value("sha256", "") : "";
    auto s = sim.db->Prepare("SELECT length FROM attachments WHERE sha256 = ? AND complete = 1");
    mck::Status st;
    s->Bind(1, sha);
    if (!s->Step(&st) || s->Int(0) != (a.is_object() ? a.value("size", int64_t{-1}) : -1)) {
      missing.push_back({{"sha256", sha}, {"message", "attachment not uploaded"}});
    }
  }
  return missing;
}

void PostDossier(Sim& sim, const Request& req, Response& res) {
  const int64_t started_ms = NowMs();
  auto c = Begin(sim, req, res, "dossiers");
  json body;
  std::string key;
  if (!ReadPost(c, req, res, &body, &key)) return;
  if (body.value("client_id", "") != key) {
    return SendError(res, 400, "idempotency_key_mismatch", "Idempotency-Key must equal the dossier's client_id");
  }
  HoldBeforeProcessing(req, key);
  std::lock_guard<std::mutex> lock(sim.mu);
  const std::string scope = c->kiosk_id + ":dossiers";
  const std::string hash = BodyHash(body);
  if (!sim.config.allow_duplicates && Replay(sim, scope, key, hash, res, /*created_becomes_ok=*/true)) {
    return Finish(req, res, *c);
  }

  // Validation against the catalog: the same rules as the kiosk's, plus the injected refusal.
  const std::string procedure = body.value("procedure_code", "");
  json details = json::array();
  int64_t fee_vnd = 0;
  if (!sim.faults.fail_procedure.empty() && procedure == sim.faults.fail_procedure) {
    details.push_back({{"field", "procedure_code"},
                       {"message", "Thủ tục này tạm thời không tiếp nhận qua kiosk; cán bộ cần kiểm tra hồ sơ"}});
  } else {
    json stripped = body;
    for (const char* k : {"client_id", "provisional_code", "submitted_at"}) stripped.erase(k);
    auto v = mck::ValidateDossier(*sim.catalog, stripped, TodayVn());
    if (v.ok() && v.body.contains("fee_vnd") && v.body["fee_vnd"].is_number_integer()) {
      fee_vnd = v.body["fee_vnd"].get<int64_t>();  // the portal's own count, the kiosk's checked against it
    }
    for (const auto& e : v.errors) details.push_back({{"field", e.field}, {"message", e.message_vi}});
  }
  if (const size_t eq = sim.faults.refuse_value.find('='); eq != std::string::npos) {
    const std::string path = sim.faults.refuse_value.substr(0, eq), value = sim.faults.refuse_value.substr(eq + 1);
    const size_t dot = path.find('.');
    const json& read = body;  // reads only: never inserts
    const auto group = dot == std::string::npos ? read.end() : read.find(path.substr(0, dot));
    if (group != read.end() && group->is_object() && group->contains(path.substr(dot + 1))) {
      const json& got = group->at(path.substr(dot + 1));
      if ((got.is_string() ? got.get<std::string>() : got.dump()) == value) {
        details.push_back({{"field", path}, {"message", "Giá trị không khớp với sổ gốc tại cơ quan; cán bộ cần kiểm tra lại"}});
      }
    }
  }
  if (!details.empty()) {
    sim.Count("dossiers.422");
    SendError(res, 422, "validation_failed", "the dossier did not pass validation", details);
    return Finish(req, res, *c);
  }
  // Every attachment must have arrived whole.
  const json missing = MissingAttachments(sim, body);
  if (!missing.empty()) {
    sim.Count("dossiers.428");
    SendError(res, 428, "attachments_missing", "upload the listed attachments first", missing);
    return Finish(req, res, *c);
  }
  // The official code: <agency>-<yymmdd>-<4-digit daily sequence>. The day is the citizen's
  // submission day at the kiosk (the commune's receiving point), when it is believable.
  const mck::CivilDate today = TodayVn();
  mck::CivilDate day = today;
  if (auto t = mck::ParseRfc3339(body.value("submitted_at", ""))) {
    const mck::CivilDate d = mck::VietnamDate(*t);
    if (d <= today && mck::DaysFromCivil(today) - mck::DaysFromCivil(d) <= 365) day = d;
  }
  mck::Transaction txn(*sim.db);
  if (!txn.Begin().ok()) return SendError(res, 500, "internal_error", "database busy");
  auto seq = sim.db->Prepare(
      "INSERT INTO sequences(agency, day, last) VALUES(?, ?, 1) ON CONFLICT(agency, day) DO UPDATE SET last = last + 1 "
      "RETURNING last");
  seq->Bind(1, c->commune_code).Bind(2, mck::FormatDate(day));
  mck::Status st;
  if (!seq->Step(&st)) return SendError(res, 500, "internal_error", "sequence");
  const int64_t n = seq->Int(0);
  (void)seq->Run();
  if (n > 9999) {
    return SendError(res, 503, "daily_sequence_exhausted", "more than 9999 dossiers for this agency and day");
  }
  char code[96];
  std::snprintf(code, sizeof code, "%s-%s-%04lld", c->commune_code.c_str(), mck::FormatYymmdd(day).c_str(),
                static_cast<long long>(n));
  const mck::Procedure* proc = sim.catalog->Find(procedure);
  const std::string appointment = mck::FormatDate(AddWorkingDays(today, proc ? proc->processing_days : 0));
  const std::string now = NowVn();
  auto ins = sim.db->Prepare(
      "INSERT INTO dossiers(dossier_code, client_id, kiosk_id, procedure_code, body, received_at, appointment_date, "
      "status, status_text, updated_at) VALUES(?,?,?,?,?,?,?,'received',?,?)");
  ins->Bind(1, code).Bind(2, key).Bind(3, c->kiosk_id).Bind(4, procedure).Bind(5, body.dump()).Bind(6, now);
  ins->Bind(7, appointment).Bind(8, mck::PortalStatusVi("received")).Bind(9, now);
  const json answer = {
      {"dossier_code", code}, {"received_at", now}, {"appointment_date", appointment}, {"status", "received"}};
  mck::Status ins_st = ins->Run();
  if (ins_st.ok() && fee_vnd > 0) {
    auto fee = sim.db->Prepare("INSERT OR REPLACE INTO fees(dossier_code, amount_vnd) VALUES(?,?)");
    fee->Bind(1, code).Bind(2, fee_vnd);
    ins_st = fee->Run();
  }
  if (!ins_st.ok()) {
    // client_id already known under another kiosk's scope: a replay from a re-enrolled kiosk.
    return SendError(res, 409, "duplicate_client_id", "a dossier with this client_id already exists");
  }
  if ((!sim.config.allow_duplicates && !Bind(sim, scope, key, hash, 201, answer.dump()).ok()) || !txn.Commit().ok()) {
    return SendError(res, 500, "internal_error", "could not record the dossier");
  }
  RecordDelivery(key, code, started_ms, c->fault == Fault::kDropResponse);
  Answer(sim, req, res, *c, "dossiers.created", 201, answer);
}

void GetDossier(Sim& sim, const Request& req, Response& res) {
  auto c = Begin(sim, req, res, "");
  if (!c) return;
  if (c->fault == Fault::kDropRequest) return DropConnection(req);
  std::lock_guard<std::mutex> lock(sim.mu);
  const bool by_code = req.matches.size() > 1;
  if (!by_code && !req.has_param("client_id")) {
    return SendError(res, 400, "client_id_required", "give a dossier code in the path or ?client_id=");
  }
  auto s = sim.db->Prepare(std::string("SELECT ") + kStatusColumns + " WHERE " +
                           (by_code ? "d.dossier_code = ?" : "d.client_id = ?"));
  s->Bind(1, by_code ? std::string(req.matches[1]) : req.get_param_value("client_id"));
  mck::Status st;
  if (!s->Step(&st)) return SendError(res, 404, "not_found", "no dossier with this code");
  res.status = 200;
  res.set_content(DossierStatusJson(*s).dump(), "application/json");
  Finish(req, res, *c);
}

void PostDecision(Sim& sim, const Request& req, Response& res) {
  auto c = Begin(sim, req, res, "decisions");
  json body;
  std::string key;
  if (!ReadPost(c, req, res, &body, &key)) return;
  std::lock_guard<std::mutex> lock(sim.mu);
  const std::string ref = req.matches[1];
  const std::string scope = c->kiosk_id + ":decisions";
  const std::string hash = BodyHash(body);
  if (Replay(sim, scope, key, hash, res, false)) return Finish(req, res, *c);
  auto d = sim.db->Prepare(
      "SELECT dossier_code, procedure_code, decision FROM dossiers WHERE dossier_code = ?1 OR client_id = ?1");
  d->Bind(1, ref);
  mck::Status st;
  if (!d->Step(&st)) return SendError(res, 404, "not_found", "no dossier with this code or client_id");
  const std::string code = d->Text(0), procedure = d->Text(1);
  const std::optional<std::string> previous = d->OptText(2);
  const std::string decision = body.value("decision", "");
  json details = json::array();
  if (decision != "accept" && decision != "request_supplement" && decision != "refuse") {
    details.push_back({{"field", "decision"}, {"message", "Quyết định không hợp lệ"}});
  }
  if (decision != "accept" && body.value("reason", "").empty()) {
    details.push_back({{"field", "reason"}, {"message", "Cần ghi lý do"}});
  }
  if (body.value("officer", "").empty()) details.push_back({{"field", "officer"}, {"message", "Thiếu mã cán bộ"}});
  // Papers scanned at the counter: each documents_received[i].digitised names one of the
  // decision's attachments (the same rule as a dossier's documents[i].digitised).
  std::vector<std::string> shas;
  if (body.contains("attachments") && body["attachments"].is_array()) {
    for (const auto& a : body["attachments"]) shas.push_back(a.is_object() ? a.value("sha256", "") : "");
  } else if (body.contains("attachments")) {
    details.push_back({{"field", "attachments"}, {"message", "Danh sách tệp đính kèm không hợp lệ"}});
  }
  if (auto n = mck::CountDigitisedDocuments(body, shas, "documents_received"); !n.ok()) {
    details.push_back({{"field", "documents_received"}, {"message", n.status().message_vi()}});
  }
  // The officer's signature (docs/signing.md): verified against the officer CA over the body's
  // canonical bytes; a bad one is refused naming "signature" and the reason.
  std::optional<mck::SignatureVerdict> signed_by;
  if (body.contains("signature")) {
    mck::SignatureVerdict v = mck::VerifyDecisionSignature(body, sim.config.officer_ca_pem);
    if (!v.ok()) {
      sim.Count("decisions.bad_signature");
      details.push_back({{"field", "signature"},
                         {"reason", mck::SignatureProblemName(v.problem)},
                         {"message", v.status.message_vi() + " (" + v.status.message_en() + ")"}});
    } else {
      signed_by = std::move(v);
    }
  } else if (sim.config.require_signature) {
    details.push_back({{"field", "signature"}, {"reason", "required"}, {"message", "Quyết định chưa được ký số"}});
  }
  if (!details.empty()) return SendError(res, 422, "validation_failed", "the decision is not valid", details);
  if (const json missing = MissingAttachments(sim, body); !missing.empty()) {
    sim.Count("decisions.428");
    return SendError(res, 428, "attachments_missing", "upload the listed attachments first", missing);
  }
  if (previous && *previous != decision) {
    return SendError(res, 409, "already_decided", "this dossier was already decided: " + *previous);
  }
  const std::string status = decision == "accept"   ? "processing"
                             : decision == "refuse" ? "rejected"
                                                    : "supplement_requested";
  const mck::Procedure* proc = sim.catalog->Find(procedure);
  std::string appointment;
  auto cur = sim.db->Prepare("SELECT appointment_date FROM dossiers WHERE dossier_code = ?");
  cur->Bind(1, code);
  if (cur->Step(&st)) appointment = cur->Text(0);
  if (decision == "accept") appointment = mck::FormatDate(AddWorkingDays(TodayVn(), proc ? proc->processing_days : 0));
  mck::Transaction txn(*sim.db);
  if (!txn.Begin().ok()) return SendError(res, 500, "internal_error", "database busy");
  auto up = sim.db->Prepare(
      "UPDATE dossiers SET decision = ?, status = ?, status_text = ?, appointment_date = ?, updated_at = ?, note = ? "
      "WHERE dossier_code = ?");
  up->Bind(1, decision).Bind(2, status).Bind(3, mck::PortalStatusVi(status)).Bind(4, appointment).Bind(5, NowVn());
  up->Bind(6, body.value("reason", "")).Bind(7, code);
  auto ins = sim.db->Prepare("INSERT INTO decisions(key, dossier_code, decision, body, received_at) VALUES(?,?,?,?,?)");
  ins->Bind(1, key).Bind(2, code).Bind(3, decision).Bind(4, body.dump()).Bind(5, NowVn());
  const json answer = {{"status", status}, {"appointment_date", appointment}};
  bool signer_ok = true;
  if (signed_by) {
    auto who = sim.db->Prepare("INSERT INTO decision_signers(key, name, serial, signed_at) VALUES(?,?,?,?)");
    who->Bind(1, key).Bind(2, signed_by->signer.subject_cn).Bind(3, signed_by->signer.serial_hex);
    who->Bind(4, mck::SigningTimeVn(signed_by->signing_time));
    signer_ok = who->Run().ok();
  }
  if (!up->Run().ok() || !ins->Run().ok() || !signer_ok || !Bind(sim, scope, key, hash, 201, answer.dump()).ok() ||
      !txn.Commit().ok()) {
    return SendError(res, 500, "internal_error", "could not record the decision");
  }
  Answer(sim, req, res, *c, "decisions.created", 201, answer);
}

void PostRating(Sim& sim, const Request& req, Response& res) {
  auto c = Begin(sim, req, res, "ratings");
  json body;
  std::string key;
  if (!ReadPost(c, req, res, &body, &key)) return;
  std::lock_guard<std::mutex> lock(sim.mu);
  const std::string scope = c->kiosk_id + ":ratings";
  const std::string hash = BodyHash(body);
  if (Replay(sim, scope, key, hash, res, false)) return Finish(req, res, *c);
  json details = json::array();
  if (!body.contains("scores") || !body["scores"].is_object() || body["scores"].empty()) {
    details.push_back({{"field", "scores"}, {"message", "Cần ít nhất một tiêu chí"}});
  } else {
    for (auto it = body["scores"].begin(); it != body["scores"].end(); ++it) {
      if (!it->is_number_integer() || it->get<int>() < 1 || it->get<int>() > 5) {
        details.push_back({{"field", "scores." + it.key()}, {"message", "Điểm phải từ 1 đến 5"}});
      }
    }
  }
  if (body.value("counter", "").empty()) details.push_back({{"field", "counter"}, {"message", "Thiếu quầy"}});
  if (!details.empty()) return SendError(res, 422, "validation_failed", "the rating is not valid", details);
  auto ins = sim.db->Prepare("INSERT INTO ratings(key, kiosk_id, body, received_at) VALUES(?,?,?,?)");
  ins->Bind(1, key).Bind(2, c->kiosk_id).Bind(3, body.dump()).Bind(4, NowVn());
  const json answer = {{"rating_id", key}};
  mck::Transaction txn(*sim.db);
  if (!txn.Begin().ok() || !ins->Run().ok() || !Bind(sim, scope, key, hash, 201, answer.dump()).ok() ||
      !txn.Commit().ok()) {
    return SendError(res, 500, "internal_error", "could not record the rating");
  }
  Answer(sim, req, res, *c, "ratings.created", 201, answer);
}

// "key_protection" (optional): how the kiosk keeps its keys at rest, "tpm" or "file". Kept with
// the rest of the heartbeat (GET /admin/kiosks, last_heartbeat).
bool KeyProtectionValid(const json& body) {
  if (!body.is_object() || !body.contains("key_protection")) return true;
  const json& k = body["key_protection"];
  return k.is_string() && (k == "tpm" || k == "file");
}

// "digitised" (optional, docs/portal.md): {"dossiers_total", "documents_total": whole numbers ≥ 0,
// "dossiers_by_day": {"YYYY-MM-DD": whole number ≥ 0}}. Each day's figure is kept per kiosk
// (digitised_days, the latest figure for a day wins; GET /admin/digitised).
bool DigitisedValid(const json& body) {
  if (!body.is_object() || !body.contains("digitised")) return true;
  const json& d = body["digitised"];
  auto count = [](const json& v) { return v.is_number_integer() && v.get<int64_t>() >= 0; };
  if (!d.is_object() || !d.contains("dossiers_total") || !count(d["dossiers_total"]) ||
      !d.contains("documents_total") || !count(d["documents_total"]) || !d.contains("dossiers_by_day") ||
      !d["dossiers_by_day"].is_object())
    return false;
  for (auto it = d["dossiers_by_day"].begin(); it != d["dossiers_by_day"].end(); ++it) {
    if (!mck::ParseDate(it.key()) || !count(it.value())) return false;
  }
  return true;
}

void Heartbeat(Sim& sim, const Request& req, Response& res) {
  auto c = Begin(sim, req, res, "heartbeat");
  json body;
  std::string key;
  if (!ReadPost(c, req, res, &body, &key)) return;
  if (!KeyProtectionValid(body)) {
    return SendError(res, 422, "invalid_heartbeat", "key_protection must be \"tpm\" or \"file\"");
  }
  if (!DigitisedValid(body)) {
    return SendError(res, 422, "invalid_heartbeat",
                     "digitised must be {dossiers_total, documents_total, dossiers_by_day: {YYYY-MM-DD: n}}");
  }
  std::lock_guard<std::mutex> lock(sim.mu);
  const std::string scope = c->kiosk_id + ":heartbeat";
  const std::string hash = BodyHash(body);
  if (Replay(sim, scope, key, hash, res, false)) return Finish(req, res, *c);
  json commands = json::array();
  for (const auto& cmd : sim.pending_commands[c->kiosk_id]) commands.push_back(cmd);
  sim.pending_commands.erase(c->kiosk_id);
  CheckAuditHead(sim, c->kiosk_id, body);  // docs/portal.md, "Audit chain"
  const json answer = {{"server_time", NowVn()}, {"commands", commands}};
  auto up = sim.db->Prepare(
      "UPDATE kiosks SET last_heartbeat = ?, last_heartbeat_at = ?, heartbeats = heartbeats + 1 WHERE kiosk_id = ?");
  up->Bind(1, body.dump()).Bind(2, NowVn()).Bind(3, c->kiosk_id);
  mck::Transaction txn(*sim.db);
  bool days_ok = true;
  const bool begun = txn.Begin().ok();
  if (begun && body.contains("digitised")) {
    for (auto it = body["digitised"]["dossiers_by_day"].begin(); it != body["digitised"]["dossiers_by_day"].end();
         ++it) {
      auto day = sim.db->Prepare(
          "INSERT INTO digitised_days(kiosk_id, day, dossiers, reported_at) VALUES(?,?,?,?) "
          "ON CONFLICT(kiosk_id, day) DO UPDATE SET dossiers = excluded.dossiers, reported_at = excluded.reported_at");
      days_ok = days_ok && day.ok() &&
                day->Bind(1, c->kiosk_id).Bind(2, it.key()).Bind(3, it.value().get<int64_t>()).Bind(4, NowVn()).Run().ok();
    }
  }
  if (!begun || !days_ok || !up->Run().ok() || !Bind(sim, scope, key, hash, 200, answer.dump()).ok() ||
      !txn.Commit().ok()) {
    return SendError(res, 500, "internal_error", "could not record the heartbeat");
  }
  Answer(sim, req, res, *c, "heartbeats", 200, answer);
}

}  // namespace

void RegisterApi(httplib::Server& server, Sim& sim) {
  server.Post("/api/v1/kiosks/enroll", [&](const Request& q, Response& r) { Enroll(sim, q, r); });
  server.Get("/api/v1/procedures", [&](const Request& q, Response& r) { GetProcedures(sim, q, r); });
  server.Post("/api/v1/dossiers", [&](const Request& q, Response& r) { PostDossier(sim, q, r); });
  server.Get("/api/v1/dossiers", [&](const Request& q, Response& r) { GetDossier(sim, q, r); });
  server.Get(R"(/api/v1/dossiers/([^/]+))", [&](const Request& q, Response& r) { GetDossier(sim, q, r); });
  server.Post(R"(/api/v1/dossiers/([^/]+)/decisions)", [&](const Request& q, Response& r) { PostDecision(sim, q, r); });
  server.Post("/api/v1/ratings", [&](const Request& q, Response& r) { PostRating(sim, q, r); });
  server.Post("/api/v1/kiosks/heartbeat", [&](const Request& q, Response& r) { Heartbeat(sim, q, r); });
  RegisterAttachments(server, sim);
  RegisterRenewal(server, sim);
}

}  // namespace portal_sim
