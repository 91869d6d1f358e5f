// One citizen's session: everything typed, read from a card or chosen between leaving the
// attract screen and coming back to it. It lives only in memory on the UI thread and Wipe()
// zeroes every string before the next citizen arrives (NĐ 13/2023: nothing of one citizen is
// ever visible to the next). No other object may keep copies of these values: screens read
// them each frame and keep nothing.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <vector>

#include "kiosk/app/scanned_page.h"
#include "offline/domain/assurance.h"
#include "offline/store/store.h"

namespace mck::app {

// Where the applicant's data came from; shown next to each field and sent to the portal.
enum class IdentitySource { kManual, kQr, kChip };
const char* IdentitySourceName(IdentitySource s);  // "manual" | "qr" | "chip"

struct Session {
  // Editable values by key: "applicant.full_name", "fields.child_name", "search", "lookup",
  // "rating.comment", ... Dates are kept as the digits typed (DDMMYYYY) until the body is built.
  std::map<std::string, std::string> values;
  // Validation messages by key (shown under the field), Vietnamese and English.
  std::map<std::string, std::pair<std::string, std::string>> errors;
  IdentitySource identity_source = IdentitySource::kManual;
  // How sure the kiosk is of the identity (offline/domain/assurance.h): the chip reader's level for
  // a chip read, kQrOnly for the card's QR, kTyped otherwise. It speaks only for the keys in
  // from_card: a change to one of them (the screen does not allow it; an intent that tries anyway)
  // ends the card's claim: typed, manual, no key marked from the card (App::DropCardClaim).
  Assurance assurance = Assurance::kTyped;
  // Keys filled from the card: read-only on screen, marked "từ chip" / "từ mã QR".
  std::map<std::string, bool> from_card;
  std::string procedure_code;
  std::string field_filter;  // lĩnh vực chosen on the procedure screen ("" = all)
  bool show_fields = false;  // the lĩnh vực buttons shown ("Lọc theo lĩnh vực" tapped)
  std::map<std::string, bool> documents_presented;
  // Papers scanned at the kiosk, by document id (scan screen): pages and PDF, memory only.
  std::map<std::string, DigitisedPaper> digitised;
  std::optional<SubmittedDossier> submitted;
  std::map<std::string, int> rating_scores;
  bool rating_done = false;

  // Zeroes every string then resets the session to its initial state.
  void Wipe();
};

}  // namespace mck::app
