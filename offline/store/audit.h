// The hash-chained audit log. Append inside the caller's transaction so the audit row commits
// with the transition it records.
#pragma once

#include <string>

#include "offline/store/sqlite.h"

namespace mck {

// One audit row as a caller describes it; the log adds the time, the id and the hash chain.
// detail holds no personal data.
struct AuditEntry {
  std::string actor;    // kiosk | staff | technician | sync
  std::string action;   // "dossier.submitted", "staff.pin_wrong", ...
  std::string subject;  // a code, a ticket, "staff"
  std::string detail;
};

// REQUIRES: a write transaction is open on db. detail holds no personal data.
Status AppendAudit(Db& db, const std::string& at, const std::string& actor, const std::string& action,
                   const std::string& subject, const std::string& detail);

struct AuditVerification {
  bool ok = true;
  int64_t rows = 0;
  std::string message;  // "ok", or the first row whose hash or link is wrong
};
Result<AuditVerification> VerifyAuditChain(Db& db);

}  // namespace mck
