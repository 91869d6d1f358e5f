// An officer's signing token over PKCS#11: find it, list its signing certificates, log in with the
// officer's PIN, and make a detached CMS (CAdES-BES) signature with the key that stays on the
// token. docs/signing.md.
//
// Why raw PKCS#11 (dlopen of the module, p11-kit's pkcs11.h) and not libp11: every failure the
// counter must tell apart (token absent, removed mid-signature, wrong PIN, locked) is a CKR_* code
// or a CK_TOKEN_INFO flag, and we map them in one place (TokenFailureFromCkr). libp11 folds CK_RVs
// into OpenSSL's error queue under a library number it allocates at run time, and keeps its own
// slot cache; we would be parsing that back. OpenSSL still builds the CMS: the token signs the
// DigestInfo through a small RSA method (cms_signer.h).
//
// Use (one officer, one decision; the caller owns the PIN string and wipes it, SecureWipe):
//   auto tok = OfficerToken::Open("/usr/lib/softhsm/libsofthsm2.so", {.label = "Nguyen Van A"});
//   auto certs = tok.value()->Certificates();             // pick one, or "" for the first signing one
//   auto in = tok.value()->Login(pin); SecureWipe(pin);   // kWrongPin: error().pin has the flags
//   auto cms = tok.value()->SignDetached(CanonicalDecisionBytes(body), certs.value()[0].id_hex, now);
// or all of it in one call: SignWithToken(...). Each step either succeeds or returns a TokenError
// and signs nothing: the caller records and sends the decision only with a signature in hand.
//
// Thread-safety: an OfficerToken is used by one thread at a time (the counter's worker). Several
// may be open in one process; the module is initialised once and finalised with the last one.
// RSA keys only (the keys Vietnamese CAs issue to officials); an EC key is kNoCertificate.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/token/token_failure.h"

namespace mck::token {

// Which token: by label, by serial, or both (empty: not used); both empty: the only token present
// (more than one present is kTokenAbsent for "ambiguous": name it).
struct TokenSelector {
  std::string label;
  std::string serial;
};

// A certificate on the token with its private key, as the officer picks it.
struct TokenCertificate {
  std::string id_hex;           // CKA_ID, lower-case hex: pass it to SignDetached
  std::string label;            // CKA_LABEL
  std::string subject_cn;       // the holder's name on the certificate
  std::string serial_hex;       // certificate serial, lower-case hex
  std::int64_t not_before = 0;  // Unix seconds
  std::int64_t not_after = 0;
  bool for_signing = false;  // keyUsage digitalSignature or nonRepudiation
  std::string der;           // the certificate itself
};

class Module;  // a loaded, initialised PKCS#11 module (officer_token.cpp)

class OfficerToken {
 public:
  // Loads `module_path` (kModuleMissing if it cannot be loaded or is not a PKCS#11 module),
  // initialises it, finds the token (kTokenAbsent) and opens a read-only session on it.
  static TokenResult<std::unique_ptr<OfficerToken>> Open(const std::string& module_path, const TokenSelector& which);
  ~OfficerToken();  // logs out, closes the session, finalises the module with the last token
  OfficerToken(const OfficerToken&) = delete;
  OfficerToken& operator=(const OfficerToken&) = delete;

  const std::string& label() const { return label_; }
  const std::string& serial() const { return serial_; }

  // The token's PIN flags, read now (kTokenRemoved/kTokenAbsent when it is gone).
  TokenResult<PinState> ReadPinState();
  // The certificates on the token that have a private key beside them (same CKA_ID), signing or
  // not (for_signing says); the first signing one first. Public objects: no login needed.
  TokenResult<std::vector<TokenCertificate>> Certificates();
  // C_Login as the user. The PIN is passed to the module and copied nowhere; the caller wipes it.
  // A token already flagged CKF_USER_PIN_LOCKED is refused without trying (kPinLocked).
  // kWrongPin / kPinLocked carry the PinState read right after the failed attempt.
  TokenStatus Login(const std::string& pin);
  // A detached CMS SignedData (DER) over `content`: SHA-256 with RSA PKCS#1 v1.5 on the token,
  // signed attributes contentType, messageDigest, signingTime (= `now`, Unix seconds) and ESS
  // signingCertificateV2; the signer's certificate and any CA certificates on the token included.
  // Before anything reaches the token the certificate is checked at `now`: kCertExpired,
  // kCertNotYetValid, kCertNotForSigning. `cert_id_hex` "": the first signing certificate.
  // REQUIRES: Login succeeded (else kNotLoggedIn). A token that vanishes is kTokenRemoved.
  TokenResult<std::string> SignDetached(std::string_view content, const std::string& cert_id_hex, std::int64_t now);
  // Ends the login (also done by the destructor). Safe to call twice.
  void Logout();

 private:
  OfficerToken() = default;
  TokenError FromCkr(const char* call, unsigned long rv);

  std::shared_ptr<Module> module_;
  unsigned long slot_ = 0;
  unsigned long session_ = 0;
  bool session_open_ = false;
  bool logged_in_ = false;
  std::string label_;
  std::string serial_;
};

// Open, log in, sign with `cert_id_hex` ("" = first signing certificate), log out, close: one
// decision signed in one call. The caller wipes `pin` afterwards.
TokenResult<std::string> SignWithToken(const std::string& module_path, const TokenSelector& which,
                                       const std::string& pin, const std::string& cert_id_hex, std::string_view content,
                                       std::int64_t now);

}  // namespace mck::token
