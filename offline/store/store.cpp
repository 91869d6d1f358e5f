#include "offline/store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "offline/store/audit.h"
#include "offline/store/backup.h"
#include "offline/store/core.h"
#include "offline/store/migrations.h"
#include "offline/domain/digitised.h"
#include "offline/domain/ids.h"

namespace mck {
namespace {

// Tables, indexes or triggers: a database at user_version 0 that is not empty (made by hand or
// by a broken tool) has content a migration could fail on, so it is backed up too.
bool HasSchemaObjects(Db& db) {
  auto stmt = db.Prepare("SELECT count(*) FROM sqlite_master");
  Status st;
  return stmt.ok() && stmt->Step(&st) && stmt->Int(0) > 0;
}

// SQLite's WAL hook, after every commit on the store's connection (offline/store/checkpointer.h):
// the checkpoint goes to the background thread, unless the WAL has outgrown its hard bound.
int AfterWalCommit(void* arg, sqlite3* db, const char* schema, int pages) {
  auto* core = static_cast<StoreCore*>(arg);
  if (core->checkpointer && core->checkpointer->AfterCommit(pages)) {
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;  // the commit is done either way; a failed checkpoint is tried again later
}

// The upgrade to schema 4 (migrations.cpp): each dossier whose body is still stored gets its
// digitised_documents from the body (documents[i].digitised). Purged dossiers keep 0: their
// papers are gone and were submitted before the kiosk scanned any. One AES-GCM open and one JSON
// parse per stored body (docs/scanning.md, "The count": the figure).
Status CountDigitisedOfStoredDossiers(Db& db, const Sealer& sealer) {
  auto sel = db.Prepare("SELECT id, client_id, body_sealed FROM dossiers WHERE body_sealed IS NOT NULL");
  if (!sel.ok()) return sel.status();
  Status st;
  while (sel->Step(&st)) {
    auto plain = sealer.Open(sel->Blob(2), DossierAd(sel->Text(1)));
    if (!plain.ok()) return plain.status();
    const auto body = nlohmann::json::parse(*plain, nullptr, false);
    SecureWipe(*plain);
    // A body the kiosk wrote but that names a digitised paper it does not hold counts 0: the
    // count is of papers the portal received.
    auto n = CountDigitisedInStoredBody(body);
    if (!n.ok() || *n == 0) continue;
    auto up = db.Prepare("UPDATE dossiers SET digitised_documents = ? WHERE id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, static_cast<int64_t>(*n)).Bind(2, sel->Int(0));
    MCK_RETURN_IF_ERROR(up->Run());
  }
  return st;
}

}  // namespace

Store::Store(std::unique_ptr<StoreCore> core)
    : core_(std::move(core)),
      db_path_(core_->options.data_dir / "kiosk.db"),
      dossiers_(*core_),
      outbox_(*core_),
      tickets_(*core_),
      help_(*core_),
      decisions_(*core_),
      ratings_(*core_),
      catalog_(*core_),
      settings_(*core_),
      officers_(*core_) {}

void Store::SetStaffActor(const std::string& actor) {
  core_->staff_actor = actor;
}

const std::string& Store::staff_actor() const {
  return core_->staff_actor;
}

Store::~Store() = default;

const KeyProtectionOptions& Store::key_protection() const {
  return core_->options.key_protection;
}

WalCheckpointer& Store::wal_checkpointer() {
  return *core_->checkpointer;
}

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) {
    return Status::Error(Code::kInvalidArgument, "no data directory configured", "chưa cấu hình thư mục dữ liệu");
  }
  if (options.kiosk_number < 1 || options.kiosk_number > 99) {
    return Status::Error(Code::kInvalidArgument, "kiosk number must be 1..99", "số hiệu kiosk phải từ 1 đến 99");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::Error(Code::kIo, options.data_dir.string() + ": cannot create data directory: " + ec.message(),
                         options.data_dir.string() + ": không tạo được thư mục dữ liệu");
  }
  // Best effort: a directory we may not chmod (not ours) still works; the key file is checked.
  ::chmod(options.data_dir.c_str(), 0700);
  auto core = std::make_unique<StoreCore>();
  auto lock = DataDirLock::Take(options.data_dir, DataDirLock::Mode::kShared);
  if (!lock.ok()) return lock.status();
  core->lock = std::move(lock.value());
  core->options = options;
  auto sealer = Sealer::LoadOrCreate(options.data_dir / "store.key", options.key_protection);
  if (!sealer.ok()) return sealer.status();
  core->sealer = std::move(sealer.value());
  const std::filesystem::path db_path = options.data_dir / "kiosk.db";
  // Create the file 0600 ourselves: SQLite gives the -wal and -shm files the same mode.
  if (int fd = ::open(db_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  auto db = Db::Open(db_path.string(), options.vfs);
  if (!db.ok()) return db.status();
  core->db = std::move(db.value());
  auto store = std::unique_ptr<Store>(new Store(std::move(core)));
  MCK_RETURN_IF_ERROR(store->Initialise());
  return store;
}

Status Store::Initialise() {
  Db& db = *core_->db;
  const std::string where = db_path_.string() + ": ";
  // A file that is not a database fails here, before any migration writes to it.
  {
    auto probe = db.Prepare("SELECT count(*) FROM sqlite_master");
    if (!probe.ok()) return probe.status().WithContext(where, where);
    Status st;
    probe->Step(&st);
    MCK_RETURN_IF_ERROR(st.WithContext(where, where));
  }
  MigrationPlan plan{core_->options.test_extra_migrations, core_->options.test_stop_at_schema, {}};
  plan.after_step = [this](Db& d, int version) -> Status {
    return version == 4 ? CountDigitisedOfStoredDossiers(d, *core_->sealer) : Status::Ok();
  };
  auto version = SchemaVersion(db);
  if (!version.ok()) return version.status();
  if (*version > plan.newest()) return Migrate(db, plan).status();  // a downgrade: refused, untouched
  MCK_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=FULL"));
  MCK_RETURN_IF_ERROR(db.Exec("PRAGMA secure_delete=ON"));  // purged personal data is overwritten
  {
    // A SQLite built with SQLITE_SECURE_DELETE forced off would ignore the pragma: check it.
    auto sd = db.Prepare("PRAGMA secure_delete");
    if (!sd.ok()) return sd.status();
    Status st;
    if (!sd->Step(&st) || sd->Int(0) != 1) {
      MCK_RETURN_IF_ERROR(st);
      return Status::Error(Code::kFailedPrecondition, "SQLite refused secure_delete: purged data would stay on disk",
                           "SQLite không bật được secure_delete: dữ liệu đã xóa có thể còn trên đĩa");
    }
  }
  if (*version < plan.target()) {
    // An upgrade: back the database up first (a brand-new empty one has nothing to keep). No
    // backup, no migration: the file stays as it is.
    std::optional<std::filesystem::path> backup;
    if (*version > 0 || HasSchemaObjects(db)) {
      auto taken =
          BackupBeforeMigration(db, core_->options.data_dir, *version, core_->Now(), core_->options.keep_backups);
      if (!taken.ok()) return taken.status();
      backup = *taken;
    }
    auto migrated = Migrate(db, plan);
    if (!migrated.ok()) return MigrationFailed(migrated.status(), backup);
  }
  // Only now: switching to WAL rewrites the file's header, and a failed upgrade must leave the
  // file byte for byte as it was. Foreign keys are off while the schema changes (SQLite's advice).
  MCK_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=WAL"));
  MCK_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys=ON"));
  // No checkpoint inside a commit: a background thread does them (AfterWalCommit). The pragma
  // first: it installs SQLite's own hook, which ours then replaces.
  MCK_RETURN_IF_ERROR(db.Exec("PRAGMA wal_autocheckpoint=0"));
  core_->checkpointer = std::make_unique<WalCheckpointer>(db_path_.string(), core_->options.vfs, core_->options.wal);
  sqlite3_wal_hook(db.raw(), AfterWalCommit, core_.get());
  return Status::Ok();
}

Status Store::MigrationFailed(const Status& why, const std::optional<std::filesystem::path>& backup) const {
  // Migrate rolled the whole upgrade back: the file is as it was, and the backup is there too.
  const std::string where = backup ? backup->string() : std::string("(không có: cơ sở dữ liệu trống)");
  return Status::Error(
      Code::kFailedPrecondition,
      db_path_.string() + ": " + why.message_en() + "; no dossier was lost, the database is as it was" +
          (backup ? "; backup: " + backup->string() : std::string()) +
          "; install the fixed or the previous kiosk version (each start tries once; the kiosk shows this "
          "instead of restarting)",
      why.message_vi() + "\nKhông hồ sơ nào bị mất: tệp dữ liệu " + db_path_.string() +
          " vẫn nguyên như trước khi nâng cấp.\nBản sao lưu: " + where +
          "\nKỹ thuật viên: ghi lại thông báo này, cài bản sửa lỗi hoặc phiên bản phần mềm trước đó "
          "(kiosk sẽ tự mở lại dữ liệu), rồi chạy «kioskctl db check». Không xoá thư mục dữ liệu.");
}

Status Store::Audit(const std::string& actor, const std::string& action, const std::string& subject,
                    const std::string& detail) {
  Db& db = *core_->db;
  return WithTransaction(
      db, [&] { return AppendAudit(db, FormatRfc3339Vietnam(core_->Now()), actor, action, subject, detail); });
}

}  // namespace mck
