// How sure the kiosk is that the applicant is who the identity says (issue 11). Carried by the
// citizen's session, stored with the dossier, shown on the staff screen and sent to the portal
// as applicant.assurance. Only kChipVerified may be called "verified" anywhere.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace mck {

// chip_verified: the chip's data groups hash to its SOD, the SOD's signer chains to a configured
//   CSCA (not revoked), and the chip proved it holds its private key (Chip Authentication with
//   DG14, else Active Authentication with DG15).
// chip_no_csca: read from a chip whose hashes match, but no CSCA is configured (or the card
//   offers no key proof): the data is consistent, its origin is not proven.
// qr: from the card's printed QR (anyone can print one).
// typed: typed by the citizen or an officer.
enum class Assurance { kTyped, kQrOnly, kChipNoCsca, kChipVerified };

// The stored and sent word: "typed", "qr", "chip_no_csca", "chip_verified".
constexpr const char* AssuranceName(Assurance a) {
  switch (a) {
    case Assurance::kTyped: return "typed";
    case Assurance::kQrOnly: return "qr";
    case Assurance::kChipNoCsca: return "chip_no_csca";
    case Assurance::kChipVerified: return "chip_verified";
  }
  return "typed";
}

constexpr std::optional<Assurance> ParseAssurance(std::string_view s) {
  for (Assurance a : {Assurance::kTyped, Assurance::kQrOnly, Assurance::kChipNoCsca, Assurance::kChipVerified}) {
    if (s == AssuranceName(a)) return a;
  }
  return std::nullopt;
}

NLOHMANN_JSON_SERIALIZE_ENUM(Assurance, {{Assurance::kTyped, "typed"},
                                         {Assurance::kQrOnly, "qr"},
                                         {Assurance::kChipNoCsca, "chip_no_csca"},
                                         {Assurance::kChipVerified, "chip_verified"}})

}  // namespace mck
