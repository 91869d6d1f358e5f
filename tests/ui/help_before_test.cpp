// "Gọi cán bộ hỗ trợ" and the procedure's "before you start" page, on the App (state + screen
// machine) with a real Store in a fresh directory and the core worker: the help request's states
// (one open request per kiosk, surviving the session wipe, dismissed by staff with an audit row)
// and the before-start page's words (papers, fee, time) and its spoken instruction.
#include <catch2/catch.hpp>

#include "kiosk/app/app.h"
#include "kiosk/app/before_start.h"
#include "offline/store/sqlite.h"
#include "offline/store/staff_auth.h"
#include "tests/ui/app_fixture.h"

using namespace mck;
using namespace mck::app;

namespace {

struct Fixture : uitest::AppDriver {
  std::filesystem::path dir = uitest::MakeTempDir("mck-help");
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  std::unique_ptr<Store> store;
  Strings strings;

  Fixture() {
    uitest::SetTestConfig(config, dir);
    config.printer = "none";
    const StoreOptions so = uitest::TestStoreOptions(config, clock);
    store = uitest::OpenTestStore(so);
    uitest::LoadTestStrings(strings);
    StartApp(uitest::TestAppDeps(config, *store, clock, strings, events, so));
  }
  ~Fixture() {
    app.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }

  // The audit rows of help requests, oldest first: "help.requested help-1 screen=form", ...
  std::vector<std::string> HelpAudit() {
    auto db = Db::Open((dir / "data" / "kiosk.db").string());
    REQUIRE(db.ok());
    auto s = (*db)->Prepare(
        "SELECT actor || ' ' || action || ' ' || subject || ' ' || detail FROM audit_log WHERE action LIKE 'help.%' "
        "ORDER BY id");
    REQUIRE(s.ok());
    std::vector<std::string> out;
    Status st;
    while (s->Step(&st)) out.push_back(s->Text(0));
    REQUIRE(st.ok());
    return out;
  }

  void ToForm(const std::string& code) {
    Do(intent::Start{});
    Go(ScreenId::kProcedure);
    Do(intent::ChooseProcedure{.code = code});
    REQUIRE(app->screen() == ScreenId::kBeforeStart);
    Do(intent::BeforeStartDone{});
    REQUIRE(app->screen() == ScreenId::kForm);
  }
};

}  // namespace

TEST_CASE("help: asked from the form, the citizen keeps their place and entries, one open request per kiosk") {
  Fixture f;
  f.ToForm("1.001193");
  f.Type("fields.child_name", InputKind::kText, "Nguyeenx Vawn An");
  f.Do(intent::Focus{.key = "fields.birth_place", .input = InputKind::kText});
  f.Do(intent::AskHelp{});
  CHECK(f.app->help() == JobState::kDone);  // the footer's "Đã báo cán bộ…"
  CHECK(f.app->screen() == ScreenId::kForm);
  CHECK(f.app->Value("fields.child_name") == "Nguyễn Văn An");
  CHECK(f.app->focused_key() == "fields.birth_place");  // the keyboard stays where it was
  auto open = f.store->help().Open();
  REQUIRE(open.ok());
  REQUIRE(open->size() == 1);
  const HelpRequest first = open->front();
  CHECK(first.kiosk_number == 7);
  CHECK(first.screen == "form");
  CHECK(first.requested_at.size() == 25);
  CHECK(first.requested_at.substr(19) == "+07:00");
  CHECK(first.open());

  // A second press while it is open: no second request.
  f.Do(intent::AskHelp{});
  CHECK(f.store->help().Open()->size() == 1);

  // The wipe does not cancel it (the person may still be standing there); the next session's
  // press finds the same open request.
  f.Do(intent::StartOver{});
  CHECK(f.app->help() == JobState::kNone);
  CHECK(f.store->help().Open()->size() == 1);
  f.Do(intent::Start{});
  f.Do(intent::AskHelp{});
  CHECK(f.app->help() == JobState::kDone);
  open = f.store->help().Open();
  REQUIRE(open->size() == 1);
  CHECK(open->front().id == first.id);
  CHECK(open->front().screen == "form");
  CHECK(f.HelpAudit() == std::vector<std::string>{"kiosk help.requested help-1 screen=form"});
}

TEST_CASE("help: staff see the open request at the top of staff mode and dismiss it, recorded with time and audit") {
  Fixture f;
  {
    StaffAuth auth(*f.store, f.clock, PinPolicy{});
    REQUIRE(auth.SetPin("246810").ok());
  }
  f.Do(intent::Start{});
  f.Go(ScreenId::kTicket);
  f.Do(intent::AskHelp{});
  REQUIRE(f.app->help() == JobState::kDone);
  const int64_t id = f.store->help().Open()->front().id;

  // Not from staff mode's own screens, and not dismissed while staff mode is locked.
  f.Do(intent::StaffDismissHelp{.help_id = id});
  CHECK(f.store->help().Open()->size() == 1);
  f.Do(intent::StartOver{});
  f.Do(intent::Start{});
  f.Go(ScreenId::kStaffPin);
  f.Do(intent::AskHelp{});
  CHECK(f.app->help() == JobState::kNone);
  for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::StaffUnlock{});
  REQUIRE(f.app->screen() == ScreenId::kStaff);
  REQUIRE(f.app->staff().help.size() == 1);
  CHECK(f.app->staff().help.front().id == id);
  CHECK(f.app->staff().help.front().screen == "ticket");

  f.clock.Advance(std::chrono::minutes(5));
  f.Do(intent::StaffDismissHelp{.help_id = id});
  CHECK(f.app->staff().help.empty());
  CHECK(f.app->staff().message_key == "staff.help_dismissed");
  CHECK(f.app->staff().message_arg == "7");
  CHECK(f.store->help().Open()->empty());
  auto done = f.store->help().Get(id);
  REQUIRE(done.ok());
  REQUIRE(done->dismissed_at.has_value());
  CHECK(*done->dismissed_at > done->requested_at);
  CHECK(done->dismissed_at->substr(19) == "+07:00");
  const auto audit = f.HelpAudit();
  REQUIRE(audit.size() == 2);
  CHECK(audit[1] == "staff help.dismissed help-1 screen=ticket requested_at=" + done->requested_at);
  // Dismissing again changes nothing and says nothing alarming.
  f.Do(intent::StaffDismissHelp{.help_id = id});
  CHECK(f.app->staff().message_key.empty());
  CHECK(f.HelpAudit().size() == 2);

  // A new press after the dismissal is a new request.
  f.Do(intent::StartOver{});
  f.Do(intent::Start{});
  f.Do(intent::AskHelp{});
  auto again = f.store->help().Open();
  REQUIRE(again->size() == 1);
  CHECK(again->front().id != id);
  CHECK(again->front().screen == "menu");
}

TEST_CASE("before you start: the papers, the fee and the time in plain words, spoken too, between choice and form") {
  Fixture f;
  f.Do(intent::Start{});
  f.Go(ScreenId::kProcedure);
  f.Do(intent::ChooseProcedure{.code = "1.001193"});  // Đăng ký khai sinh: free, 1 day
  REQUIRE(f.app->screen() == ScreenId::kBeforeStart);
  CHECK(std::string(ScreenName(ScreenId::kBeforeStart)) == "before_start");
  const BeforeStartText birth = DescribeBeforeStart(*f.app->procedure(), f.strings);
  CHECK(birth.required == std::vector<std::string>{"Giấy chứng sinh"});
  CHECK(birth.optional == std::vector<std::string>{"Giấy chứng nhận kết hôn của cha mẹ (nếu có)"});
  CHECK(birth.fee == "Miễn phí");
  CHECK(birth.time == "1 ngày làm việc");
  const std::string spoken = f.app->SpokenInstruction();
  CHECK(spoken == birth.spoken);
  CHECK(spoken.find("Giấy tờ cần mang: Giấy chứng sinh.") != std::string::npos);
  CHECK(spoken.find("Lệ phí: Miễn phí.") != std::string::npos);
  CHECK(spoken.find("Thời gian giải quyết: 1 ngày làm việc.") != std::string::npos);
  CHECK(spoken.find("Nếu có, mang thêm: Giấy chứng nhận kết hôn") != std::string::npos);
  CHECK(spoken.find('{') == std::string::npos);

  // Back chooses another procedure; its page has its own fee and time.
  f.Do(intent::Back{});
  REQUIRE(f.app->screen() == ScreenId::kProcedure);
  f.Do(intent::ChooseProcedure{.code = "2.001263"});  // nuôi con nuôi: 400.000 đồng, 30 days
  REQUIRE(f.app->screen() == ScreenId::kBeforeStart);
  const BeforeStartText adopt = DescribeBeforeStart(*f.app->procedure(), f.strings);
  CHECK(adopt.fee == "400.000 đồng");
  CHECK(adopt.time == "30 ngày làm việc (không tính thứ Bảy, Chủ nhật và ngày lễ)");
  CHECK(adopt.required.empty());
  CHECK(f.app->SpokenInstruction().find("Giấy tờ cần mang: không cần giấy tờ kèm theo.") != std::string::npos);
  CHECK(f.app->SpokenInstruction().find("Lệ phí: 400.000 đồng.") != std::string::npos);
  f.Do(intent::SetLanguage{.language = Language::kEn});
  CHECK(f.app->SpokenInstruction().find("Fee: 400.000 dong.") != std::string::npos);
  f.Do(intent::SetLanguage{.language = Language::kVi});
  f.Do(intent::BeforeStartDone{});
  CHECK(f.app->screen() == ScreenId::kForm);
  CHECK(f.app->SpokenInstruction() == f.strings.Get("speak.form"));
  // Back from the form shows the page again.
  f.Do(intent::Back{});
  CHECK(f.app->screen() == ScreenId::kBeforeStart);

  // The wording for a same-day procedure, and the thousands.
  Procedure same_day;
  same_day.processing_days = 0;
  same_day.fee_vnd = 8000;
  const BeforeStartText t = DescribeBeforeStart(same_day, f.strings);
  CHECK(t.time == "Ngay trong ngày");
  CHECK(t.fee == "8.000 đồng");
  CHECK(FormatThousands(0) == "0");
  CHECK(FormatThousands(999) == "999");
  CHECK(FormatThousands(1000) == "1.000");
  CHECK(FormatThousands(1234567) == "1.234.567");
  // Staff screens have no spoken instruction.
  f.Do(intent::StartOver{});
  f.Go(ScreenId::kStaffPin);
  CHECK(f.app->SpokenInstruction().empty());
}
