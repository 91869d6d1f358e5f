// The VietQR encoder and parser (offline/domain/vietqr.h) against the worked example of
// ../shared/domain/vn-facts.md §9 and strings published by public implementations.
#include <catch2/catch.hpp>

#include <cstdio>

#include "offline/domain/vietqr.h"

using namespace mck;

namespace {
std::string Hex(uint16_t v) {
  char b[5];
  std::snprintf(b, sizeof b, "%04X", v);
  return b;
}
}  // namespace

TEST_CASE("the CRC is CRC-16/CCITT-FALSE: its check value") {
  CHECK(vietqr::Crc16CcittFalse("123456789") == 0x29B1);
  CHECK(vietqr::Crc16CcittFalse("") == 0xFFFF);
}

TEST_CASE("the worked example of vn-facts section 9 is reproduced byte for byte") {
  const std::string expected =
      "00020101021238570010A00000072701270006970436011300110012345670208QRIBFTTA5303704540420005802VN62190815K07-"
      "261122-00036304BE86";
  auto s = vietqr::Encode({.bank_bin = "970436", .account = "0011001234567", .amount_vnd = 2000, .purpose = "K07-261122-0003"});
  REQUIRE(s.ok());
  CHECK(*s == expected);
  CHECK(s->size() == 125);
  auto t = vietqr::Decode(*s);
  REQUIRE(t.ok());
  CHECK(t->bank_bin == "970436");
  CHECK(t->account == "0011001234567");
  CHECK(t->amount_vnd == 2000);
  CHECK(t->purpose == "K07-261122-0003");
}

TEST_CASE("public sample strings: their CRCs are recomputed, and a transfer string parses back") {
  // subiz/vietqr README (120,000 VND to 0011001932418 at BIN 970415, "ung ho lu lut").
  const std::string subiz =
      "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho "
      "lu lut6304C15C";
  // A test fixture of a public TypeScript VietQR decoder (its 38 nests the service code unusually).
  const std::string fixture =
      "00020101021238570010A00000072701390006970422011301234567890200208QRIBFTTA53037045405500005802VN62160812Test "
      "Payment630495B6";
  for (const auto& s : {subiz, fixture}) {
    CHECK(Hex(vietqr::Crc16CcittFalse(std::string_view(s).substr(0, s.size() - 4))) == s.substr(s.size() - 4));
  }
  auto t = vietqr::Decode(subiz);
  REQUIRE(t.ok());
  CHECK(t->bank_bin == "970415");
  CHECK(t->account == "0011001932418");
  CHECK(t->amount_vnd == 120000);
  CHECK(t->purpose == "ung ho lu lut");
  auto again = vietqr::Encode(*t);
  REQUIRE(again.ok());
  CHECK(*again == subiz);
}

TEST_CASE("a static QR has no amount and says 11, a dynamic one 12") {
  auto s = vietqr::Encode({.bank_bin = "970436", .account = "0011001234567", .amount_vnd = 0, .purpose = ""});
  REQUIRE(s.ok());
  CHECK(s->substr(6, 6) == "010211");
  CHECK(s->find("5303704") + 7 == s->find("5802VN"));  // no amount (54) between currency and country
  auto t = vietqr::Decode(*s);
  REQUIRE(t.ok());
  CHECK(t->amount_vnd == 0);
  CHECK(t->purpose.empty());
}

TEST_CASE("bad input is refused with a Vietnamese message, and a damaged string never parses") {
  const vietqr::Transfer good{.bank_bin = "970436", .account = "0011001234567", .amount_vnd = 8000, .purpose = "K07-261122-0003"};
  auto bad = good;
  bad.bank_bin = "97043";
  CHECK(vietqr::Encode(bad).status().code() == Code::kInvalidArgument);
  bad = good;
  bad.account = "0011-0012";
  CHECK(vietqr::Encode(bad).status().code() == Code::kInvalidArgument);
  bad = good;
  bad.amount_vnd = -1;
  CHECK(vietqr::Encode(bad).status().code() == Code::kInvalidArgument);
  bad = good;
  bad.purpose = "Lệ phí";  // not ASCII
  auto st = vietqr::Encode(bad).status();
  CHECK(st.code() == Code::kInvalidArgument);
  CHECK(!st.message_vi().empty());
  bad = good;
  bad.purpose = std::string(26, 'A');
  CHECK(vietqr::Encode(bad).status().code() == Code::kInvalidArgument);

  auto s = vietqr::Encode(good);
  REQUIRE(s.ok());
  // One digit of the amount changed: the CRC catches it.
  std::string tampered = *s;
  const size_t amount = tampered.find("54048000");
  REQUIRE(amount != std::string::npos);
  tampered[amount + 4] = '9';
  CHECK(vietqr::Decode(tampered).status().code() == Code::kCorrupt);
  CHECK(vietqr::Decode(s->substr(0, s->size() - 1)).status().code() == Code::kCorrupt);
  CHECK(vietqr::Decode("").status().code() == Code::kCorrupt);
}
