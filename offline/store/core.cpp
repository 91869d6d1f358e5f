#include "offline/store/core.h"

namespace mck {

Result<int> NextInSequence(Db& db, const std::string& scope, const std::string& day) {
  auto up = db.Prepare(
      "INSERT INTO sequences(scope, day, last) VALUES(?, ?, 1) "
      "ON CONFLICT(scope, day) DO UPDATE SET last = last + 1 RETURNING last");
  if (!up.ok()) return up.status();
  up->Bind(1, scope).Bind(2, day);
  Status st;
  if (!up->Step(&st)) return st.ok() ? Status::Error(Code::kInternal, "sequence returned no row") : st;
  const int v = static_cast<int>(up->Int(0));
  MCK_RETURN_IF_ERROR(up->Run());
  return v;
}

Status InsertOutbox(Db& db, OutboxKind kind, const std::string& ref, const std::string& idempotency_key,
                    int64_t due_unix) {
  auto ob = db.Prepare("INSERT INTO outbox(kind, ref, idempotency_key, due_unix) VALUES(?, ?, ?, ?)");
  if (!ob.ok()) return ob.status();
  ob->Bind(1, OutboxKindName(kind)).Bind(2, ref).Bind(3, idempotency_key).Bind(4, due_unix);
  return ob->Run();
}

Result<std::string> ProvisionalCodeOf(Db& db, const std::string& client_id) {
  auto s = db.Prepare("SELECT provisional_code FROM dossiers WHERE client_id = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, client_id);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "dossier not found", "Không tìm thấy hồ sơ");
  }
  return s->Text(0);
}

Result<std::optional<int64_t>> QueryInt(Db& db, const std::string& sql) {
  auto s = db.Prepare(sql);
  if (!s.ok()) return s.status();
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return std::optional<int64_t>();
  }
  if (s->IsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(s->Int(0));
}

}  // namespace mck
