// Retention in use: the kiosk purges by itself (PurgeSchedule, once at start-up and daily on the
// Clock), refused dossiers are purged too, and after a purge neither the database file nor its
// WAL holds a byte of the purged dossier (read raw while the store is still open).
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include "offline/store/purge_schedule.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

// The sealed body as stored (ciphertext), read through a connection of the test's own.
std::string SealedBody(const std::filesystem::path& db_path, const std::string& client_id) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT body_sealed FROM dossiers WHERE client_id = ?", -1, &s, nullptr) == SQLITE_OK);
  sqlite3_bind_text(s, 1, client_id.c_str(), -1, SQLITE_TRANSIENT);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW) {
    out.assign(static_cast<const char*>(sqlite3_column_blob(s, 0)), static_cast<size_t>(sqlite3_column_bytes(s, 0)));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

// True when any of `needles` occurs in the database file or its -wal.
bool OnDisk(const std::filesystem::path& db_path, const std::vector<std::string>& needles, std::string* where) {
  for (const auto& file : {db_path, std::filesystem::path(db_path.string() + "-wal")}) {
    const std::string bytes = ReadAll(file);
    for (const auto& n : needles) {
      if (!n.empty() && bytes.find(n) != std::string::npos) {
        *where = file.filename().string();
        return true;
      }
    }
  }
  return false;
}

// Three 24-byte slices of the ciphertext: any one surviving means the old page survived.
std::vector<std::string> Slices(const std::string& sealed) {
  REQUIRE(sealed.size() > 96);
  return {sealed.substr(16, 24), sealed.substr(sealed.size() / 2, 24), sealed.substr(sealed.size() - 40, 24)};
}

}  // namespace

TEST_CASE("a purged dossier leaves no byte in the database or its WAL, the store still open") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const StoreOptions options = TestOptions(dir, &clock);
  auto store = OpenStore(options);
  auto d = store->dossiers()
               .Submit(SampleBody("Phạm Thị Xuyến"), {{"giay.pdf", "application/pdf", "%PDF bí mật"}}, "v")
               .value();
  auto items = store->outbox().Lease("t", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 1);
  REQUIRE(store->outbox().RecordAccepted(items[0], "000.00.24.H03-261126-0001", "2026-11-27", "received").ok());
  const std::vector<std::string> needles = Slices(SealedBody(store->database_path(), d.client_id));
  std::string where;
  REQUIRE(OnDisk(store->database_path(), needles, &where));  // the scan can see it before

  clock.Advance(std::chrono::hours(24 * 31));
  REQUIRE(store->PurgeExpired().value() == 1);
  CHECK_FALSE(OnDisk(store->database_path(), needles, &where));
  INFO("found in " << where);
  CHECK(std::filesystem::file_size(store->database_path().string() + "-wal") == 0);
  CHECK(store->Check().value().ok());
}

TEST_CASE("a dossier the portal refused is purged after the retention period, counted from its submission") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto d = store->dossiers().Submit(SampleBody(), {}, "v").value();
  auto items = store->outbox().Lease("t", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 1);
  REQUIRE(store->outbox().RecordNeedsAttention(items[0], "validation_failed", json::array()).ok());
  const std::vector<std::string> needles = Slices(SealedBody(store->database_path(), d.client_id));
  clock.Advance(std::chrono::hours(24 * 29));
  CHECK(store->PurgeExpired().value() == 0);
  CHECK_FALSE(store->dossiers().Get(d.client_id)->purged);
  clock.Advance(std::chrono::hours(24 * 2));
  CHECK(store->PurgeExpired().value() == 1);
  auto rec = store->dossiers().Get(d.client_id).value();
  CHECK(rec.purged);
  CHECK(rec.body.is_null());
  CHECK(rec.state == DossierState::kNeedsAttention);
  std::string where;
  CHECK_FALSE(OnDisk(store->database_path(), needles, &where));
}

TEST_CASE("the kiosk purges by itself: at start-up and then once a day on the clock") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const StoreOptions options = TestOptions(dir, &clock);
  auto store = OpenStore(options);
  auto d = store->dossiers().Submit(SampleBody(), {}, "v").value();
  auto items = store->outbox().Lease("t", 10, std::chrono::seconds(60)).value();
  REQUIRE(store->outbox().RecordAccepted(items[0], "000.00.24.H03-261126-0001", "2026-11-27", "received").ok());
  const std::vector<std::string> needles = Slices(SealedBody(store->database_path(), d.client_id));

  PurgeSchedule schedule(options);
  // The start-up run, then asleep until tomorrow.
  REQUIRE(clock.AwaitWaiters(1, std::chrono::seconds(10)));
  CHECK(schedule.runs() == 1);
  CHECK(schedule.last_purged() == 0);
  // 29 more days: one run a day, nothing expired yet.
  for (int day = 1; day <= 29; ++day) {
    clock.Advance(std::chrono::hours(24));
    REQUIRE(clock.AwaitWaiters(1, std::chrono::seconds(10)));
  }
  CHECK(schedule.runs() == 30);
  CHECK_FALSE(store->dossiers().Get(d.client_id)->purged);
  clock.Advance(std::chrono::hours(48));  // retention passed
  REQUIRE(clock.AwaitWaiters(1, std::chrono::seconds(10)));
  CHECK(schedule.runs() == 31);
  CHECK(schedule.last_purged() == 1);
  CHECK(store->dossiers().Get(d.client_id)->purged);
  std::string where;
  CHECK_FALSE(OnDisk(store->database_path(), needles, &where));
}

TEST_CASE("the portal's words about a refused dossier are sealed: not in the raw files, read back by the store") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  auto d = store->dossiers().Submit(SampleBody(), {}, "v").value();
  auto items = store->outbox().Lease("t", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 1);
  // A portal that echoes what the citizen typed, in its message and in its reasons.
  const std::string echoed = "Xuyến Phạm Thị 0987654321";
  const std::string error = "portal dossier: HTTP 422 validation_failed: họ tên " + echoed + " không khớp";
  const json reasons = json::array({{{"field", "applicant.full_name"}, {"message", "Không khớp: " + echoed}}});
  REQUIRE(store->outbox().RecordNeedsAttention(items[0], error, reasons).ok());
  auto rec = store->dossiers().Get(d.client_id).value();
  CHECK(rec.last_error == error);
  CHECK(rec.needs_attention_details == reasons);
  std::string where;
  CHECK_FALSE(OnDisk(store->database_path(), {echoed, "0987654321"}, &where));
  INFO("found in " << where);
  // The audit row keeps the code of the answer, not the words.
  CHECK(store->Check().value().ok());
}
