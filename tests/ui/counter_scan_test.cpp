// The officer's scan at the counter (docs/scanning.md "At the counter") on the REAL kiosk under
// Xvfb (staff-counter-scan.script): SANE's test backend in a private SANE_CONFIG_DIR the kiosk
// inherits, printer-sim and portal-sim (HTTPS) on loopback. A dossier submitted without scans; the
// officer scans the contract from the feeder (3 pages) and accepts. Then checked where it landed:
// the store (a sealed PDF attachment of the dossier, the decision's documents_received[i].digitised,
// the digitised count), the portal (the decision's digitised.sha256 is the SHA-256 of the PDF bytes
// it received) and the printed Mẫu 01 (OCR: the paper marked digitised).
#include <catch2/catch.hpp>

#include <unistd.h>

#include "offline/domain/ids.h"
#include "offline/store/sqlite.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/drivers/scanner/sane_test_backend.h"
#include "tests/support/cannot_run.h"
#include "tests/ui/kiosk_run.h"

using namespace mck;
using nlohmann::json;

TEST_CASE("the officer scans a received paper at the counter and accepts: stored, delivered with the decision, on Mẫu 01") {
  test::SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  if (std::system("pdfinfo -v >/dev/null 2>&1") != 0) MCK_CANNOT_RUN("needs pdfinfo (poppler-utils)");
  const auto out = test::UiRunDir("staff-counter-scan");
  std::filesystem::remove_all(out);
  REQUIRE(test::RunKioskScript("staff-counter-scan.script", out,
                               std::string("--kioskctl ") + KIOSKCTL_BIN + " --portal-sim " + PORTAL_SIM_BIN +
                                   " --staff-pin 246810 --scanner sane:test:0 --scanner-options test-picture=Grid"
                                   " --scan-max-pages 3") == 0);
  for (const char* shot : {"staff-dossier-scan.png", "staff-scan-feeder.png", "staff-dossier-scanned.png"})
    CHECK(std::filesystem::file_size(out / "shots" / shot) > 10000);

  // The kiosk's store: the citizen scanned nothing; the accept carries the contract's scan.
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  auto rec = store->dossiers().Get(list->front().client_id);
  REQUIRE(rec.ok());
  CHECK(rec->procedure_code == "2.000913");
  for (const auto& d : rec->body["documents"]) CHECK_FALSE(d.contains("digitised"));
  CHECK(rec->body["attachments"].empty());
  auto decisions = store->decisions().For(list->front());
  REQUIRE(decisions.ok());
  REQUIRE(decisions->size() == 1);
  const json& body = decisions->front().body;
  INFO(body.dump());
  CHECK(decisions->front().decision == "accept");
  CHECK(decisions->front().state == "sent");
  json contract;
  for (const auto& d : body["documents_received"]) {
    if (d["id"] == "contract") contract = d;
  }
  REQUIRE(contract.is_object());
  REQUIRE(contract.contains("digitised"));
  CHECK(contract["digitised"]["pages"] == 3);
  const std::string sha = contract["digitised"]["sha256"];
  REQUIRE(body["attachments"].size() == 1);
  CHECK(body["attachments"][0]["sha256"] == sha);
  CHECK(body["attachments"][0]["name"] == "contract.pdf");
  CHECK(body["attachments"][0]["media_type"] == "application/pdf");
  // Sealed in the store as an attachment of the dossier; poppler counts its pages.
  auto pdf = store->dossiers().Attachment(sha);
  REQUIRE(pdf.ok());
  CHECK(Sha256Hex(*pdf) == sha);
  CHECK(body["attachments"][0]["size"] == static_cast<int64_t>(pdf->size()));
  CHECK(test::PdfPages(*pdf, out) == 3);
  auto linked = store->dossiers().Attachments(rec->client_id);
  REQUIRE(linked.ok());
  REQUIRE(linked->size() == 1);
  CHECK(linked->front().sha256 == sha);
  // The count: one dossier with one digitised paper.
  auto count = store->dossiers().Digitised("2000-01-01");
  REQUIRE(count.ok());
  CHECK(count->dossiers_total == 1);
  CHECK(count->documents_total == 1);

  // The portal's copy (portal-sim's database, left by the run): the decision names the PDF it
  // received whole, byte for byte the kiosk's.
  auto portal = Db::Open((out / "portal.db").string());
  REQUIRE(portal.ok());
  auto d = (*portal)->Prepare("SELECT body FROM decisions");
  REQUIRE(d.ok());
  Status st;
  REQUIRE(d->Step(&st));
  const json held = json::parse(d->Text(0));
  json held_contract;
  for (const auto& p : held["documents_received"]) {
    if (p["id"] == "contract") held_contract = p;
  }
  REQUIRE(held_contract.is_object());
  CHECK(held_contract["digitised"]["sha256"] == sha);
  CHECK_FALSE(d->Step(&st));  // exactly one decision
  auto a = (*portal)->Prepare("SELECT data FROM attachments WHERE sha256 = ? AND complete = 1");
  REQUIRE(a.ok());
  a->Bind(1, sha);
  REQUIRE(a->Step(&st));
  CHECK(Sha256Hex(a->Blob(0)) == sha);
  CHECK(a->Blob(0) == *pdf);

  // Mẫu 01, the last job printer-sim received (the slip came first): the contract is marked
  // digitised with its 3 pages, read off the printed raster.
  int last = 0;
  while (std::filesystem::exists(out / "printer" / ("job-000" + std::to_string(last + 1) + ".bin"))) ++last;
  REQUIRE(last >= 2);
  const std::string text = printer::testing::Ocr(test::DecodedJob(out, last));
  CAPTURE(text);
  CHECK(text.find(printer::testing::NormaliseText("(đã số hoá, 3 trang)")) != std::string::npos);
}
