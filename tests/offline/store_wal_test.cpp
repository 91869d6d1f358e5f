// The submit path (issue 15): a commit syncs the WAL and nothing else — the WAL checkpoint runs on
// a background thread, the WAL stays bounded all the same —, statements are prepared once per
// connection, the body is sealed before BEGIN yet names the code the transaction gave, and the
// sync engine's acceptances are recorded all together or not at all.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "offline/store/sqlite.h"
#include "tests/offline/fault_vfs.h"
#include "tests/offline/store_fixture.h"
#include "tests/offline/sync_count_vfs.h"

using namespace mck;
using namespace mck::test;

namespace {

constexpr std::chrono::seconds kRealTimeout{20};  // a background thread that never comes is a failure

// Frames in the WAL now: a PASSIVE checkpoint from another connection reports them (and copies
// them back, which changes nothing a test reads here).
int WalFrames(const std::filesystem::path& db_path) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_exec(h, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  int log = -1, copied = -1;
  const int rc = sqlite3_wal_checkpoint_v2(h, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
  sqlite3_close(h);
  REQUIRE(rc == SQLITE_OK);
  return log;
}

}  // namespace

TEST_CASE("a submit syncs the WAL once and never runs a checkpoint: that happens on a background thread") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  SyncCountVfs vfs;
  StoreOptions opts = TestOptions(dir, &clock);
  opts.vfs = vfs.name();
  opts.wal.soft_pages = 100;
  opts.wal.quiet = std::chrono::milliseconds(1);
  auto store = OpenStore(opts);
  const auto me = std::this_thread::get_id();
  const SyncCounts opened = vfs.CountsOf(me);  // creating the schema synced the database file
  // About 11 pages a submit: 120 submits take the WAL well past SQLite's own checkpoint point
  // (1,000 pages), where a commit used to copy the WAL back and sync the database itself (and
  // many times past this store's soft point).
  int wal_syncs = 0;
  for (int i = 0; i < 120; ++i) {
    const SyncCounts before = vfs.CountsOf(me);
    REQUIRE(store->dossiers().Submit(SampleBody(), {}, "v").ok());
    const SyncCounts d = vfs.CountsOf(me) - before;
    INFO("submit " << i);
    CHECK(d.db_syncs == 0);     // no checkpoint on the submit's own thread
    CHECK(d.wal_syncs >= 1);    // the commit itself (synchronous=FULL)
    CHECK(d.wal_syncs <= 2);    // plus the WAL header's when the WAL starts again from its beginning
    CHECK(d.other_syncs == 0);  // no rollback journal, no other file
    wal_syncs += static_cast<int>(d.wal_syncs);
  }
  CHECK(wal_syncs <= 125);
  // The background thread copied the WAL back (synced the database file, off the submit thread).
  REQUIRE(store->wal_checkpointer().WaitIdle(kRealTimeout));
  CHECK(store->wal_checkpointer().runs() > 0);
  CHECK(vfs.Total().db_syncs > opened.db_syncs);
  CHECK((vfs.CountsOf(me) - opened).db_syncs == 0);
  // And the WAL started again from its beginning each time: what is in it now is less than the
  // soft point (not yet asked for) or was all copied back (and the next commit starts afresh).
  REQUIRE(store->dossiers().Submit(SampleBody(), {}, "v").ok());
  CHECK(WalFrames(dir.path() / "data" / "kiosk.db") < 100 + 30);
  CHECK(store->Check().value().ok());
}

TEST_CASE("the WAL stays bounded when commits come without pause: the commit past the hard bound checkpoints") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  SyncCountVfs vfs;
  StoreOptions opts = TestOptions(dir, &clock);
  opts.vfs = vfs.name();
  opts.wal.soft_pages = 1000000;  // no background checkpoint at all: only the bound is left
  opts.wal.hard_pages = 200;
  auto store = OpenStore(opts);
  const auto me = std::this_thread::get_id();
  int checkpointed = 0;
  for (int i = 0; i < 100; ++i) {
    const SyncCounts before = vfs.CountsOf(me);
    REQUIRE(store->dossiers().Submit(SampleBody(), {}, "v").ok());
    if ((vfs.CountsOf(me) - before).db_syncs > 0) ++checkpointed;
  }
  // ~1,100 pages went through a WAL bounded at 200: the file never held many more.
  CHECK(checkpointed >= 4);
  const auto wal_bytes = std::filesystem::file_size(dir.path() / "data" / "kiosk.db-wal");
  CHECK(wal_bytes < 260 * 4120);  // 200 pages, one more commit's worth, a header (4 KiB pages + 24 B frame headers)
  CHECK(store->wal_checkpointer().runs() == 0);
  CHECK(store->Check().value().ok());
}

TEST_CASE("a statement is prepared once per connection, and a second use of it while held gets its own") {
  TempDir dir;
  auto db = Db::Open((dir.path() / "t.db").string()).value();
  REQUIRE(db->Exec("CREATE TABLE t(x INTEGER)").ok());
  const int64_t start = db->statements_prepared();
  for (int i = 0; i < 10; ++i) {
    auto ins = db->Prepare("INSERT INTO t(x) VALUES(?)");
    REQUIRE(ins.ok());
    ins->Bind(1, i);
    REQUIRE(ins->Run().ok());
  }
  CHECK(db->statements_prepared() == start + 1);
  // Held twice at once (a nested use): the second is a statement of its own; both work, and the
  // bindings of one never leak into the next use.
  auto outer = db->Prepare("SELECT count(*) FROM t WHERE x >= ?");
  auto inner = db->Prepare("SELECT count(*) FROM t WHERE x >= ?");
  REQUIRE(outer.ok());
  REQUIRE(inner.ok());
  outer->Bind(1, 5);
  inner->Bind(1, 8);
  Status st;
  REQUIRE(outer->Step(&st));
  REQUIRE(inner->Step(&st));
  CHECK(outer->Int(0) == 5);
  CHECK(inner->Int(0) == 2);
  CHECK(db->statements_prepared() == start + 3);
  {
    Stmt moved = std::move(outer.value());
    CHECK(moved.Int(0) == 5);
  }
  auto again = db->Prepare("SELECT count(*) FROM t WHERE x >= ?");
  REQUIRE(again.ok());
  REQUIRE(again->Step(&st));
  CHECK(again->Int(0) == 0);  // NULL bound: the last use's value was cleared
  // A schema change under a cached statement: SQLite prepares it again by itself.
  REQUIRE(db->Exec("ALTER TABLE t ADD COLUMN y TEXT").ok());
  auto ins = db->Prepare("INSERT INTO t(x) VALUES(?)");
  REQUIRE(ins.ok());
  ins->Bind(1, 42);
  CHECK(ins->Run().ok());
}

TEST_CASE("a body sealed before BEGIN still names the code its transaction gave, when another kiosk process took one") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const auto opts = TestOptions(dir, &clock);
  auto a = OpenStore(opts);
  auto b = OpenStore(opts);  // kioskctl submitting beside the kiosk
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) {
    auto& s = (i % 3 == 2) ? b : a;  // a, a, b, a, a, b: a's guess is wrong after each of b's
    auto sub = s->dossiers().Submit(SampleBody(), {}, "v");
    REQUIRE(sub.ok());
    ids.push_back(sub->client_id);
  }
  for (const auto& id : ids) {
    auto rec = a->dossiers().Get(id).value();
    INFO(rec.provisional_code);
    CHECK(rec.body["provisional_code"] == rec.provisional_code);
  }
}

TEST_CASE("acceptances recorded together take one commit and one fsync, and are all there or none is") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  FaultVfs vfs;
  StoreOptions opts = TestOptions(dir, &clock);
  opts.vfs = vfs.name();
  auto store = OpenStore(opts);
  for (int i = 0; i < 6; ++i) REQUIRE(store->dossiers().Submit(SampleBody(), {}, "v").ok());
  auto items = store->outbox().Lease("runner", 6, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 6);
  std::vector<Outbox::Acceptance> group;
  for (size_t i = 0; i < items.size(); ++i) {
    group.push_back({items[i], "000.00.24.H03-261126-000" + std::to_string(i + 1), "2026-11-27", "received"});
  }
  std::atomic<int> syncs{0};
  vfs.SetSyncHook([&] { ++syncs; });
  // The disk fills up as the group's commit writes: nothing of it stays, every item is still
  // leased and `sending` (the sync engine sends them again with the same Idempotency-Key).
  vfs.FailWritesAfter(0);
  const Status full = store->outbox().RecordAcceptedAll(group);
  CHECK(full.code() == Code::kIo);
  vfs.Disarm();
  CHECK(store->dossiers().List(DossierState::kAccepted).value().empty());
  CHECK(store->dossiers().List(DossierState::kSending).value().size() == 6);
  CHECK(store->outbox().Depth().value() == 6);
  // The disk is back: the same group is recorded whole in one commit — one fsync for the six —
  // each with its own audit row.
  const int64_t audit_before = store->LastAudit().value().id;
  syncs = 0;
  REQUIRE(store->outbox().RecordAcceptedAll(group).ok());
  CHECK(syncs == 1);
  CHECK(store->dossiers().List(DossierState::kAccepted).value().size() == 6);
  CHECK(store->outbox().Depth().value() == 0);
  CHECK(store->LastAudit().value().id == audit_before + 6);
  for (const auto& a : group) CHECK(store->dossiers().Get(a.item.ref).value().dossier_code == a.dossier_code);
  vfs.SetSyncHook(nullptr);
  CHECK(store->Check().value().ok());
}
