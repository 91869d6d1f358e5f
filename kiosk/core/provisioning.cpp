// Provisioning's steps (kiosk/core/provisioning.h): each one looks first, then changes only what
// the plan asks and the kiosk does not already hold.
#include "kiosk/core/provisioning.h"

#include <toml++/toml.h>
#include <fstream>
#include <sstream>

#include "offline/domain/ids.h"
#include "offline/store/store.h"
#include "offline/sync/metrics.h"

namespace mck::core {

namespace {

std::string ReadFileOrEmpty(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string NormalUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();  // as the enrolment keeps it
  return url;
}

StepReport Report(ProvisioningStep step, StepOutcome outcome, Status st, std::string vi, std::string en) {
  return StepReport{step, outcome, std::move(st), std::move(vi), std::move(en)};
}

StepReport Failed(ProvisioningStep step, Status st) {
  std::string vi = st.message_vi(), en = st.message_en();
  return Report(step, StepOutcome::kFailed, std::move(st), std::move(vi), std::move(en));
}

StepReport Refused(ProvisioningStep step, const std::string& what_vi, const std::string& what_en) {
  return Failed(step, Status::Error(Code::kAlreadyExists, what_en + " (a different plan needs --force)",
                                    what_vi + " (kế hoạch khác: thêm --force để thay)"));
}

const char* PinNameVi(PinRole role) {
  return role == PinRole::kTechnician ? "Mã PIN kỹ thuật viên" : "Mã PIN cán bộ";
}
const char* PinNameEn(PinRole role) {
  return role == PinRole::kTechnician ? "technician PIN" : "staff PIN";
}

}  // namespace

const char* StepName(ProvisioningStep step) {
  switch (step) {
    case ProvisioningStep::kEnrol: return "enrol";
    case ProvisioningStep::kTechnicianPin: return "technician_pin";
    case ProvisioningStep::kStaffPin: return "staff_pin";
    case ProvisioningStep::kDevices: return "devices";
  }
  return "?";
}

bool PlanCheck::all_same() const {
  for (const auto& i : items) {
    if (i.state != StepState::kSame) return false;
  }
  return true;
}

bool PlanCheck::any_different() const {
  for (const auto& i : items) {
    if (i.state == StepState::kDifferent) return true;
  }
  return false;
}

Provisioning::Provisioning(Store& store, const Clock& clock, ProvisioningEnv env)
    : store_(store), clock_(clock), env_(std::move(env)) {}

std::string Provisioning::OverlayText(const ProvisioningPlan& p, const std::string& commune_name) {
  toml::table kiosk{{"number", p.kiosk_number}, {"commune_code", p.commune_code}};
  if (!commune_name.empty()) kiosk.insert("commune_name", commune_name);
  toml::table devices{{"printer", p.devices.printer},
                      {"printer_width_mm", p.devices.printer_width_mm},
                      {"card_reader", p.devices.card_reader},
                      {"card_reader_name", p.devices.card_reader_name},
                      {"qr_scanner", p.devices.qr_scanner}};
  toml::table root{{"kiosk", std::move(kiosk)},
                   {"portal", toml::table{{"url", NormalUrl(p.portal_url)}}},
                   {"devices", std::move(devices)}};
  std::ostringstream os;
  os << "# Written by `kioskctl provision` (kiosk/core/provisioning.h): this kiosk's own values,\n"
        "# applied over /etc/mot-cua/kiosk.toml. Change them by provisioning again (--force).\n"
     << root << "\n";
  return os.str();
}

Result<StepState> Provisioning::EnrolState(const ProvisioningPlan& plan, std::string* what_vi, std::string* what_en) {
  auto e = LoadEnrolment(store_);
  if (!e.ok()) {
    if (e.status().code() == Code::kFailedPrecondition) return StepState::kNew;
    return e.status();
  }
  *what_vi = "Kiosk đã đăng ký là " + e->kiosk_id + " với " + e->portal_url + " (xã " + e->commune_code + ")";
  *what_en = "kiosk is enrolled as " + e->kiosk_id + " with " + e->portal_url + " (commune " + e->commune_code + ")";
  auto digest = store_.settings().Get(kProvisionTokenSha256);
  if (!digest.ok()) return digest.status();
  const bool same = digest->has_value() && **digest == Sha256Hex(plan.token) &&
                    e->portal_url == NormalUrl(plan.portal_url) && e->commune_code == plan.commune_code &&
                    ReadFileOrEmpty(e->ca_file) == ReadFileOrEmpty(plan.ca_file);
  return same ? StepState::kSame : StepState::kDifferent;
}

Result<StepState> Provisioning::PinState(PinRole role, const std::string& pin) {
  StaffAuth auth(store_, clock_, env_.pin_policy, role);
  auto has = auth.HasPin();
  if (!has.ok()) return has.status();
  if (!*has) return StepState::kNew;
  auto match = auth.Matches(pin);
  if (!match.ok()) return match.status();
  return *match ? StepState::kSame : StepState::kDifferent;
}

Result<std::string> Provisioning::Overlay(const ProvisioningPlan& plan) {
  std::string name = plan.commune_name;
  if (name.empty()) {
    auto e = LoadEnrolment(store_);
    if (e.ok()) name = e->commune_name;
  }
  return OverlayText(plan, name);
}

Result<StepState> Provisioning::DevicesState(const ProvisioningPlan& plan) {
  const std::filesystem::path file = env_.data_dir / kProvisionedFile;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return StepState::kNew;
  auto text = Overlay(plan);
  if (!text.ok()) return text.status();
  return ReadFileOrEmpty(file) == *text ? StepState::kSame : StepState::kDifferent;
}

Result<PlanCheck> Provisioning::Check(const ProvisioningPlan& plan) {
  PlanCheck c;
  std::string vi, en;
  auto enrol = EnrolState(plan, &vi, &en);
  if (!enrol.ok()) return enrol.status();
  c.items.push_back({ProvisioningStep::kEnrol, *enrol, vi, en});
  for (auto [step, role, pin] :
       {std::tuple{ProvisioningStep::kTechnicianPin, PinRole::kTechnician, &plan.technician_pin},
        std::tuple{ProvisioningStep::kStaffPin, PinRole::kStaff, &plan.staff_pin}}) {
    auto st = PinState(role, *pin);
    if (!st.ok()) return st.status();
    c.items.push_back({step, *st, std::string(PinNameVi(role)) + " khác đã được đặt",
                       std::string("another ") + PinNameEn(role) + " is set"});
  }
  auto devices = DevicesState(plan);
  if (!devices.ok()) return devices.status();
  c.items.push_back(
      {ProvisioningStep::kDevices, *devices,
       "Số kiosk, xã hoặc thiết bị đã cài đặt khác kế hoạch (" + std::string(kProvisionedFile) + ")",
       "the provisioned kiosk number, commune or devices differ (" + std::string(kProvisionedFile) + ")"});
  return c;
}

StepReport Provisioning::Enrol(const ProvisioningPlan& plan, bool force) {
  const ProvisioningStep step = ProvisioningStep::kEnrol;
  std::string vi, en;
  auto state = EnrolState(plan, &vi, &en);
  if (!state.ok()) return Failed(step, state.status());
  if (*state == StepState::kSame) {
    auto e = LoadEnrolment(store_);
    const std::string id = e.ok() ? e->kiosk_id : "";
    return Report(step, StepOutcome::kUnchanged, Status::Ok(), "Kiosk đã đăng ký (" + id + "), không đổi",
                  "already enrolled (" + id + "), unchanged");
  }
  if (*state == StepState::kDifferent && !force) return Refused(step, vi, en);
  EnrolRequest req;
  req.portal_url = plan.portal_url;
  req.token = plan.token;
  req.ca_file = plan.ca_file;
  req.hostname = env_.hostname;
  req.software_version = env_.software_version;
  req.connect_timeout = env_.connect_timeout;
  req.transfer_timeout = env_.transfer_timeout;
  req.replace_existing = *state == StepState::kDifferent;
  req.proxy = env_.proxy;
  auto e = mck::Enrol(store_, env_.data_dir, req);
  SecureWipe(req.token);
  if (!e.ok()) return Failed(step, e.status());
  if (e->commune_code != plan.commune_code) {
    // Enrolled, but not for the commune the plan names: nothing else is provisioned, and the
    // token is not recorded, so a re-run with this plan keeps refusing until it is corrected.
    return Failed(step, Status::Error(Code::kInvalidArgument,
                                      "the token was issued for commune " + e->commune_code + ", the plan says " +
                                          plan.commune_code + ": fix the plan and provision again with --force",
                                      "Mã đăng ký được cấp cho xã " + e->commune_code + ", kế hoạch ghi " +
                                          plan.commune_code + ": sửa kế hoạch rồi cài đặt lại với --force"));
  }
  // Recorded right after the enrolment's own settings: a re-run with the same plan knows this
  // enrolment is the plan's (the token cannot be used twice).
  if (Status st = store_.settings().Put(kProvisionTokenSha256, Sha256Hex(plan.token)); !st.ok()) {
    return Failed(step, st);
  }
  return Report(
      step, StepOutcome::kDone, Status::Ok(),
      "Đã đăng ký kiosk " + e->kiosk_id + " — " + e->commune_name + "; chứng chỉ hết hạn " + e->cert_expires_at,
      "enrolled as " + e->kiosk_id + " (" + e->commune_code + "); certificate expires " + e->cert_expires_at);
}

namespace {
StepReport SetPinStep(Store& store, const Clock& clock, const PinPolicy& policy, ProvisioningStep step, PinRole role,
                      StepState state, const std::string& pin, bool force) {
  if (state == StepState::kSame) {
    return Report(step, StepOutcome::kUnchanged, Status::Ok(), std::string(PinNameVi(role)) + " đã đặt, không đổi",
                  std::string(PinNameEn(role)) + " already set, unchanged");
  }
  if (state == StepState::kDifferent && !force) {
    return Refused(step, std::string(PinNameVi(role)) + " khác đã được đặt",
                   std::string("another ") + PinNameEn(role) + " is set");
  }
  StaffAuth auth(store, clock, policy, role);
  if (Status st = auth.SetPin(pin); !st.ok()) return Failed(step, st);
  return Report(step, StepOutcome::kDone, Status::Ok(), std::string("Đã đặt ") + PinNameVi(role),
                std::string(PinNameEn(role)) + " set");
}
}  // namespace

StepReport Provisioning::SetTechnicianPin(const ProvisioningPlan& plan, bool force) {
  auto state = PinState(PinRole::kTechnician, plan.technician_pin);
  if (!state.ok()) return Failed(ProvisioningStep::kTechnicianPin, state.status());
  return SetPinStep(store_, clock_, env_.pin_policy, ProvisioningStep::kTechnicianPin, PinRole::kTechnician, *state,
                    plan.technician_pin, force);
}

StepReport Provisioning::SetStaffPin(const ProvisioningPlan& plan, bool force) {
  auto state = PinState(PinRole::kStaff, plan.staff_pin);
  if (!state.ok()) return Failed(ProvisioningStep::kStaffPin, state.status());
  return SetPinStep(store_, clock_, env_.pin_policy, ProvisioningStep::kStaffPin, PinRole::kStaff, *state,
                    plan.staff_pin, force);
}

StepReport Provisioning::RecordDevices(const ProvisioningPlan& plan, bool force) {
  const ProvisioningStep step = ProvisioningStep::kDevices;
  auto state = DevicesState(plan);
  if (!state.ok()) return Failed(step, state.status());
  const std::string summary_en = "kiosk number " + std::to_string(plan.kiosk_number) + ", printer " +
                                 (plan.devices.printer.empty() ? "none" : plan.devices.printer) + ", card reader " +
                                 plan.devices.card_reader + ", QR scanner " + plan.devices.qr_scanner;
  const std::string summary_vi = "Số kiosk " + std::to_string(plan.kiosk_number) + ", máy in " +
                                 (plan.devices.printer.empty() ? "không có" : plan.devices.printer) + ", đầu đọc thẻ " +
                                 plan.devices.card_reader + ", máy quét QR " + plan.devices.qr_scanner;
  if (*state == StepState::kSame) {
    return Report(step, StepOutcome::kUnchanged, Status::Ok(), summary_vi + " — không đổi", summary_en + ", unchanged");
  }
  if (*state == StepState::kDifferent && !force) {
    return Refused(step, "Số kiosk, xã hoặc thiết bị đã cài đặt khác kế hoạch",
                   "the provisioned kiosk number, commune or devices differ");
  }
  auto text = Overlay(plan);
  if (!text.ok()) return Failed(step, text.status());
  const std::filesystem::path file = env_.data_dir / kProvisionedFile;
  // What the config loader will read back must pass its own checks before it replaces anything.
  KioskConfig probe;
  if (Status st = ApplyProvisionedText(*text, file, &probe); !st.ok()) return Failed(step, st);
  if (Status st = WriteFileAtomically(file, *text); !st.ok()) return Failed(step, st);
  if (Status st = store_.Audit("technician", "kiosk.provisioned", "kiosk", summary_en); !st.ok()) {
    return Failed(step, st);
  }
  return Report(step, StepOutcome::kDone, Status::Ok(), summary_vi, summary_en);
}

Result<ProvisioningResult> Provisioning::Run(const ProvisioningPlan& plan, bool force,
                                             const std::function<void(const StepReport&)>& on_step) {
  auto check = Check(plan);
  if (!check.ok()) return check.status();
  if (check->any_different() && !force) {
    std::string vi, en;
    for (const auto& i : check->items) {
      if (i.state != StepState::kDifferent) continue;
      vi += "\n  - " + i.what_vi;
      en += "\n  - " + i.what_en;
    }
    return Status::Error(Code::kAlreadyExists,
                         "this kiosk is already provisioned differently (use --force to apply the new plan):" + en,
                         "Kiosk đã được cài đặt khác kế hoạch này (thêm --force để áp dụng kế hoạch mới):" + vi);
  }
  ProvisioningResult result;
  for (auto step : {&Provisioning::Enrol, &Provisioning::SetTechnicianPin, &Provisioning::SetStaffPin,
                    &Provisioning::RecordDevices}) {
    StepReport r = (this->*step)(plan, force);
    if (on_step) on_step(r);
    result.changed = result.changed || r.outcome == StepOutcome::kDone;
    const bool failed = r.outcome == StepOutcome::kFailed;
    result.steps.push_back(std::move(r));
    if (failed) break;
  }
  if (auto e = LoadEnrolment(store_); e.ok()) result.enrolment = std::move(e.value());
  return result;
}

}  // namespace mck::core
