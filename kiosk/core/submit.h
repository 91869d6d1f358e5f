// Submitting a dossier: validate it against the catalog's form, store it with its attachments in
// ONE transaction (client id, provisional code, outbox row, audit row), and read it back for the
// kiosk slip. The screen and `kioskctl dossier submit` both call this; they differ only in where
// the body comes from and how the outcome is shown.
// Thread-safety: one thread at a time (it uses the caller's Store connection).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "drivers/printer/documents.h"
#include "offline/domain/catalog.h"
#include "offline/domain/clock.h"
#include "offline/domain/config.h"
#include "offline/domain/validation.h"
#include "offline/store/store.h"

namespace mck::core {

struct SubmitOutcome {
  enum class Problem {
    kNone,       // stored: `dossier` holds its codes
    kInvalid,    // the form is not complete or not valid: `errors`, nothing stored
    kNotStored,  // the store refused (disk full, I/O error, locked): `status`, nothing stored
  };
  Problem problem = Problem::kNone;
  std::vector<FieldError> errors;
  Status status;
  SubmittedDossier dossier;  // client id, provisional code, submitted_at
  // The first kiosk slip, assembled (documents.h) from the dossier as stored; `slip_status`
  // says why not when it could not be read back (the dossier is stored all the same).
  printer::KioskSlip slip;
  Status slip_status;
  bool stored() const { return problem == Problem::kNone; }
};

// The seam the App submits through (tests fake it to make the store refuse).
class DossierSubmitter {
 public:
  virtual ~DossierSubmitter() = default;
  virtual SubmitOutcome Submit(const nlohmann::json& body, std::vector<NewAttachment> attachments) = 0;
};

class DossierSubmission final : public DossierSubmitter {
 public:
  DossierSubmission(Store& store, const Catalog& catalog, const KioskConfig& config, const Clock& clock)
      : store_(store), catalog_(catalog), config_(config), clock_(clock) {}
  // Wipes the attachments' bytes before returning.
  SubmitOutcome Submit(const nlohmann::json& body, std::vector<NewAttachment> attachments) override;

 private:
  Store& store_;
  const Catalog& catalog_;
  const KioskConfig& config_;
  const Clock& clock_;
};

}  // namespace mck::core
