// A fault-injecting SQLite VFS for tests, in the manner of LevelDB's FaultInjectionTestEnv: it
// wraps SQLite's default VFS (sqlite3_vfs_find(nullptr)), passes every call through, and on
// request makes writes and syncs fail the way a real disk does. Lets the store's and the
// screen's error paths (disk full, I/O error, a torn write) be tested without root, without
// small tmpfs mounts.
//
// Use:
//   mck::test::FaultVfs vfs;                 // registers "mck-fault" (not as the default VFS)
//   StoreOptions o = ...; o.vfs = vfs.name(); // every file of that store goes through it
//   auto store = Store::Open(o);
//   vfs.FailWritesAfter(0);                   // the disk is full from now on
//   auto r = store->dossiers().Submit(...);  // → kIo, "Ổ đĩa đã đầy ..."
//   vfs.Disarm();                             // space is back; the store works again
//
// Faults (each replaces the one armed before; Disarm() clears it):
//   FailWritesAfter(n, rc)  the next n bytes are written; the write that would go past them
//                           writes nothing and fails with rc (default SQLITE_FULL: disk full;
//                           SQLITE_IOERR_WRITE: an I/O error); every later write fails too.
//   TearWriteAt(n)          the next n bytes are written; the write that crosses byte n writes
//                           only its part up to n (a torn write), then fails with
//                           SQLITE_IOERR_WRITE; every later write fails too.
//   FailSyncs()             every xSync fails with SQLITE_IOERR_FSYNC (writes still succeed).
//   PowerCutAfter(n, seed)  a power cut, for a CHILD PROCESS (it ends the process): from now on
//                           each file's writes and truncations wait in memory until its xSync
//                           (reads see them); the n-th write or sync from now cuts the power:
//                           every write not yet synced, in every open file, is lost, written
//                           whole or torn at a 512-byte sector (seeded die, crash_file.h), and
//                           the process _exits with kPowerCutExitCode, closing nothing. The
//                           parent then opens the files with the normal VFS, as after a reboot.
//                           syncs_lie: xSync says OK and writes nothing (a disk that lies about
//                           its cache, or synchronous=OFF) — for showing that a test catches it.
// SetSyncHook(f) runs f before every xSync (outside the VFS's lock; any mode): a test can stop a
// writer mid-commit, its frames written and not yet synced, and look at the files meanwhile.
// Bytes are counted over every file opened through the VFS (database, WAL, journal), from the
// moment the fault is armed. Reads, locks and the WAL index (shared memory) are never faulted.
//
// Thread-safety: the controls and the VFS may be used from any thread (one mutex). Lifetime:
// the VFS stays registered while the object lives; close every connection that uses it before
// it dies. Names must be unique per process (one object per name at a time).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace mck::test {

class FaultVfs {
 public:
  explicit FaultVfs(std::string name = "mck-fault");
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  // The name to give StoreOptions::vfs (or sqlite3_open_v2).
  const std::string& name() const;

  void FailWritesAfter(int64_t bytes, int rc = SQLITE_FULL);
  void TearWriteAt(int64_t bytes);
  void FailSyncs();
  void PowerCutAfter(int64_t ops, uint64_t seed, bool syncs_lie = false);
  void Disarm();
  void SetSyncHook(std::function<void()> hook);  // null: none
  static constexpr int kPowerCutExitCode = 86;

  // How many writes or syncs failed because of an armed fault (to check a test reached it).
  int faults_injected() const;
  // Bytes written through the VFS since the last Arm/Disarm (for choosing n).
  int64_t bytes_written() const;

  struct State;  // shared with the VFS callbacks (fault_vfs.cpp)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace mck::test
