// One core for the screen and kioskctl (issue 9): each document the kiosk prints is asked for once
// from the screen's side (the App, driven by intents, with a printer that records what it is
// given) and once from kioskctl's side (the real program on the same data directory, its
// `--json` carrying the printed document's text), and the two are compared line by line.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "drivers/printer/documents.h"
#include "kiosk/app/app.h"
#include "kiosk/core/counters.h"
#include "offline/domain/portal_status.h"
#include "offline/store/staff_auth.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/offline/fault_vfs.h"
#include "tests/ui/app_fixture.h"

using namespace mck;
using namespace mck::app;
using mck::printer::testing::Quote;
using nlohmann::json;

namespace {

// A printer that prints nothing: it keeps each document it is given and confirms at once.
class RecordingPrinter final : public PrintService {
 public:
  explicit RecordingPrinter(EventQueue& events) : events_(events) {}
  uint64_t PrintReceipt(const printer::KioskSlip& s) override {
    slips.push_back(s);
    return Done(PrintJobKind::kReceipt);
  }
  uint64_t PrintTicket(const printer::QueueTicketInfo& t) override {
    tickets.push_back(t);
    return Done(PrintJobKind::kTicket);
  }
  uint64_t PrintOfficialReceipt(const printer::OfficialReceipt& r) override {
    officials.push_back(r);
    return Done(PrintJobKind::kReceipt);
  }
  uint64_t PrintFeeReceipt(const printer::FeeReceipt& r) override {
    fees.push_back(r);
    return Done(PrintJobKind::kReceipt);
  }
  uint64_t PrintTestPage(const std::string&) override { return Done(PrintJobKind::kTestPage); }
  std::vector<printer::FeeReceipt> fees;
  std::vector<printer::KioskSlip> slips;
  std::vector<printer::QueueTicketInfo> tickets;
  std::vector<printer::OfficialReceipt> officials;

 private:
  uint64_t Done(PrintJobKind kind) {
    const uint64_t id = next_++;
    events_.Push(PrintFinished{id, kind, Status::Ok()});
    return id;
  }
  EventQueue& events_;
  uint64_t next_ = 1;
};

struct Kiosk : uitest::AppDriver {
  std::filesystem::path dir = uitest::MakeTempDir("mck-core");
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  std::unique_ptr<Store> store;
  Strings strings;
  RecordingPrinter printer{events};
  std::filesystem::path ctl_config = dir / "kiosk.toml";

  // `submitter`: how the App submits; null: the real use case over `store`. `vfs`: the SQLite VFS
  // every store connection of the kiosk uses (the screen's and the core worker's); "": SQLite's.
  explicit Kiosk(core::DossierSubmitter* submitter = nullptr, const std::string& vfs = "") {
    uitest::SetTestConfig(config, dir);
    config.commune_name = "UBND xã Mẫu";
    StoreOptions so = uitest::TestStoreOptions(config, clock);
    so.vfs = vfs;
    store = uitest::OpenTestStore(so);
    uitest::LoadTestStrings(strings);
    AppDeps deps = uitest::TestAppDeps(config, *store, clock, strings, events, so);
    deps.printer = &printer;
    deps.submitter = submitter;
    StartApp(deps);
    // kioskctl on the same data directory, printing into a file.
    std::ofstream(ctl_config) << "[kiosk]\nnumber = 7\ncommune_name = \"UBND xã Mẫu\"\ndata_dir = "
                              << json(config.data_dir.string()).dump()
                              << "\ncatalog_seed = " << json(config.catalog_seed.string()).dump()
                              << "\n[devices]\nprinter = " << json("file:" + (dir / "ctl-printer.bin").string()).dump()
                              << "\nprinter_width_mm = 80\n";
  }
  ~Kiosk() {
    app.reset();
    std::filesystem::remove_all(dir);
  }
  // kioskctl's --json answer.
  json Ctl(const std::string& args) {
    auto r = printer::testing::Run(Quote(KIOSKCTL_BIN) + " --config " + Quote(ctl_config.string()) + " " + args);
    INFO("kioskctl " << args << ": " << r.out);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  }
  void UnlockStaff() {
    {
      StaffAuth auth(*store, clock, PinPolicy{});
      REQUIRE(auth.SetPin("246810").ok());
    }
    Do(intent::Start{});
    Go(ScreenId::kStaffPin);
    for (char c : std::string("246810")) Do(intent::Key{.text = std::string(1, c)});
    Do(intent::StaffUnlock{});
    Pump();
    REQUIRE(app->screen() == ScreenId::kStaff);
  }
  // A citizen's dossier for birth registration, typed at the screen, with one paper ticked, up
  // to the review screen.
  void FillToReview() {
    Do(intent::Start{});
    Go(ScreenId::kIdentify);
    Do(intent::IdentifyTyped{});
    Type("applicant.id_number", InputKind::kDigits, "024190001234");
    Type("applicant.date_of_birth", InputKind::kDate, "15031990");
    Type("applicant.full_name", InputKind::kText, "Nguyeenx Thij Hoaf");
    Do(intent::SetValue{.key = "applicant.gender", .value = "Nữ"});
    Do(intent::ApplicantDone{});
    Do(intent::ChooseProcedure{.code = "1.001193"});
    Do(intent::BeforeStartDone{});
    Type("fields.child_name", InputKind::kText, "Nguyeenx Vawn An");
    Type("fields.child_dob", InputKind::kDate, "01092025");
    Do(intent::SetValue{.key = "fields.child_gender", .value = "Nam"});
    Type("fields.birth_place", InputKind::kText, "Tramj y tees xax Maaux");
    Do(intent::SetValue{.key = "fields.relationship", .value = "Mẹ"});
    Do(intent::FormDone{});
    Do(intent::ToggleDocument{.document_id = "birth_certificate"});
    Do(intent::DocumentsDone{});
    REQUIRE(app->screen() == ScreenId::kReview);
  }
  void SubmitAtTheScreen() {
    FillToReview();
    Do(intent::Submit{});
    Pump();
    REQUIRE(app->screen() == ScreenId::kSubmitted);
  }
};

std::vector<std::string> Lines(const json& text) {
  return text.get<std::vector<std::string>>();
}

// Lines without those that carry the time of printing (which differs by a second or a day).
std::vector<std::string> Timeless(std::vector<std::string> lines) {
  std::erase_if(lines, [](const std::string& l) { return l.rfind("Bản in lại - ", 0) == 0; });
  std::erase_if(lines, [](const std::string& l) { return l.rfind("Lấy số lúc ", 0) == 0; });
  return lines;
}

}  // namespace

TEST_CASE("a counter is named alike on the citizen's ticket, on the staff screen and by kioskctl") {
  Kiosk k;
  // XH serves two fields: the name joins both (kiosk/core/counters.h says why).
  const std::string name = core::CounterName(k.app->catalog(), "XH");
  CHECK(name == "Bảo trợ xã hội, Giảm nghèo");
  k.Do(intent::Start{});
  k.Go(ScreenId::kTicket);
  k.Do(intent::TakeTicket{.counter = "XH"});
  k.Pump();
  REQUIRE(k.printer.tickets.size() == 1);
  CHECK(k.app->ticket()->counter_name == name);
  CHECK(k.app->ticket()->print.state == JobState::kDone);

  const json ctl = k.Ctl("ticket take XH --json");
  CHECK(ctl["number"] == 2);
  // What the screen's ticket printed, with kioskctl's number and queue in place of its own.
  printer::QueueTicketInfo screen = k.printer.tickets[0];
  screen.number = ctl["number"];
  screen.waiting_before = ctl["waiting_before"];
  CHECK(Timeless(printer::LayoutText(printer::BuildQueueTicket(screen))) == Timeless(Lines(ctl["text"])));
  CHECK(std::find(Lines(ctl["text"]).begin(), Lines(ctl["text"]).end(), "Quầy XH - " + name) !=
        Lines(ctl["text"]).end());

  k.Do(intent::StartOver{});
  k.UnlockStaff();
  bool seen = false;
  for (const auto& c : k.app->staff().counters) {
    if (c.counter == "XH") {
      CHECK(c.name == name);
      seen = true;
    }
  }
  CHECK(seen);
}

TEST_CASE("the kiosk slip lists the same papers, optional ones marked, on the screen's print and kioskctl's") {
  Kiosk k;
  k.SubmitAtTheScreen();
  REQUIRE(k.printer.slips.size() == 1);
  const printer::KioskSlip& slip = k.printer.slips[0];
  REQUIRE(slip.documents_to_bring.size() == 2);  // every paper of the procedure
  CHECK(slip.documents_to_bring[0].required);
  CHECK_FALSE(slip.documents_to_bring[1].required);
  CHECK(slip.kiosk_number == 7);
  CHECK(slip.applicant_name == "Nguyễn Thị Hoà");

  const std::string code = k.app->session().submitted->provisional_code;
  const json ctl = k.Ctl("print receipt " + code + " --json");
  CHECK(ctl["document"] == "kiosk_slip");
  const auto screen_lines = printer::LayoutText(printer::BuildKioskSlip(slip));
  CHECK(Timeless(screen_lines) == Timeless(Lines(ctl["text"])));
  bool optional_marked = false;
  std::string joined;
  for (const auto& l : screen_lines) {
    optional_marked = optional_marked || l.find("(nếu có)") != std::string::npos;
    joined += l + " ";
  }
  CHECK(optional_marked);
  // A paper whose catalog name already says "(nếu có)" is not marked twice (seen on a printed slip).
  CHECK(joined.find("(nếu có) (nếu có)") == std::string::npos);

  // The staff reprint is the same slip again.
  k.Do(intent::StartOver{});
  k.UnlockStaff();
  k.Do(intent::StaffReprintReceipt{.client_id = k.store->dossiers().Get(code)->client_id});
  k.Pump();
  REQUIRE(k.printer.slips.size() == 2);
  CHECK(Timeless(printer::LayoutText(printer::BuildKioskSlip(k.printer.slips[1]))) == Timeless(screen_lines));
}

TEST_CASE("Mẫu 01 from the officer's accept on the screen is the one kioskctl prints for the dossier") {
  Kiosk k;
  k.SubmitAtTheScreen();
  const std::string code = k.app->session().submitted->provisional_code;
  const std::string client_id = k.app->session().submitted->client_id;
  k.Do(intent::StartOver{});
  k.UnlockStaff();
  k.Do(intent::StaffOpenDossier{.client_id = client_id});
  REQUIRE(k.app->screen() == ScreenId::kStaffDossier);
  k.Do(intent::StaffPaperForm{.document_id = "birth_certificate"});  // a certified copy, received
  k.Type("staff.officer", InputKind::kText, "Phamj Vawn Taam");
  k.Do(intent::StaffDecide{.decision = "accept"});
  k.Pump();
  REQUIRE(k.app->staff_dossier()->decided == "accept");
  REQUIRE(k.printer.officials.size() == 1);
  const printer::OfficialReceipt& screen = k.printer.officials[0];
  CHECK(screen.officer_name == "Phạm Văn Tâm");
  REQUIRE(screen.documents.size() == 1);
  CHECK(screen.documents[0].form == "Bản sao chứng thực");

  const json ctl = k.Ctl("print receipt " + code + " --official --json");
  CHECK(ctl["document"] == "official_receipt");
  CHECK(printer::LayoutText(printer::BuildOfficialReceipt(screen)) == Lines(ctl["text"]));
}

TEST_CASE("the portal's status words come from one table, in both languages, for every status the portal knows") {
  std::set<std::string> vi, en;
  for (const auto& s : PortalStatuses()) {
    CHECK(PortalStatusVi(s.code) == s.vi);
    CHECK(PortalStatusEn(s.code) == s.en);
    vi.insert(s.vi);
    en.insert(s.en);
  }
  CHECK(vi.size() == PortalStatuses().size());  // no two statuses read alike
  CHECK(en.size() == PortalStatuses().size());
  CHECK(PortalStatusVi("supplement_requested") == "Yêu cầu bổ sung hồ sơ");
  CHECK(PortalStatusVi("no_such_status") == "Không rõ trạng thái");
  // The screen's catalogs no longer carry a second copy of these words.
  Strings strings;
  REQUIRE(strings.Load(std::filesystem::path(MCK_SOURCE_DIR) / "assets" / "i18n").ok());
  for (const auto& [key, text] : strings.vi()) CHECK(key.rfind("portal.", 0) != 0);
}

namespace {
// The store refusing a submission, as the use case reports it (disk full here).
class RefusingSubmitter final : public core::DossierSubmitter {
 public:
  core::SubmitOutcome Submit(const json& body, std::vector<NewAttachment>) override {
    ++calls;
    last_body = body;
    core::SubmitOutcome out;
    out.problem = core::SubmitOutcome::Problem::kNotStored;
    out.status = Status::Error(Code::kUnavailable, "database or disk is full", "Bộ nhớ của máy đã đầy");
    return out;
  }
  int calls = 0;
  json last_body;
};
}  // namespace

TEST_CASE("submit failed: the store refuses, the citizen sees a calm message, keeps the session, nothing prints") {
  RefusingSubmitter refusing;
  Kiosk k(&refusing);
  k.FillToReview();
  // As main.cpp applies it: the store works on the core worker, the screen says "Đang lưu…".
  k.app->Apply(intent::Submit{});
  CHECK(k.app->submitting());
  CHECK(k.app->screen() == ScreenId::kReview);
  k.app->Apply(intent::Submit{});  // a second tap while it is being stored asks nothing more
  k.Settle();
  k.Pump();
  CHECK_FALSE(k.app->submitting());
  CHECK(refusing.calls == 1);
  CHECK(refusing.last_body["applicant"]["full_name"] == "Nguyễn Thị Hoà");
  CHECK(k.app->screen() == ScreenId::kReview);  // not "Đã nộp hồ sơ"
  CHECK(k.app->notice() == "submit.failed");
  CHECK_FALSE(k.strings.Get("submit.failed").empty());
  CHECK_FALSE(k.app->session().submitted);
  CHECK(k.app->Value("applicant.full_name") == "Nguyễn Thị Hoà");  // everything typed is kept
  CHECK(k.app->Value("fields.child_name") == "Nguyễn Văn An");
  CHECK(k.printer.slips.empty());
  CHECK(k.printer.tickets.empty());
  CHECK(k.store->dossiers().List()->empty());
  CHECK(k.store->outbox().Depth().value() == 0);
  // The citizen may try again: the App asks the store again (which still refuses here).
  k.Do(intent::Submit{});
  k.Pump();
  CHECK(refusing.calls == 2);
  CHECK(k.app->screen() == ScreenId::kReview);
}

// The same path for real: the kiosk's stores sit on the fault-injecting VFS (tests/offline/
// fault_vfs.h) and the disk fills in the middle of the submit's transaction.
TEST_CASE("disk full while submitting: the citizen is told calmly, nothing is half stored, the next try works") {
  mck::test::FaultVfs vfs("mck-fault-ui");
  Kiosk k(nullptr, vfs.name());
  k.FillToReview();
  for (const int64_t after : {int64_t{0}, int64_t{4096}}) {  // at once, and part-way through the transaction
    CAPTURE(after);
    vfs.FailWritesAfter(after);
    k.Do(intent::Submit{});
    k.Pump();
    CHECK(vfs.faults_injected() > 0);
    CHECK(k.app->screen() == ScreenId::kReview);  // never "Đã nộp hồ sơ" for what is not stored
    CHECK(k.app->notice() == "submit.failed");
    CHECK_FALSE(k.app->session().submitted);
    CHECK(k.app->Value("applicant.full_name") == "Nguyễn Thị Hoà");  // everything typed is kept
    CHECK(k.printer.slips.empty());
    vfs.Disarm();
    CHECK(k.store->dossiers().List()->empty());  // wholly absent
    CHECK(k.store->outbox().Depth().value() == 0);
  }
  auto check = k.store->Check();
  REQUIRE(check.ok());
  CHECK(check->ok());  // integrity and the audit chain
  // Space is back: the same session submits, and its code is the first of the day (none consumed).
  k.Do(intent::Submit{});
  k.Pump();
  REQUIRE(k.app->screen() == ScreenId::kSubmitted);
  REQUIRE(k.app->session().submitted);
  CHECK(k.app->session().submitted->provisional_code.substr(k.app->session().submitted->provisional_code.size() - 4) ==
        "0001");
  CHECK(k.store->dossiers().List()->size() == 1);
  CHECK(k.printer.slips.size() == 1);
}
