#include "offline/sync/heartbeat_privacy.h"

#include <charconv>

#include "offline/store/staff_auth.h"

namespace mck {

using nlohmann::json;

namespace {
constexpr const char* kReportedIdKey = "audit.reported_id";
}  // namespace

Result<json> PrivacyHeartbeatFields(Store& store, TimePoint now) {
  auto lockouts = StaffLockoutsToday(store, now);
  if (!lockouts.ok()) return lockouts.status();
  auto head = store.LastAudit();
  if (!head.ok()) return head.status();
  json audit = {{"head_id", head->id}, {"head_hash", head->hash}, {"reported_id", nullptr}, {"reported_hash", nullptr}};
  auto reported = store.settings().Get(kReportedIdKey);
  if (!reported.ok()) return reported.status();
  if (reported->has_value()) {
    int64_t id = 0;
    const std::string& s = **reported;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec == std::errc() && end == s.data() + s.size() && id > 0) {
      auto hash = store.AuditHashAt(id);
      if (!hash.ok()) return hash.status();
      audit["reported_id"] = id;
      audit["reported_hash"] = *hash ? json(**hash) : json();
    }
  }
  return json{{"staff_lockouts_today", *lockouts}, {"audit", audit}};
}

Status RecordHeartbeatReported(Store& store, const json& fields) {
  if (!fields.is_object() || !fields.contains("audit") || !fields["audit"].is_object()) return Status::Ok();
  const json& id = fields["audit"]["head_id"];
  if (!id.is_number_integer() || id.get<int64_t>() <= 0) return Status::Ok();
  return store.settings().Put(kReportedIdKey, std::to_string(id.get<int64_t>()));
}

}  // namespace mck
