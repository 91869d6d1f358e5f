// The screen says the right thing for each kind of chip-read failure: the kind carried by
// CardReadFinished picks the message key, never the Status code (pcscd down and a lifted card
// share kUnavailable and must not share a message). The App is driven as the identify screen
// would, with a card service that only records requests, so every kind can be delivered.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <set>

#include "kiosk/app/app.h"
#include "kiosk/app/card_messages.h"
#include "tests/ui/app_fixture.h"

using namespace mck;
using namespace mck::app;

namespace {

class RecordingCardService final : public CardService {
 public:
  uint64_t Read(const card::AccessKey&) override { return ++last_request; }
  void Cancel() override { ++cancels; }
  uint64_t last_request = 0;
  int cancels = 0;
};

}  // namespace

TEST_CASE("each card failure kind has its own message key, in Vietnamese and English") {
  Strings strings;
  uitest::LoadTestStrings(strings);
  std::set<std::string> keys;
  for (card::CardFailure k : card::kAllCardFailures) {
    const std::string key = CardFailureMessageKey(k);
    INFO(key);
    CHECK(keys.insert(key).second);
    CHECK(strings.vi().count(key) == 1);
    CHECK(strings.en().count(key) == 1);
  }
  // The example, word for word: pcscd down is not "card removed".
  CHECK(strings.vi().at(CardFailureMessageKey(card::CardFailure::kServiceDown)) ==
        "Đầu đọc thẻ đang tạm ngừng, vui lòng nhập số định danh hoặc báo cán bộ.");
}

TEST_CASE("a failed chip read shows the message of its kind, whatever its Status code") {
  const auto dir = uitest::MakeTempDir("mck-ui-card");
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  uitest::SetTestConfig(config, dir);
  const StoreOptions so = uitest::TestStoreOptions(config, clock);
  auto store = uitest::OpenTestStore(so);
  Strings strings;
  uitest::LoadTestStrings(strings);
  RecordingCardService card;
  EventQueue events;  // the App's core worker answers here (this test only reads the chip)
  AppDeps deps = uitest::TestAppDeps(config, *store, clock, strings, events, so);
  deps.card = &card;
  {
    App app(deps);
    REQUIRE(app.Init().ok());
    auto type = [&](const std::string& key, InputKind input, const std::string& keys) {
      app.Apply(intent::Focus{key, input});
      for (char c : keys) app.Apply(intent::Key{std::string(1, c)});
      app.Apply(intent::Unfocus{});
    };
    app.Apply(intent::Start{});
    app.Apply(intent::Go{ScreenId::kIdentify});
    app.Apply(intent::IdentifyTyped{});
    REQUIRE(app.screen() == ScreenId::kApplicant);
    type("applicant.id_number", InputKind::kDigits, "024190001234");
    type("applicant.date_of_birth", InputKind::kDate, "15031990");

    for (card::CardFailure k : card::kAllCardFailures) {
      INFO(card::CardFailureName(k));
      app.Apply(intent::ReadChip{});
      REQUIRE(app.card_read() == JobState::kRunning);
      CardReadFinished done;
      done.request_id = card.last_request;
      // The Status code of a real failure of this kind: kServiceDown and kCardRemoved both
      // carry kUnavailable.
      done.status = card::MakeCardError(k, "test", "thử").status;
      done.failure = k;
      app.OnEvent(done);
      CHECK(app.card_read() == JobState::kFailed);
      CHECK(app.card_message() == CardFailureMessageKey(k));
    }
    // An abandoned read's result (an older request) changes nothing.
    app.Apply(intent::ReadChip{});
    CardReadFinished stale;
    stale.request_id = card.last_request - 1;
    stale.status = card::MakeCardError(card::CardFailure::kCardRemoved, "test", "thử").status;
    stale.failure = card::CardFailure::kCardRemoved;
    app.OnEvent(stale);
    CHECK(app.card_read() == JobState::kRunning);
    CHECK(app.card_message() == "card.reading");
  }
  std::filesystem::remove_all(dir);
}
