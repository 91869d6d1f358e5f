// The QR code printed on the CCCD (2021) and the Căn cước (2024) card (shared/domain/vn-facts.md
// §1): UTF-8 text, fields split on '|', at least 7 of them:
//   0 ID number (12 digits) | 1 old 9-digit ID (may be empty) | 2 full name | 3 date of birth
//   (ddmmyyyy) | 4 gender (Nam/Nữ) | 5 residence | 6 issue date (ddmmyyyy) [| 7..10 on 2024 cards]
// Fields after the seventh are ignored (their meaning is UNCONFIRMED). A scanner may end the
// line with CR/LF or pad with spaces: trimmed. A scanner set to Latin-1 turns UTF-8 into
// mojibake ("Nguyá»…n"): repaired when the bytes are exactly UTF-8 read as Latin-1.
// Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "drivers/card/card_reader.h"

namespace mck::card {

// Parses and validates: the ID number's syntax and its agreement with the date of birth and the
// gender (offline/domain/id_number.h), real calendar dates, the issue date not before birth.
// kInvalidArgument naming the faulty field (never its value) in both languages.
// The identity has source "qr" and chip_verified false.
Result<Identity> ParseCccdQr(std::string_view text);

// The BAC data a QR gives: document number, date of birth, and the issue date that narrows the
// expiry dates to try. REQUIRES: `qr` came from ParseCccdQr.
Result<AccessKey> AccessKeyFromQr(const Identity& qr);

// "15031990" -> "1990-03-15"; empty when it is not a real date.
std::string DdmmyyyyToIso(std::string_view s);

}  // namespace mck::card
