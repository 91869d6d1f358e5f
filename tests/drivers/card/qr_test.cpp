#include <catch2/catch.hpp>

#include "drivers/card/card_reader.h"
#include "drivers/card/qr.h"

using namespace mck::card;

static const char* kQr2021 =
    "024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Thôn Ví Dụ, Xã Mẫu, Huyện Lạng Giang, Bắc Giang|10052021";
static const char* kQr2024 =
    "024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Thôn Ví Dụ, Xã Mẫu, Tỉnh Bắc Ninh|20082025||||";

TEST_CASE("the 2021 CCCD QR (7 fields) parses", "[card][qr]") {
  auto id = ParseCccdQr(kQr2021);
  REQUIRE(id.ok());
  CHECK(id->id_number == "024090000017");
  CHECK(id->old_id_number.value() == "121234567");
  CHECK(id->full_name == "Nguyễn Văn Thử");
  CHECK(id->date_of_birth.value() == "1990-03-15");
  CHECK(id->gender.value() == "Nam");
  CHECK(id->place_of_residence.value() == "Thôn Ví Dụ, Xã Mẫu, Huyện Lạng Giang, Bắc Giang");
  CHECK(id->date_of_issue.value() == "2021-05-10");
  CHECK(id->source == "qr");
  CHECK_FALSE(id->chip_verified);
  auto j = IdentityToJson(*id);
  CHECK(j["date_of_birth"] == "1990-03-15");
  CHECK(j["source"] == "qr");
  CHECK_FALSE(j.contains("ethnicity"));
  CHECK_FALSE(j.contains("mrz"));
}

TEST_CASE("the 2024 Căn cước QR (11 fields) parses and trailing fields are ignored", "[card][qr]") {
  auto id = ParseCccdQr(std::string(kQr2024) + "\r\n");
  REQUIRE(id.ok());
  CHECK(id->date_of_issue.value() == "2025-08-20");
  CHECK(id->place_of_residence.value() == "Thôn Ví Dụ, Xã Mẫu, Tỉnh Bắc Ninh");
}

TEST_CASE("a QR without the old ID number parses", "[card][qr]") {
  auto id = ParseCccdQr("001195001234||Trần Thị Mẫu|01021995|Nữ|Hà Nội|01072024");
  REQUIRE(id.ok());
  CHECK_FALSE(id->old_id_number.has_value());
  CHECK(id->gender.value() == "Nữ");
}

TEST_CASE("invalid QRs are refused naming the field, in Vietnamese", "[card][qr]") {
  struct Case {
    const char* qr;
    const char* en;
  } cases[] = {
      {"024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Bắc Giang", "fields"},
      {"02409000001|121234567|A|15031990|Nam|X|10052021", "ID number"},
      {"024090000017|12123|A|15031990|Nam|X|10052021", "old ID"},
      {"024090000017||A|31021990|Nam|X|10052021", "date of birth"},
      {"024090000017||A|15031991|Nam|X|10052021", "birth year"},
      {"024090000017||A|15031990|Nữ|X|10052021", "gender"},
      {"024090000017||A|15031990|Male|X|10052021", "gender"},
      {"024090000017||A|15031990|Nam|X|1005202", "issue date"},
      {"024090000017||A|15031990|Nam|X|10051980", "before the date of birth"},
      {"024090000017|||15031990|Nam|X|10052021", "name"},
      {"https://dichvucong.gov.vn/", "fields"},
  };
  for (const auto& c : cases) {
    INFO(c.qr);
    auto r = ParseCccdQr(c.qr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == mck::Code::kInvalidArgument);
    CHECK(r.status().message_en().find(c.en) != std::string::npos);
    CHECK(r.status().message_vi().rfind("Mã QR không hợp lệ", 0) == 0);
  }
  CHECK_FALSE(ParseCccdQr(std::string("024090000017||A\xff|15031990|Nam|X|10052021")).ok());
}

TEST_CASE("UTF-8 read as Latin-1 by a scanner is repaired", "[card][qr]") {
  // "Trần Thị Mẫu" would not survive Latin-1 (ầ, ẫ are above U+00FF); "Hà Nội" does partly: use
  // a name made of Latin-1-range letters: "Lê Hà" -> bytes C3 AA, C3 A0 read as Latin-1.
  const std::string mangled =
      "001195001234||L\xC3\x83\xC2\xAA H\xC3\x83\xC2\xA0|01021995|N\xC3\xA1\xC2\xBB\xC2\xAF|X|01072024";
  auto id = ParseCccdQr(mangled);
  INFO((id.ok() ? std::string() : id.status().ToString()));
  // "Nữ" contains ữ (U+1EEF), whose UTF-8 bytes E1 BB AF read as Latin-1 are á » ¯: all <= U+00FF.
  REQUIRE(id.ok());
  CHECK(id->full_name == "Lê Hà");
  CHECK(id->gender.value() == "Nữ");
}

TEST_CASE("a QR gives the BAC data for the chip", "[card][qr]") {
  auto id = ParseCccdQr(kQr2021);
  REQUIRE(id.ok());
  auto k = AccessKeyFromQr(*id);
  REQUIRE(k.ok());
  CHECK(k->document_number == "090000017");
  CHECK(k->date_of_birth == "900315");
  CHECK(k->date_of_expiry.empty());
  CHECK(k->date_of_issue == "2021-05-10");
  CHECK(k->id_number == "024090000017");
}
