// A thin RAII layer over the SQLite C API, and the one place SQLite result codes become Status.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "offline/domain/status.h"

namespace mck {

// Maps an SQLite result code (with the connection's message) to a Status with a Vietnamese
// message a technician can act on: full disk, read-only, corrupt, busy.
Status SqliteStatus(int rc, sqlite3* db, std::string_view what);

// A prepared statement. One from Db::Prepare comes from the connection's statement cache: when
// the Stmt goes it is reset and its bindings cleared, not finalized, so the next Prepare of the
// same SQL skips SQLite's parser and planner. It must not outlive its Db (no Stmt ever does).
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* s, bool* cached_in_use = nullptr) : db_(db), s_(s), in_use_(cached_in_use) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_), in_use_(o.in_use_) {
    o.s_ = nullptr;
    o.in_use_ = nullptr;
  }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, std::string_view v);
  Stmt& BindNull(int i);
  Stmt& Bind(int i, const std::optional<std::string>& v) { return v ? Bind(i, *v) : BindNull(i); }

  // SQLITE_ROW → true, SQLITE_DONE → false; anything else is an error in *st.
  bool Step(Status* st);
  // Runs to completion (for statements without rows).
  Status Run();
  bool IsNull(int col) const;
  bool IsBlob(int col) const;
  int64_t Int(int col) const;
  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  std::string Blob(int col) const;

 private:
  void Release();  // finalizes, or hands a cached statement back reset
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
  bool* in_use_ = nullptr;  // the cache's flag when cached
};

class Db {
 public:
  // Opens (creating) the database at `path` through the SQLite VFS named `vfs` (empty: the
  // default one; tests pass a fault-injecting VFS, tests/offline/fault_vfs.h).
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const std::string& vfs = {});
  ~Db();
  sqlite3* raw() const { return db_; }
  Status Exec(const std::string& sql);
  // A statement for `sql`, from the connection's cache when it was prepared before (and is not
  // in use by a live Stmt right now: then a fresh one). The cache holds at most kCachedStatements;
  // SQLite re-prepares a cached statement by itself after a schema change.
  Result<Stmt> Prepare(std::string_view sql);
  // Statements prepared (parsed and planned) by this connection so far: the store bench and a
  // test read it to see the cache at work.
  int64_t statements_prepared() const { return prepared_; }
  static constexpr size_t kCachedStatements = 64;
  // BEGIN IMMEDIATE: takes the write lock up front so two writers never deadlock midway.
  Status Begin();
  Status Commit();
  // Best effort: after a failed COMMIT SQLite may already have rolled back on its own.
  void Rollback();

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
    uint64_t last_used = 0;
  };
  sqlite3* db_ = nullptr;
  // Keyed by the SQL text. Node-based: an entry's in_use flag stays put while a Stmt points at it.
  std::unordered_map<std::string, Cached> cache_;
  uint64_t uses_ = 0;
  int64_t prepared_ = 0;
};

// Rolls back unless Commit() was called: every early return leaves the database untouched.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  Status Begin() {
    MCK_RETURN_IF_ERROR(db_.Begin());
    open_ = true;
    return Status::Ok();
  }
  Status Commit() {
    MCK_RETURN_IF_ERROR(db_.Commit());
    open_ = false;
    return Status::Ok();
  }
  ~Transaction() {
    if (open_) db_.Rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  Db& db_;
  bool open_ = false;
};

// Runs `fn` (returning Status or Result<T>) inside BEGIN IMMEDIATE … COMMIT: committed when fn
// succeeds, rolled back when fn returns an error, throws, or the COMMIT itself fails (disk full,
// I/O error). Every multi-row change of the store goes through here, so a change is wholly
// there or wholly absent. REQUIRES: no transaction already open on db (SQLite does not nest).
template <typename Fn>
auto WithTransaction(Db& db, Fn&& fn) -> std::invoke_result_t<Fn&> {
  using R = std::invoke_result_t<Fn&>;
  Transaction txn(db);
  if (Status st = txn.Begin(); !st.ok()) return R(st);
  try {
    R r = fn();
    if (!r.ok()) return r;  // ~Transaction rolls back
    if (Status st = txn.Commit(); !st.ok()) return R(st);
    return r;
  } catch (const std::exception&) {
    // what() is not passed on: a JSON or parse error may quote stored personal data.
    return R(Status::Error(Code::kInternal, "a store transaction was aborted by an exception (rolled back)",
                           "Lỗi nội bộ khi lưu dữ liệu; không có gì được lưu dở dang."));
  }
}

}  // namespace mck
