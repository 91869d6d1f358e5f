#include "offline/domain/validation.h"

#include <regex>

#include "offline/domain/fee.h"
#include "offline/domain/id_number.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

namespace mck {

using nlohmann::json;

namespace {

constexpr int kDefaultTextMax = 255;
constexpr int kDefaultMultilineMax = 2000;

FieldError Err(std::string field, std::string vi, std::string en) {
  return FieldError{std::move(field), std::move(vi), std::move(en)};
}

bool IsBlank(const json& v) {
  return v.is_null() || (v.is_string() && Trim(v.get<std::string>()).empty());
}

bool FullMatch(const std::string& pattern, const std::string& value) {
  try {
    return std::regex_match(value, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return false;
  }
}

const std::string kPhonePattern = "0[0-9]{9,10}";
const std::string kEmailPattern = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";

}  // namespace

std::optional<FieldError> ValidateFieldValue(const FormField& f, const json& value, const CivilDate& today) {
  const std::string path = "fields." + f.id;
  const std::string& label = f.label;
  if (IsBlank(value) || (f.type == FieldType::kCheckbox && value.is_boolean() && !value.get<bool>())) {
    if (f.required) {
      if (f.type == FieldType::kCheckbox) {
        return Err(path, "Vui lòng đánh dấu: " + label, "required checkbox not ticked");
      }
      if (f.type == FieldType::kSelect) return Err(path, "Vui lòng chọn " + label, "required field is empty");
      return Err(path, "Vui lòng nhập " + label, "required field is empty");
    }
    return std::nullopt;
  }
  switch (f.type) {
    case FieldType::kCheckbox:
      if (!value.is_boolean()) return Err(path, label + ": chỉ chọn có hoặc không", "checkbox must be true or false");
      return std::nullopt;
    case FieldType::kNumber: {
      double n;
      if (value.is_number()) {
        n = value.get<double>();
      } else if (value.is_string() && FullMatch("-?[0-9]+([.,][0-9]+)?", value.get<std::string>())) {
        std::string s = value.get<std::string>();
        for (auto& c : s)
          if (c == ',') c = '.';
        n = std::stod(s);
      } else {
        return Err(path, label + " phải là một số", "must be a number");
      }
      if (f.min && n < *f.min) return Err(path, label + " không được nhỏ hơn " + json(*f.min).dump(), "below minimum");
      if (f.max && n > *f.max) return Err(path, label + " không được lớn hơn " + json(*f.max).dump(), "above maximum");
      return std::nullopt;
    }
    default: break;
  }
  if (!value.is_string()) return Err(path, label + " phải là chữ", "must be a string");
  const std::string s = Trim(value.get<std::string>());
  if (!IsValidUtf8(s)) return Err(path, label + " có ký tự không hợp lệ", "not valid UTF-8");
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kMultiline: {
      const int max = f.max_len.value_or(f.type == FieldType::kText ? kDefaultTextMax : kDefaultMultilineMax);
      if (static_cast<int>(Utf8Length(s)) > max) {
        return Err(path, label + " dài quá " + std::to_string(max) + " ký tự", "longer than max_len");
      }
      if (f.type == FieldType::kText && s.find('\n') != std::string::npos) {
        return Err(path, label + " chỉ được viết trên một dòng", "line break in a one-line field");
      }
      break;
    }
    case FieldType::kDate: {
      if (!ParseDate(s))
        return Err(path, label + ": ngày không hợp lệ (ngày/tháng/năm)", "not a valid date YYYY-MM-DD");
      (void)today;  // a parameter, not a result: form dates have no range rule (yet); birth dates do
      break;
    }
    case FieldType::kPhone:
      if (!FullMatch(kPhonePattern, s)) {
        return Err(path, label + ": số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng số 0",
                   "not a Vietnamese phone number");
      }
      break;
    case FieldType::kEmail:
      if (!FullMatch(kEmailPattern, s) || s.size() > 254)
        return Err(path, label + ": địa chỉ email không hợp lệ", "not an e-mail address");
      break;
    case FieldType::kIdNumber: {
      Status st = CheckIdNumber(s);
      if (!st.ok()) return Err(path, label + ": " + st.message_vi(), st.message_en());
      break;
    }
    case FieldType::kSelect: {
      auto nfc = ToNfc(s);
      bool found = false;
      for (const auto& o : f.options) found = found || (nfc && o == *nfc);
      if (!found) return Err(path, label + ": vui lòng chọn một trong các lựa chọn có sẵn", "not one of the options");
      break;
    }
    default: break;
  }
  if (f.pattern && !FullMatch(*f.pattern, s)) {
    return Err(path, label + ": " + (f.help.empty() ? "không đúng định dạng" : f.help), "does not match the pattern");
  }
  return std::nullopt;
}

namespace {

// Normalises a JSON string value in place (trim + NFC). Returns false when it is not UTF-8.
bool NormaliseString(json& v) {
  if (!v.is_string()) return true;
  auto nfc = ToNfc(Trim(v.get<std::string>()));
  if (!nfc) return false;
  v = *nfc;
  return true;
}

// applicant.assurance and its compatibility twin chip_verified (validation.h).
void ValidateAssurance(json& a, const std::string& source, std::vector<FieldError>& errors) {
  if (!a.contains("assurance")) {
    a["assurance"] = AssuranceName(source == "chip" ? Assurance::kChipNoCsca
                                   : source == "qr" ? Assurance::kQrOnly
                                                    : Assurance::kTyped);
  }
  std::optional<Assurance> level;
  if (a["assurance"].is_string()) level = ParseAssurance(a["assurance"].get<std::string>());
  if (!level) {
    errors.push_back(Err("applicant.assurance", "Mức xác thực danh tính không hợp lệ",
                         "assurance must be typed, qr, chip_no_csca or chip_verified"));
  } else if ((*level == Assurance::kChipVerified || *level == Assurance::kChipNoCsca) && source != "chip") {
    errors.push_back(Err("applicant.assurance", "Chỉ dữ liệu đọc từ chip mới có mức xác thực chip",
                         "a chip assurance needs identity_source chip"));
  } else if (*level == Assurance::kQrOnly && source != "qr") {
    errors.push_back(
        Err("applicant.assurance", "Mức xác thực không khớp nguồn thông tin", "assurance qr needs identity_source qr"));
  }
  const bool verified = level == Assurance::kChipVerified;
  if (!a.contains("chip_verified")) a["chip_verified"] = verified;
  if (!a["chip_verified"].is_boolean()) {
    errors.push_back(Err("applicant.chip_verified", "Giá trị không hợp lệ", "chip_verified must be a boolean"));
  } else if (a["chip_verified"].get<bool>() && source != "chip") {
    errors.push_back(Err("applicant.chip_verified", "Chỉ dữ liệu đọc từ chip mới được xác thực",
                         "chip_verified needs identity_source chip"));
  } else if (level && a["chip_verified"].get<bool>() != verified) {
    errors.push_back(Err("applicant.chip_verified", "Chỉ chip đã xác thực chữ ký và khóa mới được coi là xác thực",
                         "chip_verified must equal (assurance == chip_verified)"));
  }
}

void ValidateApplicant(json& a, const CivilDate& today, std::vector<FieldError>& errors) {
  if (!a.is_object()) {
    errors.push_back(Err("applicant", "Thiếu thông tin người nộp hồ sơ", "applicant must be an object"));
    return;
  }
  static const char* kKnown[] = {"id_number", "full_name", "date_of_birth",   "gender",        "address",
                                 "phone",     "email",     "identity_source", "chip_verified", "assurance"};
  for (auto it = a.begin(); it != a.end(); ++it) {
    bool known = false;
    for (const char* k : kKnown) known = known || it.key() == k;
    if (!known) errors.push_back(Err("applicant." + it.key(), "Trường không được hỗ trợ", "unknown applicant field"));
    if (!NormaliseString(it.value()))
      errors.push_back(Err("applicant." + it.key(), "Có ký tự không hợp lệ", "not valid UTF-8"));
  }
  auto str = [&](const char* k) -> std::string {
    return a.contains(k) && a[k].is_string() ? a[k].get<std::string>() : std::string();
  };
  const std::string name = str("full_name");
  if (name.empty()) {
    errors.push_back(Err("applicant.full_name", "Vui lòng nhập họ và tên", "full name is required"));
  } else if (Utf8Length(name) > 100) {
    errors.push_back(Err("applicant.full_name", "Họ và tên dài quá 100 ký tự", "full name longer than 100"));
  } else if (FullMatch(".*[0-9<>\"{}|].*", name)) {
    errors.push_back(
        Err("applicant.full_name", "Họ và tên không được chứa chữ số hay ký hiệu", "full name has digits or symbols"));
  }
  std::optional<CivilDate> dob;
  const std::string dob_s = str("date_of_birth");
  if (dob_s.empty()) {
    errors.push_back(Err("applicant.date_of_birth", "Vui lòng nhập ngày sinh", "date of birth is required"));
  } else if (!(dob = ParseDate(dob_s))) {
    errors.push_back(Err("applicant.date_of_birth", "Ngày sinh không hợp lệ", "date of birth is not YYYY-MM-DD"));
  } else if (*dob > today) {
    errors.push_back(Err("applicant.date_of_birth", "Ngày sinh không thể ở tương lai", "date of birth in the future"));
    dob.reset();
  }
  const std::string gender = str("gender");
  if (gender.empty()) {
    errors.push_back(Err("applicant.gender", "Vui lòng chọn giới tính", "gender is required"));
  } else if (!ParseGenderVi(gender)) {
    errors.push_back(Err("applicant.gender", "Giới tính phải là Nam hoặc Nữ", "gender must be Nam or Nữ"));
  }
  const std::string id = str("id_number");
  if (id.empty()) {
    errors.push_back(Err("applicant.id_number", "Vui lòng nhập số định danh cá nhân (12 số trên thẻ căn cước)",
                         "ID number is required"));
  } else {
    Status st = CheckIdNumber(id, dob, ParseGenderVi(gender) ? std::optional<std::string_view>(gender) : std::nullopt);
    if (!st.ok()) errors.push_back(Err("applicant.id_number", st.message_vi(), st.message_en()));
  }
  const std::string phone = str("phone");
  if (!phone.empty() && !FullMatch(kPhonePattern, phone)) {
    errors.push_back(Err("applicant.phone", "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng số 0",
                         "not a Vietnamese phone number"));
  }
  const std::string email = str("email");
  if (!email.empty() && !FullMatch(kEmailPattern, email)) {
    errors.push_back(Err("applicant.email", "Địa chỉ email không hợp lệ", "not an e-mail address"));
  }
  if (Utf8Length(str("address")) > 250) {
    errors.push_back(Err("applicant.address", "Địa chỉ dài quá 250 ký tự", "address longer than 250"));
  }
  std::string source = str("identity_source");
  if (source.empty()) {
    source = "manual";
    a["identity_source"] = source;
  }
  if (source != "chip" && source != "qr" && source != "manual") {
    errors.push_back(
        Err("applicant.identity_source", "Nguồn thông tin không hợp lệ", "identity_source must be chip, qr or manual"));
  }
  ValidateAssurance(a, source, errors);
}

}  // namespace

ValidatedDossier ValidateDossier(const Catalog& catalog, const json& input, const CivilDate& today) {
  ValidatedDossier out;
  auto& errors = out.errors;
  if (!input.is_object()) {
    errors.push_back(Err("", "Hồ sơ không hợp lệ", "dossier must be a JSON object"));
    return out;
  }
  json body = input;
  for (const char* assigned : {"client_id", "provisional_code", "submitted_at"}) {
    if (body.contains(assigned)) {
      errors.push_back(Err(assigned, "Trường này do máy tự cấp", std::string(assigned) + " is assigned by the kiosk"));
    }
  }
  static const char* kKnown[] = {"procedure_code", "channel",         "applicant", "fields",           "documents",
                                 "attachments",    "catalog_version", "client_id", "provisional_code", "submitted_at",
                                 "fee_vnd"};
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (const char* k : kKnown) known = known || it.key() == k;
    if (!known) errors.push_back(Err(it.key(), "Trường không được hỗ trợ", "unknown top-level key"));
  }
  if (!body.contains("channel")) body["channel"] = "kiosk";
  const Procedure* proc = nullptr;
  if (!body.contains("procedure_code") || !body["procedure_code"].is_string()) {
    errors.push_back(Err("procedure_code", "Chưa chọn thủ tục", "procedure_code is required"));
  } else if (!(proc = catalog.Find(body["procedure_code"].get<std::string>()))) {
    errors.push_back(Err("procedure_code", "Thủ tục không có trong danh mục", "unknown procedure"));
  }
  if (!body.contains("applicant")) body["applicant"] = json::object();
  ValidateApplicant(body["applicant"], today, errors);

  if (!body.contains("fields")) body["fields"] = json::object();
  json& fields = body["fields"];
  if (!fields.is_object()) {
    errors.push_back(Err("fields", "Nội dung tờ khai không hợp lệ", "fields must be an object"));
  } else if (proc) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (!proc->FindField(it.key())) {
        errors.push_back(
            Err("fields." + it.key(), "Trường không có trong tờ khai", "field not in the procedure's form"));
      } else if (!NormaliseString(it.value())) {
        errors.push_back(Err("fields." + it.key(), "Có ký tự không hợp lệ", "not valid UTF-8"));
      }
    }
    for (const auto& f : proc->form) {
      const json v = fields.contains(f.id) ? fields[f.id] : json();
      if (auto e = ValidateFieldValue(f, v, today)) errors.push_back(*e);
    }
  }

  if (!body.contains("documents")) body["documents"] = json::array();
  json& docs = body["documents"];
  if (!docs.is_array()) {
    errors.push_back(Err("documents", "Danh sách giấy tờ không hợp lệ", "documents must be an array"));
  } else if (proc) {
    for (size_t i = 0; i < docs.size(); ++i) {
      const auto& d = docs[i];
      const std::string p = "documents[" + std::to_string(i) + "]";
      if (!d.is_object() || !d.contains("id") || !d["id"].is_string()) {
        errors.push_back(Err(p, "Giấy tờ không hợp lệ", "document must have an id"));
        continue;
      }
      bool known = false;
      for (const auto& rd : proc->documents) known = known || rd.id == d["id"].get<std::string>();
      if (!known)
        errors.push_back(
            Err(p + ".id", "Giấy tờ không có trong danh mục của thủ tục", "document not in the procedure"));
      if (d.contains("presented_at_counter") && !d["presented_at_counter"].is_boolean()) {
        errors.push_back(Err(p + ".presented_at_counter", "Giá trị không hợp lệ", "must be a boolean"));
      }
      // Scanned at the kiosk (docs/portal.md): {"sha256": 64 hex digits of its PDF attachment, "pages": ≥ 1}.
      if (d.contains("digitised")) {
        const json& g = d["digitised"];
        const bool sha_ok = g.is_object() && g.contains("sha256") && g["sha256"].is_string() &&
                            g["sha256"].get<std::string>().size() == 64 &&
                            g["sha256"].get<std::string>().find_first_not_of("0123456789abcdef") == std::string::npos;
        const bool pages_ok = g.is_object() && g.contains("pages") && g["pages"].is_number_integer() &&
                              g["pages"].get<int64_t>() >= 1;
        if (!sha_ok || !pages_ok) {
          errors.push_back(Err(p + ".digitised", "Thông tin giấy tờ đã quét không hợp lệ",
                               "digitised must be {sha256: 64 lower-case hex digits, pages: integer >= 1}"));
        }
      }
    }
  }

  if (!body.contains("attachments")) body["attachments"] = json::array();
  json& atts = body["attachments"];
  if (!atts.is_array()) {
    errors.push_back(Err("attachments", "Danh sách tệp đính kèm không hợp lệ", "attachments must be an array"));
  } else {
    for (size_t i = 0; i < atts.size(); ++i) {
      const auto& a = atts[i];
      const std::string p = "attachments[" + std::to_string(i) + "]";
      if (!a.is_object() || !a.contains("name") || !a["name"].is_string() || !a.contains("media_type") ||
          !a["media_type"].is_string()) {
        errors.push_back(Err(p, "Tệp đính kèm thiếu tên hoặc loại tệp", "attachment needs name and media_type"));
      }
    }
  }
  // The fee, from the form's own numbers (offline/domain/fee.h): set when absent, and a figure
  // that disagrees with the catalog is refused — the amount on the slip and in the VietQR is
  // this one, stored with the dossier.
  if (proc && errors.empty()) {
    auto fee = ComputeFee(*proc, [&](const std::string& id) {
      const auto& f = body["fields"];
      if (!f.contains(id)) return std::string();
      return f[id].is_string() ? f[id].get<std::string>() : f[id].dump();
    });
    if (!fee.ok()) {
      errors.push_back(Err("fee_vnd", fee.status().message_vi(), fee.status().message_en()));
    } else if (body.contains("fee_vnd") && (!body["fee_vnd"].is_number_integer() || body["fee_vnd"].get<int64_t>() != *fee)) {
      errors.push_back(Err("fee_vnd", "Lệ phí không đúng với danh mục thủ tục", "fee_vnd disagrees with the catalog"));
    } else {
      body["fee_vnd"] = *fee;
    }
  }
  out.body = std::move(body);
  return out;
}

Assurance ApplicantAssurance(const json& applicant) {
  if (!applicant.is_object()) return Assurance::kTyped;
  const auto word = applicant.find("assurance");
  if (word != applicant.end() && word->is_string()) {
    if (auto a = ParseAssurance(word->get<std::string>())) return *a;
  }
  const auto src = applicant.find("identity_source");
  const std::string source = src != applicant.end() && src->is_string() ? src->get<std::string>() : "";
  if (source == "chip") return Assurance::kChipNoCsca;
  if (source == "qr") return Assurance::kQrOnly;
  return Assurance::kTyped;
}

}  // namespace mck
