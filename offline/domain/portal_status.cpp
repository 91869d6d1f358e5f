#include "offline/domain/portal_status.h"

namespace mck {

const std::vector<PortalStatusWords>& PortalStatuses() {
  static const std::vector<PortalStatusWords> kStatuses = {
      {"received", "Đã tiếp nhận", "Received"},
      {"processing", "Đang giải quyết", "In progress"},
      {"supplement_requested", "Yêu cầu bổ sung hồ sơ", "More papers needed"},
      {"completed", "Đã có kết quả", "Result ready"},
      {"returned", "Đã trả kết quả", "Result handed over"},
      {"rejected", "Không tiếp nhận", "Not accepted"},
      {"withdrawn", "Đã rút hồ sơ", "Withdrawn"},
  };
  return kStatuses;
}

namespace {
const PortalStatusWords* Find(std::string_view code) {
  for (const auto& s : PortalStatuses()) {
    if (code == s.code) return &s;
  }
  return nullptr;
}
}  // namespace

std::string PortalStatusVi(std::string_view code) {
  const auto* s = Find(code);
  return s ? s->vi : "Không rõ trạng thái";
}

std::string PortalStatusEn(std::string_view code) {
  const auto* s = Find(code);
  return s ? s->en : "Unknown status";
}

}  // namespace mck
