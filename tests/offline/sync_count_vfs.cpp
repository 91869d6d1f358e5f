#include "tests/offline/sync_count_vfs.h"

#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include "tests/offline/vfs_forward.h"

namespace mck::test {

enum class FileKind { kDb, kWal, kOther };

struct SyncCountVfs::State {
  std::string name;
  sqlite3_vfs vfs{};
  sqlite3_vfs* base = nullptr;
  mutable std::mutex mu;
  std::map<std::thread::id, SyncCounts> by_thread;
  // One method table per kind of base method table (SQLite's unix VFS uses one for all files).
  sqlite3_io_methods methods{};
  bool methods_ready = false;
};

namespace {

struct CountFile {
  sqlite3_file base;  // first: SQLite sees a sqlite3_file*
  SyncCountVfs::State* state;
  FileKind kind;
  sqlite3_file* real;  // follows this struct in the same allocation
};

CountFile* Wrap(sqlite3_file* f) {
  return reinterpret_cast<CountFile*>(f);
}
sqlite3_file* Real(sqlite3_file* f) {
  return Wrap(f)->real;
}
using Forward = ForwardToReal<&Real>;  // the methods passed straight through (vfs_forward.h)

SyncCounts& Mine(SyncCountVfs::State* s) {
  return s->by_thread[std::this_thread::get_id()];  // REQUIRES: s->mu held
}

int Close(sqlite3_file* f) {
  const int rc = Real(f)->pMethods->xClose(Real(f));
  return rc;
}
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), buf, n, off);
}
int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  {
    CountFile* cf = Wrap(f);
    std::lock_guard<std::mutex> lock(cf->state->mu);
    SyncCounts& c = Mine(cf->state);
    if (cf->kind == FileKind::kDb) {
      ++c.db_writes;
      c.db_bytes += n;
    } else if (cf->kind == FileKind::kWal) {
      ++c.wal_writes;
      c.wal_bytes += n;
    }
  }
  return Real(f)->pMethods->xWrite(Real(f), buf, n, off);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) {
  {
    CountFile* cf = Wrap(f);
    std::lock_guard<std::mutex> lock(cf->state->mu);
    SyncCounts& c = Mine(cf->state);
    (cf->kind == FileKind::kDb ? c.db_syncs : cf->kind == FileKind::kWal ? c.wal_syncs : c.other_syncs)++;
  }
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return Real(f)->pMethods->xFetch(Real(f), off, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), off, p);
}

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* s = static_cast<SyncCountVfs::State*>(vfs->pAppData);
  CountFile* cf = Wrap(file);
  cf->state = s;
  cf->kind = (flags & SQLITE_OPEN_MAIN_DB) ? FileKind::kDb
             : (flags & SQLITE_OPEN_WAL)   ? FileKind::kWal
                                           : FileKind::kOther;
  cf->real = reinterpret_cast<sqlite3_file*>(cf + 1);
  std::memset(cf->real, 0, static_cast<size_t>(s->base->szOsFile));
  const int rc = s->base->xOpen(s->base, name, cf->real, flags, out_flags);
  if (cf->real->pMethods == nullptr) {
    file->pMethods = nullptr;
    return rc;
  }
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (!s->methods_ready) {
      const sqlite3_io_methods* r = cf->real->pMethods;
      s->methods = {r->iVersion < 3 ? r->iVersion : 3,
                    Close,
                    Read,
                    Write,
                    Truncate,
                    Sync,
                    FileSize,
                    Forward::Lock,
                    Forward::Unlock,
                    Forward::CheckReservedLock,
                    Forward::FileControl,
                    Forward::SectorSize,
                    Forward::DeviceCharacteristics,
                    Forward::ShmMap,
                    Forward::ShmLock,
                    Forward::ShmBarrier,
                    Forward::ShmUnmap,
                    Fetch,
                    Unfetch};
      s->methods_ready = true;
    }
  }
  file->pMethods = &s->methods;
  return rc;
}

// The rest of the VFS is the base's.
int Delete(sqlite3_vfs* v, const char* n, int d) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xDelete(b, n, d);
}
int Access(sqlite3_vfs* v, const char* n, int f, int* o) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xAccess(b, n, f, o);
}
int FullPathname(sqlite3_vfs* v, const char* n, int size, char* out) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xFullPathname(b, n, size, out);
}
void* DlOpen(sqlite3_vfs* v, const char* n) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xDlOpen(b, n);
}
void DlError(sqlite3_vfs* v, int n, char* msg) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  b->xDlError(b, n, msg);
}
void (*DlSym(sqlite3_vfs* v, void* h, const char* sym))(void) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xDlSym(b, h, sym);
}
void DlClose(sqlite3_vfs* v, void* h) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  b->xDlClose(b, h);
}
int Randomness(sqlite3_vfs* v, int n, char* out) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xRandomness(b, n, out);
}
int SleepFor(sqlite3_vfs* v, int us) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xSleep(b, us);
}
int CurrentTime(sqlite3_vfs* v, double* t) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xCurrentTime(b, t);
}
int GetLastError(sqlite3_vfs* v, int n, char* out) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xGetLastError ? b->xGetLastError(b, n, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* t) {
  auto* b = static_cast<SyncCountVfs::State*>(v->pAppData)->base;
  return b->xCurrentTimeInt64(b, t);
}

}  // namespace

SyncCountVfs::SyncCountVfs(std::string name) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.name = std::move(name);
  s.base = sqlite3_vfs_find(nullptr);
  if (!s.base) throw std::runtime_error("no default SQLite VFS");
  s.vfs.iVersion = 2;
  s.vfs.szOsFile = static_cast<int>(sizeof(CountFile)) + s.base->szOsFile;
  s.vfs.mxPathname = s.base->mxPathname;
  s.vfs.zName = s.name.c_str();
  s.vfs.pAppData = &s;
  s.vfs.xOpen = Open;
  s.vfs.xDelete = Delete;
  s.vfs.xAccess = Access;
  s.vfs.xFullPathname = FullPathname;
  s.vfs.xDlOpen = DlOpen;
  s.vfs.xDlError = DlError;
  s.vfs.xDlSym = DlSym;
  s.vfs.xDlClose = DlClose;
  s.vfs.xRandomness = Randomness;
  s.vfs.xSleep = SleepFor;
  s.vfs.xCurrentTime = CurrentTime;
  s.vfs.xGetLastError = GetLastError;
  s.vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (sqlite3_vfs_register(&s.vfs, 0) != SQLITE_OK) throw std::runtime_error("cannot register " + s.name);
}

SyncCountVfs::~SyncCountVfs() {
  sqlite3_vfs_unregister(&state_->vfs);
}

const std::string& SyncCountVfs::name() const {
  return state_->name;
}

SyncCounts SyncCountVfs::CountsOf(std::thread::id thread) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->by_thread.find(thread);
  return it == state_->by_thread.end() ? SyncCounts{} : it->second;
}

SyncCounts SyncCountVfs::Total() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  SyncCounts t;
  for (const auto& [id, c] : state_->by_thread) {
    t.db_syncs += c.db_syncs;
    t.wal_syncs += c.wal_syncs;
    t.other_syncs += c.other_syncs;
    t.db_writes += c.db_writes;
    t.wal_writes += c.wal_writes;
    t.db_bytes += c.db_bytes;
    t.wal_bytes += c.wal_bytes;
  }
  return t;
}

}  // namespace mck::test
