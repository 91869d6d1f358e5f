// The identity assurance level (offline/domain/assurance.h) in people's words: what the staff
// screen shows an officer and what `kioskctl queue show` prints, and the card set-up checks a
// technician reads (`kioskctl card check`; the start-up log; issue 10's diagnostics screen).
//
// The kiosk's own screens take these texts through their i18n catalogs (assets/i18n, keys
// below); tests/ui/strings_test.cpp holds the catalogs to the texts here, so there is one wording.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "offline/domain/assurance.h"
#include "offline/domain/config.h"

namespace mck::core {

struct AssuranceText {
  std::string key;  // i18n key: "assurance.chip_verified", "assurance.chip_no_csca", ...
  std::string vi, en;
  bool below_verified = true;  // anything but kChipVerified: shown as a warning to the officer
};

// The officer's words for a dossier's level. `identity_source` ("chip" | "qr" | "manual") tells a
// chip whose data did not match its SOD (source chip, level typed) from data typed by hand.
AssuranceText DescribeAssurance(Assurance level, std::string_view identity_source);

// The line under any level below chip_verified: what the officer must do about it.
AssuranceText AssuranceWarning();

enum class CheckLevel { kOk, kWarning, kError };
const char* CheckLevelName(CheckLevel level);  // "ok" | "warning" | "error"

struct DiagnosticLine {
  std::string key;  // "card.reader", "card.csca"
  CheckLevel level = CheckLevel::kOk;
  std::string vi, en;
};

// The card reader's set-up as it bears on identity assurance: which reader, and for a PC/SC
// reader whether a CSCA is configured and readable. A `pcsc` kiosk without one says that no chip
// will ever count as verified. Reads only the configuration and the CSCA file's presence; never
// touches the reader. Thread-safe.
std::vector<DiagnosticLine> CardSetupDiagnostics(const KioskConfig& config);

}  // namespace mck::core
