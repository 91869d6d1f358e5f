// The sqlite3_io_methods a wrapping test VFS (fault_vfs.cpp, sync_count_vfs.cpp) passes straight
// to the file it wraps: locks, file controls, sizes and the shared-memory calls. `RealOf` gives
// the wrapped (real) file of one of the VFS's own files.
#pragma once

#include <sqlite3.h>

namespace mck::test {

template <sqlite3_file* (*RealOf)(sqlite3_file*)>
struct ForwardToReal {
  static int Lock(sqlite3_file* f, int level) { return RealOf(f)->pMethods->xLock(RealOf(f), level); }
  static int Unlock(sqlite3_file* f, int level) { return RealOf(f)->pMethods->xUnlock(RealOf(f), level); }
  static int CheckReservedLock(sqlite3_file* f, int* out) {
    return RealOf(f)->pMethods->xCheckReservedLock(RealOf(f), out);
  }
  static int FileControl(sqlite3_file* f, int op, void* arg) {
    return RealOf(f)->pMethods->xFileControl(RealOf(f), op, arg);
  }
  static int SectorSize(sqlite3_file* f) { return RealOf(f)->pMethods->xSectorSize(RealOf(f)); }
  static int DeviceCharacteristics(sqlite3_file* f) { return RealOf(f)->pMethods->xDeviceCharacteristics(RealOf(f)); }
  static int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return RealOf(f)->pMethods->xShmMap(RealOf(f), page, size, extend, out);
  }
  static int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return RealOf(f)->pMethods->xShmLock(RealOf(f), offset, n, flags);
  }
  static void ShmBarrier(sqlite3_file* f) { RealOf(f)->pMethods->xShmBarrier(RealOf(f)); }
  static int ShmUnmap(sqlite3_file* f, int del) { return RealOf(f)->pMethods->xShmUnmap(RealOf(f), del); }
};

}  // namespace mck::test
