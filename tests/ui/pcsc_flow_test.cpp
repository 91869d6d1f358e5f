// The REAL kiosk (under Xvfb, tests/ui/run-kiosk-script) reads the project's virtual CCCD through
// real pcscd + vsmartcard-vpcd with its PC/SC reader, the citizen submits, the sync worker
// delivers the dossier to the portal simulator, and the portal received applicant.assurance:
//   - with no csca_file: exactly "chip_no_csca", never "chip_verified";
//   - with the throwaway CSCA of make_pki.sh: exactly the level the driver reports for the same
//     card and CSCA (`kioskctl card read --json`), whatever that is (chip_no_csca until the key
//     proof lands, chip_verified after).
// And the chip's face on the staff screen (pcsc-staff-face.script): the officer reads the card at
// the counter; the screenshot shows the virtual card's decoded face beside the applicant, and no
// trace of it once the dossier was left (docs/card.md "The face on the staff screen").
// Run through tests/ui/run-ui-pcsc-test (pcscd, the PKI: tests/drivers/card/run_pcsc_tests.sh),
// which sets MCK_VCARD, MCK_PKI and MCK_KIOSKCTL.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <thread>

#include <png.h>

#include "drivers/card/face_image.h"
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
    // Until pcscd has seen the card go (as tests/drivers/card/pcsc_support.h's Stop): the next
    // test case's card must not be taken for this one, pulled out in the middle of a read.
    for (int i = 0; i < 100; ++i) {
      card::PcscCardReader w(card::PcscOptions{});
      auto ev = w.WaitForChange(0ms);
      bool present = false;
      if (ev.ok()) {
        for (const auto& e : *ev) present |= e.kind == card::CardEventKind::kCardInserted && e.reader == kSlot0;
      }
      if (!present) break;
      std::this_thread::sleep_for(100ms);
    }
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
int RunKiosk(const std::filesystem::path& out, const std::string& csca,
             const std::string& script = "pcsc-chip.script", const std::string& extra = "") {
  std::filesystem::create_directories(out.parent_path());
  std::string cmd = (kUi / "run-kiosk-script").string() + " --kiosk " + KIOSK_BIN + " --printer-sim " +
                    PRINTER_SIM_BIN + " --kioskctl " + KIOSKCTL_BIN + " --portal-sim " + PORTAL_SIM_BIN + " --script " +
                    (kUi / script).string() + " --out " + out.string() +
                    " --card-reader pcsc --card-reader-name '" + kSlot0 + "'" + extra;
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

// A screenshot's pixels (RGB), read with libpng.
struct Shot {
  int w = 0, h = 0;
  std::vector<uint8_t> rgb;
  const uint8_t* At(int x, int y) const { return &rgb[(static_cast<size_t>(y) * w + x) * 3]; }
  // The synthetic face's teal background (vcard/make_face.py: about 40,140..160,150..170).
  bool Teal(int x, int y) const {
    const uint8_t* p = At(x, y);
    return p[0] < 75 && p[1] > 125 && p[1] < 185 && p[2] > 135 && p[2] < 195 && p[2] > p[0] + 80;
  }
};

Shot ReadShot(const std::filesystem::path& file) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_file(&img, file.c_str()));
  img.format = PNG_FORMAT_RGB;
  Shot s;
  s.rgb.resize(PNG_IMAGE_SIZE(img));
  REQUIRE(png_image_finish_read(&img, nullptr, s.rgb.data(), 0, nullptr));
  s.w = static_cast<int>(img.width);
  s.h = static_cast<int>(img.height);
  return s;
}

}  // namespace

TEST_CASE("the officer reads the applicant's chip at the counter, its face shows beside the applicant and goes once the dossier is left",
          "[pcsc]") {
  REQUIRE_FALSE(Env("MCK_VCARD").empty());
  REQUIRE_FALSE(Env("MCK_PKI").empty());
  VirtualCccd card;
  const auto out = OutDir("pcsc-staff-face");
  REQUIRE(RunKiosk(out, Env("MCK_PKI") + "/csca.pem", "pcsc-staff-face.script", " --staff-pin 246810") == 0);

  // The face as the kiosk decodes it from the card's DG2 (the same file the virtual card holds).
  std::ifstream in(std::string(MCK_SOURCE_DIR) + "/tests/drivers/card/vcard/face.jp2", std::ios::binary);
  auto face = card::DecodeFaceImage(std::string(std::istreambuf_iterator<char>(in), {}));
  REQUIRE(face.ok());

  // On the staff screen: the face's teal background makes a box about 3:4, at the right of the
  // applicant; inside it the screen shows the decoded image, scaled (hair, a cheek, the mouth, the shirt).
  const Shot shown = ReadShot(out / "shots" / "staff-face.png");
  int x0 = shown.w, y0 = shown.h, x1 = -1, y1 = -1, teal = 0;
  for (int y = 0; y < shown.h; ++y) {
    for (int x = 0; x < shown.w; ++x) {
      if (!shown.Teal(x, y)) continue;
      ++teal;
      x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
    }
  }
  INFO("teal pixels " << teal << " in [" << x0 << "," << x1 << "] x [" << y0 << "," << y1 << "]");
  REQUIRE(teal > 20000);
  const double bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  CHECK(bw > 150);
  CHECK(std::abs(bh / bw - 4.0 / 3.0) < 0.08);
  CHECK(x0 > shown.w / 2);  // beside the applicant's lines, on the right
  for (auto [fx, fy] : {std::pair{120, 80}, {100, 170}, {120, 195}, {40, 310}, {96, 140}}) {
    const int sx = x0 + static_cast<int>((fx + 0.5) * bw / face->width);
    const int sy = y0 + static_cast<int>((fy + 0.5) * bh / face->height);
    const uint8_t* s = shown.At(sx, sy);
    const uint8_t* d = &face->rgba[(static_cast<size_t>(fy) * face->width + fx) * 4];
    INFO("face (" << fx << "," << fy << ") = " << int(d[0]) << "," << int(d[1]) << "," << int(d[2]) << "; screen ("
                  << sx << "," << sy << ") = " << int(s[0]) << "," << int(s[1]) << "," << int(s[2]));
    for (int c = 0; c < 3; ++c) CHECK(std::abs(int(s[c]) - int(d[c])) <= 40);
  }

  // The dossier opened again after leaving it: no face anywhere on screen.
  const Shot gone = ReadShot(out / "shots" / "staff-face-gone.png");
  int teal_gone = 0;
  for (int y = 0; y < gone.h; ++y) {
    for (int x = 0; x < gone.w; ++x) teal_gone += gone.Teal(x, y) ? 1 : 0;
  }
  CHECK(teal_gone < 50);
  // Never in the log: the run's kiosk.log says nothing of the face's pixels or the chip's fields.
  const std::string log = mck::test::ReadAll(out / "kiosk.log");
  CHECK(log.find("Nguyễn Văn Thử") == std::string::npos);
  CHECK(log.find("face not shown") == std::string::npos);  // it decoded
}

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
