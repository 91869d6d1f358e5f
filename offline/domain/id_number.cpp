#include "offline/domain/id_number.h"

namespace mck {

Result<IdNumberInfo> ParseIdNumber(std::string_view id) {
  if (id.size() != 12) {
    return Status::Error(Code::kInvalidArgument, "ID number must have exactly 12 digits",
                         "Số định danh cá nhân phải gồm đúng 12 chữ số");
  }
  for (char c : id) {
    if (c < '0' || c > '9') {
      return Status::Error(Code::kInvalidArgument, "ID number must contain digits only",
                           "Số định danh cá nhân chỉ gồm chữ số");
    }
  }
  const int g = id[3] - '0';
  const int yy = (id[4] - '0') * 10 + (id[5] - '0');
  IdNumberInfo info;
  info.province_code = std::string(id.substr(0, 3));
  info.gender = (g % 2 == 1) ? Gender::kFemale : Gender::kMale;
  info.birth_year = (g / 2 + 19) * 100 + yy;
  return info;
}

Status CheckIdNumber(std::string_view id, std::optional<CivilDate> dob, std::optional<std::string_view> gender) {
  auto info = ParseIdNumber(id);
  if (!info.ok()) return info.status();
  if (dob && dob->year != info->birth_year) {
    return Status::Error(Code::kInvalidArgument, "ID number's birth year does not match the date of birth",
                         "Năm sinh trong số định danh không khớp với ngày sinh");
  }
  if (gender) {
    auto g = ParseGenderVi(*gender);
    if (g && *g != info->gender) {
      return Status::Error(Code::kInvalidArgument, "ID number's gender digit does not match the gender",
                           "Giới tính trong số định danh không khớp với giới tính đã chọn");
    }
  }
  return Status::Ok();
}

const char* GenderVi(Gender g) {
  return g == Gender::kFemale ? "Nữ" : "Nam";
}

std::optional<Gender> ParseGenderVi(std::string_view s) {
  if (s == "Nam") return Gender::kMale;
  if (s == "Nữ") return Gender::kFemale;
  return std::nullopt;
}

}  // namespace mck
