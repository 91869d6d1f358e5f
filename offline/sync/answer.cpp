#include "offline/sync/answer.h"

#include <algorithm>

#include "offline/domain/clock.h"

namespace mck {

using nlohmann::json;

namespace {

constexpr size_t kShort = 256;       // codes, dates, statuses
constexpr size_t kText = 16 * 1024;  // the portal's words for people
constexpr size_t kPem = 64 * 1024;   // certificates
constexpr size_t kMaxDetails = 100;  // reasons kept from one error

Status Prefixed(const char* what, const Status& st) {
  return Status::Error(st.code(), std::string("portal ") + what + ": " + st.message_en(),
                       "Câu trả lời của cổng dịch vụ công không hợp lệ");
}

// Parses the body as a JSON object.
Result<json> ParseObject(std::string_view body, const JsonLimits& limits, const char* what) {
  auto doc = ParseJsonChecked(body, limits, std::string("portal ") + what + " answer");
  if (!doc.ok())
    return Status::Error(doc.status().code(), doc.status().message_en(),
                         "Câu trả lời của cổng dịch vụ công không hợp lệ");
  if (!doc->is_object()) {
    return Status::Error(Code::kInvalidArgument, std::string("portal ") + what + " answer is not a JSON object",
                         "Câu trả lời của cổng dịch vụ công không hợp lệ");
  }
  return doc;
}

bool IsCodeChar(char c, bool dots_and_upper) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.') return true;
  return dots_and_upper && c >= 'A' && c <= 'Z';
}

bool IsToken(const std::string& s, size_t max, bool upper) {
  return !s.empty() && s.size() <= max && std::all_of(s.begin(), s.end(), [&](char c) { return IsCodeChar(c, upper); });
}

// Reads `key` as an optional short token ("received", "validation_failed"): a present value of
// another shape is an error.
Result<std::string> OptToken(const JsonObjectReader& r, const char* key, std::string fallback = {}) {
  auto s = r.OptString(key, fallback);
  if (!s.ok()) return s.status();
  if (!s->empty() && !IsToken(*s, 64, false)) {
    return Status::Error(Code::kInvalidArgument, r.PathOf(key) + " must be a status word ([a-z0-9_.-])");
  }
  return s;
}

}  // namespace

#define MCK_ASSIGN_OR_RETURN_PREFIXED(lhs, expr, what) \
  {                                                    \
    auto _r = (expr);                                  \
    if (!_r.ok()) return Prefixed(what, _r.status());  \
    lhs = std::move(_r.value());                       \
  }

Result<SubmitAnswer> ReadSubmitAnswer(std::string_view body, const JsonLimits& limits) {
  auto doc = ParseObject(body, limits, "submit");
  if (!doc.ok()) return doc.status();
  JsonObjectReader r(*doc, "answer", kShort);
  SubmitAnswer a;
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.dossier_code, r.String("dossier_code"), "submit");
  if (!IsToken(a.dossier_code, 64, true)) {
    return Status::Error(Code::kInvalidArgument,
                         "portal submit: answer.dossier_code must be an official code ([A-Za-z0-9.-])",
                         "Câu trả lời của cổng dịch vụ công không hợp lệ");
  }
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.received_at, r.OptString("received_at"), "submit");
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.appointment_date, r.OptString("appointment_date"), "submit");
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.status, OptToken(r, "status", "received"), "submit");
  return a;
}

Result<DecisionAnswer> ReadDecisionAnswer(std::string_view body, const JsonLimits& limits) {
  auto doc = ParseObject(body, limits, "decision");
  if (!doc.ok()) return doc.status();
  JsonObjectReader r(*doc, "answer", kShort);
  DecisionAnswer a;
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.status, OptToken(r, "status"), "decision");
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.appointment_date, r.OptString("appointment_date"), "decision");
  return a;
}

Result<PortalDossierStatus> ReadStatusAnswer(std::string_view body, const JsonLimits& limits) {
  auto doc = ParseObject(body, limits, "status");
  if (!doc.ok()) return doc.status();
  JsonObjectReader r(*doc, "answer", kText);
  PortalDossierStatus s;
  MCK_ASSIGN_OR_RETURN_PREFIXED(s.status, r.String("status"), "status");
  if (!IsToken(s.status, 64, false)) {
    return Status::Error(Code::kInvalidArgument, "portal status: answer.status must be a status word",
                         "Câu trả lời của cổng dịch vụ công không hợp lệ");
  }
  MCK_ASSIGN_OR_RETURN_PREFIXED(s.dossier_code, r.OptString("dossier_code"), "status");
  MCK_ASSIGN_OR_RETURN_PREFIXED(s.status_text, r.OptString("status_text"), "status");
  MCK_ASSIGN_OR_RETURN_PREFIXED(s.updated_at, r.OptString("updated_at"), "status");
  MCK_ASSIGN_OR_RETURN_PREFIXED(s.appointment_date, r.OptString("appointment_date"), "status");
  MCK_ASSIGN_OR_RETURN_PREFIXED(s.note, r.OptString("note"), "status");
  const json* fee = nullptr;
  MCK_ASSIGN_OR_RETURN_PREFIXED(fee, r.OptObject("fee"), "status");
  if (fee) {
    JsonObjectReader f(*fee, "answer.fee", kShort);
    PortalFee pf;
    MCK_ASSIGN_OR_RETURN_PREFIXED(pf.amount_vnd, f.Int("amount_vnd"), "status");
    MCK_ASSIGN_OR_RETURN_PREFIXED(pf.paid, f.OptBool("paid", false), "status");
    MCK_ASSIGN_OR_RETURN_PREFIXED(pf.paid_at, f.OptString("paid_at"), "status");
    MCK_ASSIGN_OR_RETURN_PREFIXED(pf.reference, f.OptString("reference"), "status");
    if (pf.amount_vnd < 0 || pf.amount_vnd > 1'000'000'000'000) {
      return Status::Error(Code::kInvalidArgument, "portal status: answer.fee.amount_vnd must be a sum in đồng",
                           "Câu trả lời của cổng dịch vụ công không hợp lệ");
    }
    if (!pf.reference.empty() && !IsToken(pf.reference, 64, true)) {
      return Status::Error(Code::kInvalidArgument,
                           "portal status: answer.fee.reference must be a transfer reference ([A-Za-z0-9._-])",
                           "Câu trả lời của cổng dịch vụ công không hợp lệ");
    }
    if (pf.paid && (pf.reference.empty() || !ParseRfc3339(pf.paid_at))) {
      return Status::Error(Code::kInvalidArgument,
                           "portal status: a paid answer.fee must carry reference and an RFC 3339 paid_at",
                           "Câu trả lời của cổng dịch vụ công không hợp lệ");
    }
    if (!pf.paid) pf.paid_at.clear(), pf.reference.clear();
    s.fee = pf;
  }
  return s;
}

Result<HeartbeatAnswer> ReadHeartbeatAnswer(std::string_view body, const JsonLimits& limits) {
  auto doc = ParseObject(body, limits, "heartbeat");
  if (!doc.ok()) return doc.status();
  JsonObjectReader r(*doc, "answer", kShort);
  HeartbeatAnswer a;
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.server_time, r.OptString("server_time"), "heartbeat");
  const json* commands = nullptr;
  MCK_ASSIGN_OR_RETURN_PREFIXED(commands, r.OptArray("commands"), "heartbeat");
  if (!commands) return a;
  for (const auto& c : *commands) {
    std::string word;
    if (c.is_string()) {
      word = c.get_ref<const std::string&>();
    } else if (c.is_object()) {
      auto w = JsonObjectReader(c, "command", kShort).OptString("command");
      if (w.ok()) word = *w;
    }
    if (IsToken(word, 64, false) && a.commands.size() < 32) {
      a.commands.push_back(word);
    } else {
      ++a.skipped;
    }
  }
  return a;
}

Result<EnrolAnswer> ReadEnrolAnswer(std::string_view body, const JsonLimits& limits) {
  auto doc = ParseObject(body, limits, "enrolment");
  if (!doc.ok()) return doc.status();
  JsonObjectReader r(*doc, "answer", kPem);
  EnrolAnswer a;
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.kiosk_id, r.String("kiosk_id"), "enrolment");
  if (!IsToken(a.kiosk_id, 128, true)) {
    return Status::Error(Code::kInvalidArgument, "portal enrolment: answer.kiosk_id must be an identifier",
                         "Câu trả lời đăng ký của cổng dịch vụ công không hợp lệ");
  }
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.certificate, r.String("certificate"), "enrolment");
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.commune_code, r.OptString("commune_code"), "enrolment");
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.commune_name, r.OptString("commune_name"), "enrolment");
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.ca_chain, r.OptString("ca_chain"), "enrolment");
  MCK_ASSIGN_OR_RETURN_PREFIXED(a.expires_at, r.OptString("expires_at"), "enrolment");
  return a;
}

Result<Catalog> ReadCatalogAnswer(std::string_view body, const JsonLimits& limits) {
  auto doc = ParseJsonChecked(body, limits, "portal catalog");
  if (!doc.ok()) return doc.status();
  return ParseCatalog(*doc);
}

PortalError ReadPortalErrorBody(std::string_view body, const JsonLimits& limits) {
  PortalError e;
  e.details = json::array();
  auto doc = ParseJsonChecked(body, limits, "portal error");
  if (!doc.ok() || !doc->is_object()) {
    e.readable = body.empty();  // an empty body is a plain status, not a broken one
    return e;
  }
  JsonObjectReader top(*doc, "answer");
  auto err = top.OptObject("error");
  if (!err.ok() || !*err) {
    e.readable = err.ok();
    return e;
  }
  JsonObjectReader r(**err, "error", kText);
  if (auto code = r.OptString("code"); code.ok() && IsToken(*code, 64, false)) e.code = *code;
  if (auto message = r.OptString("message"); message.ok()) e.message = *message;
  auto details = r.OptArray("details");
  if (!details.ok() || !*details) return e;
  for (const auto& d : **details) {
    if (e.details.size() >= kMaxDetails) break;
    JsonObjectReader dr(d, "detail", kText);
    if (!dr.ok()) continue;
    json clean = json::object();
    for (const char* k : {"field", "message", "sha256"}) {
      if (auto v = dr.OptString(k); v.ok() && !v->empty()) clean[k] = *v;
    }
    if (!clean.empty()) e.details.push_back(std::move(clean));
  }
  return e;
}

std::vector<AttentionReason> ReadAttentionReasons(const json& stored) {
  std::vector<AttentionReason> out;
  if (!stored.is_array()) return out;
  for (const auto& d : stored) {
    if (out.size() >= kMaxDetails) break;
    JsonObjectReader r(d, "detail", kText);
    if (!r.ok()) continue;
    AttentionReason reason;
    if (auto f = r.OptString("field"); f.ok()) reason.field = *f;
    if (auto m = r.OptString("message"); m.ok()) reason.message = *m;
    if (!reason.field.empty() || !reason.message.empty()) out.push_back(std::move(reason));
  }
  return out;
}

}  // namespace mck
