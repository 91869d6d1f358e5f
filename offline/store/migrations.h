// Forward-only schema migrations, tracked in PRAGMA user_version. Migration N takes the schema
// from version N-1 to N inside one transaction. A database whose user_version is higher than the
// newest migration here came from a newer program: it is refused and left untouched.
#pragma once

#include "offline/store/sqlite.h"

namespace mck {

int LatestSchemaVersion();
Result<int> SchemaVersion(Db& db);
// Applies every migration above the database's version. Returns the version it ends at.
Result<int> Migrate(Db& db);

}  // namespace mck
