#include <catch2/catch.hpp>

#include "drivers/card/tlv.h"

using namespace mck::card;

TEST_CASE("BER-TLV parses short, long and multi-byte tags", "[card][tlv]") {
  const Bytes com = FromHex("60145F0104303130365F36063034303030305C026175");
  auto t = ParseTlv(com);
  REQUIRE(t.ok());
  CHECK(t->tag == 0x60);
  CHECK(t->constructed);
  CHECK(t->value.size() == 0x14);
  auto version = FindChild(t->value, 0x5F01);
  REQUIRE(version.ok());
  REQUIRE(version->has_value());
  CHECK(ToString((*version)->value) == "0106");
  auto list = FindChild(t->value, 0x5C);
  REQUIRE(list.ok());
  CHECK(ToHex((*list)->value) == "6175");

  Bytes big(300, 0xAB);
  const Bytes enc = EncodeTlv(0x7F61, big);
  CHECK(ToHex(ByteView(enc).first(5)) == "7F6182012C");
  auto b = ParseTlv(enc);
  REQUIRE(b.ok());
  CHECK(b->tag == 0x7F61);
  CHECK(b->value.size() == 300);
}

TEST_CASE("BER-TLV never trusts a length", "[card][tlv]") {
  // Each of these is malformed or truncated; each must be a clean kCorrupt.
  const char* bad[] = {
      "",                  // nothing
      "60",                // no length
      "6005010203",        // value shorter than its length
      "5F",                // truncated tag
      "5F8F",              // tag continues past the end
      "5F8F8F8F0100",      // tag longer than 4 bytes
      "6080",              // indefinite length
      "6082FF",            // truncated long length
      "6085FFFFFFFFFF00",  // length field of 5 bytes
      "6084FFFFFFFF00",    // 4 GiB claimed
      "00",                // padding byte as a tag
  };
  for (const char* h : bad) {
    INFO(h);
    auto r = ParseTlv(FromHex(h));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == mck::Code::kCorrupt);
  }
  auto list =
      ParseTlvList(FromHex("020101"
                           "0203"));
  CHECK_FALSE(list.ok());
}

TEST_CASE("a TLV header can be read from a file's first bytes", "[card][tlv]") {
  auto h = ParseTlvHeader(FromHex("75823A98"));
  REQUIRE(h.ok());
  CHECK(h->tag == 0x75);
  CHECK(h->header_size == 4);
  CHECK(h->value_size == 0x3A98);
}
