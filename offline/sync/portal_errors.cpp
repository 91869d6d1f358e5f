#include "offline/sync/portal_errors.h"

namespace mck {

PortalError ReadPortalError(const PortalResponse& response) {
  PortalError e;
  e.details = nlohmann::json::array();
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    const auto& err = body["error"];
    e.code = err.value("code", "");
    e.message = err.value("message", "");
    if (err.contains("details") && err["details"].is_array()) e.details = err["details"];
  }
  return e;
}

Status PortalErrorStatus(const PortalResponse& response, const std::string& what) {
  const PortalError e = ReadPortalError(response);
  const std::string status = std::to_string(response.status);
  std::string en = "portal " + what + ": HTTP " + status;
  if (!e.code.empty()) en += " " + e.code;
  if (!e.message.empty()) en += ": " + e.message;
  if (response.status == 401 || response.status == 403) {
    return Status::Error(Code::kSecurity, en + " (the portal does not accept this kiosk's certificate)",
                         "Cổng dịch vụ công không chấp nhận chứng chỉ của kiosk (HTTP " + status +
                             "). Báo cho kỹ thuật viên: có thể cần đăng ký lại.");
  }
  if (response.status == 408 || response.status == 429 || response.status >= 500) {
    return Status::Error(Code::kUnavailable, en, "Cổng dịch vụ công tạm thời không phục vụ được (HTTP " + status + ")");
  }
  return Status::Error(Code::kRejected, en,
                       "Cổng dịch vụ công từ chối yêu cầu (HTTP " + status + ")" +
                           (e.message.empty() ? std::string() : ": " + e.message));
}

}  // namespace mck
