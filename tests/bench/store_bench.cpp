// store_bench: how fast can a kiosk durably store dossiers, next to what the disk allows?
//
// Measures, in one run on the same file system:
//   1. the disk's own limit: a loop of small write + fdatasync (what any durable commit costs);
//   2. DossierStore::Submit with WAL + synchronous=FULL, no attachment and with a 200 KB scan:
//      latency p50/p99 and dossiers per second.
// Usage: store_bench [DIR] [N]   (DIR defaults to ./bench-data, N to 500)
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "offline/store/store.h"
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

Stats FsyncLoop(const std::filesystem::path& dir, int n) {
  const auto file = dir / "fsync-probe.bin";
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror("open");
    std::exit(1);
  }
  std::vector<double> ms;
  char block[512] = {1};
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    if (::pwrite(fd, block, sizeof block, static_cast<off_t>(i) * 512) != sizeof block || ::fdatasync(fd) != 0) {
      std::perror("write/fdatasync");
      std::exit(1);
    }
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  const double total = std::chrono::duration<double>(Clock::now() - start).count();
  ::close(fd);
  std::filesystem::remove(file);
  return Summarise(ms, total);
}

Stats SubmitLoop(mck::Store& store, int n, size_t attachment_bytes) {
  nlohmann::json body = {
      {"procedure_code", "1.001193"},
      {"channel", "kiosk"},
      {"applicant", mck::test::SampleApplicant("Thôn Ví Dụ, xã Mẫu, tỉnh Bắc Ninh")},
      {"fields", {{"child_name", "Trần Văn An"}, {"child_dob", "2026-11-02"}, {"child_gender", "Nam"}}},
      {"documents", {{{"id", "birth_certificate"}, {"presented_at_counter", true}}}}};
  std::vector<double> ms;
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    std::vector<mck::NewAttachment> atts;
    if (attachment_bytes)
      atts.push_back({"scan.jpg", "image/jpeg", std::string(attachment_bytes, 'j') + std::to_string(i)});
    const auto t0 = Clock::now();
    auto r = store.dossiers().Submit(body, atts, "bench");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!r.ok()) {
      std::fprintf(stderr, "submit failed: %s\n", r.status().ToString().c_str());
      std::exit(1);
    }
  }
  return Summarise(ms, std::chrono::duration<double>(Clock::now() - start).count());
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : "bench-data";
  const int n = argc > 2 ? std::atoi(argv[2]) : 500;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::filesystem::path catalog = dir / "procedures.json";
  std::FILE* f = std::fopen(catalog.c_str(), "w");
  std::fputs(R"({"version":"bench","procedures":[{"code":"1.001193","name":"Đăng ký khai sinh","field":"Hộ tịch",
    "processing_days":1,"fee_vnd":0,"counter":"HT","form":[],"documents":[]}]})",
             f);
  std::fclose(f);

  mck::StoreOptions opts;
  opts.data_dir = dir / "data";
  opts.kiosk_number = 7;
  opts.catalog_seed = catalog;
  auto store = mck::Store::Open(opts);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }

  const Stats disk = FsyncLoop(dir, n);
  const Stats plain = SubmitLoop(**store, n, 0);
  const Stats scan = SubmitLoop(**store, n / 5, 200 * 1024);
  std::printf("store benchmark (%d submits; WAL, synchronous=FULL; dir %s)\n", n, dir.c_str());
  std::printf("  %-38s p50 %7.3f ms  p99 %7.3f ms  %8.0f /s\n", "disk limit: 512 B write + fdatasync", disk.p50_ms,
              disk.p99_ms, disk.per_second);
  std::printf("  %-38s p50 %7.3f ms  p99 %7.3f ms  %8.0f dossiers/s  (%.2fx the fsync loop's time)\n",
              "submit, no attachment", plain.p50_ms, plain.p99_ms, plain.per_second, plain.p50_ms / disk.p50_ms);
  std::printf("  %-38s p50 %7.3f ms  p99 %7.3f ms  %8.0f dossiers/s\n", "submit, one 200 KB scan", scan.p50_ms,
              scan.p99_ms, scan.per_second);
  store->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
