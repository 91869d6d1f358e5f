// The officer's signing token over PKCS#11, with SoftHSM2 as the token (docs/signing.md): a
// decision signed on the token verifies (here, and with `openssl cms -verify`); tampered bytes, a
// certificate of another CA, a wrong PIN, an absent token, a token removed between login and
// signature, and expired / not-yet-valid / not-for-signing certificates each fail with their own
// kind and message, and return no signature.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <catch2/catch.hpp>

#include <ctime>

#include "drivers/token/cms_signer.h"
#include "drivers/token/officer_token.h"
#include "offline/domain/config.h"
#include "offline/domain/ids.h"
#include "offline/domain/signature.h"
#include "tests/drivers/token/token_fixture.h"

using namespace mck;
using namespace mck::token;
using namespace mck::test;
using nlohmann::json;

namespace {

std::int64_t Now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

json DecisionBody() {
  return {{"decision", "accept"},
          {"officer", "CB07"},
          {"documents_received", {{{"id", "birth_certificate"}, {"form", "original"}, {"count", 1}}}}};
}

// Logs in with kUserPin and signs `content` with the certificate `id` ("" the first signing one).
TokenResult<std::string> SignOn(const SoftHsmToken& t, const std::string& content, const std::string& id = "") {
  std::string pin = kUserPin;
  auto r = SignWithToken(kSoftHsmModule, {t.label(), ""}, pin, id, content, Now());
  SecureWipe(pin);
  return r;
}

void RequireFailure(const TokenError& e, TokenFailure kind) {
  INFO(e.status.ToString());
  CHECK(TokenFailureName(e.kind) == std::string(TokenFailureName(kind)));
  CHECK_FALSE(e.status.ok());
  CHECK(e.status.message_vi() != e.status.message_en());  // a Vietnamese message for the screen
}

}  // namespace

TEST_CASE("a decision signed on the SoftHSM2 token verifies against the officer CA with the signer and time") {
  SoftHsmToken t;
  t.Import("good", "01");
  t.AddCertificate(Pki().der("ca"), "c0");  // the CA on the token goes into the CMS too

  auto tok = OfficerToken::Open(kSoftHsmModule, {t.label(), ""});
  REQUIRE(tok.ok());
  auto certs = tok.value()->Certificates();
  REQUIRE(certs.ok());
  REQUIRE(certs.value().size() == 1);  // the CA certificate has no key: not offered for signing
  const TokenCertificate& c = certs.value()[0];
  CHECK(c.id_hex == "01");
  CHECK(c.subject_cn == "Nguyễn Văn An");
  CHECK(c.serial_hex == "1001");
  CHECK(c.for_signing);
  CHECK(c.not_before < Now());
  CHECK(c.not_after > Now());
  auto pin_state = tok.value()->ReadPinState();
  REQUIRE(pin_state.ok());
  CHECK_FALSE(pin_state.value().count_low);
  CHECK(pin_state.value().DescribeVi().empty());

  std::string pin = kUserPin;
  auto login = tok.value()->Login(pin);
  SecureWipe(pin);
  REQUIRE(login.ok());
  const std::string bytes = CanonicalDecisionBytes(DecisionBody());
  const std::int64_t now = Now();
  auto cms = tok.value()->SignDetached(bytes, "01", now);
  INFO((cms.ok() ? std::string() : cms.error().status.ToString()));
  REQUIRE(cms.ok());
  tok.value()->Logout();

  const SignatureVerdict v = VerifyDetachedCms(cms.value(), bytes, Pki().ca_bundle());
  INFO(v.status.ToString());
  REQUIRE(v.ok());
  CHECK(v.signer.subject_cn == "Nguyễn Văn An");
  CHECK(v.signer.serial_hex == "1001");
  CHECK(v.signing_time == now);
  CHECK(SigningTimeVn(now).size() == 25);

  // An independent verifier: OpenSSL's command line, over the same bytes, with the same CA, and
  // the CAdES-BES attributes present.
  WriteFileBytes(t.dir() / "sig.der", cms.value());
  WriteFileBytes(t.dir() / "decision.json", bytes);
  std::string out;
  CHECK(Run({"openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", (t.dir() / "sig.der").string(),
             "-content", (t.dir() / "decision.json").string(), "-CAfile", Pki().ca_pem().string(), "-purpose", "any",
             "-out", "/dev/null"},
            &out) == 0);
  CHECK(out.find("Verification successful") != std::string::npos);
  CHECK(Run({"openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", (t.dir() / "sig.der").string()}, &out) ==
        0);
  for (const char* attr : {"contentType", "messageDigest", "signingTime", "id-smime-aa-signingCertificateV2", "sha256",
                           "Test Officer CA"}) {
    INFO(attr);
    CHECK(out.find(attr) != std::string::npos);
  }
  CHECK(out.find("eContent: <ABSENT>") != std::string::npos);  // detached
  // And the independent verifier refuses a changed byte too.
  WriteFileBytes(t.dir() / "decision.json", bytes + " ");
  CHECK(Run({"openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", (t.dir() / "sig.der").string(),
             "-content", (t.dir() / "decision.json").string(), "-CAfile", Pki().ca_pem().string(), "-purpose", "any",
             "-out", "/dev/null"}) != 0);
}

TEST_CASE("a tampered decision is refused as tampered and a certificate of another CA as untrusted") {
  SoftHsmToken t;
  t.Import("good", "01");
  t.Import("foreign", "02");
  json body = DecisionBody();
  auto cms = SignOn(t, CanonicalDecisionBytes(body), "01");
  REQUIRE(cms.ok());
  body["signature"] = SignatureMember(cms.value());
  CHECK(VerifyDecisionSignature(body, Pki().ca_bundle()).ok());  // the signature member is not signed

  json tampered = body;
  tampered["officer"] = "CB08";
  SignatureVerdict v = VerifyDecisionSignature(tampered, Pki().ca_bundle());
  CHECK(v.problem == SignatureProblem::kTampered);
  CHECK(v.status.message_vi().find("đã bị thay đổi") != std::string::npos);
  tampered = body;
  tampered["documents_received"][0]["count"] = 2;
  CHECK(VerifyDecisionSignature(tampered, Pki().ca_bundle()).problem == SignatureProblem::kTampered);

  // The right bytes, but the officer CA does not vouch for the signer: the wrong certificate.
  v = VerifyDecisionSignature(body, ReadFileBytes(Pki().other_ca_pem()));
  CHECK(v.problem == SignatureProblem::kUntrusted);
  auto foreign = SignOn(t, CanonicalDecisionBytes(DecisionBody()), "02");
  REQUIRE(foreign.ok());
  v = VerifyDetachedCms(foreign.value(), CanonicalDecisionBytes(DecisionBody()), Pki().ca_bundle());
  CHECK(v.problem == SignatureProblem::kUntrusted);
  CHECK(v.signer.subject_cn == "Hoàng Văn Em");
  CHECK(v.status.message_vi().find("sai chứng thư") != std::string::npos);

  // Not a signature at all.
  json junk = DecisionBody();
  junk["signature"] = {{"format", "cades-bes"}, {"cms", "bm90IGEgQ01T"}};
  CHECK(VerifyDecisionSignature(junk, Pki().ca_bundle()).problem == SignatureProblem::kMalformed);
  junk["signature"] = {{"format", "pades"}, {"cms", body["signature"]["cms"]}};
  CHECK(VerifyDecisionSignature(junk, Pki().ca_bundle()).problem == SignatureProblem::kMalformed);
}

TEST_CASE("a wrong PIN is refused with what the token reports of its tries and nothing is signed") {
  SoftHsmToken t;
  t.Import("good", "01");
  auto tok = OfficerToken::Open(kSoftHsmModule, {t.label(), ""});
  REQUIRE(tok.ok());
  std::string wrong = "000000";
  auto login = tok.value()->Login(wrong);
  SecureWipe(wrong);
  REQUIRE_FALSE(login.ok());
  RequireFailure(login.error(), TokenFailure::kWrongPin);
  // SoftHSM2 sets CKF_USER_PIN_COUNT_LOW after a wrong PIN and reports no count, no final try and
  // never a lock: the message says the count is unknown rather than inventing one.
  REQUIRE(login.error().pin.has_value());
  CHECK(login.error().pin->count_low);
  CHECK_FALSE(login.error().pin->final_try);
  CHECK_FALSE(login.error().pin->locked);
  CHECK(login.error().status.message_vi().find("Mã PIN của thiết bị ký số không đúng.") == 0);
  CHECK(login.error().status.message_vi().find("không cho biết còn bao nhiêu lần thử") != std::string::npos);
  CHECK(login.error().status.message_en().find("123456") == std::string::npos);
  // Not logged in: signing is refused before the token is asked.
  auto cms = tok.value()->SignDetached("x", "01", Now());
  REQUIRE_FALSE(cms.ok());
  RequireFailure(cms.error(), TokenFailure::kNotLoggedIn);
  // The right PIN afterwards: the flag clears.
  std::string pin = kUserPin;
  REQUIRE(tok.value()->Login(pin).ok());
  SecureWipe(pin);
  CHECK_FALSE(tok.value()->ReadPinState().value().count_low);
}

TEST_CASE("a token that reports its PIN locked is refused before any login, and a final try is said as such") {
  SoftHsmToken t;
  t.Import("good", "01");
  t.AddStoredTokenFlags(0x00020000 /* CKF_USER_PIN_FINAL_TRY */);
  {
    auto tok = OfficerToken::Open(kSoftHsmModule, {t.label(), ""});
    REQUIRE(tok.ok());
    std::string wrong = "000000";
    auto login = tok.value()->Login(wrong);
    REQUIRE_FALSE(login.ok());
    RequireFailure(login.error(), TokenFailure::kWrongPin);
    REQUIRE(login.error().pin.has_value());
    CHECK(login.error().pin->final_try);
    CHECK(login.error().status.message_vi().find("Chỉ còn 1 lần thử") != std::string::npos);
  }
  t.AddStoredTokenFlags(0x00040000 /* CKF_USER_PIN_LOCKED */);
  auto tok = OfficerToken::Open(kSoftHsmModule, {t.label(), ""});
  REQUIRE(tok.ok());
  CHECK(tok.value()->ReadPinState().value().locked);
  std::string pin = kUserPin;  // the right PIN: still refused, the driver does not try it
  auto login = tok.value()->Login(pin);
  SecureWipe(pin);
  REQUIRE_FALSE(login.ok());
  RequireFailure(login.error(), TokenFailure::kPinLocked);
  REQUIRE(login.error().pin.has_value());
  CHECK(login.error().pin->locked);
  CHECK(login.error().status.message_vi().find("đã bị khoá") != std::string::npos);
  auto cms = tok.value()->SignDetached("x", "01", Now());
  REQUIRE_FALSE(cms.ok());
  RequireFailure(cms.error(), TokenFailure::kNotLoggedIn);
}

TEST_CASE("an absent token, an unknown label and a missing module each have their own error") {
  SECTION("no token at all") {
    SoftHsmToken t;
    std::filesystem::remove_all(t.dir() / "tokens");
    std::filesystem::create_directory(t.dir() / "tokens");
    auto tok = OfficerToken::Open(kSoftHsmModule, {});
    REQUIRE_FALSE(tok.ok());
    RequireFailure(tok.error(), TokenFailure::kTokenAbsent);
    CHECK(tok.error().status.message_vi().find("cắm token") != std::string::npos);
  }
  SECTION("another officer's token") {
    SoftHsmToken t;
    t.Import("good", "01");
    auto tok = OfficerToken::Open(kSoftHsmModule, {"Khong co token nay", ""});
    REQUIRE_FALSE(tok.ok());
    RequireFailure(tok.error(), TokenFailure::kTokenAbsent);
    auto by_serial = OfficerToken::Open(kSoftHsmModule, {"", "0000000000000000"});
    REQUIRE_FALSE(by_serial.ok());
    RequireFailure(by_serial.error(), TokenFailure::kTokenAbsent);
  }
  SECTION("no PKCS#11 module") {
    auto tok = OfficerToken::Open("/nonexistent/libtoken-pkcs11.so", {});
    REQUIRE_FALSE(tok.ok());
    RequireFailure(tok.error(), TokenFailure::kModuleMissing);
  }
}

TEST_CASE("a token removed between login and signature fails as removed and signs nothing") {
  // SoftHSM2 behind `p11-kit server`, reached through p11-kit-client.so: killing the server (and
  // its per-connection children) is the token going away under an open, logged-in session.
  SoftHsmToken t;
  t.Import("good", "01");
  P11KitServer server(t);
  auto tok = OfficerToken::Open(kP11KitClientModule, {t.label(), ""});
  INFO((tok.ok() ? std::string() : tok.error().status.ToString()));
  REQUIRE(tok.ok());
  std::string pin = kUserPin;
  auto login = tok.value()->Login(pin);
  SecureWipe(pin);
  REQUIRE(login.ok());
  server.Kill();
  auto cms = tok.value()->SignDetached(CanonicalDecisionBytes(DecisionBody()), "01", Now());
  REQUIRE_FALSE(cms.ok());
  RequireFailure(cms.error(), TokenFailure::kTokenRemoved);
  WARN("the client module reported: " << cms.error().status.message_en());
  CHECK(cms.error().status.message_vi().find("chưa được ký và chưa được gửi") != std::string::npos);
  // Asking again: still removed, never a half-made signature.
  auto again = tok.value()->SignDetached("x", "01", Now());
  REQUIRE_FALSE(again.ok());
  RequireFailure(again.error(), TokenFailure::kTokenRemoved);
}

TEST_CASE("expired, not yet valid and not-for-signing certificates are refused before signing") {
  SoftHsmToken t;
  t.Import("expired", "0e");
  t.Import("notyet", "0f");
  t.Import("keyenc", "0a");
  const std::string bytes = CanonicalDecisionBytes(DecisionBody());
  auto expired = SignOn(t, bytes, "0e");
  REQUIRE_FALSE(expired.ok());
  RequireFailure(expired.error(), TokenFailure::kCertExpired);
  auto notyet = SignOn(t, bytes, "0f");
  REQUIRE_FALSE(notyet.ok());
  RequireFailure(notyet.error(), TokenFailure::kCertNotYetValid);
  auto keyenc = SignOn(t, bytes, "0a");
  REQUIRE_FALSE(keyenc.ok());
  RequireFailure(keyenc.error(), TokenFailure::kCertNotForSigning);
  auto unknown = SignOn(t, bytes, "77");
  REQUIRE_FALSE(unknown.ok());
  RequireFailure(unknown.error(), TokenFailure::kNoCertificate);
  // Listed as they are, so the screen can say which one is usable.
  auto tok = OfficerToken::Open(kSoftHsmModule, {t.label(), ""});
  REQUIRE(tok.ok());
  auto certs = tok.value()->Certificates();
  REQUIRE(certs.ok());
  CHECK(certs.value().size() == 3);
  CHECK(certs.value().back().id_hex == "0a");  // not for signing: listed last
  CHECK_FALSE(certs.value().back().for_signing);
}

TEST_CASE("the verifier refuses a signature made outside the certificate's validity or by a non-signing key") {
  // Signed in memory (not on a token) so the certificate checks before signing can be bypassed.
  auto sign_with = [](const std::string& officer, const std::string& content, std::int64_t when) {
    FILE* f = std::fopen(Pki().key(officer).c_str(), "r");
    REQUIRE(f != nullptr);
    EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    REQUIRE(key != nullptr);
    RawRsaSign raw = [key](std::string_view digest_info, std::string* signature) {
      EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
      size_t len = 0;
      bool ok = EVP_PKEY_sign_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                EVP_PKEY_sign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(digest_info.data()),
                              digest_info.size()) == 1;
      signature->assign(len, '\0');
      ok = ok && EVP_PKEY_sign(ctx, reinterpret_cast<unsigned char*>(signature->data()), &len,
                               reinterpret_cast<const unsigned char*>(digest_info.data()), digest_info.size()) == 1;
      signature->resize(len);
      EVP_PKEY_CTX_free(ctx);
      return ok;
    };
    auto cms = BuildDetachedCades(content, ReadFileBytes(Pki().der(officer)), {}, when, raw);
    EVP_PKEY_free(key);
    REQUIRE(cms.ok());
    return cms.value();
  };
  const std::string bytes = "canonical decision bytes";
  CHECK(VerifyDetachedCms(sign_with("good", bytes, Now()), bytes, Pki().ca_bundle()).ok());
  // Signed today with a certificate that expired ten days ago.
  SignatureVerdict v = VerifyDetachedCms(sign_with("expired", bytes, Now()), bytes, Pki().ca_bundle());
  CHECK(v.problem == SignatureProblem::kNotValidAtSigningTime);
  // ... but signed while it was valid, it still verifies: the time that counts is the signing time.
  CHECK(VerifyDetachedCms(sign_with("expired", bytes, Now() - 30 * 86400), bytes, Pki().ca_bundle()).ok());
  v = VerifyDetachedCms(sign_with("notyet", bytes, Now()), bytes, Pki().ca_bundle());
  CHECK(v.problem == SignatureProblem::kNotValidAtSigningTime);
  v = VerifyDetachedCms(sign_with("keyenc", bytes, Now()), bytes, Pki().ca_bundle());
  CHECK(v.problem == SignatureProblem::kNotForSigning);
  CHECK(VerifyDetachedCms("", bytes, Pki().ca_bundle()).problem == SignatureProblem::kMalformed);
}

TEST_CASE("CKR codes map to the token failure kinds and the PIN flags to truthful messages") {
  CHECK(TokenFailureFromCkr(0xA0 /* CKR_PIN_INCORRECT */, false) == TokenFailure::kWrongPin);
  CHECK(TokenFailureFromCkr(0xA4 /* CKR_PIN_LOCKED */, false) == TokenFailure::kPinLocked);
  CHECK(TokenFailureFromCkr(0x32 /* CKR_DEVICE_REMOVED */, true) == TokenFailure::kTokenRemoved);
  CHECK(TokenFailureFromCkr(0x32, false) == TokenFailure::kTokenAbsent);
  CHECK(TokenFailureFromCkr(0xE0 /* CKR_TOKEN_NOT_PRESENT */, true) == TokenFailure::kTokenRemoved);
  CHECK(TokenFailureFromCkr(0xB3 /* CKR_SESSION_HANDLE_INVALID */, true) == TokenFailure::kTokenRemoved);
  CHECK(TokenFailureFromCkr(0x30 /* CKR_DEVICE_ERROR */, true) == TokenFailure::kTokenRemoved);
  CHECK(TokenFailureFromCkr(0x30, false) == TokenFailure::kTokenError);
  CHECK(TokenFailureFromCkr(0x101 /* CKR_USER_NOT_LOGGED_IN */, true) == TokenFailure::kNotLoggedIn);
  CHECK(TokenFailureFromCkr(0x5 /* CKR_GENERAL_ERROR */, true) == TokenFailure::kTokenError);
  CHECK(CkrName(0xA0) == "CKR_PIN_INCORRECT");
  CHECK(CkrName(0x12345) == "CKR_0x12345");
  PinState p;
  CHECK(p.DescribeVi().empty());
  p.count_low = true;
  CHECK(p.DescribeVi().find("không cho biết") != std::string::npos);
  p.final_try = true;
  CHECK(p.DescribeVi().find("Chỉ còn 1 lần thử") == 0);
  p.locked = true;
  CHECK(p.DescribeVi() == "Mã PIN đã bị khoá.");
  for (TokenFailure k : {TokenFailure::kModuleMissing, TokenFailure::kTokenAbsent, TokenFailure::kTokenRemoved,
                         TokenFailure::kWrongPin, TokenFailure::kPinLocked, TokenFailure::kCertExpired,
                         TokenFailure::kCertNotYetValid, TokenFailure::kCertNotForSigning}) {
    const TokenError e = MakeTokenError(k);
    CHECK(e.status.code() == TokenFailureCode(k));
    CHECK_FALSE(e.status.message_vi().empty());
  }
}

TEST_CASE("the canonical bytes of a decision are key-sorted, compact and leave out the signature") {
  json a = {{"officer", "CB07"}, {"decision", "refuse"}, {"reason", "Thiếu giấy chứng sinh"}};
  json b;
  b["reason"] = "Thiếu giấy chứng sinh";
  b["decision"] = "refuse";
  b["officer"] = "CB07";
  CHECK(CanonicalDecisionBytes(a) == CanonicalDecisionBytes(b));
  CHECK(CanonicalDecisionBytes(a) == R"({"decision":"refuse","officer":"CB07","reason":"Thiếu giấy chứng sinh"})");
  b["signature"] = SignatureMember("anything");
  CHECK(CanonicalDecisionBytes(a) == CanonicalDecisionBytes(b));
  std::string back;
  REQUIRE(Base64Decode(Base64Encode("ab"), &back));
  CHECK(back == "ab");
  CHECK_FALSE(Base64Decode("a b=", &back));
}

TEST_CASE("the [signing] section names the PKCS#11 module, the token and the officers' CA, and refuses a relative module path") {
  auto c = ParseConfig(
      "[signing]\nmodule = \"/usr/lib/softhsm/libsofthsm2.so\"\ntoken_label = \"Can bo\"\n"
      "token_serial = \"a2ad8c7caae71a91\"\nca_file = \"/etc/mot-cua/officer-ca.pem\"\n",
      "kiosk.toml");
  REQUIRE(c.ok());
  CHECK(c.value().signing_module == kSoftHsmModule);
  CHECK(c.value().signing_token_label == "Can bo");
  CHECK(c.value().signing_token_serial == "a2ad8c7caae71a91");
  CHECK(c.value().signing_ca_file == "/etc/mot-cua/officer-ca.pem");
  CHECK(ParseConfig("", "kiosk.toml").value().signing_module.empty());  // not configured by default
  // A module without the officers' CA: the kiosk could not check what it signs.
  auto no_ca = ParseConfig("[signing]\nmodule = \"/usr/lib/softhsm/libsofthsm2.so\"\n", "kiosk.toml");
  REQUIRE_FALSE(no_ca.ok());
  CHECK(no_ca.status().message_en().find("ca_file") != std::string::npos);
  auto rel = ParseConfig("[signing]\nmodule = \"libsofthsm2.so\"\n", "kiosk.toml");
  REQUIRE_FALSE(rel.ok());
  CHECK(rel.status().message_en().find("kiosk.toml:2") != std::string::npos);
  CHECK_FALSE(ParseConfig("[signing]\npin = \"1234\"\n", "kiosk.toml").ok());  // never a PIN in a file
}
