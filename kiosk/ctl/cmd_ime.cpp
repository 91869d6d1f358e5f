// kioskctl ime telex|vni "KEYS" [--tone-style new|old]: prints what the on-screen keyboard's
// Vietnamese input composes from a key sequence, for technicians checking keyboards.
#include <iostream>

#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "kiosk/text/ime.h"

namespace mck::ctl {
namespace {

using nlohmann::json;

int Ime(Context& ctx) {
  auto style_arg = ctx.TakeOption("--tone-style");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  const auto& args = ctx.args();
  if (args.size() < 2 || (args[0] != "telex" && args[0] != "vni")) {
    std::cerr << "Cách dùng / usage: kioskctl ime telex|vni \"KEYS\" [--tone-style new|old] [--json]\n"
              << "  ví dụ / example: kioskctl ime telex \"Nguyeenx Thij Hoaf\"\n";
    return kExitBadInput;
  }
  const auto method = args[0] == "telex" ? text::InputMethod::kTelex : text::InputMethod::kVni;
  // Several arguments are several words: `kioskctl ime telex Nguyeenx Thij Hoaf` also works.
  std::string keys;
  for (size_t i = 1; i < args.size(); ++i) keys += (i > 1 ? " " : "") + args[i];

  std::string style_name;
  if (style_arg) {
    style_name = *style_arg;
  } else if (auto cfg = ctx.Config(); cfg.ok()) {
    style_name = (*cfg)->tone_style;  // the kiosk's own setting, so the output matches its screen
  } else {
    style_name = "new";  // no configuration here: the common modern placement
  }
  if (style_name != "new" && style_name != "old") {
    std::cerr << "Kiểu bỏ dấu không hợp lệ / unknown tone style '" << style_name << "' (new: hoà, old: hòa)\n";
    return kExitBadInput;
  }
  const auto style = style_name == "new" ? text::ToneStyle::kNew : text::ToneStyle::kOld;
  const std::string composed = text::Compose(method, style, keys);
  if (ctx.json()) {
    PrintJson({{"method", args[0]}, {"keys", keys}, {"tone_style", style_name}, {"text", composed}});
  } else {
    std::cout << composed << "\n";
  }
  return kExitOk;
}

const CommandRegistration kIme(
    {"ime", "telex|vni \"KEYS\" [--tone-style new|old] [--json]",
     "Print what Telex or VNI input composes from KEYS (tone style: option, else config ui.tone_style)", Ime});

}  // namespace
}  // namespace mck::ctl
