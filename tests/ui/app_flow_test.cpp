// The App (state + screen machine) driven by intents and worker events as the screens and
// workers would, against a real Store in a fresh directory, a ManualClock, and a real printer
// (drivers/printer's file: transport) on the printer worker thread. No window.
#include <catch2/catch.hpp>

#include <algorithm>

#include <unistd.h>

#include <fstream>

#include "drivers/printer/escpos_decode.h"
#include "drivers/printer/png_preview.h"
#include "kiosk/app/app.h"
#include "kiosk/app/device_setup.h"
#include "offline/store/staff_auth.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/support/read_file.h"
#include "tests/ui/app_fixture.h"

using namespace mck;
using namespace mck::app;
using namespace std::chrono_literals;

namespace {

std::filesystem::path TempDir() {
  return uitest::MakeTempDir("mck-ui");
}

struct Fixture : uitest::AppDriver {
  std::filesystem::path dir = TempDir();
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  std::unique_ptr<Store> store;
  Strings strings;
  Devices devices;
  int outbox_nudges = 0;  // how often the App woke the sync worker

  explicit Fixture(const std::string& printer_uri = "") {
    uitest::SetTestConfig(config, dir);
    config.commune_name = "UBND xã Mẫu";
    config.printer = printer_uri.empty() ? "none" : printer_uri;
    // The simulated card reader, with a state file of this test's own (no card on it).
    config.card_reader = "sim";
    config.card_sim_file = std::filesystem::path(MCK_SOURCE_DIR) / "config" / "sim-identities.json";
    setenv("MCK_CARD_SIM_STATE", (dir / "card-sim-state.json").c_str(), 1);
    const StoreOptions so = uitest::TestStoreOptions(config, clock);
    store = uitest::OpenTestStore(so);
    uitest::LoadTestStrings(strings);
    devices = SetUpDevices(config, events);
    AppDeps deps = uitest::TestAppDeps(config, *store, clock, strings, events, so);
    deps.printer = devices.printer.get();
    deps.card = devices.card.get();
    deps.outbox_changed = [this] { ++outbox_nudges; };
    StartApp(deps);
  }
  ~Fixture() {
    app.reset();
    devices = Devices{};
    std::filesystem::remove_all(dir);
  }

  void FillApplicant() {
    Do(intent::Start{});
    Go(ScreenId::kIdentify);
    Do(intent::IdentifyTyped{});
    REQUIRE(app->screen() == ScreenId::kApplicant);
    Type("applicant.id_number", InputKind::kDigits, "024190001234");
    Type("applicant.date_of_birth", InputKind::kDate, "15031990");
    Type("applicant.full_name", InputKind::kText, "Nguyeenx Thij Hoaf");
    Do(intent::SetValue{.key = "applicant.gender", .value = "Nữ"});
  }
};

}  // namespace

TEST_CASE("a typed submission is stored with the Telex text exactly before 'Đã nộp', then the receipt prints") {
  const auto paper = TempDir() / "receipts.bin";
  Fixture f("file:" + paper.string());
  REQUIRE(f.devices.printer);
  f.FillApplicant();
  CHECK(f.app->Value("applicant.full_name") == "Nguyễn Thị Hoà");
  f.Do(intent::ApplicantDone{});
  REQUIRE(f.app->screen() == ScreenId::kProcedure);
  f.Do(intent::ChooseProcedure{.code = "1.001193"});
  f.Do(intent::BeforeStartDone{});
  REQUIRE(f.app->screen() == ScreenId::kForm);
  f.Type("fields.child_name", InputKind::kText, "Nguyeenx Vawn An");
  f.Type("fields.child_dob", InputKind::kDate, "01092025");
  f.Do(intent::SetValue{.key = "fields.child_gender", .value = "Nam"});
  f.Type("fields.birth_place", InputKind::kText, "Tramj y tees xax Maaux");
  f.Do(intent::SetValue{.key = "fields.relationship", .value = "Mẹ"});
  f.Do(intent::FormDone{});
  REQUIRE(f.app->screen() == ScreenId::kDocuments);
  f.Do(intent::ToggleDocument{.document_id = "birth_certificate"});
  f.Do(intent::DocumentsDone{});
  REQUIRE(f.app->screen() == ScreenId::kReview);
  REQUIRE(f.store->dossiers().List()->empty());
  f.Do(intent::Submit{});
  REQUIRE(f.app->screen() == ScreenId::kSubmitted);
  REQUIRE(f.app->session().submitted);
  // Already durable when the screen says so.
  auto rec = f.store->dossiers().Get(f.app->session().submitted->provisional_code);
  REQUIRE(rec.ok());
  CHECK(rec->body["applicant"]["full_name"] == "Nguyễn Thị Hoà");
  CHECK(rec->body["applicant"]["identity_source"] == "manual");
  CHECK(rec->body["applicant"]["chip_verified"] == false);
  CHECK(rec->body["applicant"]["assurance"] == "typed");
  CHECK(rec->body["applicant"]["date_of_birth"] == "1990-03-15");
  CHECK(rec->body["fields"]["child_name"] == "Nguyễn Văn An");
  CHECK(rec->body["fields"]["birth_place"] == "Trạm y tế xã Mẫu");
  CHECK(rec->body["fields"]["child_dob"] == "2025-09-01");
  CHECK(rec->body["documents"][0]["presented_at_counter"] == true);
  CHECK(f.outbox_nudges == 1);  // the sync worker is woken for it
  // A second tap on "Nộp" makes no second dossier.
  f.Do(intent::Submit{});
  CHECK(f.store->dossiers().List()->size() == 1);
  CHECK(f.app->receipt().state == JobState::kRunning);
  REQUIRE(f.PumpUntil([&] { return f.app->receipt().state != JobState::kRunning; }));
  CHECK(f.app->receipt().state == JobState::kDone);
  // The paper, read back: the bytes decoded by the project's ESC/POS decoder; the QR is this
  // dossier's client id, the text has the applicant's name and the provisional code.
  const std::string bytes = mck::test::ReadAll(paper);
  const auto decoded = printer::escpos::DecodeEscPos(std::vector<uint8_t>(bytes.begin(), bytes.end()), 576);
  REQUIRE(decoded.pages.size() == 1);
  const auto png = paper.parent_path() / "receipt.png";
  REQUIRE(printer::WritePng(decoded.pages[0], png, 2).ok());
  CHECK(printer::testing::ZbarDecode(png) == rec->client_id);
  const std::string text = printer::testing::Ocr(png);
  CAPTURE(text);
  CHECK(text.find(printer::testing::NormaliseText("Nguyễn Thị Hoà")) != std::string::npos);
  CHECK(text.find(rec->provisional_code) != std::string::npos);
  std::filesystem::remove_all(paper.parent_path());
}

TEST_CASE("missing details keep the citizen on the screen with plain Vietnamese messages") {
  Fixture f;
  f.Do(intent::Start{});
  f.Do(intent::IdentifyNoCard{});
  f.Do(intent::ApplicantDone{});
  CHECK(f.app->screen() == ScreenId::kApplicant);
  CHECK(f.app->ErrorFor("applicant.full_name") == "Vui lòng nhập họ và tên");
  // A wrong ID number is judged when the citizen leaves the field.
  f.Type("applicant.id_number", InputKind::kDigits, "12345");
  CHECK_FALSE(f.app->ErrorFor("applicant.id_number").empty());
  // The pad takes digits only, and no more than twelve.
  f.Type("applicant.phone", InputKind::kDigits, "09x12345678901234");
  CHECK(f.app->Value("applicant.phone") == "09123456789");
}

TEST_CASE("after the inactivity countdown the session is wiped and the next citizen sees nothing") {
  Fixture f;
  f.FillApplicant();
  f.clock.Advance(89s);
  f.app->Tick();
  CHECK_FALSE(f.app->countdown_showing());
  f.clock.Advance(2s);
  f.app->Tick();
  CHECK(f.app->countdown_showing());
  CHECK(f.app->screen() == ScreenId::kApplicant);
  f.clock.Advance(15s);
  f.app->Tick();
  CHECK(f.app->screen() == ScreenId::kAttract);
  CHECK(f.app->sessions_wiped() == 1);
  CHECK(f.app->session().values.empty());
  f.Do(intent::Start{});
  f.Do(intent::IdentifyNoCard{});
  CHECK(f.app->Value("applicant.full_name").empty());
  CHECK(f.app->Value("applicant.id_number").empty());
  // The composer starts empty too: a new key does not continue the last citizen's word.
  f.Type("applicant.full_name", InputKind::kText, "An");
  CHECK(f.app->Value("applicant.full_name") == "An");
}

TEST_CASE("a touch during the countdown keeps the session") {
  Fixture f;
  f.FillApplicant();
  f.clock.Advance(95s);
  f.app->Tick();
  REQUIRE(f.app->countdown_showing());
  f.Do(intent::StillHere{});
  f.clock.Advance(20s);
  f.app->Tick();
  CHECK(f.app->screen() == ScreenId::kApplicant);
  CHECK(f.app->Value("applicant.full_name") == "Nguyễn Thị Hoà");
}

TEST_CASE("no printer: no queue number is issued, and the citizen is told calmly") {
  Fixture f;
  f.Do(intent::Start{});
  f.Go(ScreenId::kTicket);
  f.Do(intent::TakeTicket{.counter = "HT"});
  REQUIRE(f.app->ticket());
  CHECK(f.app->ticket()->print.state == JobState::kFailed);
  CHECK(f.app->ticket()->print.error_key == "printer.not_configured");
  CHECK(*f.store->tickets().Waiting("HT") == 0);
}

TEST_CASE("a ticket that cannot print is recorded print_failed, never issued") {
  Fixture f("file:/nonexistent-mck-dir/printer.bin");
  REQUIRE(f.devices.printer);
  f.Do(intent::Start{});
  f.Go(ScreenId::kTicket);
  f.Do(intent::TakeTicket{.counter = "HT"});
  REQUIRE(f.app->ticket());
  REQUIRE(f.PumpUntil([&] { return f.app->ticket()->print.state != JobState::kRunning; }));
  CHECK(f.app->ticket()->print.state == JobState::kFailed);
  CHECK(f.app->ticket()->print.error_key == "ticket.print_failed");
  CHECK(*f.store->tickets().Waiting("HT") == 0);
}

TEST_CASE("a printed ticket is issued and waits at its counter") {
  Fixture f("file:" + (TempDir() / "tickets.bin").string());
  f.Do(intent::Start{});
  f.Go(ScreenId::kTicket);
  f.Do(intent::TakeTicket{.counter = "CT"});
  REQUIRE(f.PumpUntil([&] { return f.app->ticket()->print.state != JobState::kRunning; }));
  CHECK(f.app->ticket()->print.state == JobState::kDone);
  CHECK(f.app->ticket()->number == 1);
  CHECK(*f.store->tickets().Waiting("CT") == 1);
}

TEST_CASE("a rating is stored and queued for the portal, and an unknown code on look-up is told calmly") {
  Fixture f;
  f.Do(intent::Start{});
  f.Go(ScreenId::kRating);
  f.Do(intent::SubmitRating{});
  CHECK(f.app->notice() == "rating.choose_one");
  f.Do(intent::SetScore{.criterion = "overall", .score = 3});
  f.Type("rating.comment", InputKind::kText, "Nhanh, chu ddaos");
  f.Do(intent::SubmitRating{});
  CHECK(f.app->screen() == ScreenId::kThanks);
  auto leased = f.store->outbox().Lease("test", 10, 60s);
  REQUIRE(leased.ok());
  REQUIRE(leased->size() == 1);
  CHECK(leased->front().kind == OutboxKind::kRating);

  f.Do(intent::StartOver{});
  f.Do(intent::Start{});
  f.Go(ScreenId::kLookup);
  f.Type("lookup", InputKind::kPlain, "k07-000000-0001");
  f.Type("lookup.dob", InputKind::kDate, "15031990");  // a code needs the date of birth
  f.Do(intent::Lookup{});
  CHECK_FALSE(f.app->lookup().found);
  CHECK(f.app->lookup().error_key == "lookup.not_found");
}

TEST_CASE("the chip read: a card lifted mid-read is told calmly, laid down again it fills the form (chip_no_csca)") {
  Fixture f;
  REQUIRE(f.devices.card);
  const auto state = f.dir / "card-sim-state.json";
  std::ofstream(state) << R"({"reader": true, "card": 2, "fault": "card_removed"})"
                       << "\n";
  f.Do(intent::Start{});
  f.Do(intent::IdentifyTyped{});
  f.Type("applicant.id_number", InputKind::kDigits, "027195003456");
  f.Type("applicant.date_of_birth", InputKind::kDate, "22071995");
  f.Do(intent::ReadChip{});
  CHECK(f.app->card_read() == JobState::kRunning);
  REQUIRE(f.PumpUntil([&] { return f.app->card_read() != JobState::kRunning; }));
  CHECK(f.app->card_read() == JobState::kFailed);
  CHECK(f.app->card_message() == "card.error.card_removed");
  CHECK(f.app->Value("applicant.full_name").empty());

  std::ofstream(state) << R"({"reader": true, "card": 2, "fault": ""})"
                       << "\n";
  f.Do(intent::ReadChip{});
  REQUIRE(f.PumpUntil([&] { return f.app->card_read() != JobState::kRunning; }));
  CHECK(f.app->card_read() == JobState::kDone);
  CHECK(f.app->Value("applicant.full_name") == "Trần Thị Mai");
  CHECK(f.app->session().identity_source == IdentitySource::kChip);
  CHECK(f.app->session().assurance == Assurance::kChipNoCsca);  // read, not verified: no CSCA in the sim
  CHECK(f.app->card_message() == "card.read_ok");
  CHECK(f.app->session().from_card.count("applicant.full_name") == 1);
}

TEST_CASE("a QR that is not a citizen ID card is refused calmly, a card QR fills the applicant as qr") {
  Fixture f;
  f.Do(intent::Start{});
  f.Go(ScreenId::kIdentify);
  f.app->OnEvent(QrScanned{"https://example.com/not-a-card"});
  CHECK(f.app->screen() == ScreenId::kApplicant);
  CHECK(f.app->card_message() == "card.qr_unknown");
  f.app->OnEvent(QrScanned{"024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Thôn Ví Dụ, Xã Mẫu|10052021"});
  CHECK(f.app->Value("applicant.full_name") == "Nguyễn Văn Thử");
  CHECK(f.app->Value("applicant.date_of_birth") == "15031990");
  CHECK(f.app->session().identity_source == IdentitySource::kQr);
  CHECK(f.app->session().assurance == Assurance::kQrOnly);
}

TEST_CASE("a card QR held to the scanner on the attract screen starts a submission at the applicant, anything else is looked up") {
  Fixture f;
  REQUIRE(f.app->screen() == ScreenId::kAttract);
  f.app->OnEvent(QrScanned{"024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Thôn Ví Dụ, Xã Mẫu|10052021"});
  CHECK(f.app->screen() == ScreenId::kApplicant);
  CHECK(f.app->Value("applicant.full_name") == "Nguyễn Văn Thử");
  CHECK(f.app->session().identity_source == IdentitySource::kQr);
  CHECK(f.app->card_message().empty());  // the reader is there: the chip button is the next step
  f.Do(intent::Back{});
  CHECK(f.app->screen() == ScreenId::kMenu);  // back leads to the menu, not to the attract screen
  // From the menu too; a new session each time it starts from the attract screen.
  f.app->OnEvent(QrScanned{"024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Thôn Ví Dụ, Xã Mẫu|10052021"});
  CHECK(f.app->screen() == ScreenId::kApplicant);
  f.Do(intent::StartOver{});
  REQUIRE(f.app->screen() == ScreenId::kAttract);
  CHECK(f.app->Value("applicant.full_name").empty());
  // A receipt's QR (or anything that is not a card's) goes to the look-up, calmly.
  f.app->OnEvent(QrScanned{"K07-261207-0099"});
  CHECK(f.app->screen() == ScreenId::kLookup);
  CHECK_FALSE(f.app->lookup().error_key.empty());
}

TEST_CASE("the commune's suggestion fills a text field with one tap, and the lĩnh vực buttons unfold on request") {
  Fixture f;
  f.config.suggestions["birth_place"] = {"Trạm y tế xã Mẫu"};
  f.FillApplicant();
  f.Do(intent::ApplicantDone{});
  REQUIRE(f.app->screen() == ScreenId::kProcedure);
  CHECK_FALSE(f.app->session().show_fields);
  f.Do(intent::ShowFields{});
  CHECK(f.app->session().show_fields);
  f.Do(intent::ChooseProcedure{.code = "1.001193"});
  f.Do(intent::BeforeStartDone{});
  REQUIRE(f.app->screen() == ScreenId::kForm);
  f.Do(intent::SetValue{.key = "fields.birth_place", .value = "Trạm y tế xã Mẫu"});
  CHECK(f.app->Value("fields.birth_place") == "Trạm y tế xã Mẫu");
  CHECK(f.app->ErrorFor("fields.birth_place").empty());
  f.Do(intent::StartOver{});
  CHECK_FALSE(f.app->session().show_fields);  // wiped with the session
}

TEST_CASE(
    "staff mode opens only with the PIN, locks after wrong tries, calls the next ticket, and locks with the wipe") {
  Fixture f;
  f.config.pin_max_attempts = 3;
  {
    StaffAuth auth(*f.store, f.clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  // Two tickets waiting at HT, issued as the printer would have confirmed.
  for (int i = 0; i < 2; ++i) {
    auto t = f.store->tickets().Reserve("HT", std::nullopt);
    REQUIRE(t.ok());
    REQUIRE(f.store->tickets().SetState(t->id, TicketState::kIssued).ok());
  }
  f.Do(intent::Start{});
  f.Go(ScreenId::kStaff);
  CHECK(f.app->screen() == ScreenId::kMenu);  // not without the PIN
  f.Go(ScreenId::kStaffPin);
  REQUIRE(f.app->screen() == ScreenId::kStaffPin);
  CHECK(f.app->focused_key() == "staff.pin");
  for (char c : std::string("111111")) f.Do(intent::Key{.text = std::string(1, c)});
  CHECK(f.app->DisplayValue("staff.pin").find('1') == std::string::npos);  // masked
  f.Do(intent::StaffUnlock{});
  CHECK(f.app->screen() == ScreenId::kStaffPin);
  CHECK(f.app->pin_message() == "staff.pin_wrong");
  CHECK(f.app->pin_message_number() == 2);
  CHECK(f.app->Value("staff.pin").empty());  // the typed PIN is wiped after each try
  for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::StaffUnlock{});
  REQUIRE(f.app->screen() == ScreenId::kStaff);
  REQUIRE_FALSE(f.app->staff().counters.empty());
  CHECK(f.app->staff().counters.front().counter == "HT");
  CHECK(f.app->staff().counters.front().waiting == 2);
  f.Do(intent::CallNext{.counter = "HT"});
  CHECK(f.app->staff().called == "HT-001");
  CHECK(f.app->staff().counters.front().waiting == 1);
  f.Do(intent::CallNext{.counter = "HT"});
  f.Do(intent::CallNext{.counter = "HT"});
  CHECK(f.app->staff().message_key == "staff.none_waiting");
  // Walking away locks staff mode like any session.
  f.clock.Advance(std::chrono::seconds(f.config.inactivity_timeout_s + f.config.inactivity_countdown_s + 1));
  f.app->Tick();
  CHECK(f.app->screen() == ScreenId::kAttract);
  f.Do(intent::Start{});
  f.Go(ScreenId::kStaff);
  CHECK(f.app->screen() == ScreenId::kMenu);
}

TEST_CASE("staff reprint a number whose ticket did not print and a dossier's slip, one job at a time") {
  const auto paper = TempDir() / "printer.bin";
  Fixture f("file:" + paper.string());
  {
    StaffAuth auth(*f.store, f.clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  auto t = f.store->tickets().Reserve("CT", std::nullopt);
  REQUIRE(t.ok());
  REQUIRE(f.store->tickets().SetState(t->id, TicketState::kPrintFailed).ok());
  const nlohmann::json body = {{"procedure_code", "2.000815"},
                               {"applicant", {{"full_name", "Nguyễn Thị Hoà"}, {"id_number", "024190001234"}}},
                               {"fields", {{"pages", 2}}}};
  auto d = f.store->dossiers().Submit(body, {}, "test");
  REQUIRE(d.ok());
  // Not before staff mode is unlocked.
  f.Do(intent::StaffReprintReceipt{.client_id = d->client_id});
  CHECK_FALSE(std::filesystem::exists(paper));

  f.Do(intent::Start{});
  f.Go(ScreenId::kStaffPin);
  for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::StaffUnlock{});
  REQUIRE(f.app->screen() == ScreenId::kStaff);
  REQUIRE(f.app->staff().failed_tickets.size() == 1);
  REQUIRE(f.app->staff().dossiers.size() == 1);
  CHECK(f.app->staff().Pending() == 1);

  f.Do(intent::StaffReprintTicket{.ticket_id = t->id});
  CHECK(f.app->staff().print.state == JobState::kRunning);
  CHECK(f.app->staff().message_arg == "CT-001");
  // A tap while the ticket prints is not queued behind it.
  f.Do(intent::StaffReprintReceipt{.client_id = d->client_id});
  CHECK(f.app->staff().message_key == "staff.reprinting_ticket");
  REQUIRE(f.PumpUntil([&] { return f.app->staff().print.state != JobState::kRunning; }));
  CHECK(f.app->staff().print.state == JobState::kDone);
  CHECK(f.app->staff().message_key == "staff.ticket_reprinted");
  CHECK(f.app->staff().failed_tickets.empty());
  CHECK(*f.store->tickets().Waiting("CT") == 1);  // the number now waits in its place
  const auto after_ticket = std::filesystem::file_size(paper);

  f.Do(intent::StaffReprintReceipt{.client_id = d->client_id});
  CHECK(f.app->staff().message_key == "staff.reprinting_receipt");
  CHECK(f.app->staff().message_arg == d->provisional_code);
  REQUIRE(f.PumpUntil([&] { return f.app->staff().print.state != JobState::kRunning; }));
  CHECK(f.app->staff().message_key == "staff.receipt_reprinted");
  CHECK(std::filesystem::file_size(paper) > after_ticket + 10000);  // a whole slip's raster
  std::filesystem::remove_all(paper.parent_path());
}

TEST_CASE(
    "staff request a supplement: a reason is required, missing required papers are listed, the officer is remembered") {
  Fixture f;
  {
    StaffAuth auth(*f.store, f.clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  const nlohmann::json body = {{"procedure_code", "1.001193"},
                               {"applicant", {{"full_name", "Nguyễn Thị Hoà"}, {"id_number", "024190001234"}}},
                               {"fields", {{"child_name", "Nguyễn Văn An"}}},
                               {"documents", {{{"id", "birth_certificate"}, {"presented_at_counter", false}}}}};
  auto d = f.store->dossiers().Submit(body, {}, "test");
  REQUIRE(d.ok());
  f.Do(intent::Start{});
  f.Go(ScreenId::kStaffDossier);
  CHECK(f.app->screen() == ScreenId::kMenu);  // not without the PIN
  f.Go(ScreenId::kStaffPin);
  for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::StaffUnlock{});
  REQUIRE(f.app->screen() == ScreenId::kStaff);
  f.Do(intent::StaffOpenDossier{.client_id = d->client_id});
  REQUIRE(f.app->screen() == ScreenId::kStaffDossier);
  REQUIRE(f.app->staff_dossier());
  const auto& v = *f.app->staff_dossier();
  CHECK(v.provisional_code == d->provisional_code);
  REQUIRE(v.papers.size() == 2);
  CHECK_FALSE(v.papers[0].received);  // not ticked by the citizen: not assumed received

  f.Type("staff.officer", InputKind::kText, "CB01");
  f.Do(intent::StaffDecide{.decision = "request_supplement"});
  CHECK(f.app->staff_dossier()->decided.empty());
  CHECK(f.app->staff_dossier()->error_vi.find("Cần ghi lý do") != std::string::npos);
  f.Type("staff.reason", InputKind::kText, "Thieeus giaays chuwngs sinh");
  f.Do(intent::StaffDecide{.decision = "request_supplement"});
  CHECK(f.app->staff_dossier()->decided == "request_supplement");
  CHECK(f.app->staff().message_key == "staff.decided_supplement");
  CHECK(f.outbox_nudges == 1);
  f.Do(intent::StaffDecide{.decision = "accept"});  // one decision a visit
  auto rec = f.store->dossiers().Get(d->client_id).value();
  auto decisions = f.store->decisions().For(rec).value();
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0].body["reason"] == "Thiếu giấy chứng sinh");
  CHECK(decisions[0].body["supplement"] == nlohmann::json::array({"Giấy chứng sinh"}));

  // Back to the list: the dossier's personal data leaves memory; the officer's name stays.
  f.Do(intent::Back{});
  CHECK(f.app->screen() == ScreenId::kStaff);
  CHECK_FALSE(f.app->staff_dossier());
  f.Do(intent::StaffOpenDossier{.client_id = d->client_id});
  CHECK(f.app->Value("staff.officer") == "CB01");
  CHECK(f.app->Value("staff.reason").empty());
  REQUIRE(f.app->staff_dossier()->decisions.size() == 1);
  // The wipe closes it too.
  f.Do(intent::StartOver{});
  CHECK_FALSE(f.app->staff_dossier());
}

TEST_CASE("staff see why the portal refused a dossier, in the form's words, and send it again") {
  Fixture f;
  {
    StaffAuth auth(*f.store, f.clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  const nlohmann::json body = {{"procedure_code", "1.001193"},
                               {"applicant", {{"full_name", "Nguyễn Thị Hoà"}, {"id_number", "024190001234"}}},
                               {"fields", {{"child_name", "Nguyễn Văn An"}, {"child_dob", "2026-11-02"}}}};
  auto d = f.store->dossiers().Submit(body, {}, "test");
  REQUIRE(d.ok());
  auto items = f.store->outbox().Lease("test", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 1);
  REQUIRE(f.store->outbox()
              .RecordNeedsAttention(items[0], "422 validation failed",
                                    nlohmann::json::array({{{"field", "fields.child_dob"},
                                                            {"message", "Ngày sinh sau ngày cấp giấy chứng sinh"}}}))
              .ok());
  f.Do(intent::Start{});
  f.Go(ScreenId::kStaffPin);
  for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::StaffUnlock{});
  REQUIRE(f.app->screen() == ScreenId::kStaff);
  f.Do(intent::StaffOpenDossier{.client_id = d->client_id});
  REQUIRE(f.app->staff_dossier());
  CHECK(f.app->staff_dossier()->needs_attention);
  REQUIRE(f.app->staff_dossier()->portal_reasons.size() == 1);
  CHECK(f.app->staff_dossier()->portal_reasons[0] == "Ngày sinh của trẻ: Ngày sinh sau ngày cấp giấy chứng sinh");
  // The refused value is offered for correction, prefilled with what was sent (DDMMYYYY).
  REQUIRE(f.app->staff_dossier()->fixes.size() == 1);
  CHECK(f.app->staff_dossier()->fixes[0].path == "fields.child_dob");
  CHECK(f.app->staff_dossier()->fixes[0].kind == InputKind::kDate);
  CHECK(f.app->Value("staff.fix.fields.child_dob") == "02112026");
  // Sent again unchanged (no correction): the body is not checked again, the dossier is queued.
  f.Do(intent::StaffRequeue{});
  CHECK(f.app->staff().message_key == "staff.requeued");
  CHECK_FALSE(f.app->staff_dossier()->needs_attention);
  CHECK(f.outbox_nudges == 1);
  CHECK(f.store->dossiers().Get(d->client_id)->state == DossierState::kQueued);
  CHECK(f.store->outbox().Lease("test", 10, std::chrono::seconds(60))->size() == 1);  // in the outbox again
  f.Do(intent::StaffRequeue{});  // only a refused dossier is sent again
  CHECK(f.outbox_nudges == 1);
}

TEST_CASE("staff open a dossier whose stored portal reasons have odd types: the readable ones show, nothing throws") {
  Fixture f;
  {
    StaffAuth auth(*f.store, f.clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  const nlohmann::json body = {{"procedure_code", "1.001193"},
                               {"applicant", {{"full_name", "Nguyễn Thị Hoà"}, {"id_number", "024190001234"}}},
                               {"fields", {{"child_name", "Nguyễn Văn An"}, {"child_dob", "2026-11-02"}}},
                               {"documents", nlohmann::json::array({{{"id", 7}, {"presented_at_counter", "yes"}}})}};
  auto d = f.store->dossiers().Submit(body, {}, "test");
  REQUIRE(d.ok());
  auto items = f.store->outbox().Lease("test", 10, std::chrono::seconds(60)).value();
  REQUIRE(items.size() == 1);
  // What an older kiosk stored straight from the portal: numbers, objects and arrays where
  // strings belong (nlohmann's value() threw on each, on the UI thread).
  const auto odd = nlohmann::json::parse(R"([{"field": 5, "message": {"a": 1}}, "text", 7, null,
      {"field": "fields.child_dob", "message": ["x"]}, {"field": ["fields.child_name"], "message": "m"},
      {"field": "fields.child_dob", "message": "Ngày sinh sau ngày cấp giấy chứng sinh"}])");
  REQUIRE(f.store->outbox().RecordNeedsAttention(items[0], "portal dossier: HTTP 422", odd).ok());
  f.Do(intent::Start{});
  f.Go(ScreenId::kStaffPin);
  for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::StaffUnlock{});
  REQUIRE(f.app->screen() == ScreenId::kStaff);
  f.Do(intent::StaffOpenDossier{.client_id = d->client_id});
  REQUIRE(f.app->staff_dossier());
  CHECK(f.app->staff_dossier()->needs_attention);
  const auto& reasons = f.app->staff_dossier()->portal_reasons;
  CHECK(std::find(reasons.begin(), reasons.end(), "Ngày sinh của trẻ: Ngày sinh sau ngày cấp giấy chứng sinh") !=
        reasons.end());
  CHECK(std::find(reasons.begin(), reasons.end(), "m") != reasons.end());  // the readable half of an entry
  CHECK(reasons.size() == 3);  // "x"-array message entry keeps its field only
}

TEST_CASE("staff PIN lock-out after the configured number of wrong tries") {
  Fixture f;
  f.config.pin_max_attempts = 2;
  f.config.pin_lockout_s = 300;
  {
    StaffAuth auth(*f.store, f.clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  f.Do(intent::Start{});
  f.Go(ScreenId::kStaffPin);
  for (int i = 0; i < 2; ++i) {
    for (char c : std::string("000000")) f.Do(intent::Key{.text = std::string(1, c)});
    f.Do(intent::StaffUnlock{});
  }
  for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::StaffUnlock{});  // the right PIN, but locked: not even compared
  CHECK(f.app->screen() == ScreenId::kStaffPin);
  CHECK(f.app->pin_message() == "staff.pin_locked");
  CHECK(f.app->pin_message_number() == 5);
}
