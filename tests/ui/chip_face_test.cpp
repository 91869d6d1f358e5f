// The chip's face on the staff dossier through the App (app_chip_face.cpp, docs/card.md "The face
// on the staff screen"), without a window: the citizen submits with sim card 1 (Nguyễn Văn Thử,
// 024090000017); the officer opens the dossier and reads the chip. The card service is the real
// simulated reader's worker, except for the staff read, which a test double answers with the
// event the card worker would post (the virtual card's face decoded by DecodeFaceImage), so each
// outcome can be asserted: the face shown and wiped on leaving, another person's card, a corrupt
// image, no face, a refused key.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "kiosk/app/app.h"
#include "kiosk/app/device_setup.h"
#include "offline/store/staff_auth.h"
#include "tests/ui/app_fixture.h"

using namespace mck;
using namespace mck::app;

namespace {

// Forwards the citizen's reads to the simulated reader; records a read that asks for the face
// (the staff screen's) and lets the test answer it.
class StaffReadDouble final : public CardService {
 public:
  CardService* real = nullptr;
  std::optional<card::AccessKey> face_key;
  uint64_t face_request = 0;
  int cancels = 0;
  uint64_t Read(const card::AccessKey& key) override {
    if (!key.read_face) return real->Read(key);
    face_key = key;
    face_request = 1000 + ++reads_;
    return face_request;
  }
  void Cancel() override { ++cancels; }

 private:
  uint64_t reads_ = 0;
};

std::string TestFace() {
  std::ifstream in(std::string(MCK_SOURCE_DIR) + "/tests/drivers/card/vcard/face.jp2", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Fixture : uitest::AppDriver {
  std::filesystem::path dir = uitest::MakeTempDir("mck-face");
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  std::unique_ptr<Store> store;
  Strings strings;
  Devices devices;
  StaffReadDouble card;
  std::string client_id;

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
    card.real = devices.card.get();
    AppDeps deps = uitest::TestAppDeps(config, *store, clock, strings, events, so);
    deps.card = &card;
    StartApp(deps);
    StaffAuth auth(*store, clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
    Submit();
  }
  ~Fixture() {
    app.reset();
    devices = Devices{};
    std::filesystem::remove_all(dir);
  }

  // Sim card 1 read by the citizen, a birth registration submitted.
  void Submit() {
    std::ofstream(dir / "card-sim-state.json") << R"({"reader": true, "card": 1, "fault": ""})"
                                               << "\n";
    Do(intent::Start{});
    Go(ScreenId::kIdentify);
    Do(intent::IdentifyTyped{});
    Type("applicant.id_number", InputKind::kDigits, "024090000017");
    Type("applicant.date_of_birth", InputKind::kDate, "15031990");
    Do(intent::ReadChip{});
    REQUIRE(PumpUntil([&] { return app->card_read() != JobState::kRunning; }));
    REQUIRE(app->card_read() == JobState::kDone);
    Do(intent::ApplicantDone{});
    Do(intent::ChooseProcedure{.code = "1.001193"});
    Do(intent::BeforeStartDone{});
    Type("fields.child_name", InputKind::kText, "Nguyeenx Vawn An");
    Type("fields.child_dob", InputKind::kDate, "01092025");
    Do(intent::SetValue{.key = "fields.child_gender", .value = "Nam"});
    Type("fields.birth_place", InputKind::kText, "Tramj y tees");
    Do(intent::SetValue{.key = "fields.relationship", .value = "Mẹ"});
    Do(intent::FormDone{});
    Do(intent::DocumentsDone{});
    Do(intent::Submit{});
    REQUIRE(app->session().submitted);
    client_id = app->session().submitted->client_id;
  }

  const StaffDossierView::ChipFace& Chip() {
    REQUIRE(app->staff_dossier());
    return app->staff_dossier()->chip;
  }

  void OpenAsStaff() {
    Do(intent::Start{});
    Go(ScreenId::kStaffPin);
    for (char c : std::string("246810")) Do(intent::Key{.text = std::string(1, c)});
    Do(intent::StaffUnlock{});
    REQUIRE(app->screen() == ScreenId::kStaff);
    Do(intent::StaffOpenDossier{.client_id = client_id});
    REQUIRE(app->screen() == ScreenId::kStaffDossier);
  }

  // What the card worker posts for the staff read (devices.cpp): the identity read with the
  // dossier's key, and the face decoded, or why not.
  CardReadFinished Answer(const std::string& id_number, const std::string& jp2) {
    CardReadFinished e;
    e.request_id = card.face_request;
    e.identity = card::Identity{};
    e.identity->id_number = id_number;
    e.identity->full_name = "Nguyễn Văn Thử";
    e.identity->assurance = Assurance::kChipVerified;
    if (!jp2.empty()) {
      auto face = card::DecodeFaceImage(jp2);
      if (face.ok()) {
        e.face = std::move(*face);
      } else {
        e.face_status = face.status();
      }
    }
    return e;
  }
  void Deliver(CardReadFinished e) {
    UiEvent ev = std::move(e);
    app->OnEvent(ev);
    WipeEvent(ev);
  }
};

}  // namespace

TEST_CASE("the staff read asks for the face with the dossier's key and shows the chip's face, wiped on leaving") {
  Fixture f;
  f.OpenAsStaff();
  CHECK(f.Chip().state == JobState::kNone);
  f.Do(intent::StaffReadChip{});
  REQUIRE(f.card.face_key);
  CHECK(f.card.face_key->read_face);
  CHECK(f.card.face_key->document_number == "090000017");
  CHECK(f.card.face_key->date_of_birth == "900315");
  CHECK(f.Chip().state == JobState::kRunning);
  CHECK(f.Chip().message_key == "staff_dossier.chip_reading");
  f.Deliver(f.Answer("024090000017", TestFace()));
  CHECK(f.Chip().state == JobState::kDone);
  CHECK(f.Chip().image.width == 240);
  CHECK(f.Chip().image.height == 320);
  CHECK(f.Chip().image.rgba.size() == 240u * 320 * 4);
  CHECK(f.Chip().image_id > 0);
  CHECK(f.Chip().verified);
  CHECK(f.Chip().assurance_key == "assurance.chip_verified");
  // Back to the list: the dossier and its face are gone; opened again, no face.
  f.Do(intent::Back{});
  CHECK(f.app->screen() == ScreenId::kStaff);
  CHECK_FALSE(f.app->staff_dossier());
  f.Do(intent::StaffOpenDossier{.client_id = f.client_id});
  CHECK(f.Chip().image.rgba.empty());
  CHECK(f.Chip().state == JobState::kNone);
  // Shown again, then "Làm lại từ đầu" (the same wipe as "Khoá" and the inactivity time-out):
  // staff mode locks and the dossier, face included, is gone.
  f.Do(intent::StaffReadChip{});
  f.Deliver(f.Answer("024090000017", TestFace()));
  REQUIRE_FALSE(f.Chip().image.rgba.empty());
  f.Do(intent::StartOver{});
  CHECK_FALSE(f.app->staff_dossier());
  CHECK_FALSE(f.app->desk().unlocked);
}

TEST_CASE(
    "a chip of another ID number shows no face, and a read still running when the officer leaves is cancelled and "
    "ignored") {
  Fixture f;
  f.OpenAsStaff();
  f.Do(intent::StaffReadChip{});
  f.Deliver(f.Answer("027195003456", TestFace()));
  CHECK(f.Chip().state == JobState::kFailed);
  CHECK(f.Chip().message_key == "staff_dossier.chip_other_person");
  CHECK(f.Chip().image.rgba.empty());
  // Read again, then leave before the answer: cancelled; the late answer changes nothing.
  f.Do(intent::StaffReadChip{});
  const uint64_t late = f.card.face_request;
  f.Do(intent::Back{});
  CHECK(f.card.cancels == 1);
  f.Do(intent::StaffOpenDossier{.client_id = f.client_id});
  CardReadFinished e = f.Answer("024090000017", TestFace());
  e.request_id = late;
  f.Deliver(std::move(e));
  CHECK(f.Chip().image.rgba.empty());
  CHECK(f.Chip().state == JobState::kNone);
}

TEST_CASE("a corrupt face, a chip without a face and a refused key each say so, the read itself standing") {
  Fixture f;
  f.OpenAsStaff();
  f.Do(intent::StaffReadChip{});
  f.Deliver(f.Answer("024090000017", TestFace().substr(0, 3000)));
  CHECK(f.Chip().state == JobState::kDone);
  CHECK(f.Chip().message_key == "staff_dossier.chip_face_error");
  CHECK(f.Chip().image_error_vi == "Không hiển thị được ảnh trên thẻ.");
  CHECK(f.Chip().image.rgba.empty());
  f.Do(intent::StaffReadChip{});
  CHECK(f.Chip().image_error_vi.empty());  // nothing of the earlier read stays
  f.Deliver(f.Answer("024090000017", ""));
  CHECK(f.Chip().message_key == "staff_dossier.chip_no_face");
  f.Do(intent::StaffReadChip{});
  CardReadFinished refused;
  refused.request_id = f.card.face_request;
  refused.status = Status::Error(Code::kSecurity, "BAC refused");
  refused.failure = card::CardFailure::kWrongKey;
  f.Deliver(std::move(refused));
  CHECK(f.Chip().state == JobState::kFailed);
  CHECK(f.Chip().message_key == "staff_dossier.chip_wrong_key");
  for (const char* key : {"staff_dossier.read_chip", "staff_dossier.chip_face", "staff_dossier.chip_wrong_key",
                          "staff_dossier.chip_other_person", "staff_dossier.chip_no_face"}) {
    CHECK(f.strings.vi().count(key) == 1);
    CHECK(f.strings.en().count(key) == 1);
  }
  CHECK(f.strings.vi().at("staff_dossier.chip_face") == "Ảnh trong chip — so sánh với người nộp");
  CHECK(f.strings.vi().at("staff_dossier.read_chip") == "Đọc thẻ CCCD để đối chiếu");
}
