// The measured elderly walk-through (tests/ui/walkthrough-birth.script, docs/walkthrough.md) kept
// working: the same script scripts/bench-walkthrough times at real speed, run here with every
// human pause scaled by MCK_HUMAN_SCALE=0.02 on the REAL kiosk under Xvfb with printer-sim on
// loopback. It must reach "Đã nộp hồ sơ" with the dossier stored and the receipt printed, and
// the kiosk's per-screen log must be complete. No timing is asserted (the bench prints them).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "offline/store/store.h"
#include "tests/ui/stored_dossier.h"
#include "tests/drivers/printer/test_support.h"

using namespace mck;

namespace {

const std::filesystem::path kUi = std::filesystem::path(MCK_SOURCE_DIR) / "tests" / "ui";

struct Row {
  std::string screen;
  double entered = -1, on = -1, human = -1, kiosk = -1;
  int shown = -1, read = -1, taps = -1, keys = -1, mistakes = -1;
};

// "walk-row: SCREEN entered X on X shown N read N taps N keys N mistakes N human X kiosk X"
bool ParseRow(const std::string& line, Row* r) {
  std::istringstream in(line.substr(line.find(':') + 1));
  std::string k;
  in >> r->screen;
  while (in >> k) {
    if (k == "entered") in >> r->entered;
    else if (k == "on") in >> r->on;
    else if (k == "shown") in >> r->shown;
    else if (k == "read") in >> r->read;
    else if (k == "taps") in >> r->taps;
    else if (k == "keys") in >> r->keys;
    else if (k == "mistakes") in >> r->mistakes;
    else if (k == "human") in >> r->human;
    else if (k == "kiosk") in >> r->kiosk;
    else return false;
    if (!in) return false;
  }
  return r->entered >= 0 && r->on >= 0 && r->shown >= 0 && r->read >= 0 && r->taps >= 0 && r->keys >= 0 &&
         r->mistakes >= 0 && r->human >= 0 && r->kiosk >= 0;
}

}  // namespace

TEST_CASE("the elderly birth-registration walk-through reaches the printed receipt with a complete per-screen log") {
  const auto out = std::filesystem::path(MCK_BINARY_DIR) / "tests" / "ui" / "runs" / "walkthrough";
  std::filesystem::create_directories(out.parent_path());
  const std::string cmd = "MCK_HUMAN_SCALE=0.02 " + (kUi / "run-kiosk-script").string() + " --kiosk " + KIOSK_BIN +
                          " --printer-sim " + PRINTER_SIM_BIN + " --card 7 --qr-scanner wedge --script " +
                          (kUi / "walkthrough-birth.script").string() + " --out " + out.string() + " 2>" +
                          out.string() + ".stderr";
  const int rc = std::system(cmd.c_str());
  {
    std::ifstream err(out.string() + ".stderr");
    std::string line;
    while (std::getline(err, line)) UNSCOPED_INFO(line);
  }
  REQUIRE(WIFEXITED(rc));
  REQUIRE(WEXITSTATUS(rc) == 0);

  // Stored as the citizen typed it (Telex on the on-screen keyboard, the wrong letter corrected,
  // the wrong procedure left for the right one).
  const DossierRecord rec = uitest::TheStoredDossier(out);
  CHECK(rec.procedure_code == "1.001193");
  CHECK(rec.body["applicant"]["full_name"] == "Nguyễn Thị Hoà");  // read from the chip
  CHECK(rec.body["applicant"]["identity_source"] == "chip");
  CHECK(rec.body["fields"]["child_name"] == "Nguyễn Văn An");
  CHECK(rec.body["fields"]["birth_place"] == "Trạm y tế xã Mẫu");
  CHECK(rec.body["fields"]["relationship"] == "Ông/bà");

  // The receipt reached the printer simulator, printed and cut, its QR carrying this dossier.
  std::ifstream job_in(out / "printer" / "job-0001.json");
  REQUIRE(job_in);
  const auto job = nlohmann::json::parse(job_in, nullptr, false);
  REQUIRE(job.is_object());
  CHECK(job["printed"] == true);
  CHECK(job["cuts"] == 1);
  CHECK(printer::testing::ZbarDecode(out / "printer" / "job-0001.png") == rec.client_id);

  // The per-screen log: one complete row a screen visit, in the order walked, and a total that
  // adds them up.
  std::ifstream log(out / "kiosk.log");
  REQUIRE(log);
  std::vector<Row> rows;
  std::string line, total;
  while (std::getline(log, line)) {
    if (line.rfind("walk-row:", 0) == 0) {
      Row r;
      INFO(line);
      REQUIRE(ParseRow(line, &r));
      rows.push_back(r);
    } else if (line.rfind("walk-total:", 0) == 0) {
      total = line;
    }
  }
  std::vector<std::string> screens;
  int taps = 0, keys = 0, mistakes = 0;
  for (const Row& r : rows) {
    screens.push_back(r.screen);
    taps += r.taps;
    keys += r.keys;
    mistakes += r.mistakes;
    // Time on a screen is the human's and the kiosk's; a screen that was read took reading time.
    CHECK(r.human * 0.02 <= r.on + 1e-3);
    if (r.read > 0) CHECK(r.human > 0);
  }
  const std::vector<std::string> walked = {"attract",   "applicant",    "procedure", "before_start",
                                           "procedure", "before_start", "form",      "documents",
                                           "review",    "submitted"};
  CHECK(screens == walked);
  REQUIRE(rows.size() == walked.size());
  for (size_t i = 1; i < rows.size(); ++i) CHECK(rows[i].entered >= rows[i - 1].entered);
  for (const Row& r : rows) {
    if (r.screen != "attract") continue;
    CHECK(r.read > 0);   // read before the card's QR was held to the scanner
    CHECK(r.taps == 1);  // the scan, the screen's one action
  }
  CHECK(mistakes == 2);
  // Every character of the script's `type` lines is a key at least (47; a capital the keyboard
  // did not shift for by itself adds the shift key). The applicant is not typed: the card's QR
  // held to the scanner on the attract screen (`scan`, counted there as the one action) fills
  // it, and the chip of the card on the simulated reader (card 7) confirms it with one tap. The
  // birth place is the commune's suggestion, tapped.
  CHECK(keys >= 13 + 4 + 8);
  CHECK(keys < 13 + 4 + 8 + 22);
  for (const Row& r : rows) {
    if (r.screen != "applicant") continue;
    CHECK(r.keys == 0);
    CHECK(r.taps == 2);  // "read the chip", "Tiếp tục"
    CHECK(r.read > 0);
  }
  REQUIRE_FALSE(total.empty());
  CHECK(total.find("complete") != std::string::npos);
  CHECK(total.find("mistakes 2 ") != std::string::npos);
  CHECK(total.find("taps " + std::to_string(taps) + " keys " + std::to_string(keys) + " ") != std::string::npos);
}
