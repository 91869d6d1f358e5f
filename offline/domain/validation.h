// Validation of a dossier against its procedure's form, shared by the kiosk's screens (field by
// field, as the citizen types) and kioskctl (a whole file). Messages are plain Vietnamese for the
// citizen with an English twin for logs; they name the field, never echo the value.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "offline/domain/assurance.h"
#include "offline/domain/catalog.h"
#include "offline/domain/clock.h"

namespace mck {

struct FieldError {
  std::string field;  // JSON path: "applicant.id_number", "fields.child_dob", "procedure_code"
  std::string message_vi;
  std::string message_en;
};

// One form value (as JSON: string, number or bool). nullopt when it is acceptable.
// `value` null or "" means "not filled in".
std::optional<FieldError> ValidateFieldValue(const FormField& field, const nlohmann::json& value,
                                             const CivilDate& today);

struct ValidatedDossier {
  nlohmann::json body;             // normalised: strings NFC and trimmed, channel set
  std::vector<FieldError> errors;  // empty when the dossier may be stored
  bool ok() const { return errors.empty(); }
};

// Checks a dossier body (the portal's dossier body without client_id, provisional_code and
// submitted_at) against the catalog: procedure, applicant, every form field, documents and
// attachment descriptors. Reports every error, not just the first.
//
// The applicant's identity assurance (offline/domain/assurance.h): `applicant.assurance` is one of
// the four words. When absent it is derived from `identity_source` (chip -> chip_no_csca, never
// more; qr -> qr; manual -> typed). chip_verified and chip_no_csca need identity_source chip, qr
// needs qr; typed fits any source. `applicant.chip_verified` is kept for older readers of the
// contract and must equal (assurance == chip_verified); when absent it is set so.
ValidatedDossier ValidateDossier(const Catalog& catalog, const nlohmann::json& body, const CivilDate& today);

// The assurance level of a stored or received dossier's `applicant` object, read leniently (a body
// stored before the level existed): `assurance` when it is a known word, else derived from
// `identity_source` as above (a chip read counts as chip_no_csca at most: the old chip_verified
// was a hash check only). Never throws.
Assurance ApplicantAssurance(const nlohmann::json& applicant);

}  // namespace mck
