// The pure parts of identity assurance (issue 11), without pcscd: DG14/DG15 parsing, the Chip
// Authentication key agreement, Active Authentication signatures (ECDSA plain, RSA ISO 9796-2
// scheme 1), and passive authentication against a CSCA set: PEM, an ICAO master list, a CRL.
// Keys are made here with OpenSSL; the PKI by vcard/make_pki.sh (openssl, python3).
#include <catch2/catch.hpp>

#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "drivers/card/key_proof.h"
#include "drivers/card/pace_crypto.h"
#include "drivers/card/sod.h"
#include "drivers/card/tlv.h"
#include "offline/domain/openssl_ptr.h"
#include "tests/support/read_file.h"

using namespace mck::card;
using mck::Code;
namespace ossl = mck::ossl;

namespace {

Bytes Spki(EVP_PKEY* k) {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(k, &der);
  Bytes out(der, der + n);
  OPENSSL_free(der);
  return out;
}

Bytes MakeDg14(ByteView ca_oid, ByteView spki, bool with_aa) {
  Bytes infos = EncodeTlv(0x30, [&] {
    Bytes b = EncodeTlv(0x06, ca_oid);
    Append(b, FromHex("020101"));
    return b;
  }());
  Bytes pk = EncodeTlv(0x06, PkEcdhOid());
  Append(pk, spki);
  Append(infos, EncodeTlv(0x30, pk));
  if (with_aa) {
    Bytes aa = EncodeTlv(0x06, ActiveAuthOid());
    Append(aa, FromHex("020101"));
    Append(aa, EncodeTlv(0x06, FromHex("2A8648CE3D040302")));
    Append(infos, EncodeTlv(0x30, aa));
  }
  return EncodeTlv(0x6E, EncodeTlv(0x31, infos));
}

Bytes Sign(EVP_PKEY* key, const EVP_MD* md, ByteView data) {
  ossl::Ptr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  size_t n = 0;
  REQUIRE(EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) == 1);
  REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &n, data.data(), data.size()) == 1);
  Bytes der(n);
  REQUIRE(EVP_DigestSign(ctx.get(), der.data(), &n, data.data(), data.size()) == 1);
  der.resize(n);
  // DER ECDSA-Sig-Value -> plain r || s (BSI TR-03111), 32 bytes each on P-256.
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  REQUIRE(sig);
  Bytes plain(64);
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), plain.data(), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), plain.data() + 32, 32);
  ECDSA_SIG_free(sig);
  return plain;
}

// ISO/IEC 9796-2 scheme 1 with the raw RSA private operation: 6A || M1 || H(M1 || nonce) || trailer.
Bytes Sign9796(EVP_PKEY* key, ByteView nonce, const EVP_MD* md, ByteView trailer) {
  const size_t k = static_cast<size_t>(EVP_PKEY_get_size(key));
  const size_t hlen = static_cast<size_t>(EVP_MD_get_size(md));
  Bytes m1(k - 1 - hlen - trailer.size(), 0x5A);
  Bytes m = m1;
  Append(m, nonce);
  Bytes h(hlen);
  unsigned int hn = 0;
  EVP_Digest(m.data(), m.size(), h.data(), &hn, md, nullptr);
  Bytes f = {0x6A};
  Append(f, m1);
  Append(f, h);
  Append(f, trailer);
  ossl::Ptr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  REQUIRE(EVP_PKEY_sign_init(ctx.get()) == 1);
  REQUIRE(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) == 1);
  Bytes sig(k);
  size_t n = k;
  REQUIRE(EVP_PKEY_sign(ctx.get(), sig.data(), &n, f.data(), f.size()) == 1);
  return sig;
}

std::filesystem::path MakePki() {
  static std::filesystem::path dir;
  if (!dir.empty()) return dir;
  dir = std::filesystem::temp_directory_path() / ("mck-pki-" + std::to_string(getpid()));
  const std::string cmd = std::string(MCK_SOURCE_DIR) + "/tests/drivers/card/vcard/make_pki.sh " + dir.string();
  REQUIRE(system(cmd.c_str()) == 0);
  return dir;
}

// EF.SOD (77 { CMS SignedData of an LDSSecurityObject }) signed by `signer` (make_pki.sh names).
Bytes MakeSod(const std::string& signer) {
  const auto dir = MakePki();
  ossl::Ptr<BIO> cert_bio(BIO_new_file((dir / (signer + ".pem")).c_str(), "rb"));
  ossl::Ptr<BIO> key_bio(BIO_new_file((dir / (signer + ".key")).c_str(), "rb"));
  ossl::Ptr<X509> cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  ossl::Ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(cert);
  REQUIRE(key);
  const Bytes lds = FromHex("3009020100300506032B0E031A");  // any content: only the signature matters here
  ossl::Ptr<BIO> in(BIO_new_mem_buf(lds.data(), static_cast<int>(lds.size())));
  const unsigned flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  CMS_ContentInfo* cms = CMS_sign(cert.get(), key.get(), nullptr, nullptr, flags);
  REQUIRE(cms);
  ossl::Ptr<ASN1_OBJECT> lds_type(OBJ_txt2obj("2.23.136.1.1.1", 1));  // set1 copies it
  REQUIRE(CMS_set1_eContentType(cms, lds_type.get()) == 1);
  REQUIRE(CMS_final(cms, in.get(), nullptr, flags) == 1);
  unsigned char* der = nullptr;
  const int n = i2d_CMS_ContentInfo(cms, &der);
  CMS_ContentInfo_free(cms);
  Bytes out = EncodeTlv(0x77, ByteView(der, static_cast<size_t>(n)));
  OPENSSL_free(der);
  return out;
}

}  // namespace

TEST_CASE("DG14: Chip Authentication and ActiveAuthenticationInfo are found, other protocols are not run",
          "[card][key_proof]") {
  ossl::Ptr<EVP_PKEY> chip(EVP_EC_gen("P-256"));
  const Bytes spki = Spki(chip.get());
  auto dg14 = ParseDg14(MakeDg14(CaEcdhAes128Oid(), spki, true));
  REQUIRE(dg14.ok());
  REQUIRE(dg14->chip_auth.has_value());
  CHECK(dg14->chip_auth->supported);
  CHECK(dg14->chip_auth->protocol_name == "id-CA-ECDH-AES-CBC-CMAC-128");
  CHECK(dg14->chip_auth->public_key_spki == spki);
  REQUIRE(dg14->aa_signature_oid.has_value());
  CHECK(*dg14->aa_signature_oid == FromHex("2A8648CE3D040302"));

  // id-CA-ECDH-3DES-CBC-CBC (MSE:Set KAT) is recognised, reported, not run.
  auto tdes = ParseDg14(MakeDg14(FromHex("04007F00070202030201"), spki, false));
  REQUIRE(tdes.ok());
  CHECK_FALSE(tdes->chip_auth->supported);
  CHECK(tdes->chip_auth->protocol_name == "0.4.0.127.0.7.2.2.3.2.1");
  CHECK_FALSE(tdes->aa_signature_oid.has_value());

  CHECK(ParseDg14(FromHex("6F00")).status().code() == Code::kCorrupt);
  CHECK(ParseDg14(FromHex("6E03310130")).status().code() == Code::kCorrupt);
  Bytes truncated = MakeDg14(CaEcdhAes128Oid(), spki, true);
  truncated.resize(truncated.size() - 3);
  CHECK_FALSE(ParseDg14(truncated).ok());
  auto only_aa = ParseDg14(EncodeTlv(0x6E, EncodeTlv(0x31, FromHex("300B0606678108010105020101"))));
  CHECK_FALSE(only_aa.ok());  // id-AA without its signature algorithm
}

TEST_CASE("DG15: the key is taken out and checked", "[card][key_proof]") {
  ossl::Ptr<EVP_PKEY> aa(EVP_EC_gen("P-256"));
  const Bytes spki = Spki(aa.get());
  auto key = ParseDg15(EncodeTlv(0x6F, spki));
  REQUIRE(key.ok());
  CHECK(*key == spki);
  Bytes bad = spki;
  bad[bad.size() - 10] ^= 0xFF;  // a point no longer on the curve
  CHECK(ParseDg15(EncodeTlv(0x6F, bad)).status().code() == Code::kCorrupt);
  CHECK(ParseDg15(EncodeTlv(0x6E, spki)).status().code() == Code::kCorrupt);
}

TEST_CASE("Chip Authentication: the terminal's keys are the ones the chip's private key gives", "[card][key_proof]") {
  ossl::Ptr<EVP_PKEY> chip(EVP_EC_gen("P-256"));
  auto agreement = ChipAuthenticationAgree(Spki(chip.get()));
  REQUIRE(agreement.ok());
  REQUIRE(agreement->ephemeral_public.size() == 65);
  // The chip's side: ECDH(chip private, terminal ephemeral public), KDF counters 1 and 2.
  ossl::Ptr<EVP_PKEY_CTX> pctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  REQUIRE(EVP_PKEY_fromdata_init(pctx.get()) == 1);
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                         OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, agreement->ephemeral_public.data(),
                                                           agreement->ephemeral_public.size()),
                         OSSL_PARAM_construct_end()};
  EVP_PKEY* eph_raw = nullptr;
  REQUIRE(EVP_PKEY_fromdata(pctx.get(), &eph_raw, EVP_PKEY_PUBLIC_KEY, params) == 1);
  ossl::Ptr<EVP_PKEY> eph(eph_raw);
  ossl::Ptr<EVP_PKEY_CTX> dh(EVP_PKEY_CTX_new_from_pkey(nullptr, chip.get(), nullptr));
  REQUIRE(EVP_PKEY_derive_init(dh.get()) == 1);
  REQUIRE(EVP_PKEY_derive_set_peer(dh.get(), eph.get()) == 1);
  Bytes k(32);
  size_t n = k.size();
  REQUIRE(EVP_PKEY_derive(dh.get(), k.data(), &n) == 1);
  CHECK(agreement->session_keys.enc == KdfAes128(k, 1));
  CHECK(agreement->session_keys.mac == KdfAes128(k, 2));
  // A clone's key (another private key) gives other keys.
  ossl::Ptr<EVP_PKEY> other(EVP_EC_gen("P-256"));
  auto second = ChipAuthenticationAgree(Spki(other.get()));
  REQUIRE(second.ok());
  CHECK(second->session_keys.enc != agreement->session_keys.enc);
  // An RSA key cannot do ECDH: reported, not a crash.
  ossl::Ptr<EVP_PKEY> rsa(EVP_RSA_gen(1024));
  CHECK(ChipAuthenticationAgree(Spki(rsa.get())).status().code() == Code::kFailedPrecondition);
}

TEST_CASE("Active Authentication: ECDSA (plain r s) verifies with the key of DG15, a clone signature does not",
          "[card][key_proof]") {
  ossl::Ptr<EVP_PKEY> aa(EVP_EC_gen("P-256"));
  const Bytes spki = Spki(aa.get());
  const Bytes nonce = FromHex("0102030405060708");
  const Bytes sha256 = FromHex("2A8648CE3D040302");
  const Bytes sig = Sign(aa.get(), EVP_sha256(), nonce);
  CHECK(VerifyActiveAuthentication(spki, sha256, nonce, sig).ok());
  Bytes flipped = sig;
  flipped[5] ^= 0x01;
  CHECK(VerifyActiveAuthentication(spki, sha256, nonce, flipped).code() == mck::Code::kSecurity);
  CHECK(VerifyActiveAuthentication(spki, sha256, FromHex("0102030405060709"), sig).code() == Code::kSecurity);
  ossl::Ptr<EVP_PKEY> clone(EVP_EC_gen("P-256"));
  CHECK(VerifyActiveAuthentication(spki, sha256, nonce, Sign(clone.get(), EVP_sha256(), nonce)).code() ==
        Code::kSecurity);
  CHECK(VerifyActiveAuthentication(spki, sha256, nonce, Bytes(63, 1)).code() == Code::kSecurity);
  // Unknown algorithms are refused clearly, never counted as a proof.
  CHECK(VerifyActiveAuthentication(spki, std::nullopt, nonce, sig).code() == Code::kFailedPrecondition);
  CHECK(VerifyActiveAuthentication(spki, FromHex("2A8648CE3D040399"), nonce, sig).code() == Code::kFailedPrecondition);
  ossl::Ptr<EVP_PKEY> ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  CHECK(VerifyActiveAuthentication(Spki(ed.get()), sha256, nonce, sig).code() == Code::kFailedPrecondition);
}

TEST_CASE("Active Authentication: RSA with ISO/IEC 9796-2 scheme 1 (BC and 34CC trailers)", "[card][key_proof]") {
  ossl::Ptr<EVP_PKEY> aa(EVP_RSA_gen(1024));
  const Bytes spki = Spki(aa.get());
  const Bytes nonce = FromHex("A1A2A3A4A5A6A7A8");
  const Bytes sig = Sign9796(aa.get(), nonce, EVP_sha1(), FromHex("BC"));
  CHECK(VerifyActiveAuthentication(spki, std::nullopt, nonce, sig).ok());
  CHECK(VerifyActiveAuthentication(spki, std::nullopt, FromHex("A1A2A3A4A5A6A7A9"), sig).code() == Code::kSecurity);
  CHECK(VerifyActiveAuthentication(spki, std::nullopt, nonce, Sign9796(aa.get(), nonce, EVP_sha256(), FromHex("34CC")))
            .ok());
  ossl::Ptr<EVP_PKEY> clone(EVP_RSA_gen(1024));
  CHECK(VerifyActiveAuthentication(spki, std::nullopt, nonce, Sign9796(clone.get(), nonce, EVP_sha1(), FromHex("BC")))
            .code() == Code::kSecurity);
  CHECK(VerifyActiveAuthentication(spki, std::nullopt, nonce, Bytes(128, 0x42)).code() == Code::kSecurity);
  CHECK(VerifyActiveAuthentication(spki, std::nullopt, nonce, Bytes(127, 0x42)).code() == Code::kSecurity);
}

TEST_CASE("CSCA set: PEM, a PEM bundle and an ICAO master list, and a CRL that revokes a document signer",
          "[card][sod][key_proof]") {
  const auto dir = MakePki();
  ossl::Ptr<X509_STORE> store(X509_STORE_new());
  auto ml = LoadCscaSet((dir / "csca.ml").string(), store.get());
  REQUIRE(ml.ok());
  CHECK(*ml == 2);
  auto bundle = LoadCscaSet((dir / "bundle.pem").string(), store.get());
  REQUIRE(bundle.ok());
  CHECK(*bundle == 2);
  auto crls = LoadCrls((dir / "crl.pem").string(), store.get());
  REQUIRE(crls.ok());
  CHECK(*crls == 1);

  const Bytes genuine = MakeSod("ds"), other = MakeSod("other-ds"), revoked = MakeSod("revoked-ds");
  for (const char* anchors : {"csca.pem", "csca.ml", "bundle.pem"}) {
    INFO(anchors);
    CHECK(VerifySodSignature(genuine, (dir / anchors).string()).ok());
    CHECK(VerifySodSignature(revoked, (dir / anchors).string()).ok());  // no CRL given: not checked
  }
  CHECK(VerifySodSignature(other, (dir / "csca.pem").string()).code() == Code::kSecurity);
  CHECK(VerifySodSignature(genuine, (dir / "other-csca.pem").string()).code() == Code::kSecurity);
  const std::string csca = (dir / "csca.pem").string(), crl = (dir / "crl.pem").string();
  CHECK(VerifySodSignature(genuine, csca, crl).ok());
  mck::Status r = VerifySodSignature(revoked, csca, crl);
  CHECK(r.code() == Code::kSecurity);
  CHECK(r.message_en().find("revoked") != std::string::npos);
  // Unusable files are the set-up's fault, told apart from a bad card.
  CHECK(VerifySodSignature(genuine, (dir / "none.pem").string()).code() == Code::kNotFound);
  CHECK(VerifySodSignature(genuine, csca, (dir / "csca.pem").string()).code() == Code::kInvalidArgument);
  CHECK(VerifySodSignature(genuine, (dir / "ds.key").string()).code() == Code::kInvalidArgument);

  SECTION("a master list whose content was changed after signing is refused") {
    std::string bytes = mck::test::ReadAll((dir / "csca.ml").string());
    const size_t at = bytes.find("Other CSCA");
    REQUIRE(at != std::string::npos);
    bytes[at] = 'X';
    const auto bad = dir / "bad.ml";
    std::ofstream(bad, std::ios::binary) << bytes;
    ossl::Ptr<X509_STORE> s2(X509_STORE_new());
    auto loaded = LoadCscaSet(bad.string(), s2.get());
    CHECK(loaded.status().code() == Code::kInvalidArgument);
    CHECK(VerifySodSignature(genuine, bad.string()).code() == Code::kInvalidArgument);
  }
  SECTION("a CMS that is not a master list (a SOD) is not taken as CSCAs") {
    const auto sod = dir / "sod.der";
    std::ofstream(sod, std::ios::binary)
        .write(reinterpret_cast<const char*>(genuine.data() + 4), static_cast<std::streamsize>(genuine.size() - 4));
    ossl::Ptr<X509_STORE> s3(X509_STORE_new());
    CHECK(LoadCscaSet(sod.string(), s3.get()).status().code() == Code::kInvalidArgument);
  }
}
