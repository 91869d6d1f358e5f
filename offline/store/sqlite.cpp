#include "offline/store/sqlite.h"

#include <memory>

namespace mck {

Status SqliteStatus(int rc, sqlite3* db, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string en = std::string(what) + ": " + detail;
  switch (rc & 0xFF) {
    case SQLITE_FULL:
      return Status::Error(Code::kIo, en,
                           "Ổ đĩa đã đầy: không lưu được dữ liệu. Hãy giải phóng dung lượng rồi thử lại.");
    case SQLITE_READONLY:
      return Status::Error(Code::kIo, en, "Thư mục dữ liệu chỉ cho phép đọc: không lưu được dữ liệu.");
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Status::Error(Code::kIo, en, "Không mở được tệp cơ sở dữ liệu (kiểm tra đường dẫn và quyền truy cập).");
    case SQLITE_IOERR:
      return Status::Error(
          Code::kIo, en,
          "Lỗi đọc/ghi đĩa khi lưu dữ liệu (đĩa có thể đã đầy hoặc bị lỗi). Dữ liệu đã lưu trước đó vẫn an toàn.");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Error(Code::kCorrupt, en, "Cơ sở dữ liệu bị hỏng hoặc không phải tệp dữ liệu của kiosk.");
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Status::Error(Code::kUnavailable, en, "Cơ sở dữ liệu đang bận, hãy thử lại.");
    case SQLITE_CONSTRAINT: return Status::Error(Code::kAlreadyExists, en, "Dữ liệu trùng hoặc vi phạm ràng buộc.");
    default: return Status::Error(Code::kInternal, en, "Lỗi cơ sở dữ liệu.");
  }
}

void Stmt::Release() {
  if (!s_) return;
  if (in_use_) {
    sqlite3_reset(s_);  // its error, if any, was reported by Step already
    sqlite3_clear_bindings(s_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(s_);
  }
  s_ = nullptr;
  in_use_ = nullptr;
}

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    Release();
    db_ = o.db_;
    s_ = o.s_;
    in_use_ = o.in_use_;
    o.s_ = nullptr;
    o.in_use_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  Release();
}

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindBlob(int i, std::string_view v) {
  sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

bool Stmt::Step(Status* st) {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) *st = SqliteStatus(rc, db_, "step");
  return false;
}

Status Stmt::Run() {
  Status st;
  while (Step(&st)) {
  }
  return st;
}

bool Stmt::IsNull(int col) const {
  return sqlite3_column_type(s_, col) == SQLITE_NULL;
}
bool Stmt::IsBlob(int col) const {
  return sqlite3_column_type(s_, col) == SQLITE_BLOB;
}
int64_t Stmt::Int(int col) const {
  return sqlite3_column_int64(s_, col);
}
std::string Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, col))) : std::string();
}
std::optional<std::string> Stmt::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}
std::string Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(s_, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, col)))
           : std::string();
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const std::string& vfs) {
  auto db = std::unique_ptr<Db>(new Db());
  const int rc =
      sqlite3_open_v2(path.c_str(), &db->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) return SqliteStatus(rc, db->db_, "open " + path);
  sqlite3_extended_result_codes(db->db_, 1);
  sqlite3_busy_timeout(db->db_, 10000);
  return db;
}

Db::~Db() {
  for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
  if (db_) sqlite3_close_v2(db_);
}

Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  return SqliteStatus(rc, db_, "exec");
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  const std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    it->second.last_used = ++uses_;
    return Stmt(db_, it->second.stmt, &it->second.in_use);
  }
  sqlite3_stmt* s = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db_, "prepare");
  ++prepared_;
  if (!s || cache_.count(key)) return Stmt(db_, s);  // empty SQL, or the cached one is in use: a one-off
  if (cache_.size() >= kCachedStatements) {
    // Evict the least recently used statement that no Stmt holds (the store has ~60 distinct
    // statements; only dynamic SQL would ever fill this).
    auto victim = cache_.end();
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (!it->second.in_use && (victim == cache_.end() || it->second.last_used < victim->second.last_used)) {
        victim = it;
      }
    }
    if (victim == cache_.end()) return Stmt(db_, s);
    sqlite3_finalize(victim->second.stmt);
    cache_.erase(victim);
  }
  Cached& c = cache_[key];
  c.stmt = s;
  c.in_use = true;
  c.last_used = ++uses_;
  return Stmt(db_, s, &c.in_use);
}

Status Db::Begin() {
  auto s = Prepare("BEGIN IMMEDIATE");
  if (!s.ok()) return s.status();
  return s->Run();
}
Status Db::Commit() {
  auto s = Prepare("COMMIT");
  if (!s.ok()) return s.status();
  return s->Run();
}
void Db::Rollback() {
  // Ignored on purpose: after an I/O error or a full disk SQLite may have rolled back already
  // ("no transaction is active"); either way nothing of the transaction remains.
  (void)Exec("ROLLBACK");
}

}  // namespace mck
