#include "drivers/card/card_failure.h"

namespace mck::card {
namespace {

struct KindInfo {
  CardFailure kind;
  const char* name;
  Code code;
};
// Names are stable: kioskctl prints them, tests and i18n keys ("card.error.<name>") use them.
constexpr KindInfo kKinds[] = {
    {CardFailure::kNoReader, "no_reader", Code::kNotFound},
    {CardFailure::kReaderGone, "reader_gone", Code::kNotFound},
    {CardFailure::kReaderBusy, "reader_busy", Code::kUnavailable},
    {CardFailure::kServiceDown, "service_down", Code::kUnavailable},
    {CardFailure::kNoCard, "no_card", Code::kFailedPrecondition},
    {CardFailure::kCardRemoved, "card_removed", Code::kUnavailable},
    {CardFailure::kCardMute, "card_mute", Code::kIo},
    {CardFailure::kBadKey, "bad_key", Code::kInvalidArgument},
    {CardFailure::kWrongKey, "wrong_key", Code::kRejected},
    {CardFailure::kNotAnIdCard, "not_an_id_card", Code::kInvalidArgument},
    {CardFailure::kReadError, "read_error", Code::kIo},
    {CardFailure::kCorruptData, "corrupt_data", Code::kCorrupt},
    {CardFailure::kSetupError, "setup_error", Code::kFailedPrecondition},
    {CardFailure::kCancelled, "cancelled", Code::kTimeout},
    {CardFailure::kNotGenuine, "not_genuine", Code::kSecurity},
};

const KindInfo& Info(CardFailure kind) {
  for (const auto& i : kKinds) {
    if (i.kind == kind) return i;
  }
  static constexpr KindInfo kUnknown{CardFailure::kReadError, "read_error", Code::kIo};
  return kUnknown;  // not reached for a valid enum value
}

}  // namespace

const char* CardFailureName(CardFailure kind) {
  return Info(kind).name;
}

Code CardFailureCode(CardFailure kind) {
  return Info(kind).code;
}

CardError MakeCardError(CardFailure kind, const std::string& message_en, const std::string& message_vi) {
  return CardError{kind, Status::Error(CardFailureCode(kind), message_en, message_vi)};
}

CardError AsCardError(CardFailure kind, const Status& cause) {
  const std::string en = cause.ok() ? "unexpected ok status" : cause.message_en();
  const std::string vi = cause.ok() ? std::string() : cause.message_vi();
  return MakeCardError(kind, en, vi);
}

}  // namespace mck::card
