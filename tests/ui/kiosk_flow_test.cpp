// The REAL kiosk, headless under Xvfb, driven by scripts of synthetic taps and key presses
// (tests/ui/*.script through tests/ui/run-kiosk-script, which starts Xvfb on a free display and
// printer-sim on loopback). What the citizen did is then checked where it must have landed: the
// Store (opened with its API) and the printer simulator's received jobs.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <thread>

#ifdef PORTAL_SIM_BIN
#include <httplib.h>  // plain HTTP to the simulator's loopback admin endpoint (header-only)
#endif

#include "drivers/printer/escpos_decode.h"
#include "drivers/printer/png_preview.h"
#include "offline/domain/vietqr.h"
#include "offline/store/sqlite.h"
#include "offline/store/store.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/support/read_file.h"
#include "tests/ui/kiosk_run.h"

using namespace mck;
using mck::printer::testing::NormaliseText;
using mck::printer::testing::Ocr;
using mck::printer::testing::ZbarDecode;

namespace {

// printer-sim's record of job `n` (its JSON), null when there is none.
nlohmann::json Job(const std::filesystem::path& out, int n) {
  char name[32];
  std::snprintf(name, sizeof name, "job-%04d.json", n);
  std::ifstream in(out / "printer" / name);
  if (!in) return nullptr;
  return nlohmann::json::parse(in, nullptr, false);
}

bool Contains(const std::string& ocr_text, const std::string& needle) {
  return ocr_text.find(NormaliseText(needle)) != std::string::npos;
}

}  // namespace

TEST_CASE("a citizen submits by typed ID with Telex: stored exactly, receipt and ticket printed") {
  const auto out = test::UiRunDir("submit");
  REQUIRE(test::RunKioskScript("submit-dossier.script", out) == 0);
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  auto rec = store->dossiers().Get(list->front().provisional_code);
  REQUIRE(rec.ok());
  CHECK(rec->procedure_code == "1.001193");
  CHECK(rec->body["applicant"]["full_name"] == "Nguyễn Thị Hoà");
  CHECK(rec->body["applicant"]["id_number"] == "024190001234");
  CHECK(rec->body["applicant"]["identity_source"] == "manual");
  CHECK(rec->body["fields"]["child_name"] == "Nguyễn Văn An");
  CHECK(rec->body["fields"]["birth_place"] == "Trạm y tế xã Mẫu");
  CHECK(rec->body["fields"]["relationship"] == "Mẹ");
  // The printer simulator received the receipt (job 1) and then the queue ticket (job 2).
  const auto receipt = Job(out, 1);
  REQUIRE(receipt.is_object());
  CHECK(receipt["printed"] == true);
  CHECK(receipt["cuts"] == 1);
  const auto ticket = Job(out, 2);
  REQUIRE(ticket.is_object());
  CHECK(ticket["printed"] == true);
  CHECK(*store->tickets().Waiting("HT") == 1);  // issued because it printed
  CHECK(std::filesystem::file_size(out / "shots" / "07-submitted.png") > 10000);
  // What was printed, not just that it was: the receipt's QR decodes to this dossier's client id,
  // and its text reads back the applicant's name and the provisional code.
  const auto receipt_png = test::DecodedJob(out, 1);
  CHECK(ZbarDecode(receipt_png) == rec->client_id);
  const std::string receipt_text = Ocr(receipt_png);
  CAPTURE(receipt_text);
  CHECK(Contains(receipt_text, "Nguyễn Thị Hoà"));
  CHECK(Contains(receipt_text, rec->provisional_code));
  // The ticket shows the number the store issued, at its counter.
  auto issued = store->tickets().Today(TicketState::kIssued);
  REQUIRE(issued.ok());
  REQUIRE(issued->size() == 1);
  char number[8];
  std::snprintf(number, sizeof number, "%03d", issued->front().number);
  const std::string ticket_text = Ocr(test::DecodedJob(out, 2), 3);
  CAPTURE(ticket_text);
  CHECK(Contains(ticket_text, number));
  CHECK(Contains(ticket_text, "Quầy HT"));
}

TEST_CASE("the inactivity countdown, then the wipe: the next citizen finds every field empty") {
  const auto out = test::UiRunDir("inactivity");
  REQUIRE(test::RunKioskScript("inactivity-wipe.script", out, "--inactivity 10 --countdown 5") == 0);
  auto store = test::OpenRunStore(out);
  CHECK(store->dossiers().List()->empty());  // nothing was submitted on the citizen's behalf
}

TEST_CASE("identify with the chip: the card on the simulated reader fills the applicant, read but not verified") {
  const auto out = test::UiRunDir("card");
  REQUIRE(test::RunKioskScript("card-identify.script", out, "--card 2") == 0);
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list->size() == 1);
  auto rec = store->dossiers().Get(list->front().client_id);
  REQUIRE(rec.ok());
  CHECK(rec->body["applicant"]["full_name"] == "Trần Thị Mai");
  CHECK(rec->body["applicant"]["identity_source"] == "chip");
  CHECK(rec->body["applicant"]["assurance"] == "chip_no_csca");  // the sim card has no CSCA behind it
  CHECK(rec->body["applicant"]["chip_verified"] == false);
}

TEST_CASE(
    "identify with the card's QR (scanner as keyboard), then the chip confirms, and an unknown QR is refused calmly") {
  const auto out = test::UiRunDir("qr-card");
  REQUIRE(test::RunKioskScript("qr-card.script", out, "--card 2") == 0);
  CHECK(std::filesystem::file_size(out / "shots" / "qr-unknown.png") > 10000);
}

TEST_CASE("staff mode: a wrong PIN is refused, the right one opens the queue, and calling takes the next number") {
  const auto out = test::UiRunDir("staff");
  REQUIRE(test::RunKioskScript("staff.script", out, std::string("--kioskctl ") + KIOSKCTL_BIN + " --staff-pin 246810") == 0);
  auto store = test::OpenRunStore(out);
  CHECK(*store->tickets().Waiting("HT") == 0);  // the one ticket was issued, then called
  CHECK(Job(out, 1)["printed"] == true);
}

TEST_CASE("officers sign in by name with their own PIN, see their counters, their call is audited as theirs, inactivity signs them out") {
  const auto out = test::UiRunDir("officer-signin");
  REQUIRE(test::RunKioskScript("officer-signin.script", out,
                               std::string("--kioskctl ") + KIOSKCTL_BIN +
                                   " --officer 'cb.lan|Nguyễn Thị Lan|Công chức Tư pháp - Hộ tịch|358024|HT,CT'"
                                   " --officer 'cb.minh|Lê Văn Minh||470258' --inactivity 10 --countdown 5") == 0);
  auto store = test::OpenRunStore(out);
  CHECK(*store->tickets().Waiting("HT") == 0);
  // She serves HT and CT: the staff screen offers those two counters only.
  const std::string targets = test::ReadAll(out / "shots" / "officer-signed-in.targets.json");
  CHECK(targets.find("\"staff.call.HT\"") != std::string::npos);
  CHECK(targets.find("\"staff.call.CT\"") != std::string::npos);
  CHECK(targets.find("\"staff.call.XH\"") == std::string::npos);
  CHECK(targets.find("\"staff.call.DD\"") == std::string::npos);
  auto db = Db::Open((out / "data" / "kiosk.db").string());
  REQUIRE(db.ok());
  auto audit = (*db)->Prepare(
      "SELECT actor, action, detail FROM audit_log WHERE action LIKE 'officer.%' AND action != 'officer.added' "
      "OR action = 'ticket.called' ORDER BY id");
  REQUIRE(audit.ok());
  std::vector<std::string> rows;
  Status st;
  while (audit->Step(&st)) rows.push_back(audit->Text(0) + " " + audit->Text(1) + " " + audit->Text(2));
  REQUIRE(st.ok());
  CHECK(rows == std::vector<std::string>{"officer:cb.lan officer.pin_wrong failures=1",
                                         "officer:cb.lan officer.signed_in ", "officer:cb.lan ticket.called ",
                                         "officer:cb.lan officer.signed_out why=inactivity"});
  CHECK(store->Check().value().ok());
}

TEST_CASE("help round trip: a citizen asks from the form, keeps their entries, staff see the request and dismiss it") {
  const auto out = test::UiRunDir("help");
  REQUIRE(test::RunKioskScript("help-roundtrip.script", out, std::string("--kioskctl ") + KIOSKCTL_BIN + " --staff-pin 246810") ==
          0);
  auto store = test::OpenRunStore(out);
  CHECK(store->help().Open()->empty());  // staff dismissed it
  auto request = store->help().Get(1);
  REQUIRE(request.ok());
  CHECK(request->kiosk_number == 7);
  CHECK(request->screen == "form");
  CHECK(request->requested_at.substr(19) == "+07:00");
  REQUIRE(request->dismissed_at.has_value());
  CHECK(*request->dismissed_at >= request->requested_at);
  CHECK_FALSE(store->help().Get(2).ok());  // one press, one request
  auto db = Db::Open((out / "data" / "kiosk.db").string());
  REQUIRE(db.ok());
  auto audit = (*db)->Prepare("SELECT actor, action FROM audit_log WHERE subject = 'help-1' ORDER BY id");
  REQUIRE(audit.ok());
  std::vector<std::string> rows;
  Status st;
  while (audit->Step(&st)) rows.push_back(audit->Text(0) + " " + audit->Text(1));
  CHECK(rows == std::vector<std::string>{"kiosk help.requested", "staff help.dismissed"});
  for (const char* shot : {"before-start.png", "before-start-large.png", "form-help-sent.png", "staff-help.png"}) {
    CAPTURE(shot);
    CHECK(std::filesystem::file_size(out / "shots" / shot) > 10000);
  }
  CHECK(store->Check()->ok());
}

TEST_CASE("partial redraw: every frame equals a whole redraw, pixel for pixel (MCK_UI_VERIFY_DAMAGE)") {
  // The kiosk redraws and presents only the damaged rectangles (kiosk/app/ui/presenter.h), and
  // fills opaque rectangles without blending (ui/opaque_fill.h). With the check on it draws every
  // frame whole into a second surface as well, by SDL alone, and stops with status 1 at the first
  // pixel that differs; the log says how many frames were compared.
  const auto out = test::UiRunDir("damage");
  setenv("MCK_UI_VERIFY_DAMAGE", "1", 1);
  const int rc = test::RunKioskScript("damage-verify.script", out);
  unsetenv("MCK_UI_VERIFY_DAMAGE");
  REQUIRE(rc == 0);
  const std::string log = mck::test::ReadAll(out / "kiosk.log");
  const std::regex summary(
      R"(verify-damage: (\d+) frames equal to a whole redraw, (\d+) of them partial, (\d+) opaque rectangles)");
  std::smatch m;
  REQUIRE(std::regex_search(log, m, summary));
  CHECK(std::stol(m[1]) >= 100);  // the check ran on every frame of the walk-through
  CHECK(std::stol(m[2]) >= 50);   // and most of them redrew only a part of the window
  CHECK(std::stol(m[3]) >= 1000);  // window backgrounds, tiles' middles: filled plainly every frame
}

TEST_CASE("the trace (MCK_KIOSK_TRACE) logs taps without their positions") {
  // The staff PIN typed on the pad, traced: a tap's position would give the digit away.
  const auto out = test::UiRunDir("trace");
  setenv("MCK_KIOSK_TRACE", "1", 1);
  const int rc = test::RunKioskScript("staff.script", out, std::string("--kioskctl ") + KIOSKCTL_BIN + " --staff-pin 246810");
  unsetenv("MCK_KIOSK_TRACE");
  REQUIRE(rc == 0);
  std::ifstream log(out / "kiosk.log");
  REQUIRE(log);
  int taps = 0;
  const std::regex coordinates(R"(\d+\s*[,x;]\s*\d+)");
  for (std::string line; std::getline(log, line);) {
    if (line.find("kiosk: mouse") == std::string::npos) continue;
    ++taps;
    INFO(line);
    CHECK_FALSE(std::regex_search(line, coordinates));
    CHECK(line.find_first_of("0123456789") == std::string::npos);
  }
  CHECK(taps >= 10);  // the trace was on and saw the taps
}

TEST_CASE("out of paper, then staff mode reprints the number and the receipt slip once paper is back") {
  const auto out = test::UiRunDir("staff-reprint");
  // The printer is out of paper: the dossier is stored, the ticket's number is not issued.
  REQUIRE(test::RunKioskScript("paper-out-ticket.script", out, "--printer-mode paper-out") == 0);
  std::string client_id;
  {
    auto store = test::OpenRunStore(out);
    auto list = store->dossiers().List();
    REQUIRE(list->size() == 1);
    client_id = list->front().client_id;
    auto failed = store->tickets().Today(TicketState::kPrintFailed);
    REQUIRE(failed.ok());
    REQUIRE(failed->size() == 1);
    CHECK(failed->front().counter == "CT");
    CHECK(*store->tickets().Waiting("CT") == 0);
  }
  // Paper is back (the kiosk restarted on the same data): staff reprint both, then call CT.
  REQUIRE(test::RunKioskScript("staff-reprint.script", out,
                    std::string("--keep-data --kioskctl ") + KIOSKCTL_BIN + " --staff-pin 246810") == 0);
  auto store = test::OpenRunStore(out);
  CHECK(store->tickets().Today(TicketState::kPrintFailed)->empty());
  CHECK(*store->tickets().Waiting("CT") == 0);  // reprinted, so issued; then called by the script
  const auto ticket = Job(out, 1);
  REQUIRE(ticket.is_object());
  CHECK(ticket["printed"] == true);
  const auto receipt = Job(out, 2);
  REQUIRE(receipt.is_object());
  CHECK(receipt["printed"] == true);
  // The reprinted slip's QR carries the dossier's client id, as the first print would have.
  CHECK(ZbarDecode(out / "printer" / "job-0002.png") == client_id);
  CHECK(std::filesystem::file_size(out / "shots" / "staff-reprint-done.png") > 10000);
}

TEST_CASE("staff open a submitted dossier, check the papers and accept it: the decision is queued and Mẫu 01 prints") {
  const auto out = test::UiRunDir("staff-decide");
  REQUIRE(test::RunKioskScript("submit-dossier.script", out) == 0);
  REQUIRE(test::RunKioskScript("staff-decide.script", out,
                    std::string("--keep-data --kioskctl ") + KIOSKCTL_BIN + " --staff-pin 246810") == 0);
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list->size() == 1);
  auto rec = store->dossiers().Get(list->front().client_id).value();
  auto decisions = store->decisions().For(rec);
  REQUIRE(decisions.ok());
  REQUIRE(decisions->size() == 1);  // the refusal without a reason was not recorded
  const auto& d = decisions->front();
  CHECK(d.decision == "accept");
  CHECK(d.state == "queued");  // not enrolled here: it waits for the portal
  CHECK(d.body["officer"] == "Phạm Văn Tâm");
  const nlohmann::json received = {{{"id", "birth_certificate"}, {"form", "original"}, {"count", 1}},
                                   {{"id", "marriage_certificate"}, {"form", "certified_copy"}, {"count", 1}}};
  CHECK(d.body["documents_received"] == received);
  // The Mẫu 01 receipt went to the printer; with no official code yet its QR has the client id.
  const auto job = Job(out, 1);
  REQUIRE(job.is_object());
  CHECK(job["printed"] == true);
  CHECK(ZbarDecode(out / "printer" / "job-0001.png") == rec.client_id);
  // Printed again from the dossier screen ("In giấy tiếp nhận"), from the recorded accept.
  const auto again = Job(out, 2);
  REQUIRE(again.is_object());
  CHECK(again["printed"] == true);
}

#ifdef PORTAL_SIM_BIN
TEST_CASE(
    "enrolled with the portal simulator: the submitted dossier is delivered and the look-up shows the portal's "
    "answer") {
  const auto out = test::UiRunDir("portal");
  REQUIRE(test::RunKioskScript("portal-lookup.script", out,
                    std::string("--kioskctl ") + KIOSKCTL_BIN + " --portal-sim " + PORTAL_SIM_BIN) == 0);
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list->size() == 1);
  CHECK(list->front().state == DossierState::kAccepted);
  CHECK(list->front().dossier_code.has_value());
}

TEST_CASE("a dossier the portal refuses turns red in staff mode, and staff read the reason and send it again") {
  const auto out = test::UiRunDir("portal-refused");
  REQUIRE(test::RunKioskScript("portal-refused.script", out,
                    std::string("--kioskctl ") + KIOSKCTL_BIN + " --portal-sim " + PORTAL_SIM_BIN +
                        " --staff-pin 246810 --portal-arg --fail-procedure --portal-arg 2.000815") == 0);
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list->size() == 1);
  CHECK(list->front().state == DossierState::kNeedsAttention);
  CHECK(list->front().attempts >= 2);  // sent, refused, sent again by staff, refused again
  CHECK(std::filesystem::file_size(out / "shots" / "staff-portal-refused.png") > 10000);
}

TEST_CASE("an officer corrects the value the portal refused and sends the dossier again, one dossier at the portal") {
  const auto out = test::UiRunDir("staff-correct");
  REQUIRE(test::RunKioskScript("staff-correct.script", out,
                               std::string("--kioskctl ") + KIOSKCTL_BIN + " --portal-sim " + PORTAL_SIM_BIN +
                                   " --officer 'cb.lan|Nguyễn Thị Lan||358024'"
                                   " --portal-arg --refuse-value --portal-arg fields.pages=2") == 0);
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list->size() == 1);
  const std::string client_id = list->front().client_id;
  // Sent again after the script quit? The kiosk's last pass may not have run: the state is
  // queued, sending or accepted, never needs_attention again, and the body holds the correction.
  CHECK(list->front().state != DossierState::kNeedsAttention);
  auto rec = store->dossiers().Get(client_id);
  REQUIRE(rec.ok());
  CHECK(rec->body["fields"]["pages"] == "3");
  auto db = Db::Open((out / "data" / "kiosk.db").string());
  REQUIRE(db.ok());
  auto audit = (*db)->Prepare("SELECT actor, action, detail FROM audit_log WHERE action LIKE 'dossier.%' ORDER BY id");
  REQUIRE(audit.ok());
  std::vector<std::string> rows;
  Status st;
  while (audit->Step(&st)) rows.push_back(audit->Text(0) + " " + audit->Text(1) + " " + audit->Text(2));
  REQUIRE(st.ok());
  // The correction names the officer and the path, never the value.
  CHECK(std::count(rows.begin(), rows.end(), "officer:cb.lan dossier.corrected fields=fields.pages") == 1);
  for (const auto& r : rows) CHECK(r.find("dossier.requeued") == std::string::npos);
  CHECK(std::filesystem::file_size(out / "shots" / "staff-correct-refused.png") > 10000);
}

TEST_CASE("a fee's round trip: unpaid, the portal's bank reports the transfer, staff see it paid and print the receipt") {
  const auto out = test::UiRunDir("staff-fee");
  std::filesystem::remove_all(out);
  // The portal's side, while the kiosk runs: once staff have seen "Chưa nộp phí" (the script's
  // screenshot), the bank's notice reaches the simulator (its admin endpoint, as the bank would).
  std::atomic<bool> done{false};
  std::string code, reference = "FT26341ABC123", portal_error;
  const int64_t amount = 16000;  // two extracts at 8,000 đồng: the portal refuses any other sum (409)
  std::thread bank([&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(280);
    while (!done && !std::filesystem::exists(out / "shots" / "staff-fee-unpaid.png")) {
      if (std::chrono::steady_clock::now() > deadline) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (done) return;
    const auto ready = nlohmann::json::parse(mck::test::ReadAll(out / "portal.ready"), nullptr, false);
    if (!ready.is_object()) return void(portal_error = "portal.ready unreadable");
    httplib::Client admin("127.0.0.1", ready.value("admin_port", 0));
    auto list = admin.Get("/admin/dossiers");
    const auto dossiers = list ? nlohmann::json::parse(list->body, nullptr, false) : nlohmann::json();
    if (!dossiers.is_array() || dossiers.size() != 1) return void(portal_error = "no dossier at the portal");
    code = dossiers[0].value("dossier_code", "");
    auto paid = admin.Post(
        "/admin/dossiers/payment",
        nlohmann::json{{"dossier_code", code}, {"amount_vnd", amount}, {"reference", reference}}.dump(),
        "application/json");
    if (!paid || paid->status != 200) portal_error = "payment refused: " + (paid ? paid->body : std::string("no answer"));
  });
  const int rc = test::RunKioskScript("staff-fee.script", out,
                           std::string("--kioskctl ") + KIOSKCTL_BIN + " --portal-sim " + PORTAL_SIM_BIN +
                               " --payment --staff-pin 246810");
  done = true;
  bank.join();
  CHECK(portal_error.empty());
  REQUIRE(rc == 0);
  REQUIRE_FALSE(code.empty());
  // The kiosk's store: the portal's fee, paid, with the bank's reference.
  auto store = test::OpenRunStore(out);
  auto rec = store->dossiers().Get(code);
  REQUIRE(rec.ok());
  CHECK(rec->body["fee_vnd"] == 16000);
  REQUIRE(rec->fee.has_value());
  CHECK(rec->fee->paid);
  CHECK(rec->fee->amount_vnd == 16000);
  CHECK(rec->fee->reference == reference);
  for (const char* shot : {"staff-fee-unpaid.png", "staff-fee-paid.png"}) {
    CHECK(std::filesystem::file_size(out / "shots" / shot) > 10000);
  }
  // Job 1 is the citizen's slip; job 2 the biên lai, read off the paper.
  const std::string text = Ocr(test::DecodedJob(out, 2));
  CAPTURE(text);
  CHECK(Contains(text, "BIÊN LAI THU LỆ PHÍ"));
  CHECK(Contains(text, code));
  CHECK(Contains(text, "16.000 đồng"));
  CHECK(Contains(text, reference));
}
#endif

TEST_CASE("out of paper: the dossier is safe and the screen says so calmly") {
  const auto out = test::UiRunDir("paper-out");
  REQUIRE(test::RunKioskScript("paper-out.script", out, "--printer-mode paper-out") == 0);
  auto store = test::OpenRunStore(out);
  CHECK(store->dossiers().List()->size() == 1);
  const auto job = Job(out, 1);
  CHECK((job.is_null() || job["printed"] == false));  // nothing printed
}

TEST_CASE(
    "a failed store migration: the technician's screen (file kept, backup named), no exit on quit, watchdog fed") {
  // A database the program's migration 1 fails on (a hand-made table where the migration creates
  // one): the same path as any failing upgrade (offline/store/migrations.h).
  const auto out = test::UiRunDir("fatal-upgrade");
  std::filesystem::remove_all(out);
  const auto db_file = out / "data" / "kiosk.db";
  std::filesystem::create_directories(db_file.parent_path());
  {
    auto db = Db::Open(db_file.string());
    REQUIRE(db.ok());
    REQUIRE((*db)
                ->Exec("CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT); "
                       "INSERT INTO settings VALUES ('left', 'by hand')")
                .ok());
  }
  const std::string before = mck::test::ReadAll(db_file);
  setenv("WATCHDOG_USEC", "1000000", 1);  // as systemd sets it: pings due every 250 ms
  const int rc = test::RunKioskScript("fatal-upgrade.script", out, "--keep-data");
  unsetenv("WATCHDOG_USEC");
  REQUIRE(rc == 3);  // the failure screen was shown and stayed up until the test's picture
  const std::string log = mck::test::ReadAll(out / "kiosk.log");
  CHECK(log.find("kiosk: cannot start: ") != std::string::npos);
  CHECK(log.find("schema migration 0 -> 1 failed") != std::string::npos);
  CHECK(log.find("quit event ignored") != std::string::npos);
  std::smatch m;
  REQUIRE(std::regex_search(log, m, std::regex(R"((\d+) watchdog pings)")));
  CHECK(std::stoi(m[1]) >= 3);
  CHECK(mck::test::ReadAll(db_file) == before);  // the file as it was
  bool backup = false;
  for (const auto& e : std::filesystem::directory_iterator(out / "data" / "backup")) {
    backup = backup || e.path().filename().string().rfind("kiosk.db.v0-", 0) == 0;
  }
  CHECK(backup);
  const auto shot = out / "shots" / "fatal.png";
  REQUIRE(std::filesystem::exists(shot));
  const std::string text = Ocr(shot, 3);
  INFO(text);
  CHECK(Contains(text, "tạm ngừng phục vụ"));
  CHECK(Contains(text, "Không hồ sơ nào bị mất"));
  CHECK(Contains(text, "Bản sao lưu"));
}

TEST_CASE("a fee: the submitted screen and the slip carry the VietQR of the stored dossier's amount") {
  const auto out = test::UiRunDir("fee-vietqr");
  REQUIRE(test::RunKioskScript("fee-vietqr.script", out, "--payment") == 0);
  auto store = test::OpenRunStore(out);
  auto list = store->dossiers().List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  auto rec = store->dossiers().Get(list->front().provisional_code);
  REQUIRE(rec.ok());
  CHECK(rec->procedure_code == "2.000635");
  CHECK(rec->body["fee_vnd"] == 16000);  // 2 copies × 8,000, computed and stored at submission
  CHECK(std::filesystem::file_size(out / "shots" / "submitted-vietqr.png") > 10000);
  // The slip: two QR codes off the paper, the look-up key and the payment, which parses back.
  const auto slip = test::DecodedJob(out, 1);
  const std::string codes = ZbarDecode(slip);
  CAPTURE(codes);
  CHECK(codes.find(rec->client_id) != std::string::npos);
  const size_t at = codes.find("000201");
  REQUIRE(at != std::string::npos);
  auto t = vietqr::Decode(codes.substr(at, codes.find('\n', at) - at));
  REQUIRE(t.ok());
  CHECK(t->bank_bin == "970415");
  CHECK(t->account == "113366668888");
  CHECK(t->amount_vnd == 16000);
  CHECK(t->purpose == rec->provisional_code);
}
