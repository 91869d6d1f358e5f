// Encryption at rest, key handling, schema versions, corrupt files, the audit chain.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "offline/domain/ids.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {

void RawExec(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(h);
  REQUIRE(rc == SQLITE_OK);
}

bool Contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("the database files hold no applicant name, ID number or phone in plaintext") {
  TempDir dir;
  const auto opts = TestOptions(dir, nullptr);
  const std::string name = "Phạm Thị Xuân Quỳnh", id = "001190123456", phone = "0987654321";
  const std::string attachment = "ATTACHMENT-PLAINTEXT-MARKER " + name;
  {
    auto store = OpenStore(opts);
    auto sub = store->dossiers().Submit(SampleBody(name, id, phone), {{"cccd.jpg", "image/jpeg", attachment}}, "v");
    REQUIRE(sub.ok());
    // Read it back through the store: the data is there, just not in the clear.
    CHECK(store->dossiers().Get(sub->client_id).value().body["applicant"]["id_number"] == id);
  }
  std::string files;
  for (const auto& entry : std::filesystem::directory_iterator(opts.data_dir)) {
    if (entry.path().filename().string().rfind("kiosk.db", 0) == 0) files += ReadAll(entry.path());
  }
  REQUIRE(files.size() > 4096);
  CHECK_FALSE(Contains(files, name));
  CHECK_FALSE(Contains(files, "Xuân Quỳnh"));
  CHECK_FALSE(Contains(files, id));
  CHECK_FALSE(Contains(files, phone));
  CHECK_FALSE(Contains(files, "ATTACHMENT-PLAINTEXT-MARKER"));
  // The key lives apart from the database, readable by the owner only.
  struct stat st {};
  REQUIRE(::stat((opts.data_dir / "store.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(::stat((opts.data_dir / "kiosk.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 077) == 0);
}

TEST_CASE("sealed rows cannot be read with another key") {
  TempDir dir;
  const auto opts = TestOptions(dir, nullptr);
  std::string id;
  {
    auto store = OpenStore(opts);
    id = store->dossiers().Submit(SampleBody(), {}, "v").value().client_id;
  }
  std::string other(32, '\x42');
  std::ofstream(opts.data_dir / "store.key", std::ios::binary | std::ios::trunc) << other;
  auto store = OpenStore(opts);
  auto rec = store->dossiers().Get(id);
  REQUIRE_FALSE(rec.ok());
  CHECK(rec.status().code() == Code::kCorrupt);
}

TEST_CASE("a key file readable by others, or of the wrong size, is refused") {
  TempDir dir;
  const auto opts = TestOptions(dir, nullptr);
  { OpenStore(opts); }
  REQUIRE(::chmod((opts.data_dir / "store.key").c_str(), 0644) == 0);
  auto r = Store::Open(opts);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kSecurity);
  CHECK(Contains(r.status().message_vi(), "chmod 600"));
  REQUIRE(::chmod((opts.data_dir / "store.key").c_str(), 0600) == 0);
  std::ofstream(opts.data_dir / "store.key", std::ios::binary | std::ios::trunc) << "short";
  CHECK(Store::Open(opts).status().code() == Code::kSecurity);
}

TEST_CASE("a database from a newer program is refused and left untouched") {
  TempDir dir;
  const auto opts = TestOptions(dir, nullptr);
  { OpenStore(opts)->dossiers().Submit(SampleBody(), {}, "v").value(); }
  RawExec(opts.data_dir / "kiosk.db", "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99;");
  RawExec(opts.data_dir / "kiosk.db", "PRAGMA wal_checkpoint(TRUNCATE);");
  const std::string before = ReadAll(opts.data_dir / "kiosk.db");
  auto r = Store::Open(opts);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kFailedPrecondition);
  CHECK(Contains(r.status().message_en(), "newer"));
  CHECK(Contains(r.status().message_vi(), "phiên bản phần mềm mới hơn"));
  CHECK(ReadAll(opts.data_dir / "kiosk.db") == before);
}

TEST_CASE("a file that is not a database is reported as corrupt") {
  TempDir dir;
  const auto opts = TestOptions(dir, nullptr);
  std::filesystem::create_directories(opts.data_dir);
  std::ofstream(opts.data_dir / "kiosk.db", std::ios::binary) << std::string(8192, '\x5a');
  auto r = Store::Open(opts);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kCorrupt);
  CHECK(Contains(r.status().message_vi(), "bị hỏng"));
}

TEST_CASE("the audit chain verifies, and any edit or deletion breaks it") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const auto opts = TestOptions(dir, &clock);
  {
    auto store = OpenStore(opts);
    for (int i = 0; i < 5; ++i) REQUIRE(store->dossiers().Submit(SampleBody(), {}, "v").ok());
    auto check = store->Check().value();
    CHECK(check.ok());
    CHECK(check.audit_rows >= 5);
  }
  const auto db = opts.data_dir / "kiosk.db";
  // The table refuses edits through SQL...
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  CHECK(sqlite3_exec(h, "UPDATE audit_log SET detail = 'x' WHERE id = 2", nullptr, nullptr, nullptr) != SQLITE_OK);
  CHECK(sqlite3_exec(h, "DELETE FROM audit_log WHERE id = 2", nullptr, nullptr, nullptr) != SQLITE_OK);
  sqlite3_close(h);
  // ...and a forger who drops the triggers is caught by the chain.
  RawExec(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'procedure=forged' WHERE id = 3;");
  auto check = OpenStore(opts)->Check().value();
  CHECK(check.integrity_ok);
  CHECK_FALSE(check.audit_ok);
  CHECK(Contains(check.audit_message, "row 3"));
}

TEST_CASE("a deleted audit row is found") {
  TempDir dir;
  const auto opts = TestOptions(dir, nullptr);
  {
    auto store = OpenStore(opts);
    for (int i = 0; i < 4; ++i) REQUIRE(store->dossiers().Submit(SampleBody(), {}, "v").ok());
  }
  RawExec(opts.data_dir / "kiosk.db", "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;");
  auto check = OpenStore(opts)->Check().value();
  CHECK_FALSE(check.audit_ok);
  CHECK(Contains(check.audit_message, "row 2 is missing"));
}
