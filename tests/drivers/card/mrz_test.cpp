#include <catch2/catch.hpp>

#include "drivers/card/mrz.h"

using namespace mck::card;
using mck::CivilDate;

static const CivilDate kToday{2026, 11, 25};

TEST_CASE("MRZ check digits follow ICAO 7-3-1", "[card][mrz]") {
  CHECK(MrzCheckDigit("L898902C<") == 3);
  CHECK(MrzCheckDigit("690806") == 1);
  CHECK(MrzCheckDigit("940623") == 6);
  CHECK(MrzCheckDigit("090000017") == 7);
  CHECK(MrzCheckDigit("024090000017") == 7);
  CHECK(MrzCheckDigit("abc") == -1);
}

TEST_CASE("a CCCD TD1 MRZ parses with every check digit verified", "[card][mrz]") {
  const char* td1 =
      "IDVNM0900000177024090000017<<7\n"
      "9003152M3003150VNM<<<<<<<<<<<0\n"
      "NGUYEN<<VAN<THU<<<<<<<<<<<<<<<";
  auto m = ParseMrz(td1, kToday);
  REQUIRE(m.ok());
  CHECK(m->document_code == "ID");
  CHECK(m->document_number == "090000017");
  CHECK(m->optional_data.substr(0, 12) == "024090000017");
  CHECK(m->date_of_birth == "1990-03-15");
  CHECK(m->date_of_expiry == "2030-03-15");
  CHECK(m->sex == "M");
  CHECK(m->nationality == "VNM");
  CHECK(m->surname == "NGUYEN");
  CHECK(m->given_names == "VAN THU");

  std::string bad = td1;
  bad[14] = '8';  // document number check digit
  auto b = ParseMrz(bad, kToday);
  REQUIRE_FALSE(b.ok());
  CHECK(b.status().message_en().find("document number") != std::string::npos);
  bad = td1;
  bad[30 + 29] = '1';  // composite
  CHECK_FALSE(ParseMrz(bad, kToday).ok());
}

TEST_CASE("the ICAO specimen passport TD3 MRZ parses", "[card][mrz]") {
  const char* td3 =
      "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
      "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
  auto m = ParseMrz(td3, kToday);
  REQUIRE(m.ok());
  CHECK(m->document_number == "L898902C3");
  CHECK(m->surname == "ERIKSSON");
  CHECK(m->given_names == "ANNA MARIA");
  CHECK(m->date_of_birth == "1974-08-12");
  CHECK(m->date_of_expiry == "2012-04-15");
  CHECK(m->sex == "F");
  CHECK(m->nationality == "UTO");
  CHECK(m->optional_data == "ZE184226B");
}

TEST_CASE("MRZ of the wrong length or alphabet is refused", "[card][mrz]") {
  CHECK_FALSE(ParseMrz("IDVNM", kToday).ok());
  CHECK_FALSE(ParseMrz(std::string(90, 'a'), kToday).ok());
}

TEST_CASE("BAC data for a CCCD comes from the 12-digit ID number", "[card][mrz]") {
  auto k = AccessKeyFromIdNumber("024090000017", {1990, 3, 15}, CivilDate{2030, 3, 15});
  REQUIRE(k.ok());
  CHECK(k->document_number == "090000017");
  CHECK(k->can.value() == "000017");
  auto info = BacMrzInformation(k->document_number, k->date_of_birth, k->date_of_expiry);
  REQUIRE(info.ok());
  CHECK(*info == "090000017790031523003150");  // shared/domain/vn-facts.md §2.3
  // A birth year that disagrees with the ID number is refused before any card I/O.
  CHECK_FALSE(AccessKeyFromIdNumber("024090000017", {1991, 3, 15}).ok());
  CHECK_FALSE(AccessKeyFromIdNumber("02409000001", {1990, 3, 15}).ok());
}

TEST_CASE("expiry candidates follow the renewal ages", "[card][mrz]") {
  // Born 1990-03-15, today 2026: the current card expires at 40 (2030), then 60, then the expired 25.
  auto c = ExpiryCandidates({1990, 3, 15}, std::nullopt, kToday);
  REQUIRE(c.size() >= 2);
  CHECK(c[0] == "300315");
  CHECK(c[1] == "500315");
  CHECK(std::find(c.begin(), c.end(), "150315") != c.end());
  // Issued 2021-05-10 (age 31): valid to 40.
  auto q = ExpiryCandidates({1990, 3, 15}, mck::CivilDate{2021, 5, 10}, kToday);
  CHECK(q[0] == "300315");
  // Issued 2028-06-01, less than two years before 40: valid to 60.
  auto late = ExpiryCandidates({1990, 3, 15}, mck::CivilDate{2028, 6, 1}, {2029, 1, 1});
  CHECK(late[0] == "500315");
  // 29 February in a common year.
  auto leap = ExpiryCandidates({2000, 2, 29}, std::nullopt, {2020, 1, 1});
  CHECK(leap[0] == "250228");
  CHECK(c.size() <= 4);
}

TEST_CASE("YYMMDD centuries", "[card][mrz]") {
  CHECK(ParseYymmdd("900315", kToday, true)->year == 1990);
  CHECK(ParseYymmdd("150315", kToday, true)->year == 2015);
  CHECK(ParseYymmdd("300315", kToday, false)->year == 2030);
  CHECK_FALSE(ParseYymmdd("900231", kToday, true).has_value());
}
