// The store under a failing disk (tests/offline/fault_vfs.h): a full disk, an I/O error, a
// failed fsync and a write torn at a chosen byte. Each change must fail with a clear error (a
// code, a Vietnamese and an English message, no personal data) and leave nothing half-written;
// the store must work again once the disk does.
#include <catch2/catch.hpp>

#include <string>

#include "offline/store/sqlite.h"
#include "offline/store/staff_auth.h"
#include "tests/offline/fault_vfs.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {

// The test options of `dir` and `clock`, every connection going through `vfs`.
StoreOptions FaultOptions(const TempDir& dir, const Clock* clock, const FaultVfs& vfs) {
  StoreOptions opts = TestOptions(dir, clock);
  opts.vfs = vfs.name();
  return opts;
}

constexpr const char* kName = "Lê Thị Bích Ngọc";
constexpr const char* kIdNumber = "079188004321";
constexpr const char* kPhone = "0987654321";

NewAttachment Scan(char fill, size_t size = 64 * 1024) {
  return {"giay-chung-sinh.jpg", "image/jpeg", std::string(size, fill)};
}

// What a reopened store holds, read with SQLite's default VFS.
struct Snapshot {
  int64_t dossiers = 0, distinct_codes = 0, outbox = 0, attachments = 0, links = 0, tickets = 0, audit = 0;
  int64_t orphan_outbox = 0, orphan_attachments = 0, orphan_links = 0;
};

Snapshot Take(const std::filesystem::path& db_path) {
  auto db = Db::Open(db_path.string());
  REQUIRE(db.ok());
  Db& d = **db;
  auto count = [&](const char* sql) {
    auto s = d.Prepare(sql);
    REQUIRE(s.ok());
    Status st;
    REQUIRE(s->Step(&st));
    return s->Int(0);
  };
  Snapshot s;
  s.dossiers = count("SELECT count(*) FROM dossiers");
  s.distinct_codes = count("SELECT count(DISTINCT provisional_code) FROM dossiers");
  s.outbox = count("SELECT count(*) FROM outbox");
  s.attachments = count("SELECT count(*) FROM attachments");
  s.links = count("SELECT count(*) FROM dossier_attachments");
  s.tickets = count("SELECT count(*) FROM tickets");
  s.audit = count("SELECT count(*) FROM audit_log");
  s.orphan_outbox = count(
      "SELECT count(*) FROM outbox o WHERE o.kind = 'dossier' AND NOT EXISTS "
      "(SELECT 1 FROM dossiers d WHERE d.client_id = o.ref)");
  s.orphan_attachments = count(
      "SELECT count(*) FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM dossier_attachments da "
      "WHERE da.sha256 = a.sha256)");
  s.orphan_links = count(
      "SELECT count(*) FROM dossier_attachments da WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = "
      "da.dossier_id) OR NOT EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = da.sha256)");
  return s;
}

void CheckClearError(const Status& st, const std::string& vi_words) {
  INFO(st.ToString());
  CHECK(st.code() == Code::kIo);
  CHECK(!st.message_en().empty());
  CHECK(st.message_vi().find(vi_words) != std::string::npos);
  for (const std::string& text : {st.message_en(), st.message_vi()}) {
    CHECK(text.find(kName) == std::string::npos);
    CHECK(text.find(kIdNumber) == std::string::npos);
    CHECK(text.find(kPhone) == std::string::npos);
  }
}

// Reopens the store with the default VFS and checks it is whole: integrity, audit chain, no
// orphan rows, no code used twice.
Snapshot CheckConsistent(const StoreOptions& with_fault_vfs) {
  StoreOptions plain = with_fault_vfs;
  plain.vfs.clear();
  auto store = OpenStore(plain);
  auto check = store->Check();
  REQUIRE(check.ok());
  INFO(check->integrity_message << " / " << check->audit_message);
  CHECK(check->ok());
  const Snapshot s = Take(store->database_path());
  CHECK(s.orphan_outbox == 0);
  CHECK(s.orphan_attachments == 0);
  CHECK(s.orphan_links == 0);
  CHECK(s.distinct_codes == s.dossiers);
  return s;
}

enum class Fault { kDiskFull, kIoError, kFsync, kTorn };

void Arm(FaultVfs& vfs, Fault fault, int64_t at) {
  switch (fault) {
    case Fault::kDiskFull: vfs.FailWritesAfter(at); break;
    case Fault::kIoError: vfs.FailWritesAfter(at, SQLITE_IOERR_WRITE); break;
    case Fault::kFsync: vfs.FailSyncs(); break;
    case Fault::kTorn: vfs.TearWriteAt(at); break;
  }
}

// One submit under `fault` armed at byte `at`, between a good submit and a good one after.
void SubmitUnderFault(Fault fault, int64_t at, const std::string& vi_words) {
  TempDir dir;
  ManualClock clock(TestEpoch());
  FaultVfs vfs;
  StoreOptions opts = FaultOptions(dir, &clock, vfs);
  Snapshot before;
  {
    auto store = OpenStore(opts);
    REQUIRE(store->dossiers().Submit(SampleBody(), {Scan('a')}, "v1").ok());
    before = Take(store->database_path());

    Arm(vfs, fault, at);
    auto failed = store->dossiers().Submit(SampleBody(kName, kIdNumber, kPhone), {Scan('b')}, "v1");
    vfs.Disarm();
    REQUIRE_FALSE(failed.ok());
    CHECK(vfs.faults_injected() > 0);
    CheckClearError(failed.status(), vi_words);

    // Nothing of it is visible to the same connection, and the kiosk goes on once the disk does.
    auto listed = store->dossiers().List();
    REQUIRE(listed.ok());
    CHECK(listed->size() == 1);
    auto next = store->dossiers().Submit(SampleBody(), {Scan('c')}, "v1");
    INFO(next.status().ToString());
    REQUIRE(next.ok());
    CHECK(next->provisional_code == "K07-261126-0002");  // the failed submit consumed no number
  }
  const Snapshot after = CheckConsistent(opts);
  CHECK(after.dossiers == before.dossiers + 1);
  CHECK(after.outbox == before.outbox + 1);
  CHECK(after.attachments == before.attachments + 1);  // 'c' only: 'b' is wholly absent
  CHECK(after.links == before.links + 1);
  CHECK(after.audit == before.audit + 1);
}

}  // namespace

TEST_CASE("a submit on a full disk fails with a clear error and stores nothing of the dossier", "[store][fault]") {
  for (int64_t at : {0, 512, 4096, 40000}) {
    INFO("disk full after " << at << " bytes");
    SubmitUnderFault(Fault::kDiskFull, at, "Ổ đĩa đã đầy");
  }
}

TEST_CASE("a submit hit by a write I/O error fails clearly and stores nothing of the dossier", "[store][fault]") {
  for (int64_t at : {0, 4096, 40000}) {
    INFO("I/O error after " << at << " bytes");
    SubmitUnderFault(Fault::kIoError, at, "Lỗi đọc/ghi đĩa");
  }
}

TEST_CASE("a submit whose fsync fails is reported failed and is absent after reopening", "[store][fault]") {
  SubmitUnderFault(Fault::kFsync, 0, "Lỗi đọc/ghi đĩa");
}

TEST_CASE("a submit whose write is torn at a chosen byte leaves the store whole", "[store][fault]") {
  for (int64_t at : {1, 24, 100, 4095, 4097, 33000}) {
    INFO("write torn at byte " << at);
    SubmitUnderFault(Fault::kTorn, at, "Lỗi đọc/ghi đĩa");
  }
}

TEST_CASE("a ticket reserved on a full disk fails clearly and consumes no number", "[store][fault]") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  FaultVfs vfs;
  StoreOptions opts = FaultOptions(dir, &clock, vfs);
  {
    auto store = OpenStore(opts);
    auto first = store->tickets().Reserve("HT", std::nullopt);
    REQUIRE(first.ok());
    CHECK(first->number == 1);

    vfs.FailWritesAfter(0);
    auto failed = store->tickets().Reserve("HT", std::nullopt);
    vfs.Disarm();
    REQUIRE_FALSE(failed.ok());
    CheckClearError(failed.status(), "Ổ đĩa đã đầy");

    vfs.TearWriteAt(100);
    CHECK_FALSE(store->tickets().SetState(first->id, TicketState::kIssued).ok());
    vfs.Disarm();

    auto next = store->tickets().Reserve("HT", std::nullopt);
    REQUIRE(next.ok());
    CHECK(next->number == 2);
    auto pending = store->tickets().Today(TicketState::kPending);
    REQUIRE(pending.ok());
    CHECK(pending->size() == 2);  // the torn SetState changed nothing
  }
  const Snapshot s = CheckConsistent(opts);
  CHECK(s.tickets == 2);
}

TEST_CASE("a wrong staff PIN on a failing disk changes neither the count nor the audit log", "[store][fault]") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  FaultVfs vfs;
  StoreOptions opts = FaultOptions(dir, &clock, vfs);
  const PinPolicy policy{5, std::chrono::seconds(300), 1000};
  int64_t audit_before = 0;
  {
    auto store = OpenStore(opts);
    StaffAuth auth(*store, clock, policy);
    REQUIRE(auth.SetPin("246810").ok());
    auto wrong = auth.Verify("111111");
    REQUIRE(wrong.ok());
    CHECK(wrong->attempts_left == 4);
    audit_before = Take(store->database_path()).audit;

    for (Fault fault : {Fault::kDiskFull, Fault::kIoError, Fault::kTorn}) {
      Arm(vfs, fault, fault == Fault::kTorn ? 50 : 0);
      auto failed = auth.Verify("222222");
      vfs.Disarm();
      REQUIRE_FALSE(failed.ok());
      CHECK(failed.status().code() == Code::kIo);
      CHECK(failed.status().message_vi().find("222222") == std::string::npos);
    }
    auto failures = store->settings().Get("staff.pin_failures");
    REQUIRE(failures.ok());
    CHECK(failures->value_or("") == "1");

    auto again = auth.Verify("333333");
    REQUIRE(again.ok());
    CHECK(again->check == PinCheck::kWrong);
    CHECK(again->attempts_left == 3);
  }
  const Snapshot s = CheckConsistent(opts);
  CHECK(s.audit == audit_before + 1);  // only the last wrong PIN
}

TEST_CASE("the fault VFS passes everything through while disarmed", "[store][fault]") {
  TempDir dir;
  FaultVfs vfs;
  StoreOptions opts = FaultOptions(dir, nullptr, vfs);
  auto store = OpenStore(opts);
  REQUIRE(store->dossiers().Submit(SampleBody(), {Scan('z', 10000)}, "v1").ok());
  CHECK(vfs.faults_injected() == 0);
  auto check = store->Check();
  REQUIRE(check.ok());
  CHECK(check->ok());
  CHECK(sqlite3_vfs_find(nullptr) != sqlite3_vfs_find(vfs.name().c_str()));  // never the default
}

TEST_CASE("a staff PIN failure count and its audit row are written together or not at all, at any failing byte",
          "[store][fault]") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  FaultVfs vfs;
  StoreOptions opts = FaultOptions(dir, &clock, vfs);
  auto store = OpenStore(opts);
  StaffAuth auth(*store, clock, PinPolicy{1000, std::chrono::seconds(300), 1000});
  REQUIRE(auth.SetPin("246810").ok());
  auto failures = [&] {
    auto v = store->settings().Get("staff.pin_failures");
    REQUIRE(v.ok());
    return std::stoll(v->value_or("0"));
  };
  // How many bytes one wrong PIN writes, so the sweep covers every point of it.
  vfs.FailWritesAfter(int64_t{1} << 40);
  REQUIRE(auth.Verify("111111").ok());
  const int64_t bytes = vfs.bytes_written();
  REQUIRE(bytes > 0);
  int failed = 0;
  for (int64_t at = 0; at < bytes + 256; at += 256) {
    INFO("disk full after " << at << " of " << bytes << " bytes");
    const int64_t count_before = failures(), audit_before = Take(store->database_path()).audit;
    vfs.FailWritesAfter(at);
    auto r = auth.Verify("111111");
    vfs.Disarm();
    const int64_t count_delta = failures() - count_before;
    const int64_t audit_delta = Take(store->database_path()).audit - audit_before;
    CHECK(count_delta == audit_delta);
    CHECK(count_delta == (r.ok() ? 1 : 0));
    failed += r.ok() ? 0 : 1;
  }
  CHECK(failed > 0);
}
