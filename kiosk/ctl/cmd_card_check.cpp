// kioskctl card check: the card reader's set-up as it bears on identity assurance (which reader,
// and for PC/SC whether a CSCA is configured). A `pcsc` kiosk without a CSCA says that no chip
// card will ever count as verified. Reads the configuration only; never touches the reader.
// Exit: 0 (warnings included), 1 when a line is an error (a CSCA file that cannot be read).
#include <iostream>

#include "kiosk/core/identity_assurance.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"

namespace mck::ctl {
namespace {

using nlohmann::json;

int CardCheck(Context& ctx) {
  if (!ctx.ExpectArgs(0, "card check [--json]")) return kExitBadInput;
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  const auto lines = core::CardSetupDiagnostics(**cfg);
  bool error = false;
  json arr = json::array();
  for (const auto& l : lines) {
    error = error || l.level == core::CheckLevel::kError;
    arr.push_back(
        {{"check", l.key}, {"level", core::CheckLevelName(l.level)}, {"message", l.vi}, {"message_en", l.en}});
  }
  if (ctx.json()) {
    PrintJson(json{{"checks", arr}, {"ok", !error}});
  } else {
    for (const auto& l : lines) {
      const char* mark = l.level == core::CheckLevel::kOk        ? "[ok]  "
                         : l.level == core::CheckLevel::kWarning ? "[!]   "
                                                                 : "[LỖI] ";
      std::cout << mark << l.vi << "\n";
    }
  }
  return error ? kExitFailed : kExitOk;
}

const CommandRegistration kCardCheck({"card check", "[--json]",
                                      "The card reader's set-up: reader, CSCA (without one no chip counts as verified)",
                                      CardCheck});

}  // namespace
}  // namespace mck::ctl
