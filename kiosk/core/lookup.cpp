#include "kiosk/core/lookup.h"

#include <algorithm>

#include "kiosk/core/documents.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

namespace mck::core {

std::string NormaliseLookupKey(const std::string& typed) {
  std::string key = Trim(typed);
  if (IsUuid(key)) return key;  // a QR carries the client id
  for (auto& c : key) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return key;
}

namespace {
// Constant time over the longer of the two (the length of a date is no secret).
bool SameSecret(const std::string& a, const std::string& b) {
  const size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff = static_cast<unsigned char>(diff | (x ^ y));
  }
  return diff == 0;
}

Status NotFound() {
  return Status::Error(Code::kNotFound, "no dossier matches", "Không tìm thấy hồ sơ");
}
}  // namespace

Result<LookupResult> DossierLookup::ForCitizen(const std::string& typed, const std::string& date_of_birth) {
  const std::string key = NormaliseLookupKey(typed);
  if (key.empty()) return Status::Error(Code::kInvalidArgument, "nothing to look up", "Chưa nhập mã hồ sơ");
  if (IsUuid(key)) return Local(key);  // the receipt's QR: the secret itself
  const std::string dob = Trim(date_of_birth);
  if (dob.empty()) {
    return Status::Error(Code::kFailedPrecondition, "a code alone shows nothing: date of birth needed",
                         "Xin nhập thêm ngày sinh của người nộp hồ sơ, hoặc quét mã QR trên phiếu hẹn.");
  }
  auto rec = store_.dossiers().Get(key);
  if (!rec.ok()) return rec.status().code() == Code::kNotFound ? NotFound() : rec.status();
  std::string stored;
  if (rec->body.is_object() && rec->body.contains("applicant") && rec->body["applicant"].is_object()) {
    const auto& a = rec->body["applicant"];
    if (a.contains("date_of_birth") && a["date_of_birth"].is_string()) stored = a["date_of_birth"].get<std::string>();
  }
  const std::string client_id = rec->client_id;
  WipeBody(rec->body);
  const bool match = !stored.empty() && SameSecret(stored, dob);
  SecureWipe(stored);
  if (!match) return NotFound();
  return Local(client_id);
}

Status LookupThrottle::Admit() {
  const SteadyPoint now = clock_.Steady();
  while (!recent_.empty() && now - recent_.front() >= std::chrono::minutes(1)) recent_.pop_front();
  if (session_ >= per_session_ || static_cast<int>(recent_.size()) >= per_minute_) {
    return Status::Error(Code::kRejected, "too many look-ups (session or kiosk minute limit)",
                         "Bạn đã tra cứu quá nhiều lần. Xin chờ một phút rồi thử lại, hoặc hỏi cán bộ tại quầy.");
  }
  ++session_;
  recent_.push_back(now);
  return Status::Ok();
}

Result<LookupResult> DossierLookup::Local(const std::string& typed) {
  const std::string key = NormaliseLookupKey(typed);
  if (key.empty()) return Status::Error(Code::kInvalidArgument, "nothing to look up", "Chưa nhập mã hồ sơ");
  auto rec = store_.dossiers().Get(key);
  if (!rec.ok()) return rec.status();
  WipeBody(rec->body);
  LookupResult r;
  r.client_id = rec->client_id;
  r.provisional_code = rec->provisional_code;
  r.dossier_code = rec->dossier_code.value_or("");
  const Procedure* p = catalog_.Find(rec->procedure_code);
  r.procedure_name = p ? p->name : rec->procedure_code;
  r.state = DossierStateName(rec->state);
  r.portal_status = rec->portal_status.value_or("");
  r.portal_status_text = rec->portal_status_text.value_or("");
  r.appointment_date = rec->appointment_date.value_or("");
  r.submitted_at = rec->submitted_at;
  r.portal_key = rec->dossier_code.value_or(rec->client_id);
  return r;
}

void MergePortalAnswer(LookupResult& r, const PortalAnswer& a) {
  if (!a.status.empty()) r.portal_status = a.status;
  if (!a.status_text.empty()) r.portal_status_text = a.status_text;
  if (!a.appointment_date.empty()) r.appointment_date = a.appointment_date;
}

Status DossierLookup::RecordPortalAnswer(LookupResult& r, const PortalAnswer& a) {
  MergePortalAnswer(r, a);
  return store_.dossiers().UpdatePortalStatus(r.client_id, a.status, a.status_text, a.updated_at, a.appointment_date);
}

}  // namespace mck::core
