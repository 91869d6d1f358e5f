// kioskctl provision --from PLAN.toml [--force] [--json] — provisions this kiosk from a plan
// (kiosk/core/provisioning.h; the format in docs/kioskctl.md "provision"): checks the whole plan
// first (every problem printed, nothing touched), then enrols, sets the technician and staff
// PINs and records the kiosk number and devices. Re-running the same plan changes nothing; a
// different plan needs --force.
#include <unistd.h>

#include <iostream>

#include "kiosk/core/provisioning.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/store/store.h"

namespace mck::ctl {
namespace {

using nlohmann::json;

const char* OutcomeName(core::StepOutcome o) {
  switch (o) {
    case core::StepOutcome::kDone: return "done";
    case core::StepOutcome::kUnchanged: return "unchanged";
    case core::StepOutcome::kFailed: return "failed";
  }
  return "?";
}

json StatusJson(const Status& st) {
  return {{"code", CodeName(st.code())}, {"message", st.message_en()}, {"message_vi", st.message_vi()}};
}

int Provision(Context& ctx) {
  auto from = ctx.TakeOption("--from");
  const bool force = ctx.TakeFlag("--force");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!from || !ctx.args().empty()) {
    std::cerr << "Usage: kioskctl provision --from PLAN.toml [--force] [--json]\n";
    return kExitBadInput;
  }
  auto plan = core::LoadPlan(*from);
  if (!plan.ok()) return ctx.Fail(plan.status());
  struct Wiper {
    core::ProvisioningPlan& p;
    ~Wiper() { p.Wipe(); }
  } wiper{plan.value()};

  // Every problem of the plan, before the store is even opened: a bad plan changes nothing.
  const auto problems = core::ValidatePlan(*plan);
  if (!problems.empty()) {
    if (ctx.json()) {
      json list = json::array();
      for (const auto& p : problems) list.push_back({{"key", p.key}, {"error", StatusJson(p.status)}});
      PrintJson({{"ok", false}, {"problems", list}});
    } else {
      std::cerr << "Kế hoạch cài đặt có " << problems.size() << " lỗi / the plan has " << problems.size()
                << " problem(s); nothing was changed:\n";
      for (const auto& p : problems) {
        std::cerr << "  " << p.key << ": " << p.status.message_vi() << "\n";
        if (p.status.message_vi() != p.status.message_en())
          std::cerr << "  " << p.key << ": " << p.status.message_en() << "\n";
      }
    }
    return kExitBadInput;
  }

  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  core::ProvisioningEnv env;
  env.data_dir = (*cfg)->data_dir;
  env.pin_policy.max_attempts = (*cfg)->pin_max_attempts;
  env.pin_policy.lockout = std::chrono::seconds((*cfg)->pin_lockout_s);
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  env.hostname = host;
  env.software_version = MCK_VERSION;
  env.connect_timeout = std::chrono::seconds((*cfg)->connect_timeout_s);
  env.transfer_timeout = std::chrono::seconds((*cfg)->transfer_timeout_s);
  env.proxy = (*cfg)->proxy;
  SystemClock clock;
  core::Provisioning provisioning(**store, clock, env);
  auto result = provisioning.Run(*plan, force, [&](const core::StepReport& r) {
    if (ctx.json()) return;
    std::ostream& out = r.outcome == core::StepOutcome::kFailed ? std::cerr : std::cout;
    out << "[" << core::StepName(r.step) << "] " << OutcomeName(r.outcome) << ": " << r.summary_vi;
    if (r.summary_vi != r.summary_en) out << " / " << r.summary_en;
    out << "\n";
  });
  if (!result.ok()) {
    if (ctx.json()) {
      PrintJson({{"ok", false}, {"error", StatusJson(result.status())}});
      return ExitCodeFor(result.status());
    }
    return ctx.Fail(result.status());
  }
  const core::StepReport* failed = nullptr;
  for (const auto& r : result->steps) {
    if (r.outcome == core::StepOutcome::kFailed) failed = &r;
  }
  if (ctx.json()) {
    json steps = json::array();
    for (const auto& r : result->steps) {
      json s = {{"step", core::StepName(r.step)},
                {"outcome", OutcomeName(r.outcome)},
                {"summary", r.summary_en},
                {"summary_vi", r.summary_vi}};
      if (!r.status.ok()) s["error"] = StatusJson(r.status);
      steps.push_back(s);
    }
    json j = {{"ok", failed == nullptr}, {"changed", result->changed}, {"steps", steps}};
    if (result->enrolment) {
      j["kiosk_id"] = result->enrolment->kiosk_id;
      j["certificate_expires_at"] = result->enrolment->cert_expires_at;
    }
    PrintJson(j);
  } else if (!failed) {
    if (result->changed) {
      std::cout << "Đã cài đặt kiosk / kiosk provisioned"
                << (result->enrolment ? ": " + result->enrolment->kiosk_id : std::string()) << "\n"
                << "Khởi động lại kiosk để áp dụng / restart the kiosk to apply the kiosk number and devices\n";
    } else {
      std::cout << "Không có gì thay đổi: kiosk đã đúng theo kế hoạch / nothing changed: the kiosk already "
                   "matches the plan\n";
    }
  }
  return failed ? ExitCodeFor(failed->status) : kExitOk;
}

const CommandRegistration kProvision({"provision", "--from PLAN.toml [--force] [--json]",
                                      "Provision this kiosk from a plan: enrol, technician and staff PINs, kiosk "
                                      "number and devices (re-runnable; a different plan needs --force)",
                                      Provision});

}  // namespace
}  // namespace mck::ctl
