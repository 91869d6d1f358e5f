// Backups taken before a schema migration (docs/store.md "Upgrades").
//
// Store::Open backs the database up before it migrates it: VACUUM INTO a temporary file in
// <data_dir>/backup/ (0700), then 0600, fsync, rename to kiosk.db.v<N>-<UTC timestamp> and fsync
// of the directory; N is the schema version the backup holds. Only the last `keep` backups stay.
// A backup is the database as it was, sealed values still sealed: it holds no plaintext and
// opens only with the same store.key (which is not copied: it stays where it is).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/domain/status.h"
#include "offline/store/sqlite.h"

namespace mck {

struct BackupInfo {
  std::filesystem::path file;
  int schema_version = 0;
  std::string taken_at;  // the UTC timestamp of its name, "20261206T164500Z"
  uintmax_t size = 0;
};

std::filesystem::path BackupDir(const std::filesystem::path& data_dir);

// Backs `db` (at `schema_version`) up into BackupDir(data_dir), then keeps the newest `keep`.
// REQUIRES: no transaction open on db. Returns the backup's path.
Result<std::filesystem::path> BackupBeforeMigration(Db& db, const std::filesystem::path& data_dir, int schema_version,
                                                    TimePoint now, int keep);

// The backups in BackupDir(data_dir), oldest first (none when the directory does not exist).
Result<std::vector<BackupInfo>> ListBackups(const std::filesystem::path& data_dir);

}  // namespace mck
