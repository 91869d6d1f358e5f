// The count of dossiers with papers digitised at the kiosk (docs/scanning.md "The count"):
// stored at submission from the body's documents[i].digitised, checked against the dossier's own
// attachments, per Vietnam day, kept after the body's purge, and computed by the upgrade from
// schema 3 for the bodies still stored.
#include <catch2/catch.hpp>

#include "offline/domain/ids.h"
#include "offline/store/migrations.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

NewAttachment Pdf(const std::string& name, const std::string& bytes) {
  return {name, "application/pdf", "%PDF-1.5 " + bytes};
}

// A body whose documents name the given attachments as digitised (pages: 1, 2, ...).
json BodyDigitising(const std::vector<NewAttachment>& scans) {
  json body = SampleBody();
  body["documents"] = json::array();
  int pages = 1;
  for (const auto& a : scans) {
    body["documents"].push_back(
        {{"id", "birth_certificate"},
         {"presented_at_counter", true},
         {"digitised", {{"sha256", Sha256Hex(a.data)}, {"pages", pages++}}}});
  }
  return body;
}

std::string Submit(Store& store, const std::vector<NewAttachment>& scans, std::vector<NewAttachment> others = {}) {
  std::vector<NewAttachment> all = scans;
  all.insert(all.end(), others.begin(), others.end());
  auto d = store.dossiers().Submit(BodyDigitising(scans), all, "v1");
  REQUIRE(d.ok());
  return d->client_id;
}

int64_t QueryInt(const std::filesystem::path& file, const std::string& sql) {
  auto db = Db::Open(file.string());
  REQUIRE(db.ok());
  auto stmt = (*db)->Prepare(sql);
  REQUIRE(stmt.ok());
  Status st;
  REQUIRE(stmt->Step(&st));
  return stmt->Int(0);
}

}  // namespace

TEST_CASE("dossiers with digitised papers are counted per Vietnam day at submission") {
  TempDir dir;
  ManualClock clock(TestEpoch());  // 2026-11-26 09:00 +07:00
  auto store = OpenStore(TestOptions(dir, &clock));
  const std::string two = Submit(*store, {Pdf("cccd.pdf", "a"), Pdf("giay-khai-sinh.pdf", "b")});
  const std::string none = Submit(*store, {}, {Pdf("anh-chup.pdf", "photo")});  // an attachment, not a scan
  Submit(*store, {Pdf("so-ho-khau.pdf", "c")});
  clock.Advance(std::chrono::hours(14) + std::chrono::minutes(30));  // 23:30 +07:00, 16:30 UTC
  Submit(*store, {Pdf("x.pdf", "d")});
  clock.Advance(std::chrono::minutes(40));  // 00:10 +07:00 on the 27th, still the 26th in UTC
  Submit(*store, {Pdf("y.pdf", "e")});

  CHECK(store->dossiers().Get(two)->digitised_documents == 2);
  CHECK(store->dossiers().Get(none)->digitised_documents == 0);
  auto all = store->dossiers().Digitised("2026-11-01");
  REQUIRE(all.ok());
  CHECK(all->dossiers_total == 4);
  CHECK(all->documents_total == 5);
  CHECK(all->dossiers_by_day == std::map<std::string, int64_t>{{"2026-11-26", 3}, {"2026-11-27", 1}});
  auto today = store->dossiers().Digitised("2026-11-27");
  REQUIRE(today.ok());
  CHECK(today->dossiers_by_day == std::map<std::string, int64_t>{{"2026-11-27", 1}});
  CHECK(today->dossiers_total == 4);  // totals are of every day
}

TEST_CASE("the count of digitised dossiers outlives the purge of their bodies") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  const std::string id = Submit(*store, {Pdf("cccd.pdf", "a"), Pdf("b.pdf", "b")});
  auto items = store->outbox().Lease("t", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 1);
  REQUIRE(store->outbox().RecordAccepted(items[0], "000.00.24.H03-261126-0001", "2026-11-27", "received").ok());
  clock.Advance(std::chrono::hours(24 * 31));
  REQUIRE(store->PurgeExpired().value() == 1);
  auto rec = store->dossiers().Get(id);
  REQUIRE(rec.ok());
  CHECK(rec->purged);
  CHECK(rec->body.is_null());
  CHECK(rec->digitised_documents == 2);
  auto counts = store->dossiers().Digitised("2026-11-26");
  REQUIRE(counts.ok());
  CHECK(counts->dossiers_total == 1);
  CHECK(counts->documents_total == 2);
  CHECK(counts->dossiers_by_day.at("2026-11-26") == 1);
}

TEST_CASE("a digitised paper that is not one of the dossier's attachments is refused and nothing is stored") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  const NewAttachment scan = Pdf("cccd.pdf", "a");
  json body = BodyDigitising({scan});

  SECTION("a sha256 of no attachment") {
    auto r = store->dossiers().Submit(body, {Pdf("other.pdf", "z")}, "v1");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message_en().find("documents[0].digitised.sha256") != std::string::npos);
    CHECK(r.status().message_en().find("not one of the dossier's attachments") != std::string::npos);
    CHECK(r.status().message_vi().find("số hoá") != std::string::npos);
  }
  SECTION("no attachments at all") {
    auto r = store->dossiers().Submit(body, {}, "v1");
    CHECK(r.status().code() == Code::kInvalidArgument);
  }
  SECTION("a malformed sha256") {
    body["documents"][0]["digitised"]["sha256"] = "ABC";
    auto r = store->dossiers().Submit(body, {scan}, "v1");
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message_en().find("64 lowercase hex") != std::string::npos);
  }
  SECTION("an uppercase sha256 (the store's are lowercase)") {
    std::string up = Sha256Hex(scan.data);
    for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    body["documents"][0]["digitised"]["sha256"] = up;
    CHECK(store->dossiers().Submit(body, {scan}, "v1").status().code() == Code::kInvalidArgument);
  }
  SECTION("no pages, or 0") {
    body["documents"][0]["digitised"].erase("pages");
    CHECK(store->dossiers().Submit(body, {scan}, "v1").status().code() == Code::kInvalidArgument);
    body["documents"][0]["digitised"]["pages"] = 0;
    CHECK(store->dossiers().Submit(body, {scan}, "v1").status().code() == Code::kInvalidArgument);
    body["documents"][0]["digitised"]["pages"] = "2";
    CHECK(store->dossiers().Submit(body, {scan}, "v1").status().code() == Code::kInvalidArgument);
  }
  SECTION("not an object") {
    body["documents"][0]["digitised"] = true;
    CHECK(store->dossiers().Submit(body, {scan}, "v1").status().code() == Code::kInvalidArgument);
  }
  CHECK(store->dossiers().List()->empty());
  CHECK(store->outbox().Depth().value() == 0);
  CHECK(QueryInt(store->database_path(), "SELECT count(*) FROM attachments") == 0);
  // A valid one afterwards takes the day's first code: the refused ones consumed none.
  auto ok = store->dossiers().Submit(BodyDigitising({scan}), {scan}, "v1");
  REQUIRE(ok.ok());
  CHECK(ok->provisional_code.substr(ok->provisional_code.size() - 4) == "0001");
}

TEST_CASE("the upgrade from schema 3 counts the digitised papers of the bodies still stored") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const StoreOptions o = TestOptions(dir, &clock);
  std::string purged, kept, plain;
  {
    StoreOptions four = o;
    four.test_stop_at_schema = 4;  // the release that added the column: later migrations come with the upgrade
    auto store = OpenStore(four);
    purged = Submit(*store, {Pdf("a.pdf", "a")});
    auto items = store->outbox().Lease("t", 10, std::chrono::seconds(60)).value();
    REQUIRE(store->outbox().RecordAccepted(items[0], "000.00.24.H03-261126-0001", "2026-11-27", "received").ok());
    clock.Advance(std::chrono::hours(24 * 31));
    REQUIRE(store->PurgeExpired().value() == 1);
    kept = Submit(*store, {Pdf("b.pdf", "b"), Pdf("c.pdf", "c"), Pdf("d.pdf", "d")});
    plain = Submit(*store, {}, {Pdf("e.pdf", "e")});
  }
  // The file as schema 3 had it: the kiosk's own sealed bodies (a schema-3 kiosk stored
  // documents[i].digitised as given, a hand-made `kioskctl dossier submit` body could carry it),
  // no column, user_version 3.
  {
    auto db = Db::Open((o.data_dir / "kiosk.db").string());
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("DROP INDEX dossiers_digitised_day").ok());
    REQUIRE((*db)->Exec("ALTER TABLE dossiers DROP COLUMN digitised_documents").ok());
    REQUIRE((*db)->Exec("PRAGMA user_version = 3").ok());
  }
  REQUIRE(QueryInt(o.data_dir / "kiosk.db", "PRAGMA user_version") == 3);
  auto store = OpenStore(o);
  CHECK(QueryInt(o.data_dir / "kiosk.db", "PRAGMA user_version") == LatestSchemaVersion());
  CHECK(LatestSchemaVersion() >= 4);
  CHECK(store->dossiers().Get(kept)->digitised_documents == 3);
  CHECK(store->dossiers().Get(plain)->digitised_documents == 0);
  CHECK(store->dossiers().Get(purged)->digitised_documents == 0);  // its body was gone before the upgrade
  auto counts = store->dossiers().Digitised("2026-01-01");
  REQUIRE(counts.ok());
  CHECK(counts->dossiers_total == 1);
  CHECK(counts->documents_total == 3);
  CHECK(counts->dossiers_by_day == std::map<std::string, int64_t>{{"2026-12-27", 1}});
  CHECK(store->Check().value().ok());
}
