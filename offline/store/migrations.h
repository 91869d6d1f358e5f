// Forward-only schema migrations, tracked in PRAGMA user_version. Migration N takes the schema
// from version N-1 to N; one upgrade's steps run in one transaction. A database whose user_version is higher than the
// newest migration here came from a newer program: it is refused and left untouched.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "offline/store/sqlite.h"

namespace mck {

int LatestSchemaVersion();
Result<int> SchemaVersion(Db& db);

// What one Migrate call may run: the program's own migrations, then `extra` (TEST-ONLY: a test
// plays "the next release" with them, StoreOptions::test_extra_migrations), stopping at `stop_at`
// (0: the newest; TEST-ONLY, to leave a store as an older program would).
struct MigrationPlan {
  std::vector<std::string> extra;
  int stop_at = 0;
  // Called inside the upgrade's transaction right after the SQL of the step that makes schema
  // `version`: for data only C++ can compute (sealed bodies). An error rolls the upgrade back.
  std::function<Status(Db& db, int version)> after_step;
  int newest() const;  // LatestSchemaVersion() + extra.size()
  int target() const;  // min(stop_at, newest()), or newest() when stop_at is 0
};

// Applies every migration above the database's version up to plan.target(), all the steps of
// the upgrade (each with its PRAGMA user_version) in ONE transaction. Returns the version it ends
// at. A database newer than plan.newest() is refused (kFailedPrecondition), untouched. A failing
// step rolls the whole upgrade back (the file is as it was) and is kFailedPrecondition naming
// the step ("schema migration 1 -> 2 failed …: <SQLite>"). Store::Open backs the file up first.
Result<int> Migrate(Db& db, const MigrationPlan& plan = {});

}  // namespace mck
