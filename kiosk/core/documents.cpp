#include "kiosk/core/documents.h"

#include <map>

#include "kiosk/core/decision_signer.h"
#include "drivers/printer/dossier_documents.h"
#include "offline/domain/ids.h"

namespace mck::core {
namespace {

printer::DossierPrintContext PrintContext(const KioskConfig& config) {
  printer::DossierPrintContext pc;
  pc.commune_name = config.commune_name;
  pc.kiosk_number = config.kiosk_number;
  pc.payment_bank_bin = config.payment_bank_bin;
  pc.payment_account = config.payment_account;
  pc.payment_account_name = config.payment_account_name;
  return pc;
}

// The catalog may have changed since the submission: print what the dossier itself knows.
Procedure FallbackProcedure(const std::string& code) {
  Procedure p;
  p.code = code;
  p.name = "Thủ tục " + code;
  return p;
}

}  // namespace

Result<printer::KioskSlip> DossierDocuments::SlipFrom(const DossierRecord& d, bool reprint) const {
  const Procedure* p = catalog_.Find(d.procedure_code);
  const Procedure fallback = p ? Procedure{} : FallbackProcedure(d.procedure_code);
  auto slip = printer::KioskSlipFromDossier(d, p ? *p : fallback, PrintContext(config_));
  // The papers scanned at the kiosk: the body's documents[i].digitised {sha256, pages}.
  if (slip.ok() && d.body.is_object() && d.body.contains("documents") && d.body["documents"].is_array()) {
    for (const auto& doc : d.body["documents"]) {
      if (!doc.is_object() || !doc.contains("digitised") || !doc["digitised"].is_object()) continue;
      const std::string id = doc.value("id", "");
      std::string name = id;
      for (const auto& known : (p ? *p : fallback).documents) {
        if (known.id == id) name = known.name;
      }
      slip->digitised.push_back({name, doc["digitised"].value("pages", 0)});
    }
  }
  if (slip.ok() && reprint) slip->reprinted_at = FormatRfc3339Vietnam(clock_.Now());
  return slip;
}

Result<printer::KioskSlip> DossierDocuments::Slip(const std::string& key, bool reprint) {
  auto rec = store_.dossiers().Get(key);
  if (!rec.ok()) return rec.status();
  auto slip = SlipFrom(*rec, reprint);
  WipeBody(rec->body);
  return slip;
}

Result<printer::OfficialReceipt> DossierDocuments::Official(const std::string& key, const std::string& officer) {
  auto rec = store_.dossiers().Get(key);
  if (!rec.ok()) return rec.status();
  printer::DossierPrintContext pc = PrintContext(config_);
  pc.copy_label = "Liên 2: Giao người nộp hồ sơ";
  // The latest accept recorded for the dossier says which papers were received, by whom, when.
  auto decisions = store_.decisions().For(*rec);
  if (!decisions.ok()) {
    WipeBody(rec->body);
    return decisions.status();
  }
  // Papers scanned at the counter by any decision (a supplement request's scans count when the
  // dossier is accepted later): marked on the accept's list too.
  std::map<std::string, nlohmann::json> scanned;
  for (const auto& d : *decisions) {
    const auto list = d.body.find("documents_received");
    if (list == d.body.end() || !list->is_array()) continue;
    for (const auto& doc : *list) {
      if (doc.is_object() && doc.contains("digitised") && doc.value("id", nlohmann::json()).is_string())
        scanned[doc["id"].get<std::string>()] = doc["digitised"];
    }
  }
  for (const auto& d : *decisions) {
    if (d.decision != "accept" || d.body.value("purged", false) || !rec->body.is_object()) continue;
    if (d.body.contains("documents_received") && d.body["documents_received"].is_array()) {
      rec->body["documents_received"] = d.body["documents_received"];
      for (auto& doc : rec->body["documents_received"]) {
        if (!doc.is_object() || doc.contains("digitised") || !doc.value("id", nlohmann::json()).is_string()) continue;
        if (auto it = scanned.find(doc["id"].get<std::string>()); it != scanned.end()) doc["digitised"] = it->second;
      }
    }
    pc.officer_name = d.body.value("officer", "");
    pc.received_at = d.decided_at;
    pc.signed_by.clear();
    pc.signed_at.clear();
    if (d.body.contains("signature")) {
      // "Đã ký số" only for a signature that verifies against the officers' CA here and now.
      auto ca = ReadOfficerCa(config_);
      if (auto who = ca.ok() ? VerifiedSigner(d.body, *ca) : std::nullopt) {
        pc.signed_by = who->name;
        pc.signed_at = SigningTimeVn(who->signed_at);
      }
    }
  }
  if (!officer.empty()) pc.officer_name = officer;
  // A decision names a signed-in officer by their staff id: the receipt prints their name.
  if (!pc.officer_name.empty()) {
    if (auto o = store_.officers().Get(pc.officer_name); o.ok()) pc.officer_name = o->name;
  }
  const Procedure* p = catalog_.Find(rec->procedure_code);
  const Procedure fallback = p ? Procedure{} : FallbackProcedure(rec->procedure_code);
  auto receipt = printer::OfficialReceiptFromDossier(*rec, p ? *p : fallback, pc);
  WipeBody(rec->body);
  return receipt;
}

Result<printer::FeeReceipt> DossierDocuments::FeeReceipt(const std::string& key) {
  auto rec = store_.dossiers().Get(key);
  if (!rec.ok()) return rec.status();
  const Procedure* p = catalog_.Find(rec->procedure_code);
  const Procedure fallback = p ? Procedure{} : FallbackProcedure(rec->procedure_code);
  auto receipt = printer::FeeReceiptFromDossier(*rec, p ? *p : fallback, PrintContext(config_),
                                                FormatRfc3339Vietnam(clock_.Now()));
  WipeBody(rec->body);
  return receipt;
}

Status DossierDocuments::RecordPrint(const std::string& actor, const std::string& document,
                                     const std::string& provisional_code, const Status& printed) {
  return store_.Audit(actor, "print." + document + (printed.ok() ? "" : ".failed"), provisional_code,
                      printed.ok() ? "" : CodeName(printed.code()));
}

void WipeBody(nlohmann::json& j) {
  if (j.is_string()) {
    SecureWipe(j.get_ref<std::string&>());
  } else if (j.is_structured()) {
    for (auto& v : j) WipeBody(v);
  }
}

void WipeDocument(printer::KioskSlip& s) {
  SecureWipe(s.applicant_name);
}

void WipeDocument(printer::OfficialReceipt& r) {
  for (auto* s : {&r.applicant_name, &r.applicant_address, &r.applicant_phone, &r.applicant_email}) SecureWipe(*s);
}

}  // namespace mck::core
