#include "offline/store/backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <regex>

namespace mck {
namespace {

bool FsyncPath(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::string UtcStamp(TimePoint now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Status IoError(const std::filesystem::path& p, const std::string& what) {
  return Status::Error(Code::kIo, p.string() + ": " + what,
                       p.string() + ": không tạo được bản sao lưu trước khi nâng cấp cơ sở dữ liệu (" + what + ")");
}

}  // namespace

std::filesystem::path BackupDir(const std::filesystem::path& data_dir) {
  return data_dir / "backup";
}

Result<std::vector<BackupInfo>> ListBackups(const std::filesystem::path& data_dir) {
  std::vector<BackupInfo> out;
  const auto dir = BackupDir(data_dir);
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  static const std::regex kName(R"(kiosk\.db\.v(\d+)-(\d{8}T\d{6}Z)(-\d+)?)");
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::smatch m;
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !std::regex_match(name, m, kName)) continue;
    out.push_back({e.path(), std::stoi(m[1]), m[2], e.file_size(ec)});
  }
  if (ec) return IoError(dir, ec.message());
  std::sort(out.begin(), out.end(), [](const BackupInfo& a, const BackupInfo& b) {
    if (a.taken_at != b.taken_at) return a.taken_at < b.taken_at;
    if (a.file.filename().string().size() != b.file.filename().string().size()) {
      return a.file.filename().string().size() < b.file.filename().string().size();  // "-2" after none
    }
    return a.file.filename() < b.file.filename();
  });
  return out;
}

Result<std::filesystem::path> BackupBeforeMigration(Db& db, const std::filesystem::path& data_dir, int schema_version,
                                                    TimePoint now, int keep) {
  const auto dir = BackupDir(data_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError(dir, ec.message());
  if (::chmod(dir.c_str(), 0700) != 0) return IoError(dir, "chmod 0700");
  const std::string base = "kiosk.db.v" + std::to_string(schema_version) + "-" + UtcStamp(now);
  std::filesystem::path final_path = dir / base;
  for (int n = 2; std::filesystem::exists(final_path, ec); ++n) final_path = dir / (base + "-" + std::to_string(n));
  const std::filesystem::path tmp = dir / (".tmp-" + final_path.filename().string());
  std::filesystem::remove(tmp, ec);
  {
    auto stmt = db.Prepare("VACUUM INTO ?");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, tmp.string());
    if (Status st = stmt->Run(); !st.ok()) {
      std::filesystem::remove(tmp, ec);
      return st.WithContext(tmp.string() + ": backup: ", "Sao lưu trước khi nâng cấp: ");
    }
  }
  if (::chmod(tmp.c_str(), 0600) != 0 || !FsyncPath(tmp, O_RDONLY)) {
    std::filesystem::remove(tmp, ec);
    return IoError(tmp, "chmod/fsync");
  }
  std::filesystem::rename(tmp, final_path, ec);
  if (ec || !FsyncPath(dir, O_RDONLY | O_DIRECTORY)) return IoError(final_path, ec ? ec.message() : "fsync of dir");
  // Keep the newest `keep`: the one just taken is the newest.
  auto all = ListBackups(data_dir);
  if (!all.ok()) return all.status();
  const size_t keep_n = static_cast<size_t>(std::max(keep, 1));
  for (size_t i = 0; i + keep_n < all->size(); ++i) std::filesystem::remove((*all)[i].file, ec);
  FsyncPath(dir, O_RDONLY | O_DIRECTORY);
  return final_path;
}

}  // namespace mck
