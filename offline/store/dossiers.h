// The dossiers a citizen submitted at this kiosk, with their attachments (store.dossiers()).
//
// Thread-safety: as Store (one thread at a time per Store object). Calls are short local
// transactions; the UI thread may call them.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/dossier.h"
#include "offline/domain/status.h"
#include "offline/store/part.h"

namespace mck {

// Dossiers that carried papers digitised at the kiosk (docs/scanning.md "The count"): from the
// stored column, so purged dossiers still count. Days are Vietnam dates of submitted_at.
struct DigitisedCounts {
  int64_t dossiers_total = 0;                        // every day this store holds
  int64_t documents_total = 0;                       // the papers of those dossiers
  std::map<std::string, int64_t> dossiers_by_day;    // YYYY-MM-DD → dossiers; days ≥ since, with any
};

class DossierStore : public StorePart {
 public:
  using StorePart::StorePart;

  // Stores a validated dossier body (see ValidateDossier) with its attachments in ONE
  // transaction: client id, provisional code (K<nn>-<yymmdd>-<seq4>), attachment rows, outbox
  // row, audit row. On any error (disk full, I/O error: kIo with a Vietnamese message) nothing
  // of it is stored and no code is consumed; after a crash at any instant the dossier is wholly
  // there or wholly absent. Attachment descriptors in `body` are replaced by the stored ones.
  Result<SubmittedDossier> Submit(const nlohmann::json& body, const std::vector<NewAttachment>& attachments,
                                  const std::string& catalog_version);
  // The dossiers, stored with the count of their documents[i].digitised (CountDigitisedDocuments):
  // a digitised sha256 that is not one of `attachments` is kInvalidArgument and nothing is stored.
  // Oldest first; only those in `state` when given.
  Result<std::vector<DossierSummary>> List(std::optional<DossierState> state = std::nullopt);
  // By client id, provisional code or official dossier code; kNotFound when none matches.
  Result<DossierRecord> Get(const std::string& key);
  // The bytes of a stored attachment (checked against their SHA-256); kNotFound once purged.
  Result<std::string> Attachment(const std::string& sha256);
  // A dossier's attachments, in the order they were submitted.
  Result<std::vector<AttachmentInfo>> Attachments(const std::string& client_id);
  // The portal's latest status for an accepted dossier (from the sync engine's poll). Audited
  // only when something changed.
  Status UpdatePortalStatus(const std::string& client_id, const std::string& status, const std::string& status_text,
                            const std::string& updated_at, const std::string& appointment_date);
  // The fee's payment as the portal said in the same answer (FeePayment). A fee once paid stays
  // paid (a later answer without it changes nothing). Audited ("dossier.fee_paid") when it
  // becomes paid; returns whether it did.
  Result<bool> UpdateFeePayment(const std::string& client_id, const FeePayment& fee);
  // Dossiers with digitised papers: totals, and per day from `since_day` (YYYY-MM-DD) on.
  Result<DigitisedCounts> Digitised(const std::string& since_day);

 private:
  // The day and number of the last code this object gave: Submit seals the body before BEGIN
  // with the number it expects next, and again inside only when another writer took it.
  std::string last_day_;
  int last_seq_ = 0;
};

}  // namespace mck
