#include <catch2/catch.hpp>

#include "offline/domain/id_number.h"

using namespace mck;

TEST_CASE("an ID number decodes province, gender and birth year for every century digit") {
  struct Case {
    const char* id;
    Gender g;
    int year;
  };
  const Case cases[] = {
      {"024090000017", Gender::kMale, 1990}, {"001190001234", Gender::kFemale, 1990},
      {"079203000001", Gender::kMale, 2003}, {"027305000001", Gender::kFemale, 2005},
      {"001401000000", Gender::kMale, 2101}, {"001599000000", Gender::kFemale, 2199},
      {"001600000000", Gender::kMale, 2200}, {"001799000000", Gender::kFemale, 2299},
      {"001800000000", Gender::kMale, 2300}, {"001999000000", Gender::kFemale, 2399},
  };
  for (const auto& c : cases) {
    auto info = ParseIdNumber(c.id);
    REQUIRE(info.ok());
    CHECK(info->gender == c.g);
    CHECK(info->birth_year == c.year);
    CHECK(info->province_code == std::string(c.id).substr(0, 3));
  }
}

TEST_CASE("an ID number must be exactly 12 ASCII digits") {
  for (const char* bad :
       {"", "02409000001", "0240900000171", "02409000001a", "024 90000017", "０２４０９０００００１７"}) {
    auto r = ParseIdNumber(bad);
    CHECK_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK_FALSE(r.status().message_vi().empty());
  }
}

TEST_CASE("an ID number must agree with the date of birth and the gender") {
  CHECK(CheckIdNumber("024090000017", CivilDate{1990, 3, 15}, std::string_view("Nam")).ok());
  CHECK_FALSE(CheckIdNumber("024090000017", CivilDate{1991, 3, 15}).ok());
  CHECK_FALSE(CheckIdNumber("024090000017", std::nullopt, std::string_view("Nữ")).ok());
  CHECK(CheckIdNumber("024190001234", CivilDate{1990, 1, 1}, std::string_view("Nữ")).ok());
  // The message names what disagrees, never the number itself.
  auto st = CheckIdNumber("024090000017", CivilDate{1991, 3, 15});
  CHECK(st.message_vi().find("024090000017") == std::string::npos);
}
