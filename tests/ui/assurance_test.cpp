// The identity assurance level (offline/domain/assurance.h) through the App: carried by the
// session from the card (or QR, or typing), stored in the dossier body as applicant.assurance,
// shown to the officer on the staff screen with a warning below chip_verified, and never called
// "verified" to the citizen unless the chip was. The simulated reader gives each card's level
// (config/sim-identities.json: card 2 reads as chip_no_csca, card 6 as chip_verified). Also the
// wording's one source (kiosk/core/identity_assurance.h) against the i18n catalogs, and kioskctl's
// `card check` and `dossier show`.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <fstream>

#include "kiosk/app/app.h"
#include "kiosk/app/device_setup.h"
#include "kiosk/core/identity_assurance.h"
#include "offline/store/staff_auth.h"
#include "tests/support/read_file.h"
#include "tests/ui/app_fixture.h"

using namespace mck;
using namespace mck::app;

namespace {

struct Fixture : uitest::AppDriver {
  std::filesystem::path dir = uitest::MakeTempDir("mck-assure");
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  std::unique_ptr<Store> store;
  Strings strings;
  Devices devices;

  Fixture() {
    uitest::SetTestConfig(config, dir);
    config.printer = "none";
    config.card_reader = "sim";
    config.card_sim_file = std::filesystem::path(MCK_SOURCE_DIR) / "config" / "sim-identities.json";
    setenv("MCK_CARD_SIM_STATE", (dir / "card-sim-state.json").c_str(), 1);
    const StoreOptions so = uitest::TestStoreOptions(config, clock);
    store = uitest::OpenTestStore(so);
    uitest::LoadTestStrings(strings);
    devices = SetUpDevices(config, events);
    AppDeps deps = uitest::TestAppDeps(config, *store, clock, strings, events, so);
    deps.card = devices.card.get();
    StartApp(deps);
    StaffAuth auth(*store, clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  ~Fixture() {
    app.reset();
    devices = Devices{};
    std::filesystem::remove_all(dir);
  }

  // Lays sim card `n` on the reader, types its access key and reads the chip.
  void ReadCard(int n, const std::string& id_number, const std::string& dob_digits) {
    std::ofstream(dir / "card-sim-state.json") << R"({"reader": true, "card": )" << n << R"(, "fault": ""})"
                                               << "\n";
    Do(intent::Start{});
    Go(ScreenId::kIdentify);
    Do(intent::IdentifyTyped{});
    Type("applicant.id_number", InputKind::kDigits, id_number);
    Type("applicant.date_of_birth", InputKind::kDate, dob_digits);
    Do(intent::ReadChip{});
    REQUIRE(PumpUntil([&] { return app->card_read() != JobState::kRunning; }));
    REQUIRE(app->card_read() == JobState::kDone);
  }

  // From the applicant screen to "Đã nộp hồ sơ" (a birth registration); the stored body.
  nlohmann::json SubmitAndStored() {
    Do(intent::ApplicantDone{});
    REQUIRE(app->screen() == ScreenId::kProcedure);
    Do(intent::ChooseProcedure{.code = "1.001193"});
    Do(intent::BeforeStartDone{});
    Type("fields.child_name", InputKind::kText, "Nguyeenx Vawn An");
    Type("fields.child_dob", InputKind::kDate, "01092025");
    Do(intent::SetValue{.key = "fields.child_gender", .value = "Nam"});
    Type("fields.birth_place", InputKind::kText, "Tramj y tees");
    Do(intent::SetValue{.key = "fields.relationship", .value = "Mẹ"});
    Do(intent::FormDone{});
    Do(intent::DocumentsDone{});
    REQUIRE(app->screen() == ScreenId::kReview);
    Do(intent::Submit{});
    REQUIRE(app->screen() == ScreenId::kSubmitted);
    REQUIRE(app->session().submitted);
    auto rec = store->dossiers().Get(app->session().submitted->client_id);
    REQUIRE(rec.ok());
    return rec->body;
  }

  // Staff mode opens the dossier `client_id` (a new session, behind the PIN).
  const StaffDossierView& OpenAsStaff(const std::string& client_id) {
    Do(intent::Start{});
    Go(ScreenId::kStaffPin);
    for (char c : std::string("246810")) Do(intent::Key{.text = std::string(1, c)});
    Do(intent::StaffUnlock{});
    REQUIRE(app->screen() == ScreenId::kStaff);
    Do(intent::StaffOpenDossier{.client_id = client_id});
    REQUIRE(app->staff_dossier());
    return *app->staff_dossier();
  }
};

bool Has(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a chip read without a CSCA (chip_no_csca) is never called verified: screen, dossier, staff") {
  Fixture f;
  f.ReadCard(2, "027195003456", "22071995");
  CHECK(f.app->session().identity_source == IdentitySource::kChip);
  CHECK(f.app->session().assurance == Assurance::kChipNoCsca);
  // The citizen is told the chip was read, not that it was verified.
  CHECK(f.app->card_message() == "card.read_ok");
  CHECK_FALSE(Has(f.strings.vi().at(f.app->card_message()), "xác thực"));
  CHECK_FALSE(Has(f.strings.en().at(f.app->card_message()), "verif"));
  const auto body = f.SubmitAndStored();
  CHECK(body["applicant"]["identity_source"] == "chip");
  CHECK(body["applicant"]["assurance"] == "chip_no_csca");
  CHECK(body["applicant"]["chip_verified"] == false);
  const std::string client_id = f.app->session().submitted->client_id;
  const auto& v = f.OpenAsStaff(client_id);
  CHECK(v.assurance_key == "assurance.chip_no_csca");
  CHECK(v.assurance_warning);
  CHECK(Has(f.strings.vi().at(v.assurance_key), "chưa xác thực"));
}

TEST_CASE("a chip the reader verified (chip_verified) is sent as verified and shown without a warning") {
  Fixture f;
  f.ReadCard(6, "001190004321", "12061990");
  CHECK(f.app->session().assurance == Assurance::kChipVerified);
  CHECK(f.app->card_message() == "card.read_ok_verified");
  const auto body = f.SubmitAndStored();
  CHECK(body["applicant"]["assurance"] == "chip_verified");
  CHECK(body["applicant"]["chip_verified"] == true);
  const std::string client_id = f.app->session().submitted->client_id;
  const auto& v = f.OpenAsStaff(client_id);
  CHECK(v.assurance_key == "assurance.chip_verified");
  CHECK_FALSE(v.assurance_warning);
}

TEST_CASE("editing a field the card filled ends the card's claim, a field it did not fill keeps it") {
  Fixture f;
  f.ReadCard(6, "001190004321", "12061990");
  REQUIRE(f.app->session().assurance == Assurance::kChipVerified);
  f.Type("applicant.phone", InputKind::kDigits, "0912345678");  // not from the card
  CHECK(f.app->session().assurance == Assurance::kChipVerified);
  CHECK(f.app->session().from_card.count("applicant.full_name") == 1);
  // An intent that changes a card-filled value (the screen offers none): typed from now on.
  f.Do(intent::SetValue{.key = "applicant.full_name", .value = "Vũ Thị Lành"});
  CHECK(f.app->session().assurance == Assurance::kTyped);
  CHECK(f.app->session().identity_source == IdentitySource::kManual);
  CHECK(f.app->session().from_card.empty());
  const auto body = f.SubmitAndStored();
  CHECK(body["applicant"]["full_name"] == "Vũ Thị Lành");
  CHECK(body["applicant"]["assurance"] == "typed");
  CHECK(body["applicant"]["identity_source"] == "manual");
  CHECK(body["applicant"]["chip_verified"] == false);
}

TEST_CASE("focusing a card-filled field to type in it also ends the claim, a QR is qr, typing again is typed") {
  Fixture f;
  f.ReadCard(2, "027195003456", "22071995");
  f.Type("applicant.id_number", InputKind::kDigits, "");
  CHECK(f.app->session().assurance == Assurance::kTyped);
  CHECK(f.app->session().from_card.empty());

  f.Do(intent::Start{});
  f.Go(ScreenId::kIdentify);
  f.app->OnEvent(QrScanned{"024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Thôn Ví Dụ, Xã Mẫu|10052021"});
  CHECK(f.app->session().identity_source == IdentitySource::kQr);
  CHECK(f.app->session().assurance == Assurance::kQrOnly);
  const std::string message = f.app->card_message();  // empty with a reader: the chip button is next
  CHECK((message.empty() || !Has(f.strings.vi().at(message), "xác thực")));
  f.Do(intent::IdentifyTyped{});  // back to typing: the QR's claim ends too
  CHECK(f.app->session().assurance == Assurance::kTyped);
  CHECK(f.app->session().from_card.empty());
}

TEST_CASE("a stored dossier from before the assurance level shows as chip_no_csca at most to staff") {
  Fixture f;
  const nlohmann::json body = {{"procedure_code", "1.001193"},
                               {"applicant",
                                {{"full_name", "Nguyễn Thị Hoà"},
                                 {"id_number", "024190001234"},
                                 {"identity_source", "chip"},
                                 {"chip_verified", true}}},  // the old hash-only claim
                               {"fields", {{"child_name", "Nguyễn Văn An"}}},
                               {"documents", nlohmann::json::array()}};
  auto d = f.store->dossiers().Submit(body, {}, "test");
  REQUIRE(d.ok());
  const auto& v = f.OpenAsStaff(d->client_id);
  CHECK(v.assurance_key == "assurance.chip_no_csca");
  CHECK(v.assurance_warning);
}

TEST_CASE("the assurance words in the i18n catalogs are the core's, in both languages") {
  Strings strings;
  uitest::LoadTestStrings(strings);
  for (Assurance a : {Assurance::kTyped, Assurance::kQrOnly, Assurance::kChipNoCsca, Assurance::kChipVerified}) {
    for (const char* source : {"manual", "qr", "chip"}) {
      const core::AssuranceText t = core::DescribeAssurance(a, source);
      INFO(t.key);
      REQUIRE(strings.vi().count(t.key) == 1);
      CHECK(strings.vi().at(t.key) == t.vi);
      CHECK(strings.en().at(t.key) == t.en);
      CHECK(t.below_verified == (a != Assurance::kChipVerified));
      // Only the verified level may say so.
      if (a != Assurance::kChipVerified) CHECK_FALSE(Has(t.vi, "Đã xác thực"));
    }
  }
  const core::AssuranceText w = core::AssuranceWarning();
  CHECK(strings.vi().at(w.key) == w.vi);
  CHECK(strings.en().at(w.key) == w.en);
}

namespace {
struct CtlRun {
  int code = -1;
  std::string out;
};
CtlRun Ctl(const std::filesystem::path& dir, const std::string& toml, const std::string& args) {
  std::ofstream(dir / "kiosk.toml") << toml;
  const std::string cmd = std::string(KIOSKCTL_BIN) + " --config " + (dir / "kiosk.toml").string() + " " + args + " >" +
                          (dir / "out.txt").string() + " 2>&1";
  const int st = std::system(cmd.c_str());
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, mck::test::ReadAll(dir / "out.txt")};
}
}  // namespace

TEST_CASE("kioskctl card check: a pcsc kiosk without a CSCA says no chip will ever count as verified") {
  const auto dir = uitest::MakeTempDir("mck-cardcheck");
  const std::string base = "[kiosk]\nnumber = 7\ndata_dir = \"data\"\n[devices]\ncard_reader = \"pcsc\"\n";
  auto none = Ctl(dir, base, "card check");
  INFO(none.out);
  CHECK(none.code == 0);
  CHECK(Has(none.out, "CSCA: chưa cấu hình — thẻ chíp sẽ không bao giờ được coi là đã xác thực"));
  auto missing = Ctl(dir, base + "csca_file = \"no-such-csca.pem\"\n", "card check --json");
  CHECK(missing.code == 1);
  auto j = nlohmann::json::parse(missing.out, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["ok"] == false);
  CHECK(j["checks"][1]["check"] == "card.csca");
  CHECK(j["checks"][1]["level"] == "error");
  std::ofstream(dir / "csca.pem") << "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  auto configured = Ctl(dir, base + "csca_file = \"csca.pem\"\n", "card check");
  CHECK(configured.code == 0);
  CHECK(Has(configured.out, "CSCA: đã cấu hình"));
  CHECK_FALSE(Has(configured.out, "không bao giờ"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("kioskctl dossier show prints the identity assurance and its warning") {
  Fixture f;
  f.ReadCard(2, "027195003456", "22071995");
  f.SubmitAndStored();
  const std::string code = f.app->session().submitted->provisional_code;
  const std::string toml = "[kiosk]\nnumber = 7\ndata_dir = \"" + (f.dir / "data").string() + "\"\ncatalog_seed = \"" +
                           f.config.catalog_seed.string() + "\"\n";
  auto shown = Ctl(f.dir, toml, "dossier show " + code);
  INFO(shown.out);
  CHECK(shown.code == 0);
  CHECK(Has(shown.out, "Mức xác thực danh tính (assurance): Đọc từ chíp, chưa xác thực nguồn"));
  CHECK(Has(shown.out, "[chip_no_csca]"));
  CHECK(Has(shown.out, "CẢNH BÁO"));
  auto as_json = Ctl(f.dir, toml, "dossier show " + code + " --json");
  auto j = nlohmann::json::parse(as_json.out, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["assurance"] == "chip_no_csca");
}
