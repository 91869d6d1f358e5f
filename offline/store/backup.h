// Backups taken before a schema migration (docs/store.md "Upgrades"), restoring one, and the data
// directory's lock that keeps a restore away from a running kiosk.
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

// <data_dir>/kiosk.lock, an advisory flock: every open Store holds it shared (the kiosk and each
// kioskctl at once), a restore holds it exclusive. Never blocks: a lock that is held is
// kFailedPrecondition with a bilingual message. Closing the object (or the process dying) frees it.
class DataDirLock {
 public:
  enum class Mode { kShared, kExclusive };
  static Result<DataDirLock> Take(const std::filesystem::path& data_dir, Mode mode);
  DataDirLock() = default;
  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&& other) noexcept;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

struct RestoreReport {
  std::filesystem::path restored_from;
  int schema_version = 0;              // of the restored database (migrated forward at next open)
  std::filesystem::path replaced_dir;  // where the database it replaced now is (empty: there was none)
};

// Restores `backup` (one of ListBackups(data_dir)) as <data_dir>/kiosk.db, for a technician after a
// failed upgrade (`kioskctl db restore-backup`). Takes the lock exclusive (refused while a kiosk or
// kioskctl has the store open); checks a copy of the backup first (PRAGMA integrity_check, schema
// ≤ `newest_schema`) and leaves the backup itself untouched; moves the database it replaces, with
// its -wal and -shm, into BackupDir/replaced-<UTC time>/ — nothing is deleted; puts the copy in
// place with a rename and fsyncs. The same store.key opens it (a backup holds sealed values).
Result<RestoreReport> RestoreBackup(const std::filesystem::path& data_dir, const std::filesystem::path& backup,
                                    int newest_schema, TimePoint now);

}  // namespace mck
