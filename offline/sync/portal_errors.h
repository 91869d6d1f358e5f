// The portal's answers, read the same way everywhere: the error envelope
// {"error": {"code", "message", "details"}} (checked: offline/sync/answer.h) and the status line
// turned into a Status.
#pragma once

#include <string>

#include "offline/domain/status.h"
#include "offline/sync/answer.h"
#include "offline/sync/http.h"

namespace mck {

PortalError ReadPortalError(const PortalResponse& response);

// A non-2xx answer as a Status: 401/403 kSecurity (the portal does not accept this kiosk),
// 408/429/5xx kUnavailable, other 4xx kRejected. `what` names the call ("dossier", "lookup").
// The messages carry the HTTP status and the portal's error code word only, never the portal's
// free text (`PortalError::message`), which may echo a citizen's data: that goes to staff
// through the store, sealed (Outbox::RecordNeedsAttention), never into logs.
Status PortalErrorStatus(const PortalResponse& response, const std::string& what);

// What staff read about a refused item: the checked details, or when there are none the
// portal's message as one reason ([{"message": ...}]). The store keeps it sealed.
nlohmann::json ReasonsForStaff(const PortalResponse& response);

}  // namespace mck
