// Small key/value settings the kiosk keeps in its database (store.settings()): the staff PIN
// record and its failure count, enrolment state, ...
//
// Thread-safety: as Store.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "offline/domain/status.h"
#include "offline/store/audit.h"
#include "offline/store/part.h"

namespace mck {

class Settings : public StorePart {
 public:
  using StorePart::StorePart;

  // nullopt when the key was never set.
  Result<std::optional<std::string>> Get(const std::string& key);
  // One row, not audited.
  Status Put(const std::string& key, const std::string& value);
  // Several values and the audit row that explains them, in ONE transaction: all or nothing.
  Status PutAll(const std::vector<std::pair<std::string, std::string>>& values, const AuditEntry& audit);

};

}  // namespace mck
