#include "drivers/printer/dossier_documents.h"

#include "offline/domain/decision.h"
#include "offline/domain/vietqr.h"

namespace mck::printer {
namespace {

using nlohmann::json;

Status CheckNotPurged(const DossierRecord& d) {
  if (d.purged || !d.body.is_object()) {
    return Status::Error(
        Code::kFailedPrecondition,
        "dossier " + d.provisional_code + " has no personal data left (purged after retention)",
        "Hồ sơ " + d.provisional_code + " đã hết thời hạn lưu dữ liệu cá nhân, không in lại phiếu được");
  }
  return Status::Ok();
}

std::string Str(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string DocumentName(const Procedure& p, const std::string& id) {
  for (const auto& d : p.documents) {
    if (d.id == id) return d.name;
  }
  return id;
}

std::string FormName(const std::string& form) {
  return PaperFormVi(form);
}

}  // namespace

Result<KioskSlip> KioskSlipFromDossier(const DossierRecord& d, const Procedure& p, const DossierPrintContext& c) {
  MCK_RETURN_IF_ERROR(CheckNotPurged(d));
  KioskSlip s;
  s.commune_name = c.commune_name;
  s.provisional_code = d.provisional_code;
  s.client_id = d.client_id;
  s.applicant_name = Str(d.body.value("applicant", json::object()), "full_name");
  s.procedure_name = p.name;
  s.procedure_code = p.code;
  s.field = p.field;
  s.counter = p.counter;
  for (const auto& doc : p.documents) s.documents_to_bring.push_back({doc.name, doc.required});
  s.processing_days = p.processing_days;
  // The fee stored with the dossier at its submission (computed from its own form); a dossier
  // stored before fees were computed has the catalog's flat fee, and no payment QR.
  if (auto it = d.body.find("fee_vnd"); it != d.body.end() && it->is_number_integer()) {
    s.fee_vnd = it->get<int64_t>();
    if (s.fee_vnd > 0 && !c.payment_bank_bin.empty()) {
      auto qr = vietqr::Encode({.bank_bin = c.payment_bank_bin, .account = c.payment_account,
                                .amount_vnd = s.fee_vnd, .purpose = d.provisional_code});
      if (!qr.ok()) return qr.status();
      s.payment = PaymentQr{.payload = *qr, .bank_bin = c.payment_bank_bin, .account = c.payment_account,
                            .account_name = c.payment_account_name, .purpose = d.provisional_code,
                            .amount_vnd = s.fee_vnd};
    }
  } else {
    s.fee_vnd = p.fee_vnd;
  }
  s.lookup_hint = c.lookup_hint;
  s.kiosk_number = c.kiosk_number;
  s.submitted_at = d.submitted_at;
  return s;
}

Result<OfficialReceipt> OfficialReceiptFromDossier(const DossierRecord& d, const Procedure& p,
                                                   const DossierPrintContext& c) {
  MCK_RETURN_IF_ERROR(CheckNotPurged(d));
  OfficialReceipt r;
  const json applicant = d.body.value("applicant", json::object());
  r.agency_name = c.commune_name;
  r.dossier_code = d.dossier_code;
  r.provisional_code = d.provisional_code;
  r.client_id = d.client_id;
  r.copy_label = c.copy_label;
  r.applicant_name = Str(applicant, "full_name");
  r.applicant_address = Str(applicant, "address");
  r.applicant_phone = Str(applicant, "phone");
  r.applicant_email = Str(applicant, "email");
  r.procedure_name = p.name;
  if (auto it = d.body.find("documents_received"); it != d.body.end() && it->is_array()) {
    for (const auto& doc : *it) {
      if (!doc.is_object()) continue;
      ReceivedDocument rd{DocumentName(p, Str(doc, "id")), FormName(Str(doc, "form")), 1};
      if (doc.contains("count") && doc["count"].is_number_integer()) rd.count = doc["count"].get<int>();
      r.documents.push_back(std::move(rd));
    }
  } else if (auto docs = d.body.find("documents"); docs != d.body.end() && docs->is_array()) {
    for (const auto& doc : *docs) {
      if (doc.is_object() && doc.value("presented_at_counter", false)) {
        r.documents.push_back({DocumentName(p, Str(doc, "id")), "", 1});
      }
    }
  }
  r.processing_days = p.processing_days;
  r.received_at = !c.received_at.empty() ? c.received_at : d.accepted_at.value_or(d.submitted_at);
  r.appointment_date = d.appointment_date;
  r.result_place = !c.result_place.empty() ? c.result_place : "Bộ phận một cửa " + c.commune_name;
  r.officer_name = c.officer_name;
  return r;
}

}  // namespace mck::printer
