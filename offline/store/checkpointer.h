// WalCheckpointer — keeps SQLite's WAL checkpoints off the path of a commit (offline/store).
//
// SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL past 1,000 pages:
// that one submit then copies every page back into the database and waits for two more fsyncs
// (WAL and database), several times the cost of its own commit — the store's p99. So every Store
// connection runs with `wal_autocheckpoint=0` and a WAL hook instead (Store::Open): after a
// commit that leaves at least `soft_pages` in the WAL, the hook only wakes this object, whose
// thread waits for a quiet moment (no commit on the store's connection for `quiet`) and then
// runs `PRAGMA wal_checkpoint(PASSIVE)` on a connection of its own. PASSIVE never waits for, nor
// blocks, a reader or a writer; the quiet moment keeps its fsyncs from competing with a commit's,
// and lets the next writer start the WAL again from its beginning (SQLite does that only when
// every frame is back in the database and no checkpoint is running). The WAL is bounded all the
// same: a commit that finds `hard_pages` or more in it (a burst of commits with no pause, or
// checkpoints that failed) checkpoints in place, as SQLite would have done (docs/store.md).
//
// Thread-safety: AfterCommit() from any thread (it only signals); the destructor joins the thread
// (a checkpoint in progress finishes first). The thread and its connection start at the first
// Request, so a short-lived Store (kioskctl) never makes them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace mck {

struct WalLimits {
  int soft_pages = 1000;  // a background checkpoint is asked for from here (SQLite's default point)
  int hard_pages = 8000;  // the committing connection checkpoints itself from here (~32 MB of 4 KiB pages)
  std::chrono::milliseconds quiet{50};  // no commit for this long before a background checkpoint
};

class WalCheckpointer {
 public:
  // `db_path` and `vfs` as the Store's own connection (empty vfs: SQLite's default).
  WalCheckpointer(std::string db_path, std::string vfs, WalLimits limits);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // From the store connection's WAL hook, after each commit that left `pages` in the WAL: notes
  // the commit, and asks for a background checkpoint from soft_pages on (coalesced with one
  // already asked for or running). True when the caller must checkpoint now (hard_pages).
  bool AfterCommit(int pages);
  // Checkpoints run so far, and those that could not finish (busy or failed), for tests and the
  // bench.
  int64_t runs() const;
  int64_t incomplete() const;
  // Blocks until no checkpoint is asked for nor running (true), or `timeout` passed (false).
  // For tests.
  bool WaitIdle(std::chrono::milliseconds timeout) const;

 private:
  void Loop();

  const std::string db_path_, vfs_;
  const WalLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  mutable std::condition_variable ran_;
  bool requested_ = false, running_ = false, stop_ = false;
  std::chrono::steady_clock::time_point last_commit_;
  int64_t runs_ = 0, incomplete_ = 0;
  std::thread thread_;  // started by the first Request
};

}  // namespace mck
