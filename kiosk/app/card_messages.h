// What the screen says when a chip read fails: one message key per CardFailure kind
// ("card.error.<name>" in assets/i18n/vi.json and en.json), so a stopped pcscd is told as "the
// reader is paused, type your ID number" and never as "the card was lifted".
#pragma once

#include <string>

#include "drivers/card/card_failure.h"

namespace mck::app {

inline std::string CardFailureMessageKey(card::CardFailure kind) {
  return std::string("card.error.") + card::CardFailureName(kind);
}

}  // namespace mck::app
