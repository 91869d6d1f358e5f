#include "kiosk/core/lookup.h"

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
