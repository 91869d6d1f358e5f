// The hash-chained audit log. Append inside the caller's transaction so the audit row commits
// with the transition it records.
#pragma once

#include <string>

#include "offline/store/sqlite.h"

namespace mck {

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
