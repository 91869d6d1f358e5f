// The REAL kiosk (under Xvfb, tests/ui/run-kiosk-script) reads the project's virtual CCCD through
// real pcscd + vsmartcard-vpcd with its PC/SC reader, the citizen submits, the sync worker
// delivers the dossier to the portal simulator, and the portal received applicant.assurance:
//   - with no csca_file: exactly "chip_no_csca", never "chip_verified";
//   - with the throwaway CSCA of make_pki.sh: exactly the level the driver reports for the same
//     card and CSCA (`kioskctl card read --json`), whatever that is (chip_no_csca until the key
//     proof lands, chip_verified after).
// Run through tests/ui/run-ui-pcsc-test (pcscd, the PKI: tests/drivers/card/run_pcsc_tests.sh),
// which sets MCK_VCARD, MCK_PKI and MCK_KIOSKCTL.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "drivers/card/pcsc_reader.h"
#include "offline/store/sqlite.h"
#include "offline/store/store.h"
#include "tests/ui/stored_dossier.h"
#include "tests/support/read_file.h"

extern char** environ;

using namespace mck;
using namespace std::chrono_literals;

namespace {

const char kSlot0[] = "Virtual PCD 00 00";
const std::filesystem::path kUi = std::filesystem::path(MCK_SOURCE_DIR) / "tests" / "ui";

std::string Env(const char* name) {
  const char* v = getenv(name);
  return v ? v : "";
}

std::filesystem::path OutDir(const std::string& name) {
  return std::filesystem::path(MCK_BINARY_DIR) / "tests" / "ui" / "runs" / name;
}

// The virtual CCCD (Nguyễn Văn Thử, 024090000017, 1990-03-15) in vpcd slot 0 while it lives.
class VirtualCccd {
 public:
  VirtualCccd() {
    log_ = std::filesystem::temp_directory_path() / ("mck-ui-vcard-" + std::to_string(getpid()) + ".log");
    std::vector<std::string> argv = {"/usr/bin/python3", Env("MCK_VCARD"), "--port", "35963",
                                     "--profile",        "cccd",           "--pki",  Env("MCK_PKI")};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    REQUIRE(posix_spawn(&pid_, args[0], &fa, nullptr, args.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    // Waits on pcscd's own change notification (no sleeping) until the card is in slot 0.
    card::PcscCardReader watcher(card::PcscOptions{});
    bool present = false;
    const auto end = std::chrono::steady_clock::now() + 15s;
    while (!present && std::chrono::steady_clock::now() < end) {
      auto ev = watcher.WaitForChange(500ms);
      REQUIRE(ev.ok());
      for (const auto& e : *ev) present |= e.kind == card::CardEventKind::kCardInserted && e.reader == kSlot0;
    }
    INFO(mck::test::ReadAll(log_));
    REQUIRE(present);
  }
  ~VirtualCccd() {
    kill(pid_, SIGTERM);
    int st;
    waitpid(pid_, &st, 0);
  }

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
};

// `kioskctl card read --json` of the card in slot 0 with `csca` ("" for none): the driver's level.
std::string DriverAssurance(const std::filesystem::path& dir, const std::string& csca) {
  std::filesystem::create_directories(dir);
  const auto toml = dir / "card-read.toml";
  std::ofstream(toml) << "[kiosk]\nnumber = 7\ndata_dir = \"data\"\n[devices]\ncard_reader = \"pcsc\"\n"
                      << "card_reader_name = \"" << kSlot0 << "\"\ncsca_file = \"" << csca << "\"\n";
  const auto out = dir / "card-read.json";
  const std::string cmd = Env("MCK_KIOSKCTL") + " --config " + toml.string() +
                          " card read --id 024090000017 --dob 1990-03-15 --json >" + out.string() + " 2>" +
                          (dir / "card-read.err").string();
  const int rc = std::system(cmd.c_str());
  INFO(mck::test::ReadAll(dir / "card-read.err"));
  REQUIRE(WIFEXITED(rc));
  REQUIRE(WEXITSTATUS(rc) == 0);
  const auto j = nlohmann::json::parse(mck::test::ReadAll(out), nullptr, false);
  REQUIRE(j.is_object());
  REQUIRE(j["source"] == "chip");
  return j.value("assurance", "");
}

// Runs the kiosk with its PC/SC reader on slot 0, enrolled with the portal simulator.
int RunKiosk(const std::filesystem::path& out, const std::string& csca) {
  std::filesystem::create_directories(out.parent_path());
  std::string cmd = (kUi / "run-kiosk-script").string() + " --kiosk " + KIOSK_BIN + " --printer-sim " +
                    PRINTER_SIM_BIN + " --kioskctl " + KIOSKCTL_BIN + " --portal-sim " + PORTAL_SIM_BIN + " --script " +
                    (kUi / "pcsc-chip.script").string() + " --out " + out.string() +
                    " --card-reader pcsc --card-reader-name '" + kSlot0 + "'";
  if (!csca.empty()) cmd += " --csca " + csca;
  cmd += " 2>" + out.string() + ".stderr";
  const int rc = std::system(cmd.c_str());
  std::ifstream err(out.string() + ".stderr");
  std::string line;
  while (std::getline(err, line)) UNSCOPED_INFO(line);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// The applicant object of the one dossier the portal simulator received (its SQLite file).
nlohmann::json PortalApplicant(const std::filesystem::path& out) {
  auto db = Db::Open(out / "portal.db");
  REQUIRE(db.ok());
  auto s = (*db)->Prepare("SELECT body FROM dossiers");
  REQUIRE(s.ok());
  Status st;
  REQUIRE(s->Step(&st));
  const auto body = nlohmann::json::parse(s->Text(0), nullptr, false);
  CHECK_FALSE(s->Step(&st));  // exactly one
  REQUIRE(body.is_object());
  return body["applicant"];
}

// The applicant the kiosk stored (the same body it sent).
nlohmann::json StoredApplicant(const std::filesystem::path& out) {
  const DossierRecord rec = uitest::TheStoredDossier(out);
  CHECK(rec.state == DossierState::kAccepted);
  return rec.body["applicant"];
}

}  // namespace

TEST_CASE("pcsc ui: the real kiosk reads the virtual card, the portal receives the driver's assurance level",
          "[pcsc]") {
  REQUIRE_FALSE(Env("MCK_VCARD").empty());
  REQUIRE_FALSE(Env("MCK_PKI").empty());
  REQUIRE_FALSE(Env("MCK_KIOSKCTL").empty());
  VirtualCccd card;  // one card for both runs (no SECTIONs: each would start another card)

  {
    INFO("no csca_file: chip_no_csca, never chip_verified; the start-up log says why");
    const auto out = OutDir("pcsc-no-csca");
    const std::string driver = DriverAssurance(out.parent_path() / "pcsc-no-csca-ctl", "");
    CHECK(driver == "chip_no_csca");
    REQUIRE(RunKiosk(out, "") == 0);
    const auto portal = PortalApplicant(out);
    CHECK(portal["identity_source"] == "chip");
    CHECK(portal["full_name"] == "Nguyễn Văn Thử");
    CHECK(portal["assurance"] == "chip_no_csca");
    CHECK(portal["assurance"] != "chip_verified");
    CHECK(portal["chip_verified"] == false);
    CHECK(StoredApplicant(out)["assurance"] == "chip_no_csca");
    const std::string log = mck::test::ReadAll(out / "kiosk.log");
    CHECK(log.find("CSCA: not configured") != std::string::npos);
  }
  {
    INFO("with the throwaway CSCA: exactly what the driver reports for the same card");
    const std::string csca = Env("MCK_PKI") + "/csca.pem";
    const auto out = OutDir("pcsc-csca");
    const std::string driver = DriverAssurance(out.parent_path() / "pcsc-csca-ctl", csca);
    INFO("the driver reports " << driver);
    CHECK((driver == "chip_no_csca" || driver == "chip_verified"));
    REQUIRE(RunKiosk(out, csca) == 0);
    const auto portal = PortalApplicant(out);
    CHECK(portal["identity_source"] == "chip");
    CHECK(portal["assurance"] == driver);
    CHECK(portal["chip_verified"] == (driver == "chip_verified"));
    CHECK(StoredApplicant(out)["assurance"] == driver);
    const std::string log = mck::test::ReadAll(out / "kiosk.log");
    CHECK(log.find("CSCA: configured") != std::string::npos);
  }
}
