#include "offline/store/backup.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <regex>

#include "offline/store/migrations.h"

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

DataDirLock& DataDirLock::operator=(DataDirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

Result<DataDirLock> DataDirLock::Take(const std::filesystem::path& data_dir, Mode mode) {
  const auto path = data_dir / "kiosk.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Error(Code::kIo, path.string() + ": cannot open the lock file",
                         path.string() + ": không mở được tệp khoá của thư mục dữ liệu");
  }
  if (::flock(fd, (mode == Mode::kShared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    ::close(fd);
    if (mode == Mode::kShared) {
      return Status::Error(Code::kFailedPrecondition, path.string() + ": a backup is being restored",
                           "Đang khôi phục bản sao lưu cơ sở dữ liệu: thử lại sau khi xong");
    }
    return Status::Error(Code::kFailedPrecondition,
                         path.string() +
                             ": the store is open (the kiosk or a kioskctl is running): stop the kiosk "
                             "first (systemctl stop mot-cua-kiosk)",
                         "Kiosk (hoặc một lệnh kioskctl) đang mở cơ sở dữ liệu: hãy dừng kiosk trước "
                         "(sudo systemctl stop mot-cua-kiosk)");
  }
  return DataDirLock(fd);
}

namespace {

Status RestoreError(const std::filesystem::path& p, const std::string& what_en, const std::string& what_vi) {
  return Status::Error(Code::kFailedPrecondition, p.string() + ": " + what_en,
                       "Không khôi phục được bản sao lưu " + p.filename().string() + ": " + what_vi);
}

Status RestoreIo(const std::filesystem::path& p, const std::string& what) {
  return Status::Error(Code::kIo, p.string() + ": restore: " + what,
                       p.string() + ": lỗi ghi đĩa khi khôi phục bản sao lưu (" + what + ")");
}

// Opens the copy, checks it, closes it. Returns its schema version.
Result<int> CheckRestoreCopy(const std::filesystem::path& copy, const std::filesystem::path& backup, int newest) {
  auto db = Db::Open(copy.string());
  if (!db.ok()) return db.status();
  auto check = (*db)->Prepare("PRAGMA integrity_check");
  if (!check.ok()) return RestoreError(backup, "not a readable database", "tệp không đọc được");
  Status st;
  if (!check->Step(&st) || check->Text(0) != "ok") {
    return RestoreError(backup, "integrity_check failed", "tệp bị hỏng (integrity_check)");
  }
  auto version = SchemaVersion(**db);
  if (!version.ok()) return version.status();
  if (*version > newest) {
    return RestoreError(backup, "schema " + std::to_string(*version) + " is newer than this program's",
                        "bản sao lưu của phiên bản phần mềm mới hơn");
  }
  return *version;
}

}  // namespace

Result<RestoreReport> RestoreBackup(const std::filesystem::path& data_dir, const std::filesystem::path& backup,
                                    int newest_schema, TimePoint now) {
  auto lock = DataDirLock::Take(data_dir, DataDirLock::Mode::kExclusive);
  if (!lock.ok()) return lock.status();
  auto all = ListBackups(data_dir);
  if (!all.ok()) return all.status();
  std::error_code ec;
  const bool known = std::any_of(all->begin(), all->end(),
                                 [&](const BackupInfo& b) { return std::filesystem::equivalent(b.file, backup, ec); });
  if (!known) {
    return Status::Error(Code::kNotFound,
                         backup.string() + ": not one of the backups in " + BackupDir(data_dir).string(),
                         backup.string() + ": không phải bản sao lưu trong " + BackupDir(data_dir).string());
  }
  const auto db_path = data_dir / "kiosk.db";
  const auto copy = data_dir / ".restore-tmp.db";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(copy.string() + suffix, ec);
  std::filesystem::copy_file(backup, copy, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec || ::chmod(copy.c_str(), 0600) != 0) {
    std::filesystem::remove(copy, ec);
    return RestoreIo(copy, "copy");
  }
  auto version = CheckRestoreCopy(copy, backup, newest_schema);
  if (!version.ok() || !FsyncPath(copy, O_RDONLY)) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(copy.string() + suffix, ec);
    return version.ok() ? RestoreIo(copy, "fsync") : version.status();
  }
  RestoreReport report{backup, *version, {}};
  if (std::filesystem::exists(db_path, ec)) {
    report.replaced_dir = BackupDir(data_dir) / ("replaced-" + UtcStamp(now));
    for (int n = 2; std::filesystem::exists(report.replaced_dir, ec); ++n) {
      report.replaced_dir = BackupDir(data_dir) / ("replaced-" + UtcStamp(now) + "-" + std::to_string(n));
    }
    std::filesystem::create_directory(report.replaced_dir, ec);
    if (ec || ::chmod(report.replaced_dir.c_str(), 0700) != 0) return RestoreIo(report.replaced_dir, "mkdir");
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const std::filesystem::path from = db_path.string() + suffix;
      if (!std::filesystem::exists(from, ec)) continue;
      std::filesystem::rename(from, report.replaced_dir / from.filename(), ec);
      if (ec) return RestoreIo(from, "move aside: " + ec.message());
    }
    FsyncPath(report.replaced_dir, O_RDONLY | O_DIRECTORY);
    FsyncPath(BackupDir(data_dir), O_RDONLY | O_DIRECTORY);
  }
  std::filesystem::rename(copy, db_path, ec);
  if (ec || !FsyncPath(data_dir, O_RDONLY | O_DIRECTORY)) return RestoreIo(db_path, "rename");
  return report;
}

}  // namespace mck
