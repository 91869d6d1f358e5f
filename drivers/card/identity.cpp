// IdentityToJson, declared in card_reader.h.
#include "drivers/card/card_reader.h"

namespace mck::card {

nlohmann::json IdentityToJson(const Identity& id) {
  nlohmann::json j = nlohmann::json::object();
  j["id_number"] = id.id_number;
  j["full_name"] = id.full_name;
  auto put = [&](const char* key, const std::optional<std::string>& v) {
    if (v && !v->empty()) j[key] = *v;
  };
  put("date_of_birth", id.date_of_birth);
  put("gender", id.gender);
  put("nationality", id.nationality);
  put("ethnicity", id.ethnicity);
  put("religion", id.religion);
  put("place_of_origin", id.place_of_origin);
  put("place_of_residence", id.place_of_residence);
  put("identifying_marks", id.identifying_marks);
  put("date_of_issue", id.date_of_issue);
  put("date_of_expiry", id.date_of_expiry);
  put("father_name", id.father_name);
  put("mother_name", id.mother_name);
  put("spouse_name", id.spouse_name);
  put("old_id_number", id.old_id_number);
  if (id.mrz) {
    j["mrz"] = {{"document_number", id.mrz->document_number}, {"surname", id.mrz->surname},
                {"given_names", id.mrz->given_names},         {"date_of_birth", id.mrz->date_of_birth},
                {"date_of_expiry", id.mrz->date_of_expiry},   {"nationality", id.mrz->nationality}};
  }
  j["chip_verified"] = id.chip_verified;
  j["assurance"] = AssuranceName(id.assurance);
  if (id.source == "chip") j["key_proof"] = id.key_proof;
  if (id.sod_signature_valid) j["sod_signature_valid"] = *id.sod_signature_valid;
  j["source"] = id.source;
  return j;
}

}  // namespace mck::card
