// The portal's answers, read the same way everywhere: the error envelope
// {"error": {"code", "message", "details"}} and the status line turned into a Status.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "offline/domain/status.h"
#include "offline/sync/http.h"

namespace mck {

struct PortalError {
  std::string code;        // "validation_failed", ... ("" when the body had no envelope)
  std::string message;     // the portal's text (English or Vietnamese, for staff)
  nlohmann::json details;  // array (may be empty)
};
PortalError ReadPortalError(const PortalResponse& response);

// A non-2xx answer as a Status: 401/403 kSecurity (the portal does not accept this kiosk),
// 408/429/5xx kUnavailable, other 4xx kRejected. `what` names the call ("dossier", "lookup").
Status PortalErrorStatus(const PortalResponse& response, const std::string& what);

}  // namespace mck
