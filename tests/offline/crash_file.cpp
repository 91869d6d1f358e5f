#include "tests/offline/crash_file.h"

#include <algorithm>
#include <cstring>

namespace mck::test::crash {

namespace {

constexpr int64_t kSector = 512;

int64_t RealSize(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  if (real->pMethods->xFileSize(real, &size) != SQLITE_OK) return -1;
  return size;
}

}  // namespace

int FileSize(sqlite3_file* real, const PendingFile& p, sqlite3_int64* size) {
  int64_t s = RealSize(real);
  if (s < 0) return SQLITE_IOERR_FSTAT;
  for (const PendingOp& op : p.ops) {
    s = op.truncate ? op.offset : std::max<int64_t>(s, op.offset + static_cast<int64_t>(op.data.size()));
  }
  *size = s;
  return SQLITE_OK;
}

int Read(sqlite3_file* real, const PendingFile& p, void* buf, int n, sqlite3_int64 offset) {
  auto* out = static_cast<unsigned char*>(buf);
  std::memset(out, 0, static_cast<size_t>(n));
  // The real bytes (a short read leaves zeros, which is what lies past the real end).
  const int rc = real->pMethods->xRead(real, out, n, offset);
  if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
  int64_t size = RealSize(real);
  if (size < 0) return SQLITE_IOERR_FSTAT;
  const int64_t lo = offset, hi = offset + n;
  for (const PendingOp& op : p.ops) {
    if (op.truncate) {
      // Everything from the new end on is gone (zeros if later writes extend the file again).
      if (op.offset < hi) {
        const int64_t from = std::max(lo, op.offset);
        std::memset(out + (from - lo), 0, static_cast<size_t>(hi - from));
      }
      size = op.offset;
      continue;
    }
    const int64_t a = std::max(lo, op.offset), b = std::min(hi, op.offset + static_cast<int64_t>(op.data.size()));
    if (a < b) std::memcpy(out + (a - lo), op.data.data() + (a - op.offset), static_cast<size_t>(b - a));
    size = std::max<int64_t>(size, op.offset + static_cast<int64_t>(op.data.size()));
  }
  return hi > size ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
}

namespace {
int Apply(sqlite3_file* real, const PendingOp& op, size_t bytes) {
  if (op.truncate) return real->pMethods->xTruncate(real, op.offset);
  if (bytes == 0) return SQLITE_OK;
  return real->pMethods->xWrite(real, op.data.data(), static_cast<int>(bytes), op.offset);
}
}  // namespace

int Flush(sqlite3_file* real, PendingFile& p) {
  for (const PendingOp& op : p.ops) {
    if (int rc = Apply(real, op, op.data.size()); rc != SQLITE_OK) return rc;
  }
  p.ops.clear();
  return SQLITE_OK;
}

int64_t Cut(sqlite3_file* real, PendingFile& p, std::mt19937_64& die) {
  int64_t written = 0;
  for (const PendingOp& op : p.ops) {
    const unsigned roll = static_cast<unsigned>(die() % 10);
    if (roll < 4) continue;  // lost: it never left the cache
    size_t bytes = op.data.size();
    const int64_t end = op.offset + static_cast<int64_t>(bytes);
    const int64_t first_boundary = (op.offset / kSector + 1) * kSector;
    if (!op.truncate && roll < 7 && first_boundary < end) {
      // Torn at a sector boundary of the disk: the sectors before it made it, the rest did not.
      const int64_t boundaries = (end - 1 - first_boundary) / kSector + 1;
      const int64_t cut = first_boundary + kSector * static_cast<int64_t>(die() % static_cast<uint64_t>(boundaries));
      bytes = static_cast<size_t>(cut - op.offset);
    }
    if (Apply(real, op, bytes) == SQLITE_OK) written += static_cast<int64_t>(bytes);
  }
  p.ops.clear();
  return written;
}

}  // namespace mck::test::crash
