// The 12-digit personal identification number (số định danh cá nhân): PPP G YY RRRRRR.
// PPP is the birth-registration province (or a country code), G the century and gender digit,
// YY the birth year's last two digits. There is no check digit. Source: shared/domain/vn-facts.md §3.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "offline/domain/clock.h"
#include "offline/domain/status.h"

namespace mck {

enum class Gender { kMale, kFemale };

struct IdNumberInfo {
  std::string province_code;  // "024"
  Gender gender;
  int birth_year;  // 1990
};

// Decodes a syntactically valid number: exactly 12 ASCII digits. Every G digit is meaningful.
Result<IdNumberInfo> ParseIdNumber(std::string_view id);

// Full check used by forms: syntax, and (when given) agreement with the date of birth and the
// gender ("Nam"/"Nữ"). The error names what disagrees, never the values.
Status CheckIdNumber(std::string_view id, std::optional<CivilDate> date_of_birth = std::nullopt,
                     std::optional<std::string_view> gender = std::nullopt);

const char* GenderVi(Gender g);  // "Nam" / "Nữ"
std::optional<Gender> ParseGenderVi(std::string_view s);

}  // namespace mck
