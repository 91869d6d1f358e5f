// PACE (ICAO 9303-11 §4.4) pinned to the worked example of Appendix G.1: ECDH generic mapping
// on brainpoolP256r1, AES-128, MRZ password T22000129 / 640812 / 101031. Every value below is
// the published one (cross-checked against several independent implementations' copies of it).
// And AES secure messaging round trips (the card side is exercised end to end by the virtual
// card's independent Python implementation in the pcsc integration test).
#include <catch2/catch.hpp>

#include "drivers/card/bac_crypto.h"
#include "drivers/card/pace_crypto.h"

using namespace mck::card;

namespace {
const char kS[] = "3F00C4D39D153F2B2A214A078D899B22";
const char kZ[] = "95A3A016522EE98D01E76CB6B98B42C3";
const char kSkMapIfd[] = "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99";
const char kPkMapIfd[] =
    "047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
    "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D";
const char kPkMapIc[] =
    "04824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F57"
    "30D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C54";
const char kH[] =
    "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD5"
    "0840CA7415BAF3E43BD414D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181";
const char kGHat[] =
    "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E2"
    "8C879506743F8611AC33645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522";
const char kSkDhIfd[] = "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595";
const char kPkDhIfd[] =
    "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
    "3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462";
const char kPkDhIc[] =
    "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB"
    "7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094";
const char kShared[] = "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925";
}  // namespace

TEST_CASE("PACE G.1: password key and nonce", "[pace]") {
  // K = SHA-1(MRZ information), K_pi = KDF(K, 3).
  const Bytes k = Sha1(ToBytes("T22000129364081251010318"));
  CHECK(ToHex(k) == "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD");
  const Bytes k_pi = KdfAes128(k, 3);
  CHECK(ToHex(k_pi) == "89DED1B26624EC1E634C1989302849DD");
  CHECK(ToHex(AesCbcDecrypt(k_pi, Bytes(16, 0), FromHex(kZ))) == kS);
  // The CAN is its own password (not hashed): KDF(CAN, 3).
  CHECK(PaceCanKey("123456") == KdfAes128(ToBytes("123456"), 3));
}

TEST_CASE("PACE G.1: generic mapping, key agreement, session keys, tokens", "[pace]") {
  auto curve = PaceCurve::Create(13);
  REQUIRE(curve.ok());
  auto pk_map = curve->PublicKey(FromHex(kSkMapIfd));
  REQUIRE(pk_map.ok());
  CHECK(ToHex(*pk_map) == kPkMapIfd);
  auto h = curve->MapGenerator(FromHex(kS), FromHex(kSkMapIfd), FromHex(kPkMapIc));
  REQUIRE(h.ok());
  CHECK(ToHex(*h) == kH);
  CHECK(ToHex(curve->Generator()) == kGHat);
  auto pk_dh = curve->PublicKey(FromHex(kSkDhIfd));
  REQUIRE(pk_dh.ok());
  CHECK(ToHex(*pk_dh) == kPkDhIfd);
  auto shared = curve->SharedSecret(FromHex(kSkDhIfd), FromHex(kPkDhIc));
  REQUIRE(shared.ok());
  CHECK(ToHex(*shared) == kShared);
  const Bytes ks_enc = KdfAes128(*shared, 1), ks_mac = KdfAes128(*shared, 2);
  CHECK(ToHex(ks_enc) == "F5F0E35C0D7161EE6724EE513A0D9A7F");
  CHECK(ToHex(ks_mac) == "FE251C7858B356B24514B3BD5F4297D1");
  const Bytes oid = PaceEcdhGmAes128Oid();
  CHECK(ToHex(PaceAuthToken(ks_mac, oid, FromHex(kPkDhIc))) == "C2B0BD78D94BA866");   // T_IFD
  CHECK(ToHex(PaceAuthToken(ks_mac, oid, FromHex(kPkDhIfd))) == "3ABB9674BCE93C08");  // T_IC
}

TEST_CASE("PACE: a peer point off the curve is refused", "[pace]") {
  auto curve = PaceCurve::Create(13);
  REQUIRE(curve.ok());
  Bytes bad = FromHex(kPkMapIc);
  bad.back() ^= 0x01;
  CHECK(curve->MapGenerator(FromHex(kS), FromHex(kSkMapIfd), bad).status().code() == mck::Code::kSecurity);
  CHECK(!curve->SharedSecret(FromHex(kSkDhIfd), Bytes{0x00}).ok());
  CHECK(!PaceCurve::Create(9).ok());
  auto p256 = PaceCurve::Create(12);
  REQUIRE(p256.ok());
  CHECK(p256->field_size() == 32);
}

TEST_CASE("AES-CMAC: NIST SP 800-38B example", "[pace]") {
  const Bytes key = FromHex("2B7E151628AED2A6ABF7158809CF4F3C");
  CHECK(ToHex(AesCmac(key, {})) == "BB1D6929E95937287FA37D129B756746");
  CHECK(ToHex(AesCmac(key, FromHex("6BC1BEE22E409F96E93D7E117393172A"))) == "070A16B46B4D4144F79BDD9DD04A287C");
}

TEST_CASE("AES secure messaging: a protected command verifies on the other side", "[pace]") {
  // Two SecureMessaging objects with the G.1 session keys play terminal and chip; a tampered
  // byte anywhere is refused.
  KeyPair keys{FromHex("F5F0E35C0D7161EE6724EE513A0D9A7F"), FromHex("FE251C7858B356B24514B3BD5F4297D1")};
  SecureMessaging terminal(keys, Bytes(16, 0), SmCipher::kAes128);
  Apdu a = terminal.Protect(Apdu{0x00, 0xA4, 0x04, 0x0C, FromHex("A0000002471001")});
  CHECK(terminal.ssc() == FromHex("00000000000000000000000000000001"));
  // DO87: 01 + one 16-byte block; DO8E: 8 bytes.
  REQUIRE(a.data.size() == 2 + 17 + 10);
  CHECK(a.data[0] == 0x87);
  CHECK(a.data[1] == 0x11);
  // The chip's answer with SSC = 2: DO99 9000 and its CMAC.
  Bytes ssc2(16, 0);
  ssc2[15] = 2;
  Bytes do99 = FromHex("99029000");
  Bytes in = ssc2;
  Append(in, do99);
  Bytes cc = AesCmac(keys.mac, PadTo(in, 16));
  cc.resize(8);
  Bytes resp = do99;
  Append(resp, Bytes{0x8E, 0x08});
  Append(resp, cc);
  auto ok = terminal.Unprotect(Response{resp, 0x9000});
  REQUIRE(ok.ok());
  CHECK(ok->sw == 0x9000);
  SecureMessaging again(keys, Bytes(16, 0), SmCipher::kAes128);
  again.Protect(Apdu{0x00, 0xA4, 0x04, 0x0C, FromHex("A0000002471001")});
  resp[resp.size() - 1] ^= 1;
  CHECK(again.Unprotect(Response{resp, 0x9000}).status().code() == mck::Code::kSecurity);
}
