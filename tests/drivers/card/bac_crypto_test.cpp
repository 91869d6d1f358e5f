// The worked examples of ICAO Doc 9303 part 11, Appendix D (BAC key derivation, mutual
// authentication, secure messaging), byte for byte.
#include <catch2/catch.hpp>

#include "drivers/card/bac_crypto.h"
#include "drivers/card/mrz.h"

using namespace mck::card;

namespace {
std::string Hex(ByteView b) {
  return ToHex(b);
}
}  // namespace

TEST_CASE("BAC key derivation matches ICAO 9303-11 D.2", "[card][icao]") {
  auto info = BacMrzInformation("L898902C", "690806", "940623");
  REQUIRE(info.ok());
  CHECK(*info == "L898902C<369080619406236");
  CHECK(Hex(Sha1(ToBytes(*info))) == "239AB9CB282DAF66231DC5A4DF6BFBAEDF477565");
  const Bytes seed = BacKeySeed(*info);
  CHECK(Hex(seed) == "239AB9CB282DAF66231DC5A4DF6BFBAE");
  const KeyPair k = DeriveKeys(seed);
  CHECK(Hex(k.enc) == "AB94FDECF2674FDFB9B391F85D7F76F2");
  CHECK(Hex(k.mac) == "7962D9ECE03D1ACD4C76089DCE131543");
}

TEST_CASE("BAC mutual authentication matches ICAO 9303-11 D.3", "[card][icao]") {
  const KeyPair k{FromHex("AB94FDECF2674FDFB9B391F85D7F76F2"), FromHex("7962D9ECE03D1ACD4C76089DCE131543")};
  const Bytes rnd_ic = FromHex("4608F91988702212");
  const Bytes rnd_ifd = FromHex("781723860C06C226");
  const Bytes k_ifd = FromHex("0B795240CB7049B01C19B33E32804F0B");
  const Bytes cmd = BacAuthenticateData(k, rnd_ic, rnd_ifd, k_ifd);
  CHECK(Hex(cmd) == "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7");
  const Bytes apdu = EncodeApdu(Apdu{0x00, 0x82, 0x00, 0x00, cmd, 40, true});
  CHECK(Hex(apdu) == "0082000028" + Hex(cmd) + "28");

  const Bytes resp = FromHex("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449");
  auto session = BacCompleteSession(k, resp, rnd_ic, rnd_ifd, k_ifd);
  REQUIRE(session.ok());
  CHECK(Hex(session->keys.enc) == "979EC13B1CBFE9DCD01AB0FED307EAE5");
  CHECK(Hex(session->keys.mac) == "F1CB1F1FB5ADF208806B89DC579DC1F8");
  CHECK(Hex(session->ssc) == "887022120C06C226");

  SECTION("a response with a flipped MAC byte is refused") {
    Bytes bad = resp;
    bad.back() ^= 1;
    auto s = BacCompleteSession(k, bad, rnd_ic, rnd_ifd, k_ifd);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == mck::Code::kSecurity);
  }
  SECTION("a response for another RND.IFD is refused") {
    auto s = BacCompleteSession(k, resp, rnd_ic, FromHex("781723860C06C227"), k_ifd);
    CHECK_FALSE(s.ok());
  }
}

TEST_CASE("secure messaging matches ICAO 9303-11 D.4", "[card][icao]") {
  SecureMessaging sm({FromHex("979EC13B1CBFE9DCD01AB0FED307EAE5"), FromHex("F1CB1F1FB5ADF208806B89DC579DC1F8")},
                     FromHex("887022120C06C226"));

  // SELECT EF.COM
  Apdu select = sm.Protect(Apdu{0x00, 0xA4, 0x02, 0x0C, FromHex("011E")});
  CHECK(Hex(sm.ssc()) == "887022120C06C227");
  CHECK(Hex(EncodeApdu(select)) == "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800");
  auto r1 = sm.Unprotect(Response{FromHex("990290008E08FA855A5D4C50A8ED"), 0x9000});
  REQUIRE(r1.ok());
  CHECK(r1->sw == 0x9000);
  CHECK(r1->data.empty());
  CHECK(Hex(sm.ssc()) == "887022120C06C228");

  // READ BINARY of the first four bytes
  Apdu read4 = sm.Protect(Apdu{0x00, 0xB0, 0x00, 0x00, {}, 4, true});
  CHECK(Hex(EncodeApdu(read4)) == "0CB000000D9701048E08ED6705417E96BA5500");
  auto r2 = sm.Unprotect(Response{FromHex("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED"), 0x9000});
  REQUIRE(r2.ok());
  CHECK(Hex(r2->data) == "60145F01");
  CHECK(Hex(sm.ssc()) == "887022120C06C22A");

  // READ BINARY of the remaining 18 bytes from offset 4
  Apdu read18 = sm.Protect(Apdu{0x00, 0xB0, 0x00, 0x04, {}, 0x12, true});
  CHECK(Hex(EncodeApdu(read18)) == "0CB000040D9701128E082EA28A70F3C7B53500");
  auto r3 = sm.Unprotect(
      Response{FromHex("871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D74"), 0x9000});
  REQUIRE(r3.ok());
  CHECK(Hex(r3->data) == "04303130365F36063034303030305C026175");
  CHECK(Hex(sm.ssc()) == "887022120C06C22C");
}

TEST_CASE("secure messaging refuses a response whose MAC does not verify", "[card]") {
  SecureMessaging sm({FromHex("979EC13B1CBFE9DCD01AB0FED307EAE5"), FromHex("F1CB1F1FB5ADF208806B89DC579DC1F8")},
                     FromHex("887022120C06C227"));
  auto r = sm.Unprotect(Response{FromHex("990290008E08FA855A5D4C50A8EE"), 0x9000});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == mck::Code::kSecurity);
}

TEST_CASE("padding and retail MAC edge cases", "[card]") {
  CHECK(Hex(Pad(FromHex("011E"))) == "011E800000000000");
  CHECK(Hex(Pad(FromHex("0102030405060708"))) == "01020304050607088000000000000000");
  CHECK(Unpad(FromHex("011E800000000000")).value() == FromHex("011E"));
  CHECK_FALSE(Unpad(FromHex("011E000000000000")).has_value());
  CHECK_FALSE(Unpad(FromHex("8000000000000000000000")).has_value());  // padding longer than a block
}

TEST_CASE("APDUs switch to extended length when short form cannot hold them", "[card]") {
  CHECK(Hex(EncodeApdu(Apdu{0x00, 0xB0, 0x00, 0x00, {}, 256, true})) == "00B0000000");
  CHECK(Hex(EncodeApdu(Apdu{0x00, 0xB0, 0x00, 0x00, {}, 0x0800, true})) == "00B00000000800");
  CHECK(Hex(EncodeApdu(Apdu{0x0C, 0xB0, 0x00, 0x00, FromHex("970208008E080102030405060708"), 65536, true})) ==
        "0CB0000000000E970208008E0801020304050607080000");
}
