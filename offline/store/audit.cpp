#include "offline/store/audit.h"

#include "offline/domain/ids.h"

namespace mck {

namespace {
const std::string kGenesis(64, '0');

std::string RowHash(const std::string& prev, int64_t id, const std::string& at, const std::string& actor,
                    const std::string& action, const std::string& subject, const std::string& detail) {
  const std::string material = prev + '\x1f' + std::to_string(id) + '\x1f' + at + '\x1f' + actor + '\x1f' + action +
                               '\x1f' + subject + '\x1f' + detail;
  return Sha256Hex(material);
}
}  // namespace

Status AppendAudit(Db& db, const std::string& at, const std::string& actor, const std::string& action,
                   const std::string& subject, const std::string& detail) {
  auto last = db.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!last.ok()) return last.status();
  Status st;
  int64_t id = 1;
  std::string prev = kGenesis;
  if (last->Step(&st)) {
    id = last->Int(0) + 1;
    prev = last->Text(1);
  }
  MCK_RETURN_IF_ERROR(st);
  auto ins = db.Prepare(
      "INSERT INTO audit_log(id, at, actor, action, subject, detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, id).Bind(2, at).Bind(3, actor).Bind(4, action).Bind(5, subject).Bind(6, detail).Bind(7, prev);
  ins->Bind(8, RowHash(prev, id, at, actor, action, subject, detail));
  return ins->Run();
}

Result<AuditVerification> VerifyAuditChain(Db& db) {
  auto rows = db.Prepare("SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY id");
  if (!rows.ok()) return rows.status();
  AuditVerification v;
  std::string prev = kGenesis;
  int64_t expected_id = 1;
  Status st;
  while (rows->Step(&st)) {
    const int64_t id = rows->Int(0);
    ++v.rows;
    if (v.ok) {
      if (id != expected_id) {
        v.ok = false;
        v.message = "audit row " + std::to_string(expected_id) + " is missing";
      } else if (rows->Text(6) != prev) {
        v.ok = false;
        v.message = "audit row " + std::to_string(id) + " does not link to the row before it";
      } else if (RowHash(prev, id, rows->Text(1), rows->Text(2), rows->Text(3), rows->Text(4), rows->Text(5)) !=
                 rows->Text(7)) {
        v.ok = false;
        v.message = "audit row " + std::to_string(id) + " was altered (hash mismatch)";
      }
    }
    prev = rows->Text(7);
    expected_id = id + 1;
  }
  MCK_RETURN_IF_ERROR(st);
  if (v.ok) v.message = "ok";
  return v;
}

}  // namespace mck
