#include "offline/sync/portal_errors.h"

namespace mck {

PortalError ReadPortalError(const PortalResponse& response) {
  return ReadPortalErrorBody(response.body);
}

Status PortalErrorStatus(const PortalResponse& response, const std::string& what) {
  const PortalError e = ReadPortalError(response);
  const std::string status = std::to_string(response.status);
  std::string en = "portal " + what + ": HTTP " + status;
  if (!e.code.empty()) en += " " + e.code;
  if (!e.readable) en += " (unreadable error body)";
  if (response.status == 401 || response.status == 403) {
    return Status::Error(Code::kSecurity, en + " (the portal does not accept this kiosk's certificate)",
                         "Cổng dịch vụ công không chấp nhận chứng chỉ của kiosk (HTTP " + status +
                             "). Báo cho kỹ thuật viên: có thể cần đăng ký lại.");
  }
  if (response.status == 408 || response.status == 429 || response.status >= 500) {
    return Status::Error(Code::kUnavailable, en, "Cổng dịch vụ công tạm thời không phục vụ được (HTTP " + status + ")");
  }
  return Status::Error(
      Code::kRejected, en,
      "Cổng dịch vụ công từ chối yêu cầu (HTTP " + status + ")" + (e.code.empty() ? std::string() : ": " + e.code));
}

nlohmann::json ReasonsForStaff(const PortalResponse& response) {
  PortalError e = ReadPortalError(response);
  if (e.details.empty() && !e.message.empty()) e.details.push_back({{"message", e.message}});
  return e.details;
}

}  // namespace mck
