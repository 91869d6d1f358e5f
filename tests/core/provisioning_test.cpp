// Provisioning (kiosk/core/provisioning.h, `kioskctl provision`) end to end: kioskctl as a child
// process against the portal simulator over real HTTPS on loopback (tests/sync/harness.*).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "kiosk/core/provisioning.h"
#include "offline/domain/config.h"
#include "offline/store/staff_auth.h"
#include "offline/sync/enrolment.h"
#include "tests/sync/harness.h"

namespace fs = std::filesystem;
using mck::test::CertsDir;
using mck::test::Kiosk;
using mck::test::PortalSim;
using mck::test::RunKioskctl;
using mck::test::TempDir;
using nlohmann::json;

namespace {

constexpr const char* kCommune = "000.00.24.H03";
constexpr const char* kTechnicianPin = "583920";
constexpr const char* kStaffPin = "274619";

struct Plan {
  std::string url;
  std::string token;
  std::string ca_file;
  std::string technician_pin = kTechnicianPin;
  std::string staff_pin = kStaffPin;
  int number = 12;
  std::string printer = "tcp://127.0.0.1:9100";

  std::string Text() const {
    std::ostringstream os;
    os << "[kiosk]\nnumber = " << number << "\ncommune_code = \"" << kCommune << "\"\n"
       << "[portal]\nurl = \"" << url << "\"\ntoken = \"" << token << "\"\nca_file = \"" << ca_file << "\"\n"
       << "[devices]\nprinter = \"" << printer << "\"\nprinter_width_mm = 58\ncard_reader = \"pcsc\"\n"
       << "qr_scanner = \"none\"\n"
       << "[pins]\ntechnician = \"" << technician_pin << "\"\nstaff = \"" << staff_pin << "\"\n";
    return os.str();
  }
  fs::path Write(const Kiosk& k, const std::string& name = "plan.toml") const {
    const fs::path file = k.dir() / name;
    std::ofstream(file) << Text();
    return file;
  }
};

std::string ReadAll(const fs::path& f) {
  std::ifstream in(f, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Run {
  int code;
  std::string out, err;
};
Run Provision(const Kiosk& k, const fs::path& plan, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--config", k.config_file().string(), "provision", "--from", plan.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  Run r;
  r.code = RunKioskctl(args, &r.out, &r.err);
  return r;
}

mck::PinCheck Check(mck::Store& store, mck::PinRole role, const std::string& pin) {
  mck::SystemClock clock;
  mck::StaffAuth auth(store, clock, mck::PinPolicy{}, role);
  auto r = auth.Verify(pin);
  REQUIRE(r.ok());
  return r->check;
}

// Every file under the kiosk's data directory with its bytes (the store excluded when asked).
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) files[e.path().string()] = ReadAll(e.path());
  }
  return files;
}

}  // namespace

TEST_CASE("kioskctl provision enrols, sets both PINs and the devices, and the same plan again changes nothing") {
  TempDir sim_dir("mck-prov-sim");
  PortalSim sim{{sim_dir.path() / "portal.db", 0, "server", {}}};
  sim.AddToken("prov-token-1", kCommune);
  Kiosk k(3);  // kiosk.toml says kiosk 3; the plan makes it kiosk 12
  Plan plan{sim.url(), "prov-token-1", (CertsDir() / "ca.pem").string()};
  const fs::path file = plan.Write(k);

  Run first = Provision(k, file);
  INFO(first.out << first.err);
  REQUIRE(first.code == 0);
  CHECK(first.out.find("[enrol] done") != std::string::npos);
  CHECK(first.out.find("[devices] done") != std::string::npos);
  // Neither PIN nor the token ever reach the output.
  for (const char* secret : {kTechnicianPin, kStaffPin, "prov-token-1"}) {
    CHECK(first.out.find(secret) == std::string::npos);
    CHECK(first.err.find(secret) == std::string::npos);
  }
  const fs::path data = k.dir() / "data";
  CHECK(fs::exists(data / "portal" / "kiosk.crt"));
  CHECK(fs::exists(data / "portal" / "ca.pem"));
  std::string kiosk_id;
  {
    auto store = k.OpenStore();
    auto e = mck::LoadEnrolment(*store);
    REQUIRE(e.ok());
    kiosk_id = e->kiosk_id;
    CHECK(!kiosk_id.empty());
    CHECK(e->commune_code == kCommune);
    // Each PIN opens its own mode only.
    CHECK(Check(*store, mck::PinRole::kStaff, kStaffPin) == mck::PinCheck::kOk);
    CHECK(Check(*store, mck::PinRole::kTechnician, kTechnicianPin) == mck::PinCheck::kOk);
    CHECK(Check(*store, mck::PinRole::kStaff, kTechnicianPin) == mck::PinCheck::kWrong);
    CHECK(Check(*store, mck::PinRole::kTechnician, kStaffPin) == mck::PinCheck::kWrong);
  }
  auto kiosks = sim.Admin("GET", "/admin/kiosks");
  REQUIRE(kiosks.size() == 1);
  CHECK(kiosks[0]["kiosk_id"] == kiosk_id);

  // The config the kiosk and kioskctl load: /etc file + the provisioned overlay.
  auto cfg = mck::LoadConfig(k.config_file());
  REQUIRE(cfg.ok());
  CHECK(cfg->kiosk_number == 3);
  REQUIRE(mck::ApplyProvisioned(&cfg.value()).ok());
  CHECK(cfg->kiosk_number == 12);
  CHECK(cfg->commune_code == kCommune);
  CHECK(cfg->printer == "tcp://127.0.0.1:9100");
  CHECK(cfg->printer_width_mm == 58);
  CHECK(cfg->card_reader == "pcsc");
  CHECK(cfg->qr_scanner == "none");
  CHECK(cfg->portal_url == sim.url());

  // Again: every step unchanged, not one byte of the data directory different.
  const auto before = Snapshot(data);
  Run second = Provision(k, file);
  INFO(second.out << second.err);
  REQUIRE(second.code == 0);
  CHECK(second.out.find("nothing changed") != std::string::npos);
  CHECK(second.out.find(" done") == std::string::npos);
  CHECK(Snapshot(data) == before);
  CHECK(sim.Admin("GET", "/admin/kiosks").size() == 1);

  // A dossier submitted afterwards carries the provisioned kiosk number and reaches the portal.
  const fs::path body = k.dir() / "d.json";
  std::ofstream(body) << mck::test::DossierBody().dump();
  std::string out, err;
  REQUIRE(RunKioskctl({"--config", k.config_file().string(), "dossier", "submit", body.string(), "--json"}, &out,
                      &err) == 0);
  const json submitted = json::parse(out);
  CHECK(submitted["provisional_code"].get<std::string>().rfind("K12-", 0) == 0);
  out.clear();
  INFO(err);
  REQUIRE(RunKioskctl({"--config", k.config_file().string(), "sync", "--once", "--json"}, &out, &err) == 0);
  CHECK(json::parse(out)["accepted"] == 1);
  auto dossiers = sim.Admin("GET", "/admin/dossiers");
  REQUIRE(dossiers.size() == 1);
  CHECK(dossiers[0]["client_id"] == submitted["client_id"]);
  CHECK(dossiers[0]["kiosk_id"] == kiosk_id);
}

TEST_CASE("a different plan is refused without --force and applied with it") {
  TempDir sim_dir("mck-prov-sim");
  PortalSim sim{{sim_dir.path() / "portal.db", 0, "server", {}}};
  sim.AddToken("prov-token-2", kCommune);
  Kiosk k(3);
  Plan plan{sim.url(), "prov-token-2", (CertsDir() / "ca.pem").string()};
  REQUIRE(Provision(k, plan.Write(k)).code == 0);
  const fs::path data = k.dir() / "data";
  const auto before = Snapshot(data);

  Plan changed = plan;
  changed.staff_pin = "860342";
  changed.number = 14;
  const fs::path file = changed.Write(k, "plan2.toml");
  Run refused = Provision(k, file);
  INFO(refused.out << refused.err);
  CHECK(refused.code == 2);
  CHECK(refused.err.find("--force") != std::string::npos);
  CHECK(refused.err.find("staff PIN") != std::string::npos);
  CHECK(Snapshot(data) == before);

  Run forced = Provision(k, file, {"--force"});
  INFO(forced.out << forced.err);
  REQUIRE(forced.code == 0);
  CHECK(forced.out.find("[enrol] unchanged") != std::string::npos);  // same token: no second enrolment
  CHECK(forced.out.find("[staff_pin] done") != std::string::npos);
  auto store = k.OpenStore();
  CHECK(Check(*store, mck::PinRole::kStaff, "860342") == mck::PinCheck::kOk);
  CHECK(Check(*store, mck::PinRole::kStaff, kStaffPin) == mck::PinCheck::kWrong);
  auto cfg = mck::LoadConfig(k.config_file());
  REQUIRE(cfg.ok());
  REQUIRE(mck::ApplyProvisioned(&cfg.value()).ok());
  CHECK(cfg->kiosk_number == 14);
  CHECK(sim.Admin("GET", "/admin/kiosks").size() == 1);
}

TEST_CASE("a bad plan prints every problem and changes nothing on disk") {
  Kiosk k(3);
  Plan plan{"http://127.0.0.1:1", "some-token", (k.dir() / "missing-ca.pem").string()};
  plan.staff_pin = "123456";           // sequential
  plan.technician_pin = "12ab";        // not digits, too short
  plan.printer = "lpt:/dev/whatever";  // no such transport
  Run r = Provision(k, plan.Write(k));
  INFO(r.out << r.err);
  CHECK(r.code == 2);
  for (const char* key : {"portal.url", "portal.ca_file", "pins.staff", "pins.technician", "devices.printer"}) {
    CHECK(r.err.find(std::string(key) + ": ") != std::string::npos);
  }
  CHECK(r.err.find("https://") != std::string::npos);
  CHECK(r.err.find("123456") == std::string::npos);  // a PIN is never echoed
  CHECK_FALSE(fs::exists(k.dir() / "data"));         // not even the store was created
}

TEST_CASE("a used enrolment token leaves the kiosk unprovisioned") {
  TempDir sim_dir("mck-prov-sim");
  PortalSim sim{{sim_dir.path() / "portal.db", 0, "server", {}}};
  sim.AddToken("prov-token-3", kCommune);
  Kiosk other(5);
  other.Enrol(sim, "prov-token-3");  // the token is spent

  Kiosk k(3);
  Plan plan{sim.url(), "prov-token-3", (CertsDir() / "ca.pem").string()};
  Run r = Provision(k, plan.Write(k));
  INFO(r.out << r.err);
  CHECK(r.code == 1);
  CHECK(r.err.find("[enrol] failed") != std::string::npos);
  CHECK(r.err.find("token") != std::string::npos);
  const fs::path data = k.dir() / "data";
  CHECK_FALSE(fs::exists(data / "portal" / "kiosk.crt"));
  CHECK_FALSE(fs::exists(data / mck::kProvisionedFile));
  auto store = k.OpenStore();
  CHECK_FALSE(mck::LoadEnrolment(*store).ok());
  mck::SystemClock clock;
  for (auto role : {mck::PinRole::kStaff, mck::PinRole::kTechnician}) {
    auto has = mck::StaffAuth(*store, clock, mck::PinPolicy{}, role).HasPin();
    REQUIRE(has.ok());
    CHECK_FALSE(*has);
  }
}

TEST_CASE("a token issued for another commune provisions nothing beyond the enrolment") {
  TempDir sim_dir("mck-prov-sim");
  PortalSim sim{{sim_dir.path() / "portal.db", 0, "server", {}}};
  sim.AddToken("prov-token-4", "000.00.24.H99");
  Kiosk k(3);
  Plan plan{sim.url(), "prov-token-4", (CertsDir() / "ca.pem").string()};
  const fs::path file = plan.Write(k);
  Run r = Provision(k, file);
  INFO(r.out << r.err);
  CHECK(r.code == 2);
  CHECK(r.err.find("000.00.24.H99") != std::string::npos);
  CHECK_FALSE(fs::exists(k.dir() / "data" / mck::kProvisionedFile));
  {
    auto store = k.OpenStore();
    mck::SystemClock clock;
    auto has = mck::StaffAuth(*store, clock, mck::PinPolicy{}, mck::PinRole::kStaff).HasPin();
    REQUIRE(has.ok());
    CHECK_FALSE(*has);
  }
  // The same plan again keeps refusing (it is not this kiosk's enrolment).
  Run again = Provision(k, file);
  CHECK(again.code == 2);
  CHECK_FALSE(fs::exists(k.dir() / "data" / mck::kProvisionedFile));
}

TEST_CASE("the provisioned overlay may set only the provisioned keys") {
  mck::KioskConfig c;
  c.data_dir = "/var/lib/mot-cua";
  for (const char* text : {"[kiosk]\ndata_dir = \"/tmp/x\"\n", "[security]\nkey_protection = \"file\"\n",
                           "[portal]\nurl = \"http://portal\"\n", "[devices]\ncard_reader = \"magic\"\n",
                           "[privacy]\nretention_days = 3650\n"}) {
    INFO(text);
    mck::KioskConfig copy = c;
    CHECK_FALSE(mck::ApplyProvisionedText(text, "/var/lib/mot-cua/provisioned.toml", &copy).ok());
    CHECK(copy.data_dir == c.data_dir);  // a refused overlay changes nothing
    CHECK(copy.provisioned_file.empty());
  }
  REQUIRE(mck::ApplyProvisionedText("[kiosk]\nnumber = 9\n[devices]\nqr_scanner = \"none\"\n",
                                    "/var/lib/mot-cua/provisioned.toml", &c)
              .ok());
  CHECK(c.kiosk_number == 9);
  CHECK(c.qr_scanner == "none");
}

TEST_CASE("a technician PIN can never be the staff PIN, in either order") {
  Kiosk k(3);
  auto store = k.OpenStore();
  mck::SystemClock clock;
  mck::StaffAuth staff(*store, clock, mck::PinPolicy{}, mck::PinRole::kStaff);
  mck::StaffAuth technician(*store, clock, mck::PinPolicy{}, mck::PinRole::kTechnician);
  REQUIRE(staff.SetPin(kStaffPin).ok());
  CHECK(technician.SetPin(kStaffPin).code() == mck::Code::kInvalidArgument);
  REQUIRE(technician.SetPin(kTechnicianPin).ok());
  CHECK(staff.SetPin(kTechnicianPin).code() == mck::Code::kInvalidArgument);
  // Matches never counts: a wrong guess leaves the lock-out count alone.
  for (int i = 0; i < 10; ++i) CHECK_FALSE(*technician.Matches("999111"));
  CHECK(Check(*store, mck::PinRole::kTechnician, kTechnicianPin) == mck::PinCheck::kOk);
}
