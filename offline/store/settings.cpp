#include "offline/store/settings.h"

#include "offline/store/core.h"

namespace mck {

namespace {
Status Upsert(Db& db, const std::string& key, const std::string& value) {
  auto s =
      db.Prepare("INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!s.ok()) return s.status();
  s->Bind(1, key).Bind(2, value);
  return s->Run();
}
}  // namespace

Result<std::optional<std::string>> Settings::Get(const std::string& key) {
  auto s = core_.db->Prepare("SELECT value FROM settings WHERE key = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, key);
  Status st;
  if (s->Step(&st)) return std::optional<std::string>(s->Text(0));
  MCK_RETURN_IF_ERROR(st);
  return std::optional<std::string>();
}

Status Settings::Put(const std::string& key, const std::string& value) {
  return Upsert(*core_.db, key, value);
}

Status Settings::PutAll(const std::vector<std::pair<std::string, std::string>>& values, const AuditEntry& audit) {
  Db& db = *core_.db;
  return WithTransaction(db, [&]() -> Status {
    for (const auto& [key, value] : values) MCK_RETURN_IF_ERROR(Upsert(db, key, value));
    return AppendAudit(db, FormatRfc3339Vietnam(core_.Now()), audit.actor, audit.action, audit.subject, audit.detail);
  });
}

}  // namespace mck
