#include "kiosk/app/session.h"

#include <algorithm>

#include "offline/domain/ids.h"

namespace mck::app {

const char* IdentitySourceName(IdentitySource s) {
  switch (s) {
    case IdentitySource::kManual: return "manual";
    case IdentitySource::kQr: return "qr";
    case IdentitySource::kChip: return "chip";
  }
  return "manual";
}

void WipePage(ScannedPage& page) {
  SecureWipe(page.jpeg);
  std::fill(page.preview.begin(), page.preview.end(), uint8_t{0});
  asm volatile("" : : "r"(page.preview.data()) : "memory");  // the zeroing is not optimised away
  page.preview.clear();
}

void WipePaper(DigitisedPaper& paper) {
  for (auto& p : paper.pages) WipePage(p);
  paper.pages.clear();
  SecureWipe(paper.pdf);
  SecureWipe(paper.sha256);
}

void Session::Wipe() {
  for (auto& [id, paper] : digitised) WipePaper(paper);
  for (auto& [key, value] : values) SecureWipe(value);
  for (auto& [key, msg] : errors) {
    SecureWipe(msg.first);
    SecureWipe(msg.second);
  }
  SecureWipe(procedure_code);
  SecureWipe(field_filter);
  if (submitted) {
    SecureWipe(submitted->client_id);
    SecureWipe(submitted->provisional_code);
    SecureWipe(submitted->submitted_at);
  }
  *this = Session{};
}

}  // namespace mck::app
