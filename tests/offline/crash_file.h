// The power-cut half of the fault VFS (fault_vfs.h, PowerCutAfter): a file's writes and
// truncations wait in memory until its xSync, as they wait in a disk's volatile cache, and a cut
// decides what reached the platter. Internal to tests/offline/fault_vfs.cpp.
//
// Model (after SQLite's own crash tests, src/test6.c): the process reads back what it wrote, synced
// or not; xSync writes the file's pending operations in order, then syncs the real file; at the
// cut every pending operation of every open file is, by a seeded die, lost, written whole, or
// torn — only its first k 512-byte sectors written (k < its length in sectors). Bytes outside a
// write's range are never changed (SQLite's "powersafe overwrite", which Linux VFS reports).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mck::test::crash {

struct PendingOp {
  bool truncate = false;
  int64_t offset = 0;  // truncate: the new size
  std::string data;
};

struct PendingFile {
  std::vector<PendingOp> ops;
};

// What a read sees: the real file's bytes with the pending operations applied in order. A read
// past the end fills with zeros and returns SQLITE_IOERR_SHORT_READ, as the unix VFS does.
int Read(sqlite3_file* real, const PendingFile& p, void* buf, int n, sqlite3_int64 offset);
// The size the process sees.
int FileSize(sqlite3_file* real, const PendingFile& p, sqlite3_int64* size);
// Writes every pending operation to the real file, in order, and forgets them.
int Flush(sqlite3_file* real, PendingFile& p);
// The power cut for one file: each pending operation lost, written whole or torn, by the die.
// Returns how many bytes reached the file.
int64_t Cut(sqlite3_file* real, PendingFile& p, std::mt19937_64& die);

}  // namespace mck::test::crash
