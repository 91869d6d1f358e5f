// Detached CMS (CAdES-BES) signatures over counter decisions: the canonical bytes that are signed,
// the checks of an officer's certificate before signing, and the verification of a signature
// against a CA bundle. Pure OpenSSL, no token: the kiosk (drivers/token signs, this checks) and
// the portal simulator (tests/portal_sim verifies decisions) share it. docs/signing.md.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "offline/domain/status.h"

typedef struct x509_st X509;

namespace mck {

// The bytes an officer signs for a decision body (BuildDecisionBody, docs/portal.md "Signed
// decisions"): the body without its "signature" member, serialised compactly with its object
// keys sorted by code point (nlohmann::json's std::map order), strings UTF-8 as they are (the body is
// NFC already), integers in decimal, no whitespace. Same body, same bytes, on the kiosk and the portal.
std::string CanonicalDecisionBytes(const nlohmann::json& body);

// Why a certificate may not sign, or a signature is refused. Each kind has its own message.
enum class SignatureProblem {
  kNone,
  kMalformed,              // not a DER CMS SignedData, not detached, no signing time, no signer cert
  kTampered,               // the content's digest or the signature does not match: bytes changed
  kUntrusted,              // the signer does not chain to the configured CA(s): a wrong certificate
  kNotValidAtSigningTime,  // the signer's certificate was expired or not yet valid when it signed
  kCertExpired,            // (before signing) the certificate has expired
  kCertNotYetValid,        // (before signing) the certificate is not valid yet
  kNotForSigning,          // keyUsage allows neither digitalSignature nor nonRepudiation
};
// "tampered", "untrusted", ...: stable words for logs, JSON and the portal's 422 message.
const char* SignatureProblemName(SignatureProblem problem);

// What a certificate says of its holder, for screens and records (no private data beyond the
// officer's name on the certificate, which is public by design).
struct SignerInfo {
  std::string subject_cn;       // the certificate subject's commonName ("" if none)
  std::string subject;          // the whole subject, one line (RFC 2253)
  std::string serial_hex;       // certificate serial, lower-case hex
  std::int64_t not_before = 0;  // validity, Unix seconds
  std::int64_t not_after = 0;
  bool for_signing = false;  // keyUsage has digitalSignature or nonRepudiation (or no keyUsage)
};
SignerInfo DescribeCertificate(X509* cert);

// Before signing: the certificate is valid at `now` (Unix seconds) and allows signing.
// kNone, kCertExpired, kCertNotYetValid or kNotForSigning; `why` gets both messages when not kNone.
SignatureProblem CheckSigningCertificate(X509* cert, std::int64_t now, Status* why);

// The verdict on a signature: problem kNone with the signer, or the problem and its Status.
struct SignatureVerdict {
  SignatureProblem problem = SignatureProblem::kMalformed;
  Status status;                  // ok() when problem == kNone
  SignerInfo signer;              // filled when the signer's certificate was found
  std::int64_t signing_time = 0;  // the signingTime attribute, Unix seconds
  bool ok() const { return problem == SignatureProblem::kNone; }
};

// Verifies a detached CMS SignedData `cms_der` over `content`: exactly one signer, SHA-256,
// signed attributes with signingTime and ESS signingCertificateV2 (CAdES-BES, checked to name the
// signer's certificate), the signature over the content, the signer's chain to the trust anchors
// in `ca_bundle_pem` (PEM certificates; intermediates may come in the CMS) evaluated AT the signing
// time, and the signer's keyUsage. The order of checks gives one problem per cause: malformed,
// tampered, not valid at signing time, untrusted, not for signing.
SignatureVerdict VerifyDetachedCms(std::string_view cms_der, std::string_view content, std::string_view ca_bundle_pem);

// The decision body's "signature" member (docs/portal.md "Signed decisions"):
// {"format": "cades-bes", "cms": "<base64 of the DER CMS>"}.
nlohmann::json SignatureMember(std::string_view cms_der);
// Verifies the "signature" member of a decision body over CanonicalDecisionBytes(body).
// kMalformed when the member is not an object, its format is not "cades-bes" or its cms is not
// base64; otherwise VerifyDetachedCms.
SignatureVerdict VerifyDecisionSignature(const nlohmann::json& body, std::string_view ca_bundle_pem);

// Standard base64 (RFC 4648, with padding); Decode refuses anything else.
std::string Base64Encode(std::string_view bytes);
bool Base64Decode(std::string_view text, std::string* bytes);

// "YYYY-MM-DDTHH:MM:SS+07:00" for a Unix time (Vietnam), for the signer's record.
std::string SigningTimeVn(std::int64_t unix_seconds);

}  // namespace mck
