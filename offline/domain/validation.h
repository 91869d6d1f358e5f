// Validation of a dossier against its procedure's form, shared by the kiosk's screens (field by
// field, as the citizen types) and kioskctl (a whole file). Messages are plain Vietnamese for the
// citizen with an English twin for logs; they name the field, never echo the value.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

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
ValidatedDossier ValidateDossier(const Catalog& catalog, const nlohmann::json& body, const CivilDate& today);

}  // namespace mck
