// Shared set-up for the tests that drive the App (state + screen machine) without a window: a
// test kiosk's config, store and strings, and an AppDriver that applies intents as main.cpp does
// and waits on the event queue (no sleeping) for the workers' answers.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/app/app.h"

namespace mck::app::uitest {

// A fresh directory under the system's temporary one, named `prefix`-XXXXXX.
std::filesystem::path MakeTempDir(const std::string& prefix);

// Kiosk number 7 with its data in `dir`/data and the test catalog (tests/ui/catalog-commune.json).
void SetTestConfig(KioskConfig& config, const std::filesystem::path& dir);
// The store options of `config`'s data directory and kiosk, reading time from `clock`.
StoreOptions TestStoreOptions(const KioskConfig& config, const Clock& clock);
// Opens the store (REQUIREd to succeed).
std::unique_ptr<Store> OpenTestStore(const StoreOptions& options);
// Loads the kiosk's catalogs (assets/i18n), REQUIREd to succeed.
void LoadTestStrings(Strings& strings);
// The App's dependencies every test gives; the printer, card and the rest are left to the test.
AppDeps TestAppDeps(const KioskConfig& config, Store& store, const Clock& clock, Strings& strings, EventQueue& events,
                    const StoreOptions& options);

// Owns the event queue and the App and drives the App as main.cpp does.
class AppDriver {
 public:
  ~AppDriver() { app.reset(); }

  // Makes the App from `deps` and initialises it (REQUIREd to succeed).
  void StartApp(const AppDeps& deps);
  // Applies an intent as main.cpp does, then waits (on the queue, no sleeping) until the core
  // worker has answered whatever it asked and applies those answers; other events (printer,
  // card) are held for Pump/PumpUntil.
  void Do(const Intent& in);
  void Go(ScreenId s);
  void Settle();
  static bool IsCoreAnswer(const UiEvent& e);
  // Types into a field the way the on-screen keyboard does: one key at a time, then "Xong".
  void Type(const std::string& key, InputKind input, const std::string& keys);
  // Waits on the queue for worker events (printer, card) and applies them, with the core
  // worker's answers they lead to, until `done`.
  bool PumpUntil(const std::function<bool()>& done);
  // Applies the events already queued (and those they lead to) until none is left.
  void Pump();

  EventQueue events;
  std::unique_ptr<App> app;
  std::vector<UiEvent> held;
};

}  // namespace mck::app::uitest
