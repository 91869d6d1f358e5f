// The machine-readable zone (ICAO 9303 parts 3, 5 and 4): check digits, TD1 (ID cards, the
// CCCD: 3 lines of 30) and TD3 (passports: 2 lines of 44), and the BAC key seed text
// ("MRZ information": document number, date of birth, date of expiry, each with its check
// digit). For a CCCD the citizen never types an MRZ: BacKeyFromIdNumber builds it from the
// 12-digit ID number (document number = its last 9 digits, see shared/domain/vn-facts.md §2.2)
// and ExpiryCandidates lists the expiry dates the renewal ages allow.
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/card/card_reader.h"
#include "offline/domain/clock.h"

namespace mck::card {

// ICAO 7-3-1 check digit over digits, A-Z and '<'; -1 for any other character.
int MrzCheckDigit(std::string_view field);

// Parses a TD1 (90 characters) or TD3 (88 characters) MRZ; line breaks are ignored. Every check
// digit is verified: a wrong one is kCorrupt naming the field. `today` decides the century of
// the date of birth (a two-digit year after today's is the previous century).
Result<Mrz> ParseMrz(std::string_view text, CivilDate today);

// "L898902C<369080619406236": the text whose SHA-1 seeds the BAC keys. The document number is
// padded with '<' to 9 characters; longer numbers are allowed. Dates are YYMMDD.
// kInvalidArgument when a field has the wrong shape.
Result<std::string> BacMrzInformation(std::string_view document_number, std::string_view dob_yymmdd,
                                      std::string_view expiry_yymmdd);

// The BAC inputs for a CCCD: document number = last 9 digits of the 12-digit ID number.
// kInvalidArgument when the ID number or the date is not valid (Vietnamese message).
Result<AccessKey> AccessKeyFromIdNumber(std::string_view id_number, const CivilDate& date_of_birth,
                                        std::optional<CivilDate> date_of_expiry = std::nullopt,
                                        std::optional<CivilDate> date_of_issue = std::nullopt);

// The card's possible expiry dates (YYMMDD), most likely first. A CCCD expires on the holder's
// birthday at 25, 40 or 60 (14 under the 2023 law, UNCONFIRMED); a card issued less than two
// years before one of these ages is valid to the next one. With the issue date (from the QR) the
// first candidate is the rule's answer; without it, the current card's and then an expired one's.
// A 29 February birthday gives 28 February in common years. At most 4 candidates.
std::vector<std::string> ExpiryCandidates(const CivilDate& date_of_birth, std::optional<CivilDate> date_of_issue,
                                          CivilDate today);

// YYMMDD <-> CivilDate. For a date of birth, the century is the latest that is not after today.
std::optional<CivilDate> ParseYymmdd(std::string_view s, CivilDate today, bool is_birth_date);

}  // namespace mck::card
