// kioskctl officer add | list | disable | enable | reset-pin | unlock — the commune's officers,
// who sign in to staff mode by name with their own PIN (docs/officers.md). The technician's tool,
// run on the box (only root or the kiosk's user can open the store). A PIN is read from standard
// input, never from the command line (process lists show that), and wiped after use.
#include <iostream>
#include <string>

#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/domain/ids.h"
#include "offline/store/officers.h"

namespace mck::ctl {
namespace {

OfficerPinPolicy OfficerPolicyFrom(const KioskConfig& c) {
  OfficerPinPolicy p;
  p.max_attempts = c.pin_max_attempts;
  p.lockout = std::chrono::seconds(c.pin_lockout_s);
  return p;
}

std::string ReadOfficerPin() {
  std::string pin;
  std::getline(std::cin, pin);
  while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
  return pin;
}

int OfficerAdd(Context& ctx) {
  const char* usage =
      "officer add ID --name NAME [--title TITLE] [--counter C]... [--sign-in pin|token] (pin: the PIN on standard "
      "input; token: the signing token's PIN, typed at each sign-in)";
  Officer o;
  o.name = ctx.TakeOption("--name").value_or("");
  o.title = ctx.TakeOption("--title").value_or("");
  while (auto c = ctx.TakeOption("--counter")) o.counters.push_back(*c);
  o.sign_in = ctx.TakeOption("--sign-in").value_or("pin");
  if (!ctx.ExpectArgs(1, usage)) return kExitBadInput;
  if (o.sign_in != "pin" && o.sign_in != "token") {
    std::cerr << "kioskctl: --sign-in is pin or token\n";
    return kExitBadInput;
  }
  o.id = ctx.args()[0];
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (o.sign_in == "token" && (*cfg)->signing_module.empty()) {
    return ctx.Fail(Status::Error(Code::kFailedPrecondition, "signing in with the token needs [signing] in kiosk.toml",
                                  "Đăng nhập bằng thiết bị ký số cần cấu hình [signing] trong kiosk.toml"));
  }
  std::string pin = o.sign_in == "token" ? std::string() : ReadOfficerPin();
  const Status st = (*store)->officers().Add(o, pin, OfficerPolicyFrom(**cfg));
  SecureWipe(pin);
  if (!st.ok()) return ctx.Fail(st);
  std::cout << "Đã thêm cán bộ " << o.id << " / officer " << o.id << " added\n";
  return kExitOk;
}

int OfficerList(Context& ctx) {
  if (!ctx.ExpectArgs(0, "officer list [--json]")) return kExitBadInput;
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto list = (*store)->officers().List();
  if (!list.ok()) return ctx.Fail(list.status());
  const int64_t now = UnixSeconds(SystemClock().Now());
  if (ctx.json()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : *list) {
      out.push_back({{"id", o.id},
                     {"name", o.name},
                     {"title", o.title},
                     {"counters", o.counters},
                     {"disabled", o.disabled},
                     {"sign_in", o.sign_in},
                     {"locked_for_s", o.locked_until > now ? o.locked_until - now : 0},
                     {"created_at", o.created_at}});
    }
    PrintJson(out);
    return kExitOk;
  }
  if (list->empty()) std::cout << "Chưa có cán bộ nào / no officers\n";
  for (const auto& o : *list) {
    std::string counters;
    for (const auto& c : o.counters) counters += (counters.empty() ? "" : ",") + c;
    std::cout << o.id << "\t" << o.name << "\t" << (o.title.empty() ? "-" : o.title) << "\t"
              << (counters.empty() ? "*" : counters) << "\t"
              << (o.disabled ? "disabled" : o.locked_until > now ? "locked" : "active") << "\t" << o.sign_in << "\n";
  }
  return kExitOk;
}

int OfficerSetDisabled(Context& ctx, bool disabled) {
  if (!ctx.ExpectArgs(1, disabled ? "officer disable ID" : "officer enable ID")) return kExitBadInput;
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (Status st = (*store)->officers().SetDisabled(ctx.args()[0], disabled); !st.ok()) return ctx.Fail(st);
  std::cout << (disabled ? "Đã khoá tài khoản cán bộ / officer disabled\n" : "Đã mở lại tài khoản cán bộ / officer enabled\n");
  return kExitOk;
}

int OfficerDisable(Context& ctx) {
  return OfficerSetDisabled(ctx, true);
}
int OfficerEnable(Context& ctx) {
  return OfficerSetDisabled(ctx, false);
}

int OfficerResetPin(Context& ctx) {
  if (!ctx.ExpectArgs(1, "officer reset-pin ID (PIN on standard input)")) return kExitBadInput;
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  std::string pin = ReadOfficerPin();
  const Status st = (*store)->officers().ResetPin(ctx.args()[0], pin, OfficerPolicyFrom(**cfg));
  SecureWipe(pin);
  if (!st.ok()) return ctx.Fail(st);
  std::cout << "Đã đặt lại mã PIN của cán bộ / officer's PIN reset\n";
  return kExitOk;
}

int OfficerUnlock(Context& ctx) {
  if (!ctx.ExpectArgs(1, "officer unlock ID")) return kExitBadInput;
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (Status st = (*store)->officers().Unlock(ctx.args()[0]); !st.ok()) return ctx.Fail(st);
  std::cout << "Đã mở khoá mã PIN của cán bộ / officer's PIN unlocked\n";
  return kExitOk;
}

const CommandRegistration kOfficerAdd({"officer add", "ID --name NAME [--title TITLE] [--counter C]... (PIN on standard input)",
                                "Add an officer who signs in to staff mode with their own PIN (6-12 digits)", OfficerAdd});
const CommandRegistration kOfficerList({"officer list", "[--json]", "List the officers (active, locked, disabled)", OfficerList});
const CommandRegistration kOfficerDisable({"officer disable", "ID", "Disable an officer (they can no longer sign in)",
                                    OfficerDisable});
const CommandRegistration kOfficerEnable({"officer enable", "ID", "Enable a disabled officer again", OfficerEnable});
const CommandRegistration kOfficerResetPin({"officer reset-pin", "ID (PIN on standard input)",
                                     "Give an officer a new PIN; clears failures and any lock-out", OfficerResetPin});
const CommandRegistration kOfficerUnlock({"officer unlock", "ID", "Lift an officer's PIN lock-out, PIN unchanged", OfficerUnlock});

}  // namespace
}  // namespace mck::ctl
