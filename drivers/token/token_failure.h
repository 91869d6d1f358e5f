// Why a signing-token operation failed, as a type (like card::CardFailure): the counter's screen
// says something different for each kind, so the kind travels beside the Status from where the
// driver learns it (the CKR_* mapping in token_failure.cpp, the certificate checks) to the screen
// and kioskctl, never inside message text. Messages: Vietnamese for people, English for logs;
// neither ever carries the PIN or the signed decision's data.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

#include "offline/domain/status.h"

namespace mck::token {

enum class TokenFailure {
  kModuleMissing,      // the PKCS#11 module file cannot be loaded                 (kFailedPrecondition)
  kTokenAbsent,        // no token (of that label / serial) is present               (kNotFound)
  kTokenRemoved,       // the token went away after it was opened (mid-signature)    (kUnavailable)
  kWrongPin,           // CKR_PIN_INCORRECT; PinState says what the token reports    (kRejected)
  kPinLocked,          // CKR_PIN_LOCKED or CKF_USER_PIN_LOCKED                      (kRejected)
  kNotLoggedIn,        // Sign before Login                                          (kFailedPrecondition)
  kNoCertificate,      // no certificate (of that id) on the token, or no key for it (kNotFound)
  kCertExpired,        // the signing certificate has expired (checked before signing) (kSecurity)
  kCertNotYetValid,    // the signing certificate is not valid yet                    (kSecurity)
  kCertNotForSigning,  // keyUsage has neither digitalSignature nor nonRepudiation    (kSecurity)
  kTokenError,         // any other failure of the module or the token                (kIo)
};

// A stable snake_case name for logs and JSON: "token_absent", "wrong_pin", ...
const char* TokenFailureName(TokenFailure kind);
Code TokenFailureCode(TokenFailure kind);

// The token's PIN state, from its CK_TOKEN_INFO flags. PKCS#11 has no field for the number of
// tries left: a token says only "count low" (some wrong PIN since the last good one), "final
// try" and "locked". When none of them is set we know nothing about the count, and say so.
struct PinState {
  bool count_low = false;  // CKF_USER_PIN_COUNT_LOW
  bool final_try = false;  // CKF_USER_PIN_FINAL_TRY
  bool locked = false;     // CKF_USER_PIN_LOCKED
  // "Còn 1 lần thử" (final try) / "Đã nhập sai; thiết bị không cho biết còn bao nhiêu lần thử" /
  // "" when the token reports nothing.
  std::string DescribeVi() const;
  std::string DescribeEn() const;
};

// A failed token operation: the kind, the Status (never ok), and the PIN state for kWrongPin and
// kPinLocked (read from the token right after the failed login).
struct TokenError {
  TokenFailure kind = TokenFailure::kTokenError;
  Status status;
  std::optional<PinState> pin;
};

// The error of a kind with its standard messages; `detail_en` (e.g. "C_Sign: CKR_DEVICE_REMOVED")
// is appended to the English message only.
TokenError MakeTokenError(TokenFailure kind, const std::string& detail_en = {});

// The outcome of a token operation that yields a T: the value or a TokenError.
template <typename T>
class [[nodiscard]] TokenResult {
 public:
  TokenResult(T value) : value_(std::move(value)) {}           // NOLINT: implicit by design
  TokenResult(TokenError error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return value_.has_value(); }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const TokenError& error() const {
    assert(!ok());
    return error_;
  }

 private:
  std::optional<T> value_;
  TokenError error_;
};

// For operations without a value.
struct Done {};
using TokenStatus = TokenResult<Done>;

// CKR_* (a CK_RV) to a kind. `logged_in`: the session was open and logged in, so a vanished token
// or session is kTokenRemoved (else kTokenAbsent). Pure; tested for every mapped code.
TokenFailure TokenFailureFromCkr(unsigned long rv, bool logged_in);
// "CKR_PIN_INCORRECT", ... ("CKR_0x…" for codes not named here).
std::string CkrName(unsigned long rv);

}  // namespace mck::token
