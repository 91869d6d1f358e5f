#include "tests/ui/app_fixture.h"

#include <catch2/catch.hpp>

#include <unistd.h>

namespace mck::app::uitest {

std::filesystem::path MakeTempDir(const std::string& prefix) {
  std::string t = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  REQUIRE(mkdtemp(t.data()) != nullptr);
  return t;
}

void SetTestConfig(KioskConfig& config, const std::filesystem::path& dir) {
  config.kiosk_number = 7;
  config.data_dir = dir / "data";
  config.catalog_seed = std::filesystem::path(MCK_SOURCE_DIR) / "tests" / "ui" / "catalog-commune.json";
}

StoreOptions TestStoreOptions(const KioskConfig& config, const Clock& clock) {
  StoreOptions so;
  so.data_dir = config.data_dir;
  so.kiosk_number = config.kiosk_number;
  so.catalog_seed = config.catalog_seed;
  so.clock = &clock;
  return so;
}

std::unique_ptr<Store> OpenTestStore(const StoreOptions& options) {
  auto s = Store::Open(options);
  REQUIRE(s.ok());
  return std::move(s.value());
}

void LoadTestStrings(Strings& strings) {
  REQUIRE(strings.Load(std::filesystem::path(MCK_SOURCE_DIR) / "assets" / "i18n").ok());
}

AppDeps TestAppDeps(const KioskConfig& config, Store& store, const Clock& clock, Strings& strings, EventQueue& events,
                    const StoreOptions& options) {
  AppDeps deps;
  deps.config = &config;
  deps.store = &store;
  deps.clock = &clock;
  deps.strings = &strings;
  deps.events = &events;
  deps.store_options = options;
  return deps;
}

void AppDriver::StartApp(const AppDeps& deps) {
  app = std::make_unique<App>(deps);
  REQUIRE(app->Init().ok());
}

void AppDriver::Do(const Intent& in) {
  app->Apply(in);
  Settle();
}

void AppDriver::Go(ScreenId s) {
  Do(intent::Go{.screen = s});
}

void AppDriver::Settle() {
  for (int i = 0; i < 100 && app->busy(); ++i) {
    events.Wait(std::chrono::milliseconds(100));
    for (auto& e : events.Drain()) {
      if (IsCoreAnswer(e)) {
        app->OnEvent(e);
      } else {
        held.push_back(std::move(e));
      }
    }
  }
  REQUIRE_FALSE(app->busy());
}

bool AppDriver::IsCoreAnswer(const UiEvent& e) {
  return std::holds_alternative<SubmitFinished>(e) || std::holds_alternative<TicketReserved>(e) ||
         std::holds_alternative<TicketPrintRecorded>(e) || std::holds_alternative<DecisionRecorded>(e) ||
         std::holds_alternative<RatingStored>(e) || std::holds_alternative<PinChecked>(e) ||
         std::holds_alternative<HelpAsked>(e) || std::holds_alternative<HelpDismissed>(e);
}

void AppDriver::Type(const std::string& key, InputKind input, const std::string& keys) {
  Do(intent::Focus{.key = key, .input = input});
  for (char c : keys) Do(intent::Key{.text = std::string(1, c)});
  Do(intent::Unfocus{});  // "Xong"
}

bool AppDriver::PumpUntil(const std::function<bool()>& done) {
  for (int i = 0; i < 100 && !done(); ++i) {
    if (held.empty()) events.Wait(std::chrono::milliseconds(100));
    std::vector<UiEvent> batch = std::move(held);
    held.clear();
    for (auto& e : events.Drain()) batch.push_back(std::move(e));
    for (const auto& e : batch) app->OnEvent(e);
    Settle();
  }
  return done();
}

void AppDriver::Pump() {
  for (int i = 0; i < 20; ++i) {
    std::vector<UiEvent> batch = std::move(held);
    held.clear();
    for (auto& e : events.Drain()) batch.push_back(std::move(e));
    if (batch.empty()) return;
    for (const auto& e : batch) app->OnEvent(e);
    Settle();
  }
}

}  // namespace mck::app::uitest
