// Technician mode on the REAL kiosk, headless under Xvfb (tests/ui/run-kiosk-script): a kiosk
// that is not provisioned boots into the first-boot screen; the technician opens technician mode
// with the technician PIN, provisions the kiosk on screen against the portal simulator (HTTPS on
// loopback with its throwaway CA: a wrong CA first, then the right one), sets the first staff
// PIN, prints the test page, opens the diagnostics and the certificate, renews it, and shuts the
// kiosk down (exit status 75). Then the store is checked with its own API. A second run: wrong
// technician PINs lock technician mode.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "drivers/printer/escpos_decode.h"
#include "drivers/printer/png_preview.h"
#include "offline/domain/clock.h"
#include "offline/store/officers.h"
#include "offline/store/sqlite.h"
#include "offline/store/staff_auth.h"
#include "offline/store/store.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/renewal.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/support/read_file.h"
#include "tests/ui/kiosk_run.h"

using namespace mck;
using mck::printer::testing::NormaliseText;
using mck::printer::testing::Ocr;

namespace {

// Runs tests/ui/SCRIPT on the real kiosk with kioskctl at hand (the technician's command line).
int RunScript(const std::string& script, const std::filesystem::path& out, const std::string& extra) {
  return test::RunKioskScript(script, out, std::string("--kioskctl ") + KIOSKCTL_BIN + " " + extra);
}

// Screenshots of the technician screens for the docs, when MCK_UPDATE_SCREENSHOTS=1.
void KeepScreenshots(const std::filesystem::path& out) {
  const char* update = std::getenv("MCK_UPDATE_SCREENSHOTS");
  if (!update || std::string(update) != "1") return;
  const auto docs = std::filesystem::path(MCK_SOURCE_DIR) / "docs" / "screenshots";
  for (const auto& e : std::filesystem::directory_iterator(out / "shots")) {
    if (e.path().filename().string().rfind("technician-", 0) == 0 || e.path().filename() == "tech-officers.png") {
      std::filesystem::copy_file(e.path(), docs / e.path().filename(),
                                 std::filesystem::copy_options::overwrite_existing);
    }
  }
}

}  // namespace

#ifdef PORTAL_SIM_BIN
TEST_CASE("a technician provisions a new kiosk on screen: enrolled, staff PIN set, test page, renewal, shut down") {
  const auto out = test::UiRunDir("technician");
  // 75: the technician's "Tắt máy" (SessionHost::kExitShutDown), after every step passed.
  REQUIRE(RunScript("technician.script", out,
                    std::string("--portal-sim ") + PORTAL_SIM_BIN + " --no-enrol --tech-pin 593017") == 75);
  auto store = test::OpenRunStore(out);
  // Enrolled with the portal simulator, through the right CA (the wrong one was refused first).
  auto enrolment = LoadEnrolment(*store);
  REQUIRE(enrolment.ok());
  CHECK(enrolment->portal_url.rfind("https://127.0.0.1:", 0) == 0);
  CHECK(enrolment->commune_code == "000.00.24.H03");
  CHECK(NormaliseText(mck::test::ReadAll(enrolment->ca_file)) ==
        NormaliseText(mck::test::ReadAll(out / "certs" / "ca.pem")));
  // The first staff PIN works through StaffAuth; the technician's is still its own.
  ManualClock clock{std::chrono::system_clock::now()};
  auto staff = StaffAuth(*store, clock, PinPolicy{}, PinRole::kStaff).Verify("246810");
  REQUIRE(staff.ok());
  CHECK(staff->check == PinCheck::kOk);
  auto tech = StaffAuth(*store, clock, PinPolicy{}, PinRole::kTechnician).Matches("593017");
  REQUIRE(tech.ok());
  CHECK(*tech);
  // The devices were recorded for the next start (the QR scanner chosen on screen: the config
  // says none).
  const std::string overlay = mck::test::ReadAll(out / "data" / "provisioned.toml");
  CAPTURE(overlay);
  CHECK(overlay.find("number = 7") != std::string::npos);
  CHECK(overlay.find("qr_scanner = 'wedge'") != std::string::npos);
  CHECK(overlay.find("card_reader = 'sim'") != std::string::npos);
  // The certificate was renewed from the certificate screen.
  auto renewed = store->settings().Get(settings::kCertRenewedAt);
  REQUIRE(renewed.ok());
  CHECK(renewed->has_value());
  // The test page reached the printer: its bytes decode to a page that reads "TRANG IN THỬ".
  const std::string bytes = mck::test::ReadAll(out / "printer" / "job-0001.bin");
  REQUIRE_FALSE(bytes.empty());
  const auto decoded = printer::escpos::DecodeEscPos(std::vector<uint8_t>(bytes.begin(), bytes.end()), 576);
  REQUIRE(decoded.pages.size() == 1);
  const auto png = out / "printer" / "job-0001-decoded.png";
  REQUIRE(printer::WritePng(decoded.pages[0], png, 2).ok());
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(text.find(NormaliseText("TRANG IN THỬ")) != std::string::npos);
  // No secret in the kiosk's log: neither PIN nor the token.
  const std::string log = mck::test::ReadAll(out / "kiosk.log");
  CHECK(log.find("246810") == std::string::npos);
  CHECK(log.find("593017") == std::string::npos);
  CHECK(log.find("ui-test-token") == std::string::npos);
  CHECK(log.find("technician asked to shut down") != std::string::npos);
  KeepScreenshots(out);
}
#endif

#ifdef PORTAL_SIM_BIN
TEST_CASE("a technician manages the officers on screen (added, disabled, PIN reset) and the staff sign-in follows") {
  const auto out = test::UiRunDir("tech-officers");
  REQUIRE(RunScript("tech-officers.script", out,
                    std::string("--portal-sim ") + PORTAL_SIM_BIN +
                        " --tech-pin 593017 --officer 'cb.lan|Nguyễn Thị Lan|Công chức Tư pháp - Hộ tịch|358024'"
                        " --officer 'cb.minh|Lê Văn Minh||470258'") == 0);
  auto store = test::OpenRunStore(out);
  // The new officer as typed on screen (Telex, NFC), her counter; Minh disabled.
  auto hoa = store->officers().Get("cb.hoa");
  REQUIRE(hoa.ok());
  CHECK(hoa->name == "Phạm Thị Hoa");
  CHECK(hoa->title == "Công chức Địa chính");
  CHECK(hoa->counters == std::vector<std::string>{"TP"});
  CHECK_FALSE(hoa->disabled);
  // The taken id changed nothing of Lan's.
  auto lan_now = store->officers().Get("cb.lan");
  REQUIRE(lan_now.ok());
  CHECK(lan_now->name == "Nguyễn Thị Lan");
  auto minh = store->officers().Get("cb.minh");
  REQUIRE(minh.ok());
  CHECK(minh->disabled);
  // Lan's new PIN opens, her old one no longer does (checked on a copy: the sign-ins are audited).
  OfficerPinPolicy policy;
  auto lan_old = store->officers().SignIn("cb.lan", "358024", policy);
  REQUIRE(lan_old.ok());
  CHECK(lan_old->check == OfficerCheck::kWrong);
  auto lan = store->officers().SignIn("cb.lan", "864209", policy);
  REQUIRE(lan.ok());
  CHECK(lan->check == OfficerCheck::kOk);
  // The technician's acts, audited as the technician's (after kioskctl's two), Lan's lock-out as
  // hers; the new officer then signed in on screen.
  auto db = Db::Open((out / "data" / "kiosk.db").string());
  REQUIRE(db.ok());
  auto audit = (*db)->Prepare("SELECT actor, action, subject FROM audit_log WHERE action LIKE 'officer.%' ORDER BY id");
  REQUIRE(audit.ok());
  std::vector<std::string> technician, officers;
  Status st;
  while (audit->Step(&st)) {
    (audit->Text(0) == "technician" ? technician : officers)
        .push_back(audit->Text(0) + " " + audit->Text(1) + " " + audit->Text(2));
  }
  REQUIRE(st.ok());
  CHECK(technician == std::vector<std::string>{"technician officer.added officer:cb.lan",  // kioskctl
                                               "technician officer.added officer:cb.minh",
                                               "technician officer.added officer:cb.hoa",  // on screen
                                               "technician officer.disabled officer:cb.minh",
                                               "technician officer.unlocked_by_technician officer:cb.lan",
                                               "technician officer.pin_reset officer:cb.lan"});
  CAPTURE(officers);
  CHECK(std::count(officers.begin(), officers.end(), "officer:cb.lan officer.pin_locked officer:cb.lan") == 1);
  CHECK(std::count(officers.begin(), officers.end(), "officer:cb.hoa officer.signed_in officer:cb.hoa") == 1);
  // No PIN in the kiosk's log: neither the refused ones nor those kept.
  const std::string log = mck::test::ReadAll(out / "kiosk.log");
  for (const char* pin : {"246813", "246814", "246815", "123456", "864209", "593017"}) {
    CAPTURE(pin);
    CHECK(log.find(pin) == std::string::npos);
  }
  CHECK(store->Check().value().ok());
  KeepScreenshots(out);
}
#endif

TEST_CASE("wrong technician PINs lock technician mode, and the staff PIN's count is untouched") {
  const auto out = test::UiRunDir("technician-lockout");
  REQUIRE(RunScript("technician-lockout.script", out, "--tech-pin 593017") == 0);
  auto store = test::OpenRunStore(out);
  ManualClock clock{std::chrono::system_clock::now()};
  // Even the right PIN is refused while locked (Verify does not compare then).
  auto tech = StaffAuth(*store, clock, PinPolicy{}, PinRole::kTechnician).Verify("593017");
  REQUIRE(tech.ok());
  CHECK(tech->check == PinCheck::kLocked);
  // Staff mode has no PIN and no failures: the technician's tries were counted as the technician's.
  auto staff = StaffAuth(*store, clock, PinPolicy{}, PinRole::kStaff).Verify("246810");
  REQUIRE(staff.ok());
  CHECK(staff->check == PinCheck::kNotSet);
  KeepScreenshots(out);
}
