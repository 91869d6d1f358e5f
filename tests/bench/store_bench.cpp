// store_bench: how fast can a kiosk durably store dossiers, next to what the disk allows?
//
// Measures, in one run on the same file system:
//   1. the disk's own limit: small writes, each followed by fdatasync (what any durable commit
//      costs at least);
//   2. DossierStore::Submit with WAL + synchronous=FULL, no attachment: latency p50/p99 and
//      dossiers per second — and its ratio to (1), the figure of issue 15 (limit: 2x);
//   3. for comparison, the same submits on a second store whose commits run SQLite's own WAL
//      checkpoint once the WAL passes 1,000 pages (SQLite's default, what the store did before
//      issue 15: WalLimits{1000, 1000});
//   4. submits with a 200 KB scan attached (for the record; no limit).
// (1), (2) and (3) are interleaved in blocks (50 fsyncs, 50 submits, 50 submits, ...) so that
// all three see the same load from whatever else the machine runs. The store is opened through a counting VFS
// (tests/offline/sync_count_vfs.h): the breakdown says how many fsyncs each submit made on its
// own thread (WAL and database file: a checkpoint landing on a submit shows as a database fsync)
// and how many the background checkpointer made meanwhile.
// Usage: store_bench [DIR] [N]   (DIR defaults to ./bench-data, N to 500)
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "offline/store/store.h"
#include "tests/offline/sync_count_vfs.h"
#include "tests/support/sample_dossier.h"

using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
  double p50_ms, p99_ms, per_second;
};

Stats Summarise(std::vector<double> ms, double total_s) {
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))]; };
  return {pct(0.50), pct(0.99), ms.size() / total_s};
}

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Appends `n` blocks of 512 B to the probe file, each written and fdatasync'ed.
void FsyncProbe(int fd, int n, off_t* offset, std::vector<double>* ms) {
  char block[512] = {1};
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    if (::pwrite(fd, block, sizeof block, *offset) != sizeof block || ::fdatasync(fd) != 0) {
      std::perror("write/fdatasync");
      std::exit(1);
    }
    *offset += 512;
    ms->push_back(MsSince(t0));
  }
}

nlohmann::json Body() {
  return {{"procedure_code", "1.001193"},
          {"channel", "kiosk"},
          {"applicant", mck::test::SampleApplicant("Thôn Ví Dụ, xã Mẫu, tỉnh Bắc Ninh")},
          {"fields", {{"child_name", "Trần Văn An"}, {"child_dob", "2026-11-02"}, {"child_gender", "Nam"}}},
          {"documents", {{{"id", "birth_certificate"}, {"presented_at_counter", true}}}}};
}

struct SubmitFigures {
  std::vector<double> ms;
  int with_checkpoint = 0;  // submits whose own thread synced the database file
  mck::test::SyncCounts own;
};

void Submits(mck::Store& store, const mck::test::SyncCountVfs& vfs, int n, size_t attachment_bytes,
             SubmitFigures* out) {
  const nlohmann::json body = Body();
  for (int i = 0; i < n; ++i) {
    std::vector<mck::NewAttachment> atts;
    if (attachment_bytes)
      atts.push_back({"scan.jpg", "image/jpeg", std::string(attachment_bytes, 'j') + std::to_string(out->ms.size())});
    const auto before = vfs.CountsOf(std::this_thread::get_id());
    const auto t0 = Clock::now();
    auto r = store.dossiers().Submit(body, atts, "bench");
    out->ms.push_back(MsSince(t0));
    if (!r.ok()) {
      std::fprintf(stderr, "submit failed: %s\n", r.status().ToString().c_str());
      std::exit(1);
    }
    const auto d = vfs.CountsOf(std::this_thread::get_id()) - before;
    if (d.db_syncs > 0) ++out->with_checkpoint;
    out->own.db_syncs += d.db_syncs;
    out->own.wal_syncs += d.wal_syncs;
    out->own.other_syncs += d.other_syncs;
    out->own.wal_bytes += d.wal_bytes;
    out->own.wal_writes += d.wal_writes;
    out->own.db_writes += d.db_writes;
  }
}

const char* Verdict(double ratio) {
  return ratio <= 2.0 ? "within" : "OVER";
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : "bench-data";
  const int n = std::max(100, argc > 2 ? std::atoi(argv[2]) : 500);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::filesystem::path catalog = dir / "procedures.json";
  std::FILE* f = std::fopen(catalog.c_str(), "w");
  std::fputs(R"({"version":"bench","procedures":[{"code":"1.001193","name":"Đăng ký khai sinh","field":"Hộ tịch",
    "processing_days":1,"fee_vnd":0,"counter":"HT","form":[],"documents":[]}]})",
             f);
  std::fclose(f);

  mck::test::SyncCountVfs vfs("mck-bench-count");
  mck::StoreOptions opts;
  opts.data_dir = dir / "data";
  opts.kiosk_number = 7;
  opts.catalog_seed = catalog;
  opts.vfs = vfs.name();
  auto store = mck::Store::Open(opts);
  mck::test::SyncCountVfs old_vfs("mck-bench-count-old");
  mck::StoreOptions old_opts = opts;
  old_opts.data_dir = dir / "data-sqlite-checkpoint";
  old_opts.vfs = old_vfs.name();
  old_opts.wal = {1000, 1000, std::chrono::milliseconds(50)};  // the checkpoint inside the 1000th page's commit
  auto old_store = mck::Store::Open(old_opts);
  for (auto* s : {&store, &old_store}) {
    if (!s->ok()) {
      std::fprintf(stderr, "%s\n", s->status().ToString().c_str());
      return 1;
    }
  }
  const auto probe_file = dir / "fsync-probe.bin";
  const int fd = ::open(probe_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror("open");
    return 1;
  }

  // Interleaved blocks: the fsync loop and the submits under the same load.
  constexpr int kBlock = 50;
  std::vector<double> disk_ms;
  double disk_s = 0, submit_s = 0;
  off_t offset = 0;
  SubmitFigures plain, old;
  double old_s = 0;
  const auto all_before = vfs.Total();
  const auto main_before = vfs.CountsOf(std::this_thread::get_id());
  for (int done = 0; done < n; done += kBlock) {
    const int k = std::min(kBlock, n - done);
    auto t0 = Clock::now();
    FsyncProbe(fd, k, &offset, &disk_ms);
    disk_s += MsSince(t0) / 1000;
    t0 = Clock::now();
    Submits(**store, vfs, k, 0, &plain);
    submit_s += MsSince(t0) / 1000;
    t0 = Clock::now();
    Submits(**old_store, old_vfs, k, 0, &old);
    old_s += MsSince(t0) / 1000;
  }
  const auto background = (vfs.Total() - all_before) - (vfs.CountsOf(std::this_thread::get_id()) - main_before);
  ::close(fd);
  std::filesystem::remove(probe_file);
  SubmitFigures scan;
  const auto scan_t0 = Clock::now();
  Submits(**store, vfs, n / 5, 200 * 1024, &scan);
  const double scan_s = MsSince(scan_t0) / 1000;

  const Stats disk = Summarise(disk_ms, disk_s);
  const Stats sub = Summarise(plain.ms, submit_s);
  const Stats before = Summarise(old.ms, old_s);
  const Stats big = Summarise(scan.ms, scan_s);
  const double p99_ratio = sub.p99_ms / disk.p99_ms, p50_ratio = sub.p50_ms / disk.p50_ms;
  std::printf(
      "store benchmark (%d submits; WAL, synchronous=FULL; dir %s; fsync loop and submits interleaved in "
      "blocks of %d)\n",
      n, dir.c_str(), kBlock);
  std::printf("  %-38s p50 %7.3f ms  p99 %7.3f ms  %8.0f /s\n", "disk limit: 512 B write + fdatasync", disk.p50_ms,
              disk.p99_ms, disk.per_second);
  std::printf("  %-38s p50 %7.3f ms  p99 %7.3f ms  %8.0f dossiers/s\n", "submit, no attachment", sub.p50_ms, sub.p99_ms,
              sub.per_second);
  std::printf("  %-38s p50 %7.3f ms  p99 %7.3f ms  %8.0f dossiers/s  (ratios %.2fx p99, %.2fx p50)\n",
              "  same, checkpoint inside the commit", before.p50_ms, before.p99_ms, before.per_second,
              before.p99_ms / disk.p99_ms, before.p50_ms / disk.p50_ms);
  std::printf("  %-38s p50 %7.3f ms  p99 %7.3f ms  %8.0f dossiers/s\n", "submit, one 200 KB scan", big.p50_ms,
              big.p99_ms, big.per_second);
  std::printf("  submit / fsync p99 ratio: %.2fx  (limit <= 2x: %s)\n", p99_ratio, Verdict(p99_ratio));
  std::printf("  submit / fsync p50 ratio: %.2fx  (limit <= 2x: %s)\n", p50_ratio, Verdict(p50_ratio));
  const double m = static_cast<double>(plain.ms.size());
  std::printf(
      "  breakdown per submit (no attachment), on the submitting thread: %.2f fsyncs (WAL %.2f, database %.2f); "
      "%.1f WAL writes, %.1f KB to the WAL; %d of %zu submits ran a checkpoint\n",
      (plain.own.wal_syncs + plain.own.db_syncs + plain.own.other_syncs) / m, plain.own.wal_syncs / m,
      plain.own.db_syncs / m, plain.own.wal_writes / m, plain.own.wal_bytes / 1024.0 / m, plain.with_checkpoint,
      plain.ms.size());
  std::printf("  (checkpoint inside the commit: %d of %zu submits ran one; %.2f fsyncs per submit)\n",
              old.with_checkpoint, old.ms.size(),
              static_cast<double>(old.own.wal_syncs + old.own.db_syncs + old.own.other_syncs) / old.ms.size());
  std::printf(
      "  meanwhile, off the submit path (background checkpoints): %lld fsyncs (database %lld, WAL %lld), "
      "%lld database writes\n",
      static_cast<long long>(background.syncs()), static_cast<long long>(background.db_syncs),
      static_cast<long long>(background.wal_syncs), static_cast<long long>(background.db_writes));
  store->reset();
  old_store->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
