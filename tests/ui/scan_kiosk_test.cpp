// The citizen's scan screen on the REAL kiosk, headless under Xvfb (run-kiosk-script), with SANE's
// `test` backend in a private SANE_CONFIG_DIR the kiosk inherits (sane_test_backend.h) and
// printer-sim on loopback: two required papers scanned (feeder and glass, a page moved, a page
// scanned again), submitted; then checked where they landed: the Store (two sealed PDF
// attachments whose pages poppler counts, the body's documents[i].digitised) and the printed slip
// (OCR of "Giấy tờ đã số hoá", the VietQR decoded by zbarimg from the slip's raster).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>

#include "offline/domain/ids.h"
#include "offline/domain/vietqr.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/drivers/scanner/sane_test_backend.h"
#include "tests/support/cannot_run.h"
#include "tests/ui/kiosk_run.h"

using namespace mck;
using mck::printer::testing::NormaliseText;
using mck::printer::testing::Ocr;
using mck::printer::testing::ZbarDecode;

TEST_CASE("a citizen scans two required papers, submits, and the slip lists them as digitised with the VietQR") {
  test::SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  if (std::system("pdfinfo -v >/dev/null 2>&1") != 0) MCK_CANNOT_RUN("needs pdfinfo (poppler-utils)");
  const auto out = test::UiRunDir("scan-two-papers");
  REQUIRE(test::RunKioskScript("scan-two-papers.script", out,
                               "--payment --scanner sane:test:0 --scanner-options test-picture=Grid"
                               " --scan-max-pages 3") == 0);
  for (const char* shot : {"scan-feeder.png", "scan-flatbed.png", "documents-scanned.png"})
    CHECK(std::filesystem::file_size(out / "shots" / shot) > 10000);

  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  auto rec = store->dossiers().Get(list->front().provisional_code);
  REQUIRE(rec.ok());
  CHECK(rec->procedure_code == "2.000913");
  const auto& docs = rec->body["documents"];
  REQUIRE(docs.size() == 2);
  CHECK(docs[0]["id"] == "contract");
  CHECK(docs[0]["digitised"]["pages"] == 3);
  CHECK(docs[1]["id"] == "identity_paper");
  CHECK(docs[1]["digitised"]["pages"] == 2);
  CHECK(docs[0].contains("presented_at_counter"));
  // Two PDF attachments, named for their papers, sealed in the store; poppler counts their pages
  // and their SHA-256 is the body's.
  const auto& atts = rec->body["attachments"];
  REQUIRE(atts.size() == 2);
  const auto tmp = out / "pdf";
  std::filesystem::create_directories(tmp);
  for (size_t i = 0; i < 2; ++i) {
    const std::string id = docs[i]["id"];
    CAPTURE(id);
    const auto& a = atts[i];
    CHECK(a["name"] == id + ".pdf");
    CHECK(a["media_type"] == "application/pdf");
    CHECK(a["sha256"] == docs[i]["digitised"]["sha256"]);
    auto bytes = store->dossiers().Attachment(a["sha256"].get<std::string>());
    REQUIRE(bytes.ok());
    CHECK(Sha256Hex(*bytes) == a["sha256"]);
    CHECK(test::PdfPages(*bytes, tmp) == docs[i]["digitised"]["pages"].get<int>());
  }
  // The slip: the papers digitised, read back by OCR off the printed raster, and the VietQR.
  const auto png = test::DecodedJob(out, 1);
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(text.find(NormaliseText("Giấy tờ đã số hoá")) != std::string::npos);
  CHECK(text.find(NormaliseText("(3 trang)")) != std::string::npos);
  CHECK(text.find(NormaliseText("(2 trang)")) != std::string::npos);
  const std::string codes = ZbarDecode(png);
  CAPTURE(codes);
  CHECK(codes.find(rec->client_id) != std::string::npos);
  const size_t at = codes.find("000201");
  REQUIRE(at != std::string::npos);
  auto t = vietqr::Decode(codes.substr(at, codes.find('\n', at) - at));
  REQUIRE(t.ok());
  CHECK(t->amount_vnd == 30000);
  CHECK(t->purpose == rec->provisional_code);
}

namespace {

// The kiosk's log holds none of the applicant the scripts type.
void CheckKioskLogHasNoPersonalData(const std::filesystem::path& out) {
  const std::string log = test::ReadAll(out / "kiosk.log");
  REQUIRE_FALSE(log.empty());
  INFO(log);
  for (const char* v : {"024190001234", "15/03/1990", "15031990", "1990-03-15", "Nguyễn Thị Hoà", "Nguyeenx", "Hoaf"})
    CHECK(log.find(v) == std::string::npos);
}

}  // namespace

TEST_CASE("the scanner's failures on the real kiosk: the calm message over the pages kept, and the dossier still submits") {
  test::SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  if (std::system("pdfinfo -v >/dev/null 2>&1") != 0) MCK_CANNOT_RUN("needs pdfinfo (poppler-utils)");
  struct Run {
    std::string problem, args;
    int pages;  // the contract's pages: one from the glass, then the feeder's before the failure; 0: 2 to 9
  };
  const Run run = GENERATE(values<Run>({
      {"feeder_empty", "--scan-fault 0:SANE_STATUS_NO_DOCS", 1},
      {"device_gone", "--scan-fault 1:SANE_STATUS_EOF", 2},  // page 2 of the feeder cut short
      {"max_bytes", "--scan-max-dossier-mb 1", 0},           // ~214 KB a grid page: 4 fit in 1 MB
  }));
  CAPTURE(run.problem);
  ::setenv("MCK_SCAN_PROBLEM", run.problem.c_str(), 1);
  ::setenv("MCK_SUBMIT_WIDGET", "submitted.done", 1);
  const auto out = test::UiRunDir("scan-failure-" + run.problem);
  REQUIRE(test::RunKioskScript("scan-failure.script", out,
                    "--scanner sane:test:0 --scanner-options test-picture=Grid " + run.args) == 0);
  CHECK(std::filesystem::file_size(out / "shots" / ("scan-" + run.problem + ".png")) > 10000);
  CheckKioskLogHasNoPersonalData(out);
  // Stored: the contract with the pages kept before the failure, its PDF the body's.
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  auto rec = store->dossiers().Get(list->front().provisional_code);
  REQUIRE(rec.ok());
  const auto& doc = rec->body["documents"][0];
  REQUIRE(doc["id"] == "contract");
  const int pages = doc["digitised"]["pages"].get<int>();
  if (run.pages > 0) {
    CHECK(pages == run.pages);
  } else {
    CHECK(pages >= 2);
    CHECK(pages <= 9);
  }
  auto bytes = store->dossiers().Attachment(doc["digitised"]["sha256"].get<std::string>());
  REQUIRE(bytes.ok());
  CHECK(Sha256Hex(*bytes) == doc["digitised"]["sha256"]);
  const auto tmp = out / "pdf";
  std::filesystem::create_directories(tmp);
  CHECK(test::PdfPages(*bytes, tmp) == pages);
}

TEST_CASE("a full disk at submission on the real kiosk: the review says nothing was stored, calmly") {
  test::SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  if (::geteuid() != 0 || std::system("unshare -m true 2>/dev/null") != 0)
    MCK_CANNOT_RUN("needs root and mount namespaces (unshare -m) to mount a small tmpfs");
  // A jam after feeder page 2 (three pages kept with the glass's), then the dossier does not fit
  // on a data directory of this size: the store fits, its ~650 KB of scans do not.
  const std::string tmpfs = "600k";
  ::setenv("MCK_SCAN_PROBLEM", "jammed", 1);
  ::setenv("MCK_SUBMIT_WIDGET", "notice.submit.failed", 1);
  const auto out = test::UiRunDir("scan-failure-disk-full");
  REQUIRE(test::RunKioskScript("scan-failure.script", out,
                    "--scanner sane:test:0 --scanner-options test-picture=Grid --scan-fault 2:SANE_STATUS_JAMMED "
                    "--data-tmpfs " + tmpfs) == 0);
  CHECK(std::filesystem::file_size(out / "shots" / "submit-jammed.png") > 10000);
  const std::string log = test::ReadAll(out / "kiosk.log");
  CHECK(log.find("submit failed") != std::string::npos);
  CheckKioskLogHasNoPersonalData(out);
}
