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

// Pages of a paper scanned at the kiosk (documents[i].digitised, docs/scanning.md) or at the
// counter (a decision's documents_received[i].digitised); 0: not digitised.
int DigitisedPages(const json& doc) {
  if (!doc.is_object()) return 0;
  auto g = doc.find("digitised");
  if (g == doc.end() || !g->is_object()) return 0;
  auto pages = g->find("pages");
  return pages != g->end() && pages->is_number_integer() && pages->get<int64_t>() > 0 &&
                 pages->get<int64_t>() <= 1000
             ? pages->get<int>()
             : 0;
}

// The same for the paper `id` of the body's documents (the counter decision names papers by id).
int DigitisedPages(const json& body, const std::string& id) {
  auto docs = body.find("documents");
  if (docs == body.end() || !docs->is_array()) return 0;
  for (const auto& doc : *docs) {
    if (Str(doc, "id") == id) {
      if (int n = DigitisedPages(doc)) return n;
    }
  }
  return 0;
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
      // Digitised at the counter (the decision's own documents_received[i].digitised), else at the kiosk.
      const int counter_pages = DigitisedPages(doc);
      ReceivedDocument rd{DocumentName(p, Str(doc, "id")), FormName(Str(doc, "form")), 1,
                          counter_pages ? counter_pages : DigitisedPages(d.body, Str(doc, "id"))};
      if (doc.contains("count") && doc["count"].is_number_integer()) rd.count = doc["count"].get<int>();
      r.documents.push_back(std::move(rd));
    }
  } else if (auto docs = d.body.find("documents"); docs != d.body.end() && docs->is_array()) {
    for (const auto& doc : *docs) {
      if (!doc.is_object()) continue;
      const int pages = DigitisedPages(doc);
      if (doc.value("presented_at_counter", false) || pages > 0) {
        r.documents.push_back({DocumentName(p, Str(doc, "id")), "", 1, pages});
      }
    }
  }
  r.processing_days = p.processing_days;
  r.received_at = !c.received_at.empty() ? c.received_at : d.accepted_at.value_or(d.submitted_at);
  r.appointment_date = d.appointment_date;
  r.result_place = !c.result_place.empty() ? c.result_place : "Bộ phận một cửa " + c.commune_name;
  r.officer_name = c.officer_name;
  r.signed_by = c.signed_by;
  r.signed_at = c.signed_at;
  return r;
}

Result<FeeReceipt> FeeReceiptFromDossier(const DossierRecord& d, const Procedure& p, const DossierPrintContext& c,
                                         const std::string& printed_at) {
  const std::string shown = d.dossier_code.value_or(d.provisional_code);
  if (!d.fee || d.fee->amount_vnd <= 0) {
    return Status::Error(Code::kFailedPrecondition, "dossier " + shown + " has no fee to pay (none heard of from the portal)",
                         "Hồ sơ " + shown + " không có lệ phí phải nộp, nên không có biên lai");
  }
  if (!d.fee->paid) {
    return Status::Error(Code::kFailedPrecondition, "dossier " + shown + ": the portal has not said the fee was paid",
                         "Hồ sơ " + shown + " chưa có xác nhận đã nộp lệ phí từ cổng dịch vụ công; biên lai in được "
                         "sau khi cổng xác nhận");
  }
  FeeReceipt r;
  r.commune_name = c.commune_name;
  r.dossier_code = shown;
  r.procedure_name = p.name;
  r.amount_vnd = d.fee->amount_vnd;
  r.paid_at = d.fee->paid_at;
  r.reference = d.fee->reference;
  r.printed_at = printed_at;
  return r;
}

}  // namespace mck::printer
