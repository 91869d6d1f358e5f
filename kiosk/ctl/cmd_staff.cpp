// kioskctl staff set-pin | staff check-pin | staff unlock [--role staff|technician] — the
// staff-mode PIN, or with --role technician the technician's (technician mode on the screen; set
// at install: `sudo -u _mot-cua kioskctl staff set-pin --role technician`, which refuses to replace
// one already set unless --replace). Hashed, with lock-outs that grow. The PIN is read from standard input, never from
// the command line (process lists show that). `staff unlock` is the technician's second factor: only someone who can
// open the store on the box (root, or the kiosk's own user: the data directory is 0700 and the key 0600) can run it, so
// a passer-by at the screen cannot keep staff locked out for ever.
#include <iostream>
#include <optional>
#include <string>

#include "kiosk/ctl/command.h"
#include "offline/domain/ids.h"
#include "offline/store/staff_auth.h"

namespace mck::ctl {
namespace {

PinPolicy PolicyFrom(const KioskConfig& c) {
  PinPolicy p;
  p.max_attempts = c.pin_max_attempts;
  p.lockout = std::chrono::seconds(c.pin_lockout_s);
  return p;
}

std::string ReadPin() {
  std::string pin;
  std::getline(std::cin, pin);
  while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
  return pin;
}

// --role staff (default) | technician; nullopt (after saying why) for anything else.
std::optional<PinRole> TakeRole(Context& ctx) {
  const auto role = ctx.TakeOption("--role");
  if (!role || *role == "staff") return PinRole::kStaff;
  if (*role == "technician") return PinRole::kTechnician;
  std::cerr << "kioskctl: --role is staff or technician\n";
  return std::nullopt;
}

const char* RoleVi(PinRole role) {
  return role == PinRole::kTechnician ? "kỹ thuật viên" : "cán bộ";
}
const char* RoleEn(PinRole role) {
  return role == PinRole::kTechnician ? "technician" : "staff";
}

// Runs `fn` with the PIN read from standard input, then wipes it.
template <typename Fn>
int WithPin(Context& ctx, const char* usage, Fn fn) {
  const auto role = TakeRole(ctx);
  const bool replace = ctx.TakeFlag("--replace");
  if (!role || ctx.RejectUnknownOptions(std::cerr) || !ctx.args().empty()) {
    std::cerr << "Usage: echo PIN | kioskctl " << usage << " [--role staff|technician]\n";
    return kExitBadInput;
  }
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  SystemClock clock;
  StaffAuth auth(**store, clock, PolicyFrom(**cfg), *role);
  std::string pin = ReadPin();
  const int code = fn(auth, pin, replace);
  SecureWipe(pin);
  return code;
}

int SetPin(Context& ctx) {
  return WithPin(ctx, "staff set-pin [--replace]", [&](StaffAuth& auth, const std::string& pin, bool replace) {
    if (auth.role() == PinRole::kTechnician && !replace) {
      // At install time: set once. A second install (or a script run twice) keeps the PIN the
      // technicians already know.
      auto has = auth.HasPin();
      if (!has.ok()) return ctx.Fail(has.status());
      if (*has) {
        std::cerr << "Mã PIN kỹ thuật viên đã được đặt; thêm --replace để thay / a technician PIN is already set; "
                     "add --replace to replace it\n";
        return kExitFailed;
      }
    }
    if (Status st = auth.SetPin(pin); !st.ok()) return ctx.Fail(st);
    std::cout << "Đã đặt mã PIN " << RoleVi(auth.role()) << " / " << RoleEn(auth.role()) << " PIN set\n";
    return kExitOk;
  });
}

int CheckPin(Context& ctx) {
  return WithPin(ctx, "staff check-pin", [&](StaffAuth& auth, const std::string& pin, bool) {
    auto r = auth.Verify(pin);
    if (!r.ok()) return ctx.Fail(r.status());
    switch (r->check) {
      case PinCheck::kOk: std::cout << "Mã PIN đúng / PIN ok\n"; return kExitOk;
      case PinCheck::kNotSet:
        std::cerr << "Chưa đặt mã PIN " << RoleVi(auth.role()) << " / no " << RoleEn(auth.role()) << " PIN set\n";
        return kExitFailed;
      case PinCheck::kLocked:
        std::cerr << "Mã PIN đang bị khoá thêm " << r->locked_for_s << " giây / PIN locked for " << r->locked_for_s
                  << " s\n";
        return kExitFailed;
      case PinCheck::kWrong:
        std::cerr << "Mã PIN sai, còn " << r->attempts_left << " lần thử / wrong PIN, " << r->attempts_left
                  << " attempts left\n";
        return kExitBadInput;
    }
    return kExitFailed;
  });
}

int Unlock(Context& ctx) {
  const auto role = TakeRole(ctx);
  if (!role || ctx.RejectUnknownOptions(std::cerr) || !ctx.args().empty()) {
    std::cerr << "Usage: kioskctl staff unlock [--role staff|technician]\n";
    return kExitBadInput;
  }
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  SystemClock clock;
  StaffAuth auth(**store, clock, PolicyFrom(**cfg), *role);
  if (Status st = auth.Unlock(); !st.ok()) return ctx.Fail(st);
  std::cout << "Đã mở khoá mã PIN " << RoleVi(*role) << " / " << RoleEn(*role) << " PIN unlocked\n";
  return kExitOk;
}

const CommandRegistration kSetPin({"staff set-pin", "[--role staff|technician] [--replace] (PIN on standard input)",
                                   "Set the staff-mode PIN, or the technician's (once, at install; --replace to "
                                   "change it) (6-12 digits, not trivial)",
                                   SetPin});
const CommandRegistration kCheckPin({"staff check-pin", "(PIN on standard input)",
                                     "Check a staff PIN (counts towards the lock-out)", CheckPin});

const CommandRegistration kUnlock({"staff unlock", "",
                                   "Lift a staff PIN lock-out (technician, on the box) and restart its ladder",
                                   Unlock});

}  // namespace
}  // namespace mck::ctl
