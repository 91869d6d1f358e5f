// Fills the printed documents (documents.h) from a dossier as the store keeps it, for kioskctl
// and staff reprints. The UI, which already holds the data, may fill the structs itself.
// Reads the domain's DossierRecord (offline/domain/dossier.h), a plain value: a device layer never
// includes the store. The file stays in drivers/printer because it is printer layout (which
// lines a receipt has, how a decision's papers are listed), not storage or a use case.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "drivers/printer/documents.h"
#include "offline/domain/catalog.h"
#include "offline/domain/dossier.h"

namespace mck::printer {

struct DossierPrintContext {
  std::string commune_name;  // config [kiosk] commune_name
  int kiosk_number = 0;
  std::string lookup_hint;   // extra look-up line for the slip; may be empty
  std::string result_place;  // where the result is handed over; empty: "Bộ phận một cửa <commune>"
  std::string officer_name;  // Mẫu 01 signature line; may be empty
  std::string signed_by, signed_at;  // Mẫu 01 "Đã ký số": the signer's name, RFC 3339; may be empty
  std::string received_at;   // Mẫu 01 "thời gian nhận hồ sơ"; empty: accepted_at, else submitted_at
  std::string copy_label;    // "Liên 2: Giao người nộp hồ sơ"; may be empty
  // The commune's account for fees by VietQR (config [payment]); bank_bin empty: no payment QR.
  std::string payment_bank_bin, payment_account, payment_account_name;
};

// kFailedPrecondition (Vietnamese message) when the dossier's personal data has been purged:
// a receipt without the applicant's name would be worthless.
Result<KioskSlip> KioskSlipFromDossier(const DossierRecord& dossier, const Procedure& procedure,
                                       const DossierPrintContext& context);
// Documents received: the body's "documents_received" (the counter decision: id, form, count)
// when present, else the documents marked presented_at_counter, named from the procedure.
Result<OfficialReceipt> OfficialReceiptFromDossier(const DossierRecord& dossier, const Procedure& procedure,
                                                   const DossierPrintContext& context);

// The biên lai (FeeReceipt) of a dossier whose fee the portal says was paid (DossierRecord::fee,
// from the status poll). Codes, the sum and the bank's reference only, so it prints after the
// purge too. kFailedPrecondition (a calm Vietnamese message) when there is no fee or it is not
// paid yet. `printed_at`: RFC 3339.
Result<FeeReceipt> FeeReceiptFromDossier(const DossierRecord& dossier, const Procedure& procedure,
                                         const DossierPrintContext& context, const std::string& printed_at);

}  // namespace mck::printer
