// A package upgrade as the store sees it (docs/store.md "Upgrades"): release N (the program's
// migrations, schema 1) enrols, queues dossiers with attachments, sets a staff PIN and delivers
// some of them; release N+1 (one more migration, StoreOptions::test_extra_migrations) opens the
// same data directory: it backs the store up, migrates it, every dossier and attachment is
// intact, the audit chain verifies, and its syncer delivers each remaining dossier to the real
// portal simulator exactly once (none twice, none lost).
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "offline/store/backup.h"
#include "offline/store/migrations.h"
#include "offline/store/staff_auth.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

const std::string kMigration2 = R"SQL(
ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk';
CREATE INDEX dossiers_channel ON dossiers(channel);
)SQL";

}  // namespace

TEST_CASE("release N's queued, partly synced store is upgraded by release N+1, which delivers each dossier once") {
  TempDir simdir("mck-upgrade-sim");
  PortalSim sim({simdir.path() / "sim.db", 0, "server", {"--seed", "5"}});
  sim.AddToken("TOKEN-U");
  Kiosk kiosk;
  kiosk.Enrol(sim, "TOKEN-U");
  std::mt19937_64 rng(42);

  // ---- release N ------------------------------------------------------------------------------
  std::vector<std::string> ids;
  std::map<std::string, std::string> attachment_bytes;  // sha256 → bytes, as submitted
  {
    auto store = kiosk.OpenStore();
    auto first = kiosk.SubmitDossiers(*store, 4, 2, rng);
    auto syncer = kiosk.OpenSyncer(kiosk.sync_options());
    REQUIRE(syncer->RunOnce()->accepted == 4);  // these reached the portal under release N
    auto rest = kiosk.SubmitDossiers(*store, 7, 3, rng);
    ids = first;
    ids.insert(ids.end(), rest.begin(), rest.end());
    for (const auto& id : ids) {
      auto atts = store->dossiers().Attachments(id);
      REQUIRE(atts.ok());
      for (const auto& a : *atts) {
        attachment_bytes[a.sha256] = store->dossiers().Attachment(a.sha256).value();
      }
    }
    SystemClock clock;
    StaffAuth staff(*store, clock, PinPolicy{});
    REQUIRE(staff.SetPin("731905").ok());
    REQUIRE(store->outbox().Depth().value() == 7);  // the outbox is partly synced
  }
  REQUIRE(attachment_bytes.size() >= 4);

  // ---- release N+1 ----------------------------------------------------------------------------
  SyncSetup setup = kiosk.sync_setup();
  setup.store.test_extra_migrations = {kMigration2};
  auto opened = Store::Open(setup.store);
  INFO(opened.status().ToString());
  REQUIRE(opened.ok());
  Store& store = **opened;
  auto backups = ListBackups(setup.store.data_dir);
  REQUIRE(backups->size() == 1);
  CHECK(backups->front().schema_version == LatestSchemaVersion());  // release N's schema

  auto list = store.dossiers().List();
  REQUIRE(list->size() == ids.size());
  for (const auto& id : ids) {
    auto rec = store.dossiers().Get(id);
    REQUIRE(rec.ok());
    CHECK(rec->body.contains("applicant"));
  }
  for (const auto& [sha, bytes] : attachment_bytes) CHECK(store.dossiers().Attachment(sha).value() == bytes);
  auto check = store.Check();
  REQUIRE(check.ok());
  CHECK(check->ok());
  SystemClock clock;
  StaffAuth staff(store, clock, PinPolicy{});
  CHECK(staff.Verify("731905")->check == PinCheck::kOk);

  auto syncer = Syncer::Open(setup, kiosk.sync_options());
  INFO(syncer.status().ToString());
  REQUIRE(syncer.ok());
  auto drained = (*syncer)->Drain();
  REQUIRE(drained.ok());
  CHECK(drained->accepted == 7);
  CHECK(drained->remaining == 0);

  // Exactly once: the portal holds each client id once, each delivered by one POST.
  std::map<std::string, int> held;
  for (const auto& d : sim.Admin("GET", "/admin/dossiers")) ++held[d["client_id"].get<std::string>()];
  CHECK(held.size() == ids.size());
  for (const auto& id : ids) CHECK(held[id] == 1);
  std::map<std::string, int> posts;
  for (const auto& d : sim.Admin("GET", "/admin/deliveries")) ++posts[d["key"].get<std::string>()];
  for (const auto& id : ids) CHECK(posts[id] == 1);
  std::set<std::string> complete;
  for (const auto& a : sim.Admin("GET", "/admin/attachments")) {
    if (a["complete"] == true && a["data_sha256"] == a["sha256"]) complete.insert(a["sha256"]);
  }
  for (const auto& [sha, bytes] : attachment_bytes) CHECK(complete.count(sha) == 1);
  auto after = store.dossiers().List();
  REQUIRE(after.ok());
  for (const auto& d : *after) CHECK(d.state == DossierState::kAccepted);
  CHECK(store.Check()->ok());
}
