// Provisioning a kiosk (issue 10): the one use case behind `kioskctl provision --from PLAN.toml`
// (scripted, for a fleet) and, later, the technician's first-boot screens. A plan — commune,
// kiosk number, portal URL, one-time enrolment token, the province CA to pin, the devices, the
// technician PIN and the first staff PIN — is checked completely first, then applied in steps
// a screen can show one by one:
//
//   1. ValidatePlan(plan)              pure (reads the CA file only): every problem, each with
//                                      the plan's key and a Vietnamese + English message. Needs no
//                                      store, so a bad plan changes nothing on disk.
//   2. Provisioning::Check(plan)       compares the plan with what this kiosk already holds:
//                                      per step kNew, kSame or kDifferent. kDifferent anywhere
//                                      without `force` refuses the whole plan (kAlreadyExists)
//                                      before anything changes, as `kioskctl enroll` does.
//   3. Provisioning::Enrol(plan, force)        the existing enrolment (offline/sync/enrolment.h)
//   4. Provisioning::SetTechnicianPin(plan, force)   offline/store/staff_auth.h, PinRole::kTechnician
//   5. Provisioning::SetStaffPin(plan, force)        PinRole::kStaff
//   6. Provisioning::RecordDevices(plan, force)      <data_dir>/provisioned.toml (written atomically)
//   Provisioning::Run(plan, force, on_step) does 2–6 in order and stops at the first failure.
//
// Each step returns a StepReport (kDone / kUnchanged / kFailed) a screen can show as it comes.
// Every step is idempotent: a second run with the same plan reports kUnchanged everywhere and
// writes nothing; a run cut short (power, network) is finished by running the same plan again —
// the enrolment is recognised by its token's SHA-256 (settings "provision.token_sha256"), the
// PINs by comparing without counting (StaffAuth::Matches), the overlay by its text.
//
// Where the values live (docs/configuration.md "Provisioned values"): the enrolment and the PINs
// in the store (settings), the kiosk number, commune and devices in <data_dir>/provisioned.toml,
// which the config loader applies over /etc/mot-cua/kiosk.toml (ApplyProvisioned). A change of
// kiosk number or devices takes effect at the kiosk's next start.
//
// No personal data is involved; PINs and the token are never logged, printed or stored in clear.
// Thread-safety: as Store (one thread at a time); Enrol blocks on the network (up to the
// timeouts): a screen runs the steps on a worker thread and shows the reports.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/domain/config.h"
#include "offline/domain/status.h"
#include "offline/store/staff_auth.h"
#include "offline/sync/enrolment.h"

namespace mck {
class Store;
}

namespace mck::core {

// The [devices] choices a technician makes (docs/configuration.md [devices]).
struct DeviceChoice {
  std::string printer;  // "" | "none" | usb:… | serial:… | tcp://… | file:… (development)
  int printer_width_mm = 80;
  std::string card_reader = "pcsc";  // "pcsc" | "sim"
  std::string card_reader_name;
  std::string qr_scanner = "wedge";  // "wedge" | "serial:/dev/…" | "none"
};

struct ProvisioningPlan {
  std::string commune_code;       // "000.00.24.H03": must match the commune the token was issued for
  std::string commune_name;       // optional: the portal's name is used when empty
  int kiosk_number = 0;           // 1..99
  std::string portal_url;         // https://…
  std::string token;              // one-time enrolment token (secret: wipe after use)
  std::filesystem::path ca_file;  // the province CA (PEM) to pin
  DeviceChoice devices;
  std::string technician_pin;  // secret
  std::string staff_pin;       // secret
  // Overwrites the secrets (SecureWipe).
  void Wipe();
};

// Reads a plan from TOML (docs/kioskctl.md "provision"): [kiosk] number, commune_code,
// commune_name; [portal] url, token, ca_file; [devices] as in kiosk.toml; [pins] technician,
// staff. Unknown keys are refused; relative ca_file paths are resolved against the plan's folder.
// Type errors are kInvalidArgument with the line; values are checked by ValidatePlan.
Result<ProvisioningPlan> ParsePlan(std::string_view text, const std::filesystem::path& name);
Result<ProvisioningPlan> LoadPlan(const std::filesystem::path& file);

struct PlanProblem {
  std::string key;  // the plan's key: "portal.url", "pins.staff", …
  Status status;    // kInvalidArgument (kNotFound: the CA file is missing), bilingual
};
// Every problem of the plan (empty: the plan can be applied). Reads plan.ca_file, nothing else.
std::vector<PlanProblem> ValidatePlan(const ProvisioningPlan& plan);

enum class ProvisioningStep { kEnrol, kTechnicianPin, kStaffPin, kDevices };
const char* StepName(ProvisioningStep step);  // "enrol", "technician_pin", "staff_pin", "devices"

// What a step found before it ran.
enum class StepState { kNew, kSame, kDifferent };
struct PlanCheck {
  struct Item {
    ProvisioningStep step;
    StepState state;
    std::string what_vi, what_en;  // for kDifferent: what is there now (no secret)
  };
  std::vector<Item> items;
  bool all_same() const;
  bool any_different() const;
};

enum class StepOutcome { kDone, kUnchanged, kFailed };
struct StepReport {
  ProvisioningStep step;
  StepOutcome outcome;
  Status status;                       // the failure (kFailed), else Ok
  std::string summary_vi, summary_en;  // one line a screen shows: "Đã đăng ký kiosk K-…"
};

struct ProvisioningEnv {
  std::filesystem::path data_dir;
  PinPolicy pin_policy;
  std::string hostname;
  std::string software_version;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds transfer_timeout{60};
  std::string proxy;
};

struct ProvisioningResult {
  std::vector<StepReport> steps;
  bool changed = false;                // some step did something
  std::optional<Enrolment> enrolment;  // the kiosk's enrolment afterwards
};

class Provisioning {
 public:
  Provisioning(Store& store, const Clock& clock, ProvisioningEnv env);

  // REQUIRES: ValidatePlan(plan) is empty. Reads only.
  Result<PlanCheck> Check(const ProvisioningPlan& plan);
  // The steps (REQUIRES: a validated plan). kDifferent without `force`: kFailed with
  // kAlreadyExists. Enrol with the token already used for this kiosk's enrolment: kUnchanged.
  StepReport Enrol(const ProvisioningPlan& plan, bool force);
  StepReport SetTechnicianPin(const ProvisioningPlan& plan, bool force);
  StepReport SetStaffPin(const ProvisioningPlan& plan, bool force);
  StepReport RecordDevices(const ProvisioningPlan& plan, bool force);
  // Check, then every step in order; `on_step` (may be empty) gets each report as it is made.
  // A refused Check (kDifferent without force) is an error Status listing what differs; a
  // failed step ends the run with its report last (kFailed).
  Result<ProvisioningResult> Run(const ProvisioningPlan& plan, bool force,
                                 const std::function<void(const StepReport&)>& on_step = {});

  // The overlay text RecordDevices writes for `plan` (kiosk number, commune, portal URL, devices);
  // `commune_name`: the plan's, or the portal's when the plan has none.
  static std::string OverlayText(const ProvisioningPlan& plan, const std::string& commune_name);

 private:
  Result<StepState> EnrolState(const ProvisioningPlan& plan, std::string* what_vi, std::string* what_en);
  Result<StepState> PinState(PinRole role, const std::string& pin);
  Result<std::string> Overlay(const ProvisioningPlan& plan);
  Result<StepState> DevicesState(const ProvisioningPlan& plan);

  Store& store_;
  const Clock& clock_;
  ProvisioningEnv env_;
};

// The settings key holding the SHA-256 of the token this kiosk was enrolled with by provisioning.
inline constexpr const char* kProvisionTokenSha256 = "provision.token_sha256";

}  // namespace mck::core
