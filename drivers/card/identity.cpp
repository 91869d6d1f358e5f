// IdentityToJson and the CardProblem convention declared in card_reader.h.
#include <cstring>

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
  if (id.sod_signature_valid) j["sod_signature_valid"] = *id.sod_signature_valid;
  j["source"] = id.source;
  return j;
}

namespace {
struct ProblemInfo {
  CardProblem problem;
  const char* name;
  Code code;
};
constexpr ProblemInfo kProblems[] = {
    {CardProblem::kNoReader, "no_reader", Code::kNotFound},
    {CardProblem::kReaderUnplugged, "reader_unplugged", Code::kNotFound},
    {CardProblem::kNoCard, "no_card", Code::kFailedPrecondition},
    {CardProblem::kCardRemoved, "card_removed", Code::kUnavailable},
    {CardProblem::kWrongKey, "wrong_key", Code::kRejected},
    {CardProblem::kNotEmrtd, "not_emrtd", Code::kInvalidArgument},
    {CardProblem::kBadKey, "bad_key", Code::kInvalidArgument},
    {CardProblem::kServiceDown, "service_down", Code::kUnavailable},
    {CardProblem::kCardError, "card_error", Code::kIo},
    {CardProblem::kCorruptData, "corrupt_data", Code::kCorrupt},
    {CardProblem::kCancelled, "cancelled", Code::kTimeout},
};
}  // namespace

const char* CardProblemName(CardProblem p) {
  for (const auto& i : kProblems) {
    if (i.problem == p) return i.name;
  }
  return "none";
}

CardProblem CardProblemOf(const Status& st) {
  if (st.ok()) return CardProblem::kNone;
  const std::string& m = st.message_en();
  for (const auto& i : kProblems) {
    const size_t n = strlen(i.name);
    if (m.size() > n && m.compare(0, n, i.name) == 0 && m[n] == ':') return i.problem;
  }
  if (st.code() == Code::kCorrupt) return CardProblem::kCorruptData;
  return CardProblem::kNone;
}

Status CardFailure(CardProblem p, const std::string& detail_en, const std::string& message_vi) {
  for (const auto& i : kProblems) {
    if (i.problem == p) return Status::Error(i.code, std::string(i.name) + ": " + detail_en, message_vi);
  }
  return Status::Error(Code::kInternal, detail_en, message_vi);
}

}  // namespace mck::card
