#include "tests/offline/fault_vfs.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>

#include "tests/offline/crash_file.h"
#include "tests/offline/vfs_forward.h"

namespace mck::test {

enum class FaultMode { kNone, kFailAfter, kTearAt, kFailSync, kPowerCut };

struct FaultFile;

struct FaultVfs::State {
  std::string name;
  sqlite3_vfs vfs{};
  sqlite3_vfs* base = nullptr;
  sqlite3_io_methods methods{};
  bool methods_ready = false;

  mutable std::mutex mu;
  FaultMode mode = FaultMode::kNone;
  int rc = SQLITE_OK;
  int64_t budget = 0;  // bytes still allowed
  int64_t written = 0;
  bool broken = false;  // a write already failed: the "disk" stays failed until disarmed
  int faults = 0;
  // Power-cut mode: writes and syncs left before the cut, the die, and whether xSync is obeyed.
  int64_t ops_left = 0;
  std::mt19937_64 die;
  bool syncs_lie = false;
  std::set<FaultFile*> files;  // open files (their pending writes are cut too)
  std::function<void()> sync_hook;
};

// Our file: the base VFS's file object follows it in the same allocation (szOsFile is the sum).
struct FaultFile {
  sqlite3_file base;  // must be first: SQLite sees a sqlite3_file*
  FaultVfs::State* state;
  sqlite3_file* real;
  crash::PendingFile* pending;  // writes not yet synced (power-cut mode); owned
};

namespace {

FaultVfs::State* StateOf(sqlite3_vfs* vfs) {
  return static_cast<FaultVfs::State*>(vfs->pAppData);
}
FaultFile* Wrap(sqlite3_file* f) {
  return reinterpret_cast<FaultFile*>(f);
}
sqlite3_file* Real(sqlite3_file* f) {
  return Wrap(f)->real;
}
using Forward = ForwardToReal<&Real>;  // the methods passed straight through (vfs_forward.h)

int Close(sqlite3_file* f) {
  FaultVfs::State* s = Wrap(f)->state;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    s->files.erase(Wrap(f));
    // A file closed in power-cut mode keeps what the cache held: written out, as the OS would.
    if (!Wrap(f)->pending->ops.empty()) (void)crash::Flush(Real(f), *Wrap(f)->pending);
  }
  delete Wrap(f)->pending;
  return Real(f)->pMethods->xClose(Real(f));
}
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  FaultVfs::State* s = Wrap(f)->state;
  std::lock_guard<std::mutex> lock(s->mu);
  if (!Wrap(f)->pending->ops.empty()) return crash::Read(Real(f), *Wrap(f)->pending, buf, n, off);
  return Real(f)->pMethods->xRead(Real(f), buf, n, off);
}

// Power-cut mode, under s->mu: counts one write or sync; at zero the power goes: every open
// file's pending writes are lost, written or torn by the die, and the process ends at once.
void CountTowardsCut(FaultVfs::State* s) {
  if (--s->ops_left > 0) return;
  for (FaultFile* ff : s->files) crash::Cut(ff->real, *ff->pending, s->die);
  ::_exit(FaultVfs::kPowerCutExitCode);
}

int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  FaultVfs::State* s = Wrap(f)->state;
  int allowed = n;
  int rc = SQLITE_OK;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->mode == FaultMode::kPowerCut) {
      Wrap(f)->pending->ops.push_back({false, off, std::string(static_cast<const char*>(buf), static_cast<size_t>(n))});
      s->written += n;
      CountTowardsCut(s);
      return SQLITE_OK;
    }
    if (s->mode == FaultMode::kFailAfter || s->mode == FaultMode::kTearAt) {
      if (s->broken || s->budget < n) {
        allowed = s->broken || s->mode == FaultMode::kFailAfter ? 0 : static_cast<int>(s->budget);
        rc = s->rc;
        s->broken = true;
        s->budget = 0;
        ++s->faults;
      } else {
        s->budget -= n;
      }
    }
    s->written += allowed;
  }
  if (allowed > 0) {
    const int wrc = Real(f)->pMethods->xWrite(Real(f), buf, allowed, off);
    if (wrc != SQLITE_OK) return wrc;
  }
  return rc;
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  FaultVfs::State* s = Wrap(f)->state;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->mode == FaultMode::kPowerCut) {
      Wrap(f)->pending->ops.push_back({true, size, {}});
      return SQLITE_OK;
    }
  }
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) {
  FaultVfs::State* s = Wrap(f)->state;
  std::function<void()> hook;
  {
    std::lock_guard<std::mutex> lock(s->mu);
    hook = s->sync_hook;
  }
  if (hook) hook();  // outside the lock: the hook may wait for another thread
  {
    std::lock_guard<std::mutex> lock(s->mu);
    if (s->mode == FaultMode::kFailSync) {
      ++s->faults;
      return SQLITE_IOERR_FSYNC;
    }
    if (s->mode == FaultMode::kPowerCut) {
      CountTowardsCut(s);                  // the power may go before this sync reaches the disk
      if (s->syncs_lie) return SQLITE_OK;  // a disk that acknowledges a flush it never did
      if (int rc = crash::Flush(Real(f), *Wrap(f)->pending); rc != SQLITE_OK) return rc;
    }
  }
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  FaultVfs::State* s = Wrap(f)->state;
  std::lock_guard<std::mutex> lock(s->mu);
  if (!Wrap(f)->pending->ops.empty()) return crash::FileSize(Real(f), *Wrap(f)->pending, size);
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
// Memory-mapped reads would bypass xRead, which is fine, but writes never go through a mapping
// in SQLite; still, refuse mmap so every byte the test counts passes through xWrite/xRead.
int Fetch(sqlite3_file*, sqlite3_int64, int, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file*, sqlite3_int64, void*) {
  return SQLITE_OK;
}

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  FaultVfs::State* s = StateOf(vfs);
  FaultFile* ff = Wrap(file);
  ff->state = s;
  ff->real = reinterpret_cast<sqlite3_file*>(ff + 1);
  ff->pending = nullptr;
  std::memset(ff->real, 0, static_cast<size_t>(s->base->szOsFile));
  const int rc = s->base->xOpen(s->base, name, ff->real, flags, out_flags);
  if (ff->real->pMethods == nullptr) {
    file->pMethods = nullptr;  // SQLite must not call xClose on a file that did not open
    return rc;
  }
  ff->pending = new crash::PendingFile();
  {
    std::lock_guard<std::mutex> lock(s->mu);
    s->files.insert(ff);
    if (!s->methods_ready) {
      const sqlite3_io_methods* r = ff->real->pMethods;
      s->methods.iVersion = r->iVersion < 3 ? r->iVersion : 3;
      s->methods.xClose = Close;
      s->methods.xRead = Read;
      s->methods.xWrite = Write;
      s->methods.xTruncate = Truncate;
      s->methods.xSync = Sync;
      s->methods.xFileSize = FileSize;
      s->methods.xLock = Forward::Lock;
      s->methods.xUnlock = Forward::Unlock;
      s->methods.xCheckReservedLock = Forward::CheckReservedLock;
      s->methods.xFileControl = Forward::FileControl;
      s->methods.xSectorSize = Forward::SectorSize;
      s->methods.xDeviceCharacteristics = Forward::DeviceCharacteristics;
      s->methods.xShmMap = Forward::ShmMap;
      s->methods.xShmLock = Forward::ShmLock;
      s->methods.xShmBarrier = Forward::ShmBarrier;
      s->methods.xShmUnmap = Forward::ShmUnmap;
      s->methods.xFetch = Fetch;
      s->methods.xUnfetch = Unfetch;
      s->methods_ready = true;
    }
  }
  file->pMethods = &s->methods;
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xDelete(b, name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xAccess(b, name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xFullPathname(b, name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xDlOpen(b, name);
}
void DlError(sqlite3_vfs* vfs, int n, char* out) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  b->xDlError(b, n, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* h, const char* sym))(void) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xDlSym(b, h, sym);
}
void DlClose(sqlite3_vfs* vfs, void* h) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  b->xDlClose(b, h);
}
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xRandomness(b, n, out);
}
int Sleep(sqlite3_vfs* vfs, int us) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xSleep(b, us);
}
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xCurrentTime(b, out);
}
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xGetLastError ? b->xGetLastError(b, n, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  sqlite3_vfs* b = StateOf(vfs)->base;
  return b->xCurrentTimeInt64(b, out);
}

}  // namespace

FaultVfs::FaultVfs(std::string name) : state_(std::make_unique<State>()) {
  if (sqlite3_initialize() != SQLITE_OK) throw std::runtime_error("sqlite3_initialize failed");
  State& s = *state_;
  s.name = std::move(name);
  s.base = sqlite3_vfs_find(nullptr);
  if (s.base == nullptr) throw std::runtime_error("SQLite has no default VFS");
  if (sqlite3_vfs_find(s.name.c_str()) != nullptr) throw std::runtime_error("a VFS named " + s.name + " exists");
  s.vfs.iVersion = 2;
  s.vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + s.base->szOsFile;
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
  s.vfs.xSleep = Sleep;
  s.vfs.xCurrentTime = CurrentTime;
  s.vfs.xGetLastError = GetLastError;
  s.vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (sqlite3_vfs_register(&s.vfs, /*makeDflt=*/0) != SQLITE_OK) {
    throw std::runtime_error("cannot register VFS " + s.name);
  }
}

FaultVfs::~FaultVfs() {
  // Ignored on purpose: unregistering a VFS that is registered cannot fail in SQLite 3.40.
  (void)sqlite3_vfs_unregister(&state_->vfs);
}

const std::string& FaultVfs::name() const {
  return state_->name;
}

namespace {
void Arm(FaultVfs::State& s, FaultMode mode, int64_t budget, int rc) {
  std::lock_guard<std::mutex> lock(s.mu);
  s.mode = mode;
  s.budget = budget;
  s.rc = rc;
  s.broken = false;
  s.written = 0;
}
}  // namespace

void FaultVfs::FailWritesAfter(int64_t bytes, int rc) {
  Arm(*state_, FaultMode::kFailAfter, bytes, rc);
}
void FaultVfs::TearWriteAt(int64_t bytes) {
  Arm(*state_, FaultMode::kTearAt, bytes, SQLITE_IOERR_WRITE);
}
void FaultVfs::FailSyncs() {
  Arm(*state_, FaultMode::kFailSync, 0, SQLITE_IOERR_FSYNC);
}
void FaultVfs::Disarm() {
  Arm(*state_, FaultMode::kNone, 0, SQLITE_OK);
}
void FaultVfs::PowerCutAfter(int64_t ops, uint64_t seed, bool syncs_lie) {
  Arm(*state_, FaultMode::kPowerCut, 0, SQLITE_OK);
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->ops_left = std::max<int64_t>(1, ops);
  state_->die.seed(seed);
  state_->syncs_lie = syncs_lie;
}
void FaultVfs::SetSyncHook(std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->sync_hook = std::move(hook);
}

int FaultVfs::faults_injected() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->faults;
}
int64_t FaultVfs::bytes_written() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->written;
}

}  // namespace mck::test
