// kioskctl staff set-pin | staff check-pin | staff unlock — the staff-mode PIN (hashed, with
// lock-outs that grow). The PIN is read from standard input, never from the command line
// (process lists show that). `staff unlock` is the technician's second factor: only someone who
// can open the store on the box (root, or the kiosk's own user: the data directory is 0700 and the
// key 0600) can run it, so a passer-by at the screen cannot keep staff locked out for ever.
#include <iostream>
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

// Runs `fn` with the staff PIN read from standard input, then wipes it.
template <typename Fn>
int WithPin(Context& ctx, const char* usage, Fn fn) {
  if (ctx.RejectUnknownOptions(std::cerr) || !ctx.args().empty()) {
    std::cerr << "Usage: echo PIN | kioskctl " << usage << "\n";
    return kExitBadInput;
  }
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  SystemClock clock;
  StaffAuth auth(**store, clock, PolicyFrom(**cfg));
  std::string pin = ReadPin();
  const int code = fn(auth, pin);
  SecureWipe(pin);
  return code;
}

int SetPin(Context& ctx) {
  return WithPin(ctx, "staff set-pin", [&](StaffAuth& auth, const std::string& pin) {
    if (Status st = auth.SetPin(pin); !st.ok()) return ctx.Fail(st);
    std::cout << "Đã đặt mã PIN cán bộ / staff PIN set\n";
    return kExitOk;
  });
}

int CheckPin(Context& ctx) {
  return WithPin(ctx, "staff check-pin", [&](StaffAuth& auth, const std::string& pin) {
    auto r = auth.Verify(pin);
    if (!r.ok()) return ctx.Fail(r.status());
    switch (r->check) {
      case PinCheck::kOk: std::cout << "Mã PIN đúng / PIN ok\n"; return kExitOk;
      case PinCheck::kNotSet: std::cerr << "Chưa đặt mã PIN cán bộ / no staff PIN set\n"; return kExitFailed;
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
  if (ctx.RejectUnknownOptions(std::cerr) || !ctx.args().empty()) {
    std::cerr << "Usage: kioskctl staff unlock\n";
    return kExitBadInput;
  }
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  SystemClock clock;
  StaffAuth auth(**store, clock, PolicyFrom(**cfg));
  if (Status st = auth.Unlock(); !st.ok()) return ctx.Fail(st);
  std::cout << "Đã mở khoá mã PIN cán bộ / staff PIN unlocked\n";
  return kExitOk;
}

const CommandRegistration kSetPin({"staff set-pin", "(PIN on standard input)",
                                   "Set the staff-mode PIN (6-12 digits, not trivial)", SetPin});
const CommandRegistration kCheckPin({"staff check-pin", "(PIN on standard input)",
                                     "Check a staff PIN (counts towards the lock-out)", CheckPin});

const CommandRegistration kUnlock({"staff unlock", "",
                                   "Lift a staff PIN lock-out (technician, on the box) and restart its ladder",
                                   Unlock});

}  // namespace
}  // namespace mck::ctl
