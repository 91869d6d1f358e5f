// The scan screen on the App (state + screen machine) with the REAL scanner service: SANE's `test`
// backend in a private SANE_CONFIG_DIR (tests/drivers/scanner/sane_test_backend.h) scanned on the
// service's worker, real JPEG previews, the PDF bound by cairo, a real Store. A fault is injected
// between feeder pages as the driver's tests do (read-return-value), through the service's test
// hook: the pages already scanned are kept, the calm message is the problem's, and scanning goes on.
#include <catch2/catch.hpp>

#include "kiosk/app/app.h"
#include "kiosk/app/scan_service.h"
#include "offline/domain/ids.h"
#include "offline/store/staff_auth.h"
#include "tests/drivers/scanner/sane_test_backend.h"
#include "tests/support/cannot_run.h"
#include "tests/ui/app_fixture.h"
#include "tests/ui/scan_fixture.h"

using namespace mck;
using namespace mck::app;
using Fixture = mck::app::uitest::ScanFixture;

TEST_CASE("scan screen: a jam mid-feeder keeps the pages scanned, says so calmly, and the scan goes on") {
  Fixture f;
  MCK_NEEDS_SANE(f);
  f.ToDocuments();
  f.Do(intent::ScanOpen{.document_id = "contract"});
  REQUIRE(f.app->screen() == ScreenId::kScan);
  const auto [fault, key] = GENERATE(std::make_pair(std::string("SANE_STATUS_JAMMED"), std::string("scan.problem.jammed")),
                                     std::make_pair(std::string("SANE_STATUS_COVER_OPEN"),
                                                    std::string("scan.problem.cover_open")));
  f.fault = fault;
  f.fault_after = 2;
  f.Scan(true);
  REQUIRE_FALSE(f.fault_failed.load());
  CHECK(f.app->scan().pages.size() == 2);  // nothing already scanned is lost
  CHECK(f.app->scan().message_key == key);
  CHECK(f.strings.Get(key).find("các trang đã quét vẫn được giữ") != std::string::npos);
  for (const auto& p : f.app->scan().pages) {
    CHECK(p.jpeg.size() > 1000);
    CHECK(p.preview_w > 100);
    CHECK(p.preview_w <= kScanPreviewMaxSide);
    CHECK(p.preview_h <= kScanPreviewMaxSide);
    CHECK(p.preview.size() == static_cast<size_t>(p.preview_w) * p.preview_h);
  }
  // Cleared: the next feeder run adds its pages after the two kept (the feeder holds 10).
  f.fault_after = 0;
  f.Scan(true);
  CHECK(f.app->scan().message_key.empty());
  CHECK(f.app->scan().pages.size() == 12);
  // Bound into one PDF: the paper is digitised with its 12 pages, back on the documents screen.
  f.Done();
  const DigitisedPaper* paper = f.app->digitised("contract");
  REQUIRE(paper != nullptr);
  CHECK(paper->pages.size() == 12);
  CHECK(paper->pdf.rfind("%PDF-", 0) == 0);
  const auto body = f.app->BuildDossierBody();
  CHECK(body["documents"][0]["digitised"]["pages"] == 12);
  CHECK(body["documents"][0]["digitised"]["sha256"] == Sha256Hex(paper->pdf));
  CHECK(body["documents"][0].contains("presented_at_counter"));
  CHECK_FALSE(body["documents"][1].contains("digitised"));
}

TEST_CASE("scan screen: rescan, delete and reorder pages, Huỷ drops the visit, the wipe drops everything") {
  Fixture f;
  MCK_NEEDS_SANE(f);
  f.ToDocuments();
  f.Do(intent::ScanOpen{.document_id = "identity_paper"});
  CHECK(f.app->SpokenInstruction() == f.strings.Get("speak.scan"));
  f.Scan(false);
  f.Scan(false);
  f.Scan(false);
  REQUIRE(f.app->scan().pages.size() == 3);  // the flatbed: one page a scan
  const auto ids = f.Ids();
  f.Do(intent::ScanMove{.index = 0, .delta = 1});
  CHECK(f.Ids() == std::vector<uint64_t>{ids[1], ids[0], ids[2]});
  f.Do(intent::ScanMove{.index = 0, .delta = -1});  // no place above the first: ignored
  CHECK(f.Ids() == std::vector<uint64_t>{ids[1], ids[0], ids[2]});
  f.Do(intent::ScanDelete{.index = 2});
  CHECK(f.Ids() == std::vector<uint64_t>{ids[1], ids[0]});
  const int before = f.app->scan().completed;
  f.Do(intent::ScanRescan{.index = 1});
  REQUIRE(f.PumpUntil([&] { return f.app->scan().completed == before + 1; }));
  REQUIRE(f.app->scan().pages.size() == 2);
  CHECK(f.app->scan().pages[0].id == ids[1]);
  CHECK(f.app->scan().pages[1].id != ids[0]);  // a new page in the same place
  CHECK(f.app->scan().selected == 1);
  f.Done();
  REQUIRE(f.app->digitised("identity_paper") != nullptr);
  CHECK(f.app->digitised("identity_paper")->pages.size() == 2);
  // Opened again and cancelled: what this visit scanned is dropped, the paper stays as it was.
  f.Do(intent::ScanOpen{.document_id = "identity_paper"});
  CHECK(f.app->scan().pages.size() == 2);
  f.Scan(false);
  CHECK(f.app->scan().pages.size() == 3);
  f.Do(intent::ScanCancel{});
  CHECK(f.app->screen() == ScreenId::kDocuments);
  CHECK(f.app->digitised("identity_paper")->pages.size() == 2);
  CHECK(f.app->scan().pages.empty());
  // The session ends: nothing scanned is left.
  f.Do(intent::StartOver{});
  CHECK(f.app->digitised("identity_paper") == nullptr);
  CHECK(f.app->BuildDossierBody()["documents"].empty());
}

TEST_CASE("scan screen: the pages per paper are bounded with a calm message") {
  Fixture f({.max_pages = 3, .max_dossier_mb = 25, .dir = {}});
  MCK_NEEDS_SANE(f);
  f.ToDocuments();
  f.Do(intent::ScanOpen{.document_id = "contract"});
  f.Scan(true);  // the feeder holds 10; the paper takes 3
  CHECK(f.app->scan().pages.size() == 3);
  f.Do(intent::ScanStart{.feeder = false});
  CHECK(f.app->scan().scan_request == 0);
  CHECK(f.app->scan().message_key == "scan.max_pages");
  CHECK(f.app->scan().pages.size() == 3);
}

TEST_CASE("no scanner answering: the documents screen offers no scan and the kiosk works without") {
  test::SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  uitest::AppDriver d;
  const auto dir = uitest::MakeTempDir("mck-noscan");
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  uitest::SetTestConfig(config, dir);
  config.printer = "none";
  const StoreOptions so = uitest::TestStoreOptions(config, clock);
  auto store = uitest::OpenTestStore(so);
  Strings strings;
  uitest::LoadTestStrings(strings);
  SaneScanServiceOptions o;
  o.device = "test:99";  // no such device
  auto scanner = std::make_unique<SaneScanService>(o, d.events);
  AppDeps deps = uitest::TestAppDeps(config, *store, clock, strings, d.events, so);
  deps.scanner = scanner.get();
  d.StartApp(deps);
  REQUIRE(d.events.Wait(std::chrono::seconds(10)));
  d.Pump();
  CHECK_FALSE(d.app->has_scanner());
  d.Do(intent::Start{});
  d.Go(ScreenId::kProcedure);
  d.Do(intent::ChooseProcedure{.code = "2.000913"});
  d.Do(intent::BeforeStartDone{});
  d.Type("fields.copies", InputKind::kDigits, "1");
  d.Do(intent::FormDone{});
  REQUIRE(d.app->screen() == ScreenId::kDocuments);
  d.Do(intent::ScanOpen{.document_id = "contract"});
  CHECK(d.app->screen() == ScreenId::kDocuments);
  d.app.reset();
  scanner.reset();
  store.reset();
  std::filesystem::remove_all(dir);
}

// The officer's scan at the counter (docs/scanning.md "At the counter"): the same screen from the
// staff dossier, kept with the open dossier in memory only, gone when the officer leaves it or
// staff mode locks, and stored with the accept (the decision's documents_received[i].digitised).
TEST_CASE("counter scan: the officer scans a paper of the open dossier, leaving or locking drops it, the accept stores it") {
  Fixture f;
  {
    StaffAuth auth(*f.store, f.clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  const nlohmann::json body = {{"procedure_code", "2.000913"},
                               {"applicant", {{"full_name", "Nguyễn Thị Hoà"}}},
                               {"fields", {{"copies", 1}}},
                               {"documents", nlohmann::json::array()}};
  auto submitted = f.store->dossiers().Submit(body, {}, "");
  REQUIRE(submitted.ok());
  auto unlock_and_open = [&] {
    f.Do(intent::Start{});
    f.Go(ScreenId::kStaffPin);
    for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
    f.Do(intent::StaffUnlock{});
    REQUIRE(f.PumpUntil([&] { return f.app->screen() == ScreenId::kStaff; }));
    f.Do(intent::StaffOpenDossier{.client_id = submitted->client_id});
    REQUIRE(f.app->screen() == ScreenId::kStaffDossier);
  };
  auto scan_paper = [&](const std::string& id, bool feeder, int times) {
    f.Do(intent::StaffScanOpen{.document_id = id});
    REQUIRE(f.app->screen() == ScreenId::kScan);
    CHECK(f.app->scan().counter);
    CHECK_FALSE(f.app->scan().paper_name.empty());  // "Quét: <the paper>"
    for (int i = 0; i < times; ++i) f.Scan(feeder);
    f.Do(intent::ScanDone{});
    REQUIRE(f.PumpUntil([&] { return f.app->screen() == ScreenId::kStaffDossier; }));  // back to the dossier
  };
  unlock_and_open();
  scan_paper("contract", true, 1);  // the feeder's 10 pages
  REQUIRE(f.app->staff_dossier()->scans.count("contract") == 1);
  CHECK(f.app->staff_dossier()->scans.at("contract").pages.size() == 10);
  CHECK(f.app->digitised("contract") == nullptr);  // not the citizen's session
  for (const auto& p : f.app->staff_dossier()->papers) CHECK(p.received == (p.id == "contract"));
  // The officer leaves the dossier: its scans are gone with it.
  f.Do(intent::Back{});
  CHECK(f.app->screen() == ScreenId::kStaff);
  CHECK_FALSE(f.app->staff_dossier().has_value());
  f.Do(intent::StaffOpenDossier{.client_id = submitted->client_id});
  CHECK(f.app->staff_dossier()->scans.empty());
  // Staff mode locks (the officer signs out; the inactivity wipe takes the same path): gone too.
  scan_paper("contract", false, 1);
  CHECK(f.app->staff_dossier()->scans.size() == 1);
  f.Do(intent::StartOver{});
  CHECK_FALSE(f.app->staff_dossier().has_value());
  CHECK(f.app->scan().pages.empty());

  // Scanned and accepted: the decision stores the PDF as the dossier's attachment and names it.
  unlock_and_open();
  scan_paper("identity_paper", false, 2);
  const std::string sha = f.app->staff_dossier()->scans.at("identity_paper").sha256;
  f.Type("staff.officer", InputKind::kText, "Phamj Vawn Taam");
  f.Do(intent::StaffDecide{.decision = "accept"});
  REQUIRE(f.PumpUntil([&] { return f.app->staff_dossier() && f.app->staff_dossier()->decided == "accept"; }));
  CHECK(f.app->staff_dossier()->scans.empty());  // stored: no copy left in memory
  for (const auto& p : f.app->staff_dossier()->papers) CHECK(p.counter_pages == (p.id == "identity_paper" ? 2 : 0));
  auto rec = f.store->dossiers().Get(submitted->client_id);
  REQUIRE(rec.ok());
  auto decisions = f.store->decisions().For(*rec);
  REQUIRE(decisions.ok());
  REQUIRE(decisions->size() == 1);
  const auto& received = decisions->front().body["documents_received"];
  REQUIRE(received.size() == 1);
  CHECK(received[0]["id"] == "identity_paper");
  CHECK(received[0]["digitised"] == nlohmann::json{{"sha256", sha}, {"pages", 2}});
  auto pdf = f.store->dossiers().Attachment(sha);
  REQUIRE(pdf.ok());
  CHECK(pdf->rfind("%PDF-", 0) == 0);
  CHECK(f.store->dossiers().Digitised("2000-01-01")->documents_total == 1);
  // Decided: nothing more to scan.
  f.Do(intent::StaffScanOpen{.document_id = "contract"});
  CHECK(f.app->screen() == ScreenId::kStaffDossier);
}
