// How a Store is opened (offline/store/store.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/store/checkpointer.h"
#include "offline/store/key_vault.h"

namespace mck {

struct StoreOptions {
  std::filesystem::path data_dir;
  int kiosk_number = 1;
  int retention_days = 30;
  // Catalog used when the cache is empty (config/procedures.json); may be empty.
  std::filesystem::path catalog_seed;
  const Clock* clock = nullptr;  // null: the system clock
  // The SQLite VFS to open the database through; empty: SQLite's default. Tests name a
  // fault-injecting one (tests/offline/fault_vfs.h) to reach the disk-full and I/O-error paths.
  std::string vfs;
  // Where store.key is kept (offline/store/key_vault.h): the plain file by default; the kiosk and
  // kioskctl pass KeyProtectionFor(config).
  KeyProtectionOptions key_protection;
  // How many backups taken before a migration to keep in <data_dir>/backup (offline/store/backup.h).
  int keep_backups = 2;
  // When the WAL is folded back into the database (offline/store/checkpointer.h): from
  // wal.soft_pages by a background thread, from wal.hard_pages by the commit itself.
  WalLimits wal;
  // TEST-ONLY (empty/0 in the kiosk and kioskctl): migrations that play "the next release's", run
  // after the program's own; and the version to stop migrating at, to leave a store as an older
  // program would (offline/store/migrations.h, MigrationPlan).
  std::vector<std::string> test_extra_migrations;
  int test_stop_at_schema = 0;
};

}  // namespace mck
