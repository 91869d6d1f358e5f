// The documents of a dossier, each assembled in ONE place from the stored dossier, the catalog
// and the recorded counter decision; the screen (first print, staff reprint, the officer's
// accept) and kioskctl (`print receipt [--official]`) print exactly what these return.
//
//  - the kiosk slip ("Phiếu xác nhận nộp hồ sơ"): lists EVERY paper of the procedure, the
//    optional ones marked "(nếu có)". One rule for the first print and every reprint: the citizen
//    may hold a paper that is optional for most and needed for them (a marriage certificate of
//    the parents), and a slip that leaves it out sends them home for it.
//  - the official receipt (Mẫu 01): the papers, officer and time of the LATEST accept recorded
//    for the dossier; without one (kioskctl's technician print), the papers the citizen marked
//    at the kiosk and the officer named on the command line.
//  - the queue ticket: see tickets.h.
// Thread-safety: one thread at a time (it uses the caller's Store connection).
#pragma once

#include <string>

#include "drivers/printer/documents.h"
#include "offline/domain/catalog.h"
#include "offline/domain/clock.h"
#include "offline/domain/config.h"
#include "offline/domain/status.h"
#include "offline/store/store.h"

namespace mck::core {

class DossierDocuments {
 public:
  DossierDocuments(Store& store, const Catalog& catalog, const KioskConfig& config, const Clock& clock)
      : store_(store), catalog_(catalog), config_(config), clock_(clock) {}

  // The kiosk slip of the dossier known by `key` (client id, provisional or official code).
  // `reprint`: the slip says "Bản in lại" with the time now. kFailedPrecondition once the
  // dossier's personal data is purged (a slip without the applicant's name is worthless).
  Result<printer::KioskSlip> Slip(const std::string& key, bool reprint);
  // The same from a record already read (the submission reads back what it stored).
  Result<printer::KioskSlip> SlipFrom(const DossierRecord& dossier, bool reprint) const;
  // Mẫu 01. `officer`, when not empty, overrides the officer recorded with the accept.
  Result<printer::OfficialReceipt> Official(const std::string& key, const std::string& officer = "");
  // The biên lai once the portal says the fee was paid (printer::FeeReceiptFromDossier); printed
  // at the clock's now. Prints after the purge too (codes and the sum only).
  Result<printer::FeeReceipt> FeeReceipt(const std::string& key);
  // An audit row for a print: actor "kiosk"/"staff"/"kioskctl", document "kiosk_slip",
  // "official_receipt" or "fee_receipt"; the outcome's code only (no personal data).
  Status RecordPrint(const std::string& actor, const std::string& document, const std::string& provisional_code,
                     const Status& printed);

 private:
  Store& store_;
  const Catalog& catalog_;
  const KioskConfig& config_;
  const Clock& clock_;
};

// Zeroes every string of a decrypted dossier body (before it is freed).
void WipeBody(nlohmann::json& body);
// Zeroes the personal data a printed document carries, before it is freed.
void WipeDocument(printer::KioskSlip& slip);
void WipeDocument(printer::OfficialReceipt& receipt);

}  // namespace mck::core
