// Upgrades that keep every dossier (docs/store.md "Upgrades"): a store left at schema version N by
// "the previous release" (the program's migrations stopped at N, StoreOptions::test_stop_at_schema)
// is opened by "the next release" (one more migration, StoreOptions::test_extra_migrations): it
// is backed up first (0600, no plaintext, the last 2 kept), migrated in one transaction, and a
// failing migration leaves the file byte for byte as it was. A downgrade is refused untouched.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <fstream>

#include "offline/store/backup.h"
#include "offline/store/migrations.h"
#include "offline/store/staff_auth.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {

// "Today's release": the program's own schema version; the tests play the next one on top of it.
// A function, not a constant: the migrations (another file's static) may not be initialised yet
// when this file's statics are.
int SchemaN() { return LatestSchemaVersion(); }

// "The next release's" migration: a new column, filled for the existing rows, and an index.
const std::string kMigration2 = R"SQL(
ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk';
UPDATE dossiers SET channel = 'kiosk';
CREATE INDEX dossiers_channel ON dossiers(channel);
)SQL";
// A migration that fails half way: its first statement succeeds, its second cannot.
const std::string kBrokenMigration2 = R"SQL(
ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk';
CREATE TABLE upgrade_marker(x);
INSERT INTO no_such_table VALUES (1);
)SQL";

int64_t QueryInt(const std::filesystem::path& file, const std::string& sql) {
  auto db = Db::Open(file.string());
  REQUIRE(db.ok());
  auto stmt = (*db)->Prepare(sql);
  REQUIRE(stmt.ok());
  Status st;
  REQUIRE(stmt->Step(&st));
  return stmt->Int(0);
}

int UserVersion(const std::filesystem::path& file) {
  auto db = Db::Open(file.string());
  REQUIRE(db.ok());
  auto stmt = (*db)->Prepare("PRAGMA user_version");
  REQUIRE(stmt.ok());
  Status st;
  REQUIRE(stmt->Step(&st));
  return static_cast<int>(stmt->Int(0));
}

// A store at schema SchemaN() (today's release) with dossiers, one with an attachment, and a staff PIN.
std::vector<std::string> MakeReleaseN(const StoreOptions& o, const Clock& clock) {
  StoreOptions n = o;
  n.test_extra_migrations = {kMigration2};
  n.test_stop_at_schema = SchemaN();  // the previous program stopped here
  auto store = OpenStore(n);
  std::vector<std::string> ids;
  ids.push_back(store->dossiers()
                    .Submit(SampleBody(), {{"giay-chung-sinh.jpg", "image/jpeg", std::string(5000, 'x') + "JPEG"}}, "a")
                    .value()
                    .client_id);
  ids.push_back(store->dossiers().Submit(SampleBody("Trần Văn Bình", "001090004321"), {}, "b").value().client_id);
  StaffAuth staff(*store, clock, PinPolicy{});
  REQUIRE(staff.SetPin("482916").ok());
  return ids;
}

}  // namespace

TEST_CASE("an upgrade backs the store up (0600, sealed, no plaintext), migrates it and keeps every dossier") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  StoreOptions o = TestOptions(dir, &clock);
  const auto ids = MakeReleaseN(o, clock);
  REQUIRE(UserVersion(o.data_dir / "kiosk.db") == SchemaN());
  REQUIRE(ListBackups(o.data_dir)->empty());  // creating a store is no upgrade

  o.test_extra_migrations = {kMigration2};
  auto store = OpenStore(o);
  CHECK(UserVersion(o.data_dir / "kiosk.db") == SchemaN() + 1);
  auto backups = ListBackups(o.data_dir);
  REQUIRE(backups.ok());
  REQUIRE(backups->size() == 1);
  const auto& b = backups->front();
  CHECK(b.schema_version == SchemaN());
  CHECK(b.file.filename().string().rfind("kiosk.db.v" + std::to_string(SchemaN()) + "-2026112", 0) == 0);
  struct stat st {};
  REQUIRE(::stat(b.file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat(BackupDir(o.data_dir).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(UserVersion(b.file) == SchemaN());
  const std::string bytes = ReadAll(b.file);
  CHECK(bytes.find("Nguyễn Thị Hoà") == std::string::npos);
  CHECK(bytes.find("024190001234") == std::string::npos);
  CHECK(bytes.find("0912345678") == std::string::npos);

  for (const auto& id : ids) {
    auto rec = store->dossiers().Get(id);
    REQUIRE(rec.ok());
    CHECK(rec->body.dump().find("applicant") != std::string::npos);
  }
  auto atts = store->dossiers().Attachments(ids[0]);
  REQUIRE(atts.ok());
  REQUIRE(atts->size() == 1);
  CHECK(store->dossiers().Attachment(atts->front().sha256).value() == std::string(5000, 'x') + "JPEG");
  StaffAuth staff(*store, clock, PinPolicy{});
  CHECK(staff.Verify("482916")->check == PinCheck::kOk);
  auto check = store->Check();
  REQUIRE(check.ok());
  CHECK(check->ok());
  CHECK(store->outbox().Depth().value() == 2);  // both still queued for the portal
  // The new column is there and filled: the migration really ran.
  CHECK(QueryInt(o.data_dir / "kiosk.db", "SELECT count(*) FROM dossiers WHERE channel = 'kiosk'") == 2);
}

TEST_CASE(
    "a failing migration leaves the store byte for byte as it was, the backup there, and a fixed program opens it") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  StoreOptions o = TestOptions(dir, &clock);
  const auto ids = MakeReleaseN(o, clock);
  const auto db_file = o.data_dir / "kiosk.db";
  const std::string before = ReadAll(db_file);
  REQUIRE_FALSE(before.empty());

  o.test_extra_migrations = {kBrokenMigration2};
  for (int attempt = 0; attempt < 2; ++attempt) {  // a second start fails the same way, harmlessly
    auto broken = Store::Open(o);
    REQUIRE_FALSE(broken.ok());
    const Status& why = broken.status();
    CHECK(why.code() == Code::kFailedPrecondition);
    CHECK(why.message_en().find("schema migration " + std::to_string(SchemaN()) + " -> " + std::to_string(SchemaN() + 1) + " failed") != std::string::npos);
    CHECK(why.message_en().find("no_such_table") != std::string::npos);
    CHECK(why.message_vi().find("Không hồ sơ nào bị mất") != std::string::npos);
    CHECK(why.message_vi().find(BackupDir(o.data_dir).string() + "/kiosk.db.v" + std::to_string(SchemaN()) + "-") != std::string::npos);
    CHECK(why.message_vi().find("Kỹ thuật viên") != std::string::npos);
    CHECK(ReadAll(db_file) == before);
    CHECK_FALSE(std::filesystem::exists(o.data_dir / "kiosk.db-wal"));
    clock.Advance(std::chrono::seconds(1));
  }
  auto backups = ListBackups(o.data_dir);
  REQUIRE(backups->size() == 2);  // one per attempt: the last 2 are kept
  CHECK(UserVersion(backups->back().file) == SchemaN());

  {
    StoreOptions old_program = o;  // the previous release still opens it
    old_program.test_extra_migrations.clear();
    auto store = OpenStore(old_program);
    CHECK(store->dossiers().List()->size() == ids.size());
  }
  o.test_extra_migrations = {kMigration2};  // the fixed release
  auto store = OpenStore(o);
  CHECK(UserVersion(db_file) == SchemaN() + 1);
  CHECK(store->dossiers().List()->size() == ids.size());
  CHECK(store->Check()->ok());
}

TEST_CASE("only the last two backups are kept") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  StoreOptions o = TestOptions(dir, &clock);
  MakeReleaseN(o, clock);
  std::vector<std::string> migrations = {kMigration2};
  for (int v = SchemaN() + 2; v <= SchemaN() + 4; ++v) {
    clock.Advance(std::chrono::minutes(1));
    migrations.push_back("CREATE TABLE upgrade_" + std::to_string(v) + "(x);");
    o.test_extra_migrations = migrations;
    o.test_stop_at_schema = v - 1;
    OpenStore(o);
  }
  auto backups = ListBackups(o.data_dir);
  REQUIRE(backups->size() == 2);
  CHECK(backups->at(0).schema_version == SchemaN() + 1);
  CHECK(backups->at(1).schema_version == SchemaN() + 2);
  CHECK(UserVersion(o.data_dir / "kiosk.db") == SchemaN() + 3);
}

TEST_CASE("no backup, no migration: a backup directory that cannot be made leaves the store as it was") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  StoreOptions o = TestOptions(dir, &clock);
  MakeReleaseN(o, clock);
  const std::string before = ReadAll(o.data_dir / "kiosk.db");
  { std::ofstream(BackupDir(o.data_dir)) << "a file where the directory goes"; }
  o.test_extra_migrations = {kMigration2};
  auto s = Store::Open(o);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message_vi().find("sao lưu") != std::string::npos);
  CHECK(ReadAll(o.data_dir / "kiosk.db") == before);
  CHECK(UserVersion(o.data_dir / "kiosk.db") == SchemaN());
}

TEST_CASE("a store from a newer program (a downgrade) is refused without touching the file or backing it up") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  StoreOptions o = TestOptions(dir, &clock);
  MakeReleaseN(o, clock);
  o.test_extra_migrations = {kMigration2};
  OpenStore(o);  // now at SchemaN() + 1
  const std::string before = ReadAll(o.data_dir / "kiosk.db");
  const size_t backups = ListBackups(o.data_dir)->size();
  StoreOptions old_program = o;
  old_program.test_extra_migrations.clear();
  auto s = Store::Open(old_program);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kFailedPrecondition);
  CHECK(s.status().message_en().find("downgrade") != std::string::npos);
  CHECK(s.status().message_vi().find("không hồ sơ nào bị mất") != std::string::npos);
  CHECK(ReadAll(o.data_dir / "kiosk.db") == before);
  CHECK(ListBackups(o.data_dir)->size() == backups);
}

TEST_CASE("a backup is restored over a store from a newer program: the old program opens it with every dossier") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  StoreOptions o = TestOptions(dir, &clock);
  const auto ids = MakeReleaseN(o, clock);
  StoreOptions next = o;
  next.test_extra_migrations = {kMigration2};
  OpenStore(next);  // migrated to SchemaN() + 1, backup vN taken
  const std::string migrated = ReadAll(o.data_dir / "kiosk.db");
  auto backups = ListBackups(o.data_dir);
  REQUIRE(backups->size() == 1);
  const std::string backup_bytes = ReadAll(backups->front().file);

  // The old program (schema SchemaN()) refuses the file; the technician restores the backup.
  REQUIRE_FALSE(Store::Open(o).ok());
  auto report = RestoreBackup(o.data_dir, backups->front().file, LatestSchemaVersion(), clock.Now());
  REQUIRE(report.ok());
  CHECK(report->schema_version == SchemaN());
  CHECK(ReadAll(backups->front().file) == backup_bytes);  // the backup itself is untouched
  // Nothing deleted: the replaced database is kept, byte for byte.
  REQUIRE_FALSE(report->replaced_dir.empty());
  CHECK(ReadAll(report->replaced_dir / "kiosk.db") == migrated);
  struct stat st {};
  REQUIRE(::stat((o.data_dir / "kiosk.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(ListBackups(o.data_dir)->size() == 1);  // the replaced folder is no backup

  auto store = OpenStore(o);
  for (const auto& id : ids) CHECK(store->dossiers().Get(id).ok());
  StaffAuth staff(*store, clock, PinPolicy{});
  CHECK(staff.Matches("482916").value());
  CHECK(store->Check()->ok());
}

TEST_CASE("a restore is refused while the store is open, and for a corrupt or unknown backup") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  StoreOptions o = TestOptions(dir, &clock);
  MakeReleaseN(o, clock);
  StoreOptions next = o;
  next.test_extra_migrations = {kMigration2};
  auto open = OpenStore(next);
  const auto backup = ListBackups(o.data_dir)->front().file;

  auto busy = RestoreBackup(o.data_dir, backup, LatestSchemaVersion() + 1, clock.Now());
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.status().code() == Code::kFailedPrecondition);
  CHECK(busy.status().message_vi().find("dừng kiosk") != std::string::npos);
  open.reset();
  const std::string before = ReadAll(o.data_dir / "kiosk.db");  // closed: checkpointed

  // A file that is not one of the backups.
  const auto stray = o.data_dir / "elsewhere.db";
  std::filesystem::copy_file(backup, stray);
  auto unknown = RestoreBackup(o.data_dir, stray, LatestSchemaVersion(), clock.Now());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().code() == Code::kNotFound);

  // A backup whose pages are damaged: refused after checking the copy; nothing moved.
  {
    std::fstream f(backup, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto corrupt = RestoreBackup(o.data_dir, backup, LatestSchemaVersion(), clock.Now());
  REQUIRE_FALSE(corrupt.ok());
  CHECK(ReadAll(o.data_dir / "kiosk.db") == before);
  CHECK_FALSE(std::filesystem::exists(o.data_dir / ".restore-tmp.db"));
  for (const auto& e : std::filesystem::directory_iterator(BackupDir(o.data_dir))) {
    CHECK(e.path().filename().string().rfind("replaced-", 0) == std::string::npos);
  }
}

TEST_CASE("schema 3 (fee payment): a store of schema 2 upgrades, its dossiers have no fee heard of, and a paid fee stays paid") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  StoreOptions o = TestOptions(dir, &clock);
  std::string id;
  {
    StoreOptions two = o;
    two.test_stop_at_schema = 2;  // the release before the fee's payment
    auto store = OpenStore(two);
    id = store->dossiers().Submit(SampleBody(), {}, "a").value().client_id;
  }
  REQUIRE(UserVersion(o.data_dir / "kiosk.db") == 2);
  auto store = OpenStore(o);
  CHECK(UserVersion(o.data_dir / "kiosk.db") >= 3);
  auto before = store->dossiers().Get(id);
  REQUIRE(before.ok());
  CHECK_FALSE(before->fee.has_value());
  auto unpaid = store->dossiers().UpdateFeePayment(id, FeePayment{16000, false, "", ""});
  REQUIRE(unpaid.ok());
  CHECK_FALSE(*unpaid);
  CHECK(store->dossiers().Get(id)->fee->amount_vnd == 16000);
  CHECK_FALSE(store->dossiers().Get(id)->fee->paid);
  auto paid = store->dossiers().UpdateFeePayment(id, FeePayment{16000, true, "2026-12-07T10:15:00+07:00", "FT1"});
  REQUIRE(paid.ok());
  CHECK(*paid);
  // A later answer that says unpaid (a portal's mistake) does not undo it, and is no news.
  auto later = store->dossiers().UpdateFeePayment(id, FeePayment{16000, false, "", ""});
  REQUIRE(later.ok());
  CHECK_FALSE(*later);
  auto rec = store->dossiers().Get(id);
  REQUIRE(rec->fee.has_value());
  CHECK(rec->fee->paid);
  CHECK(rec->fee->reference == "FT1");
  CHECK(rec->fee->paid_at == "2026-12-07T10:15:00+07:00");
  CHECK(QueryInt(o.data_dir / "kiosk.db", "SELECT count(*) FROM audit_log WHERE action = 'dossier.fee_paid'") == 1);
  CHECK(store->dossiers().UpdateFeePayment("no-such-id", FeePayment{1, false, "", ""}).status().code() ==
        Code::kNotFound);
}
