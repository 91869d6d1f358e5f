#include "offline/store/checkpointer.h"

#include <iostream>
#include <memory>

#include "offline/store/sqlite.h"

namespace mck {

WalCheckpointer::WalCheckpointer(std::string db_path, std::string vfs, WalLimits limits)
    : db_path_(std::move(db_path)), vfs_(std::move(vfs)), limits_(limits) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool WalCheckpointer::AfterCommit(int pages) {
  if (pages >= limits_.hard_pages) return true;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    last_commit_ = now;
    if (stop_ || pages < limits_.soft_pages || requested_) return false;
    requested_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
  }
  cv_.notify_one();
  return false;
}

int64_t WalCheckpointer::runs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return runs_;
}

int64_t WalCheckpointer::incomplete() const {
  std::lock_guard<std::mutex> lock(mu_);
  return incomplete_;
}

bool WalCheckpointer::WaitIdle(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return ran_.wait_for(lock, timeout, [&] { return !requested_ && !running_; });
}

void WalCheckpointer::Loop() {
  std::unique_ptr<Db> db;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return requested_ || stop_; });
    // A quiet moment first: a checkpoint racing a burst of commits competes with their fsyncs,
    // and the WAL cannot start again from its beginning while commits keep coming.
    while (!stop_) {
      const auto quiet_from = last_commit_ + limits_.quiet;
      if (std::chrono::steady_clock::now() >= quiet_from) break;
      cv_.wait_until(lock, quiet_from);
    }
    if (stop_) break;
    requested_ = false;
    running_ = true;
    lock.unlock();
    bool complete = false;
    if (!db) {
      auto opened = Db::Open(db_path_, vfs_);
      if (opened.ok()) {
        db = std::move(opened.value());
        // This connection never writes; its own hook must not checkpoint on top of ours. A fresh
        // connection knows the file is in WAL mode only once it has read it: read it first.
        (void)db->Exec("PRAGMA wal_autocheckpoint=0");
        (void)db->Exec("SELECT count(*) FROM sqlite_master");
      } else {
        std::cerr << "store: background checkpoint: " << opened.status().message_en() << "\n";
      }
    }
    if (db) {
      int log_frames = -1, copied = -1;
      const int rc = sqlite3_wal_checkpoint_v2(db->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
      // Busy (another checkpoint runs) or frames a reader still needs: the next request retries.
      complete = rc == SQLITE_OK && log_frames == copied;
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        std::cerr << "store: background checkpoint: " << SqliteStatus(rc, db->raw(), "wal_checkpoint").message_en()
                  << "\n";
      }
    }
    lock.lock();
    running_ = false;
    ++runs_;
    if (!complete) ++incomplete_;
    ran_.notify_all();
  }
}

}  // namespace mck
