// Why a card operation failed, as a type: the kiosk says something different for each kind (a
// pulled card, pcscd down, a date of birth that does not open the chip ...), so the kind travels
// beside the Status from the place the driver learns it (the SCARD_* mapping in pcsc_reader.cpp,
// the status words in emrtd.cpp, the simulator) to the screen and kioskctl, never inside message
// text. The Status keeps its role: a Code for generic handling, an English message for logs and
// a Vietnamese message for people; neither carries personal data.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

#include "offline/domain/status.h"

namespace mck::card {

// Every kind the drivers can tell apart. (No timeout kind: PC/SC reads have no deadline of their
// own; a caller that gives up calls Cancel(), which is kCancelled.)
enum class CardFailure {
  kNoReader,     // no reader connected, or none of the configured name          (Code::kNotFound)
  kReaderGone,   // the reader was unplugged during the read                     (Code::kNotFound)
  kReaderBusy,   // another program holds the reader (SCARD_E_SHARING_VIOLATION)  (Code::kUnavailable)
  kServiceDown,  // pcscd is not running or dropped the connection               (Code::kUnavailable)
  kNoCard,       // no card in the reader                                        (Code::kFailedPrecondition)
  kCardRemoved,  // the card was taken away mid-read                             (Code::kUnavailable)
  kCardMute,     // the card does not answer (upside down, not a chip card)       (Code::kIo)
  kBadKey,       // the access data is malformed, found before any I/O           (Code::kInvalidArgument)
  kWrongKey,     // BAC/PACE refused the key: the typed ID number or date of birth does not
                 // match the chip (6300 / 63Cx / 6982 on authenticate)          (Code::kRejected)
  kNotAnIdCard,  // no ICAO eMRTD application on the card                        (Code::kInvalidArgument)
  kReadError,    // an unexpected status word, secure messaging broke, I/O error (Code::kIo)
  kCorruptData,  // a data group is malformed                                    (Code::kCorrupt)
  kSetupError,   // the kiosk's own set-up: the CSCA file missing or unreadable  (Code::kFailedPrecondition)
  kCancelled,    // Cancel() was called                                          (Code::kTimeout)
  kNotGenuine,   // the chip is not a genuine card: it failed Chip or Active Authentication
                 // (files copied without the private key: a clone), or its SOD's signer does
                 // not chain to a configured CSCA or is revoked                  (Code::kSecurity)
};
inline constexpr CardFailure kAllCardFailures[] = {
    CardFailure::kNoReader,   CardFailure::kReaderGone,  CardFailure::kReaderBusy, CardFailure::kServiceDown,
    CardFailure::kNoCard,     CardFailure::kCardRemoved, CardFailure::kCardMute,   CardFailure::kBadKey,
    CardFailure::kWrongKey,   CardFailure::kNotAnIdCard, CardFailure::kReadError,  CardFailure::kCorruptData,
    CardFailure::kSetupError, CardFailure::kCancelled,   CardFailure::kNotGenuine};

// A stable snake_case name for logs, JSON and i18n keys: "card_removed", "service_down", ...
const char* CardFailureName(CardFailure kind);
// The Status code a failure of this kind carries.
Code CardFailureCode(CardFailure kind);

// A failed card operation: what kind of failure, and the Status telling it (never ok).
struct CardError {
  CardFailure kind = CardFailure::kReadError;
  Status status;
};

// A CardError whose Status code follows the kind.
CardError MakeCardError(CardFailure kind, const std::string& message_en, const std::string& message_vi);
// Classifies a Status from elsewhere (TLV parsing, crypto, a file): its messages, the kind's code.
CardError AsCardError(CardFailure kind, const Status& cause);

// The outcome of a card operation that yields a T: the value or a CardError.
template <typename T>
class [[nodiscard]] CardResult {
 public:
  CardResult(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  CardResult(CardError error) : error_(std::move(error)) {  // NOLINT: implicit by design
    assert(!error_.status.ok() && "a CardError must carry a failed Status");
  }
  bool ok() const { return value_.has_value(); }
  // REQUIRES: !ok().
  const CardError& error() const { return error_; }
  CardFailure failure() const { return error_.kind; }
  const Status& status() const { return error_.status; }
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
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  CardError error_;
};

// The outcome of a card operation that yields nothing.
class [[nodiscard]] CardStatus {
 public:
  CardStatus() = default;                                   // ok
  CardStatus(CardError error) : error_(std::move(error)) {  // NOLINT: implicit by design
    assert(!error_->status.ok() && "a CardError must carry a failed Status");
  }
  static CardStatus Ok() { return CardStatus(); }
  bool ok() const { return !error_.has_value(); }
  // REQUIRES: !ok().
  const CardError& error() const { return *error_; }
  CardFailure failure() const { return error_->kind; }
  const Status& status() const { return error_->status; }

 private:
  std::optional<CardError> error_;
};

}  // namespace mck::card

#define MCK_RETURN_IF_CARD_ERROR(expr)           \
  do {                                           \
    ::mck::card::CardStatus _mck_cst = (expr);   \
    if (!_mck_cst.ok()) return _mck_cst.error(); \
  } while (0)
