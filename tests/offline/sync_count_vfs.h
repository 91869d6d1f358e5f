// SyncCountVfs: a pass-through SQLite VFS that counts what reaches the disk — xSync (fsync) and
// xWrite, by file (the database, its WAL, anything else) and by the thread that made the call.
// For the store bench's breakdown (fsyncs per submit, checkpoints on the submit path) and for
// tests that must show a commit syncs the WAL once and never the database file (the checkpoint
// runs elsewhere).
//
// Use:
//   mck::test::SyncCountVfs vfs;              // registers "mck-sync-count" (not as the default)
//   StoreOptions o = ...; o.vfs = vfs.name();
//   auto before = vfs.CountsOf(std::this_thread::get_id());
//   ... submit ...
//   auto after = vfs.CountsOf(std::this_thread::get_id());   // after.wal_syncs - before.wal_syncs
//
// Thread-safety: the VFS and the readers may be used from any thread (one mutex). Close every
// connection that uses it before the object dies. One object per name at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace mck::test {

struct SyncCounts {
  int64_t db_syncs = 0;   // the database file (a checkpoint, or a rollback-journal commit)
  int64_t wal_syncs = 0;  // the WAL (a commit; its header when the WAL starts again)
  int64_t other_syncs = 0;
  int64_t db_writes = 0, wal_writes = 0;
  int64_t db_bytes = 0, wal_bytes = 0;
  SyncCounts operator-(const SyncCounts& o) const {
    return {db_syncs - o.db_syncs,     wal_syncs - o.wal_syncs, other_syncs - o.other_syncs, db_writes - o.db_writes,
            wal_writes - o.wal_writes, db_bytes - o.db_bytes,   wal_bytes - o.wal_bytes};
  }
  int64_t syncs() const { return db_syncs + wal_syncs + other_syncs; }
};

class SyncCountVfs {
 public:
  explicit SyncCountVfs(std::string name = "mck-sync-count");
  ~SyncCountVfs();
  SyncCountVfs(const SyncCountVfs&) = delete;
  SyncCountVfs& operator=(const SyncCountVfs&) = delete;

  const std::string& name() const;
  // What one thread did through this VFS so far, and what every thread did.
  SyncCounts CountsOf(std::thread::id thread) const;
  SyncCounts Total() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace mck::test
