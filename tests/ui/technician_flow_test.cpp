// Technician mode on the REAL kiosk, headless under Xvfb (tests/ui/run-kiosk-script): a kiosk
// that is not provisioned boots into the first-boot screen; the technician opens technician mode
// with the technician PIN, provisions the kiosk on screen against the portal simulator (HTTPS on
// loopback with its throwaway CA: a wrong CA first, then the right one), sets the first staff
// PIN, prints the test page, opens the diagnostics and the certificate, renews it, and shuts the
// kiosk down (exit status 75). Then the store is checked with its own API. A second run: wrong
// technician PINs lock technician mode.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include "drivers/printer/escpos_decode.h"
#include "drivers/printer/png_preview.h"
#include "offline/domain/clock.h"
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
    if (e.path().filename().string().rfind("technician-", 0) == 0) {
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
