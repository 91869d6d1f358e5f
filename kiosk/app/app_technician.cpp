// Technician mode (issue 10; docs/ui.md "Technician screens"): the technician PIN (its own count
// and lock-out, checked on the core worker), the provisioning wizard (one value per screen, then
// the steps on the technician worker, each StepReport shown as it comes), the devices' tests, the
// certificate and its renewal, the diagnostics, and "Tắt máy" / "Khởi động lại". Every
// technician intent has passed App::Apply's one technician guard. Nothing here is personal data;
// the token and the PINs stay in the session's values, which the session's wipe zeroes.
#include <algorithm>
#include <iostream>
#include <system_error>

#include "kiosk/app/app.h"
#include "kiosk/app/app_internal.h"
#include "offline/domain/ids.h"
#include "offline/store/staff_auth.h"

namespace mck::app {

bool IsTechnicianScreen(ScreenId s) {
  return s == ScreenId::kTechPin || s == ScreenId::kTechnician || s == ScreenId::kTechSetup ||
         s == ScreenId::kTechDevices || s == ScreenId::kTechCertificate || s == ScreenId::kTechDiagnostics ||
         s == ScreenId::kTechStop || s == ScreenId::kTechOfficers;
}

namespace {

void Wipe(std::map<std::string, std::string>& values, const char* key) {
  if (auto it = values.find(key); it != values.end()) {
    SecureWipe(it->second);
    values.erase(it);
  }
}

}  // namespace

void App::GoTechnician(ScreenId s) {
  if (!tech_.unlocked || s == ScreenId::kTechPin) {
    tech_.pin_message.clear();
    Go(ScreenId::kTechPin);
    Focus("tech.pin", InputKind::kDigits);
    return;
  }
  Go(s);
  switch (s) {
    case ScreenId::kTechSetup:
      tech_.step_error_vi.clear();
      if (tech_.ca_files.empty() && tech_.ca_list_request == 0) ListCaFiles();
      break;
    case ScreenId::kTechDiagnostics:
      tech_.diag_rows.clear();
      tech_.diag_error_vi.clear();
      tech_.diag_request = deps_.technician->Diagnostics(
          deps_.device_states ? std::optional(deps_.device_states->printer()) : std::nullopt,
          deps_.device_states ? std::optional(deps_.device_states->card_reader()) : std::nullopt);
      break;
    case ScreenId::kTechCertificate:
      tech_.cert_rows.clear();
      tech_.cert_error_vi.clear();
      tech_.renewing = false;
      tech_.cert_request = deps_.technician->Certificate(/*renew=*/false);
      break;
    case ScreenId::kTechOfficers: OpenTechOfficers(); break;
    case ScreenId::kTechDevices:
      tech_.card_seen = false;
      tech_.qr_result_vi.clear();
      if (!tech_.print.running()) tech_.print = PrintJob{};
      break;
    default: break;
  }
}

void App::On(const intent::TechUnlock&) {
  if (tech_.pin_request != 0) return;  // one check at a time
  Unfocus();
  std::string pin = Value("tech.pin");
  Wipe(citizen_.session.values, "tech.pin");
  tech_.pin_message.clear();
  // PBKDF2 on the core worker, with the technician role's own count and lock-out.
  tech_.pin_request = deps_.core->CheckPin(std::move(pin), PinRole::kTechnician);
  SecureWipe(pin);
}

void App::OnTechPinChecked(const PinChecked& e) {
  if (e.request_id != tech_.pin_request) return;
  tech_.pin_request = 0;
  if (citizen_.screen != ScreenId::kTechPin) return;  // the session ended meanwhile
  const auto& r = e.result;
  if (!r.ok()) {
    std::cerr << "kiosk: technician PIN check failed: " << r.status().ToString() << "\n";
    tech_.pin_message = "staff.pin_error";
  } else if (r->check == PinCheck::kOk) {
    tech_.unlocked = true;
    technician_pin_set_ = true;
    tech_.pin_message.clear();
    inactivity_.StartSession();  // technician mode locks with the inactivity timeout, like staff mode
    Go(ScreenId::kTechnician);
    citizen_.history.clear();
    std::cerr << "kiosk: technician mode unlocked\n";
    return;
  } else if (r->check == PinCheck::kWrong) {
    tech_.pin_message = "tech.pin_wrong";
    tech_.pin_message_number = r->attempts_left;
  } else if (r->check == PinCheck::kLocked) {
    tech_.pin_message = "tech.pin_locked";
    tech_.pin_message_number = static_cast<int>((r->locked_for_s + 59) / 60);
  } else {
    technician_pin_set_ = false;
    tech_.pin_message = "tech.pin_not_set";
  }
  Focus("tech.pin", InputKind::kDigits);
}

void App::On(const intent::TechOpen& in) {
  if (!IsTechnicianScreen(in.screen) || in.screen == ScreenId::kTechPin || in.screen == ScreenId::kTechStop) return;
  GoTechnician(in.screen);
}

void App::ListCaFiles() {
  // The listing runs on the technician worker (a USB stick under /media can be slow); the screen
  // says "searching" until its answer comes.
  tech_.ca_files.clear();
  tech_.ca_list_request = deps_.technician->ListCaFiles(deps_.ca_dirs);
}

bool App::TechStepValid() {
  auto& e = tech_.step_error_vi;
  e.clear();
  switch (tech_.step) {
    case 0: {
      const std::string code = Value("tech.commune_code");
      if (code.empty() || code.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.") !=
                              std::string::npos) {
        e = "Mã xã gồm chữ số, chữ cái và dấu chấm, ví dụ 000.00.24.H03.";
      }
      break;
    }
    case 1: {
      const std::string n = Value("tech.kiosk_number");
      if (n.empty() || std::stoi(n) < 1 || std::stoi(n) > 99) e = "Số kiosk phải từ 1 đến 99.";
      break;
    }
    case 2:
      if (!internal::StartsWith(Value("tech.portal_url"), "https://") || Value("tech.portal_url").size() <= 8)
        e = "Địa chỉ cổng dịch vụ công phải bắt đầu bằng https://";
      break;
    case 3:
      if (Value("tech.token").empty()) e = "Nhập hoặc quét mã đăng ký (token) do cổng dịch vụ công cấp.";
      break;
    case 4:
      if (tech_.ca_file.empty() || tech_.ca_rows.empty()) e = "Chọn tệp chứng chỉ CA của tỉnh và so dấu vân tay.";
      break;
    case 5: {
      const std::string pin = Value("tech.staff_pin");
      if (Status st = StaffAuth::CheckNewPin(PinRole::kStaff, pin); !st.ok()) {
        e = st.message_vi();
      } else if (pin != Value("tech.staff_pin2")) {
        e = "Hai lần nhập mã PIN cán bộ không khớp. Xin nhập lại.";
      }
      break;
    }
    default: break;
  }
  return e.empty();
}

void App::On(const intent::TechStep& in) {
  Unfocus();
  if (tech_.provision_request != 0) return;  // the steps are running: stay and watch them
  if (in.delta < 0) {
    tech_.step_error_vi.clear();
    if (tech_.step == 0) {
      On(intent::Back{});
    } else {
      --tech_.step;
    }
    return;
  }
  if (tech_.step >= TechnicianDesk::kSteps - 1 || !TechStepValid()) return;
  ++tech_.step;
  if (tech_.step == 4) ListCaFiles();
  if (tech_.step == TechnicianDesk::kSteps - 1) {
    tech_.steps.clear();
    tech_.provisioned = false;
    tech_.provision_error_vi.clear();
  }
}

void App::On(const intent::TechChooseCa& in) {
  if (std::find(tech_.ca_files.begin(), tech_.ca_files.end(), in.file) == tech_.ca_files.end()) return;
  tech_.ca_file = in.file;
  tech_.ca_rows.clear();
  tech_.ca_error_vi.clear();
  tech_.step_error_vi.clear();
  tech_.ca_request = deps_.technician->ReadCa(in.file);
}

void App::On(const intent::TechProvision&) {
  if (tech_.provision_request != 0 || tech_.step != TechnicianDesk::kSteps - 1) return;
  core::ProvisioningPlan plan;
  plan.commune_code = Value("tech.commune_code");
  plan.commune_name = Value("tech.commune_name");
  plan.kiosk_number = std::stoi("0" + Value("tech.kiosk_number"));
  plan.portal_url = Value("tech.portal_url");
  while (!plan.portal_url.empty() && plan.portal_url.back() == '/') plan.portal_url.pop_back();
  plan.token = Value("tech.token");
  plan.ca_file = tech_.ca_file;
  plan.staff_pin = Value("tech.staff_pin");
  plan.devices.printer = config().printer;
  plan.devices.printer_width_mm = config().printer_width_mm;
  plan.devices.card_reader = Value("tech.card_reader").empty() ? config().card_reader : Value("tech.card_reader");
  plan.devices.card_reader_name = config().card_reader_name;
  plan.devices.qr_scanner = Value("tech.qr_scanner").empty() ? config().qr_scanner : Value("tech.qr_scanner");
  tech_.steps.clear();
  tech_.provisioned = false;
  tech_.provision_error_vi.clear();
  // Enrol blocks on the network (up to the timeouts): the technician worker, never this thread.
  tech_.provision_request = deps_.technician->Provision(std::move(plan));  // the worker wipes its copy
}

void App::On(const intent::TechPrintTest&) {
  if (tech_.print.running()) return;  // a second tap does not print twice
  if (!deps_.printer) {
    tech_.print.Fail("printer.not_configured");
    return;
  }
  tech_.print.Start(deps_.printer->PrintTestPage(FormatRfc3339Vietnam(deps_.clock->Now())), PrintJob::What::kNone);
}

void App::On(const intent::TechRenew&) {
  if (tech_.renewing) return;
  tech_.renewing = true;
  tech_.cert_error_vi.clear();
  tech_.cert_request = deps_.technician->Certificate(/*renew=*/true);
}

void App::On(const intent::TechAskStop& in) {
  tech_.stop_restart = in.restart;
  Go(ScreenId::kTechStop);
}

void App::On(const intent::TechConfirmStop&) {
  std::cerr << "kiosk: technician asked to " << (tech_.stop_restart ? "restart" : "shut down") << "\n";
  stop_request_ = tech_.stop_restart;
}

void App::OnTechnician(const TechnicianAnswer& e) {
  using Kind = TechnicianAnswer::Kind;
  if (e.request_id == tech_.provision_request) {
    if (e.kind == Kind::kStep) {
      tech_.steps.push_back({e.step, e.ok, e.text_vi});
    } else if (e.kind == Kind::kDone) {
      tech_.provision_request = 0;
      tech_.provisioned = e.ok;
      tech_.provision_error_vi = e.ok ? "" : e.text_vi;
      if (e.ok) {
        // The secrets have done their work: the staff PIN is in the store, the token spent.
        for (const char* k : {"tech.token", "tech.staff_pin", "tech.staff_pin2"}) Wipe(citizen_.session.values, k);
      }
    }
    return;
  }
  if (!tech_.unlocked) return;  // locked meanwhile: nothing to show
  if (e.kind == Kind::kOfficers) return OnTechOfficers(e);
  if (e.request_id == tech_.ca_list_request && e.kind == Kind::kCaFiles) {
    tech_.ca_list_request = 0;
    tech_.ca_files = e.files;
  } else if (e.request_id == tech_.ca_request && e.kind == Kind::kCaFile) {
    tech_.ca_request = 0;
    tech_.ca_rows = e.ok ? e.rows : TechnicianDesk::Rows{};
    tech_.ca_error_vi = e.ok ? "" : e.text_vi;
  } else if (e.request_id == tech_.diag_request && e.kind == Kind::kDiagnostics) {
    tech_.diag_request = 0;
    tech_.diag_rows = e.rows;
    tech_.diag_error_vi = e.ok ? "" : e.text_vi;
  } else if (e.request_id == tech_.cert_request && e.kind == Kind::kCertificate) {
    tech_.cert_request = 0;
    tech_.renewing = false;
    if (e.ok) tech_.cert_rows = e.rows;
    tech_.cert_error_vi = e.ok ? "" : e.text_vi;
  }
}

}  // namespace mck::app
