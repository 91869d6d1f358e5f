// The portal's dossier statuses (portal-api.md "Dossier status") and the words people read for
// them: ONE table for the kiosk's look-up screen, kioskctl, the sync engine and the portal
// simulator. The Vietnamese words are the portal's own administrative terms (what the citizen
// also reads on the provincial portal); the English ones are for the kiosk's English mode.
// Thread-safety: pure functions over a constant table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mck {

struct PortalStatusWords {
  const char* code;  // "received", "processing", ...
  const char* vi;    // "Đã tiếp nhận"
  const char* en;    // "Received"
};

// Every status the portal may report, in the order a dossier usually goes through them.
const std::vector<PortalStatusWords>& PortalStatuses();
// The words for `code`; for an unknown code "Không rõ trạng thái" / "Unknown status".
std::string PortalStatusVi(std::string_view code);
std::string PortalStatusEn(std::string_view code);

}  // namespace mck
