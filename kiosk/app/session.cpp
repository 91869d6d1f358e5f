#include "kiosk/app/session.h"

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

void Session::Wipe() {
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
