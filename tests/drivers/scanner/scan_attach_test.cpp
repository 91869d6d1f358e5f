// A scanned document as a dossier's attachment, end to end: `kioskctl scan page` against SANE's
// real test backend writes one PDF, the store keeps it content-addressed and sealed, and the sync
// engine delivers it with the resumable upload to portal-sim over HTTPS on 127.0.0.1, where its
// SHA-256 equals the kiosk's.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "offline/domain/ids.h"
#include "tests/drivers/scanner/sane_test_backend.h"
#include "tests/support/cannot_run.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("a scanned PDF attached to a dossier reaches the portal with the kiosk's SHA-256 and is sealed at rest") {
  SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  TempDir tmp("mck-scan");
  const fs::path pdf_file = tmp.path() / "giay-to.pdf";
  std::string out, err;
  const int rc = RunKioskctl({"--json", "scan", "page", "--out", pdf_file.string(), "--device", "test:0", "--source",
                              "adf", "--pages", "2", "--option", "test-picture=Grid"},
                             &out, &err);
  INFO(err);
  REQUIRE(rc == 0);
  const json scan = json::parse(out);
  CHECK(scan["pages"] == 2);
  CHECK(scan["problem"] == "none");
  const std::string pdf = Slurp(pdf_file);
  REQUIRE(pdf.rfind("%PDF-", 0) == 0);
  CHECK(scan["pdf_bytes"] == pdf.size());
  const std::string sha = Sha256Hex(pdf);
  CHECK(scan["sha256"] == sha);

  TempDir simdir("mck-simdb");
  PortalSim sim({simdir.path() / "sim.db", 0, "server", {"--seed", "13"}});
  Kiosk kiosk;
  sim.AddToken("TOKEN-S");
  kiosk.Enrol(sim, "TOKEN-S");
  std::string client_id;
  {
    auto store = kiosk.OpenStore();
    NewAttachment a;
    a.name = "giay-to.pdf";
    a.media_type = "application/pdf";
    a.data = pdf;
    auto s = store->dossiers().Submit(DossierBody(), {a}, "2026-11-01.test");
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    client_id = s->client_id;
    auto atts = store->dossiers().Attachments(client_id);
    REQUIRE(atts.ok());
    REQUIRE(atts->size() == 1);
    CHECK(atts->at(0).sha256 == sha);  // content-addressed by the PDF's own hash
    CHECK(atts->at(0).media_type == "application/pdf");
    CHECK(atts->at(0).size == static_cast<int64_t>(pdf.size()));
    auto back = store->dossiers().Attachment(sha);
    REQUIRE(back.ok());
    CHECK(*back == pdf);
  }
  // Sealed at rest: no file of the data directory holds the PDF's bytes in the clear.
  for (const auto& e : fs::recursive_directory_iterator(kiosk.dir())) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = Slurp(e.path());
    INFO(e.path().string());
    CHECK(bytes.find("/DCTDecode") == std::string::npos);
    CHECK(bytes.find(pdf.substr(pdf.size() / 2, 64)) == std::string::npos);
  }

  auto syncer = kiosk.OpenSyncer(kiosk.sync_options());
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  INFO(sum->error.ToString());
  CHECK(sum->accepted == 1);
  CHECK(sum->attachments_uploaded == 1);
  const json atts = sim.Admin("GET", "/admin/attachments");
  REQUIRE(atts.size() == 1);
  CHECK(atts[0]["complete"] == true);
  CHECK(atts[0]["sha256"] == sha);
  CHECK(atts[0]["data_sha256"] == sha);  // the bytes the portal holds hash to the kiosk's
  CHECK(atts[0]["length"] == pdf.size());
}

TEST_CASE("kioskctl scan lists the test scanner, names a missing scanner with exit 1 and bad input with exit 2") {
  TempDir tmp("mck-scan");
  const fs::path none = tmp.path() / "none.pdf";
  std::string out, err;
  {
    SaneTestBackend sane;
    if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
    REQUIRE(RunKioskctl({"--json", "scan", "list"}, &out, &err) == 0);
    const json list = json::parse(out);
    REQUIRE(list.size() == 1);
    CHECK(list[0]["device"] == "test:0");
    // Bad input is exit 2.
    CHECK(RunKioskctl({"scan", "page", "--out", none.string(), "--source", "tray"}, &out, &err) == 2);
    CHECK(RunKioskctl({"scan", "page", "--source", "adf"}, &out, &err) == 2);
    CHECK(RunKioskctl({"scan", "page", "--out", none.string(), "--option", "no-such-option=1"}, &out, &err) == 2);
    CHECK_FALSE(fs::exists(none));
  }
  // No backend configured: no scanner, exit 1, the problem named, nothing written. (A jam
  // mid-page is tested on the library in scanner_tests: the test backend does not free its
  // reader's buffer when a page is cancelled, which LeakSanitizer would report in kioskctl.)
  SaneTestBackend empty(0);
  CHECK(RunKioskctl({"--json", "scan", "page", "--out", none.string(), "--source", "adf"}, &out, &err) == 1);
  CHECK(json::parse(out)["problem"] == "no_scanner");
  CHECK(err.find("Chưa thấy máy quét") != std::string::npos);
  CHECK_FALSE(fs::exists(none));
  CHECK(RunKioskctl({"scan", "list"}, &out, &err) == 1);
}
