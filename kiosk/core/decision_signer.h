// Signs a counter decision on the officer's PKCS#11 token, for the staff screen and `kioskctl
// dossier decide --sign` (docs/signing.md "At the counter"). One signer per decision: it holds the
// PIN the officer typed, uses it once and wipes it.
//
// The body is signed as DecisionStore::Submit will store and send it (its SignDecision hook), and
// the new signature is checked against the officers' CA ([signing] ca_file) before the decision is
// recorded: a certificate from another CA is refused at the counter with nothing queued, not days
// later by the portal.
//
// Thread-safety: one thread (the core worker, or kioskctl's main thread): the token is slow I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "drivers/token/token_failure.h"
#include "offline/domain/clock.h"
#include "offline/domain/config.h"
#include "offline/domain/signature.h"
#include "offline/store/counter_records.h"

namespace mck::token {
class OfficerToken;
}

namespace mck::core {

// Why a decision was not signed: the token's failure, or the kiosk's check of the signature made.
struct SigningRefusal {
  std::string why;  // TokenFailureName ("wrong_pin", "token_removed", ...) or "signature_<problem>"
  bool wrong_pin = false;  // the officer may type the PIN again
  Status status;           // Vietnamese for the screen (with the token's PIN state), English for logs
};

// Who signed, read back from the signature the kiosk just made and checked.
struct SignedBy {
  std::string name;           // the certificate's commonName
  std::string serial_hex;     // the certificate's serial
  std::int64_t signed_at = 0;  // signingTime, Unix seconds
};

class DecisionSigner {
 public:
  // `pin` is moved in and wiped by Unlock (or the destructor).
  DecisionSigner(const KioskConfig& config, std::string pin, const Clock& clock);
  ~DecisionSigner();
  DecisionSigner(const DecisionSigner&) = delete;
  DecisionSigner& operator=(const DecisionSigner&) = delete;

  // Opens the token and logs in with the PIN, then wipes the PIN (whatever happened). Hook's
  // signature then needs no PIN; a token pulled out after this is `token_removed` there.
  Status Unlock();
  // For DecisionStore::Submit / CounterDecisions::Record: unlocks first if Unlock was not called,
  // then signs. Signs once; a second call is refused.
  DecisionStore::SignDecision Hook();
  // The officer signed in at the counter: the certificate must be theirs (names compared without
  // case or diacritics: certificates often carry "NGUYEN VAN AN"); else `signer_mismatch`.
  void ExpectSigner(std::string officer_name) { expected_signer_ = std::move(officer_name); }
  // After a failed Record: why the signature was not made (nullopt when the token was not the cause).
  const std::optional<SigningRefusal>& refusal() const { return refusal_; }
  // After a good one.
  const std::optional<SignedBy>& signed_by() const { return signed_by_; }

 private:
  Result<nlohmann::json> Sign(const nlohmann::json& body);
  Status Refuse(std::string why, Status st, bool wrong_pin = false);

  const KioskConfig& config_;
  std::string pin_;
  const Clock& clock_;
  std::unique_ptr<token::OfficerToken> token_;
  std::string ca_pem_;
  std::string expected_signer_;
  bool used_ = false;
  std::optional<SigningRefusal> refusal_;
  std::optional<SignedBy> signed_by_;
};

// The signer of a stored decision body whose signature verifies against `ca_bundle_pem`; nullopt
// for an unsigned body or one whose signature does not verify (the Mẫu 01 prints "Đã ký số" only
// for the first).
std::optional<SignedBy> VerifiedSigner(const nlohmann::json& body, const std::string& ca_bundle_pem);

// An officer who signs in with their token (docs/officers.md): logs in with `pin` (wiped), signs
// a one-time challenge naming `officer_id`, checks the signature against the officers' CA and that
// the certificate names `officer_name`. The signer, or the refusal (*refusal gets its kind).
Result<SignedBy> ProveOfficerToken(const KioskConfig& config, std::string pin, const Clock& clock,
                                   const std::string& officer_id, const std::string& officer_name,
                                   SigningRefusal* refusal);

// The text of [signing] ca_file; kFailedPrecondition (both languages) when it cannot be read.
Result<std::string> ReadOfficerCa(const KioskConfig& config);

}  // namespace mck::core
