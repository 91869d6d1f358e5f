// Privacy at the screen, through the App with no window: the look-up asks for the receipt's QR
// or the code with the applicant's date of birth and is rate-limited; a wipe leaves no partial
// scanner line behind.
#include <catch2/catch.hpp>

#include "kiosk/app/app.h"
#include "tests/support/sample_dossier.h"
#include "tests/ui/app_fixture.h"

using namespace mck;
using namespace mck::app;

namespace {

struct Kiosk : uitest::AppDriver {
  std::filesystem::path dir = uitest::MakeTempDir("mck-privacy");
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  std::unique_ptr<Store> store;
  Strings strings;
  SubmittedDossier dossier;

  Kiosk() {
    uitest::SetTestConfig(config, dir);
    config.printer = "none";
    StoreOptions so = uitest::TestStoreOptions(config, clock);
    store = uitest::OpenTestStore(so);
    uitest::LoadTestStrings(strings);
    nlohmann::json body = {{"procedure_code", "1.001193"}, {"applicant", test::SampleApplicant()}, {"fields", {}}};
    auto d = store->dossiers().Submit(body, {}, "v");
    REQUIRE(d.ok());
    dossier = *d;
    StartApp(uitest::TestAppDeps(config, *store, clock, strings, events, so));
    Do(intent::Start{});
  }
  ~Kiosk() {
    app.reset();
    std::filesystem::remove_all(dir);
  }
  // One look-up on the screen: the code typed, and the date of birth as the pad takes it.
  const LookupView& Lookup(const std::string& code, const std::string& dob_digits) {
    Go(ScreenId::kLookup);
    Do(intent::SetValue{.key = "lookup", .value = code});
    Do(intent::SetValue{.key = "lookup.dob", .value = dob_digits});
    Do(intent::Lookup{});
    return app->lookup();
  }
};

}  // namespace

TEST_CASE("a typed provisional code alone shows nothing, with the wrong date of birth neither") {
  Kiosk k;
  const LookupView& alone = k.Lookup(k.dossier.provisional_code, "");
  CHECK_FALSE(alone.found);
  CHECK(alone.error_key == "lookup.need_dob");
  CHECK(alone.procedure_name.empty());
  const LookupView& wrong = k.Lookup(k.dossier.provisional_code, "16031990");
  CHECK_FALSE(wrong.found);
  CHECK(wrong.error_key == "lookup.not_found");  // the same as an unknown code: no oracle
  CHECK(wrong.state.empty());
  CHECK(k.Lookup("K07-000000-0009", "15031990").error_key == "lookup.not_found");
}

TEST_CASE("the code with the right date of birth, or the receipt's QR alone, shows the dossier") {
  Kiosk k;
  const LookupView& right = k.Lookup(k.dossier.provisional_code, "15031990");
  REQUIRE(right.found);
  CHECK(right.provisional_code == k.dossier.provisional_code);
  CHECK(right.state == "queued");
  k.Do(intent::StartOver{});
  k.Do(intent::Start{});
  k.Go(ScreenId::kLookup);
  // The scanner types the receipt's QR (the client id) and Enter.
  k.app->WedgeText(k.dossier.client_id.c_str());
  REQUIRE(k.app->WedgeEnter());
  k.Settle();
  REQUIRE(k.app->lookup().found);
  CHECK(k.app->lookup().provisional_code == k.dossier.provisional_code);
}

TEST_CASE("look-ups are limited per citizen and per kiosk minute, with a Vietnamese message") {
  Kiosk k;
  for (int i = 0; i < core::LookupThrottle::kPerSession; ++i) {
    CHECK(k.Lookup(k.dossier.provisional_code, "0101200" + std::to_string(i)).error_key == "lookup.not_found");
  }
  // The (per-session)+1-th attempt: refused even with the right date of birth.
  const LookupView& refused = k.Lookup(k.dossier.provisional_code, "15031990");
  CHECK_FALSE(refused.found);
  CHECK(refused.error_key == "lookup.too_many");
  CHECK(k.app->T("lookup.too_many").find("quá nhiều lần") != std::string::npos);
  // A new citizen (the session wiped) may look up again, until the kiosk's minute is full.
  k.Do(intent::StartOver{});
  k.Do(intent::Start{});
  for (int i = core::LookupThrottle::kPerSession; i < core::LookupThrottle::kPerMinute; ++i) {
    CHECK(k.Lookup(k.dossier.provisional_code, "0101200" + std::to_string(i % 10)).error_key == "lookup.not_found");
  }
  k.Do(intent::StartOver{});
  k.Do(intent::Start{});
  CHECK(k.Lookup(k.dossier.provisional_code, "15031990").error_key == "lookup.too_many");  // N+1 in the minute
  k.clock.Advance(std::chrono::seconds(61));
  CHECK(k.Lookup(k.dossier.provisional_code, "15031990").found);
}

TEST_CASE("a wipe zeroes the wedge scanner's partial line, so it never reaches the next citizen") {
  Kiosk k;
  k.Go(ScreenId::kLookup);
  const std::string partial = "024190001234|123456789|Nguyễn Thị Hoà|15031990|N";  // a card QR, half-scanned
  k.app->WedgeText(partial.c_str());
  REQUIRE(k.app->wedge_pending() == partial);
  k.Do(intent::StartOver{});  // the session ends (as the inactivity wipe does)
  CHECK(k.app->wedge_pending().empty());
  // The next citizen's Enter hands nothing on.
  k.Do(intent::Start{});
  CHECK_FALSE(k.app->WedgeEnter());
}
