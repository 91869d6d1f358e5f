// The provisioning wizard (technician mode): one value per screen with the on-screen keyboard or
// numeric pad, big targets, "Quay lại" / "Tiếp" at the bottom; the enrolment token typed or scanned
// (the QR wedge's line lands in it on that step), the province CA chosen from the PEM files in the
// CA folders with its SHA-256 fingerprint to compare, the first staff PIN typed twice, the devices,
// then "Đăng ký": the steps run on the technician worker and each report shows as it comes. A
// failure is a calm line; nothing typed is lost (Quay lại to correct it, then Đăng ký again).
#include <filesystem>

#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void TechRows(Ui& ui, const TechnicianDesk::Rows& rows, float width);  // technician.cpp

namespace {

void StepNav(Ui& ui, bool next, const std::string& next_label) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float bw = std::min(w * 0.42f, ui.S(520));
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ui.S(96) - ImGui::GetStyle().WindowPadding.y);
  if (TouchButton(ui, "tech.back", ui.T("nav.back"), ImVec2(bw, ui.S(96)))) ui.Emit(intent::TechStep{.delta = -1});
  if (!next) return;
  ImGui::SameLine();
  ImGui::SetCursorPosX(ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x - bw);
  if (TouchButton(ui, "tech.next", next_label, ImVec2(bw, ui.S(96)), ButtonKind::kPrimary)) {
    ui.Emit(intent::TechStep{.delta = 1});
  }
}

}  // namespace

void DrawTechSetup(Ui& ui) {
  const App& app = ui.app;
  const TechnicianDesk& t = app.tech();
  const int last = TechnicianDesk::kSteps - 1;
  Title(ui, app.strings().Format("tech.setup_title", {std::to_string(t.step + 1), std::to_string(last + 1)}));
  const float w = std::min(ImGui::GetContentRegionAvail().x, ui.S(1100));
  const std::string step_key = "tech.step" + std::to_string(t.step);
  Wrapped(ui, ui.T(step_key), ui.F().bold, colors::kText, w);
  Wrapped(ui, ui.T(step_key + "_help"), ui.F().small, colors::kMuted, w);
  switch (t.step) {
    case 0:
      TextField(ui, "tech.commune_code", ui.T("tech.commune_code"), InputKind::kPlain, w);
      TextField(ui, "tech.commune_name", ui.T("tech.commune_name"), InputKind::kText, w);
      break;
    case 1: TextField(ui, "tech.kiosk_number", ui.T("tech.kiosk_number"), InputKind::kDigits, ui.S(400)); break;
    case 2: TextField(ui, "tech.portal_url", ui.T("tech.portal_url"), InputKind::kPlain, w); break;
    case 3: TextField(ui, "tech.token", ui.T("tech.token"), InputKind::kPlain, w); break;
    case 4: {
      // The chosen file's fingerprint first (always in view), then the files in a scrolled list.
      if (!t.ca_rows.empty()) {
        TechRows(ui, t.ca_rows, w);
        MarkItem(ui, "tech.ca_fingerprint");
      }
      if (!t.ca_error_vi.empty()) Wrapped(ui, t.ca_error_vi, ui.F().bold, colors::kError, w);
      if (t.ca_list_request != 0) {
        Wrapped(ui, ui.T("tech.ca_searching"), ui.F().body, colors::kMuted, w);
      } else if (t.ca_files.empty()) {
        Wrapped(ui, ui.T("tech.ca_none"), ui.F().body, colors::kError, w);
      }
      BeginDragList(ui, "tech.ca_files", ImVec2(w, BodyHeight(ui)));
      for (const auto& f : t.ca_files) {
        const bool chosen = f == t.ca_file;
        // Tapped by its file name: "tech.ca.ca.pem" (the script's way to pick one).
        if (TouchButton(ui, "tech.ca." + std::filesystem::path(f).filename().string(), f,
                        ImVec2(w - ui.S(24), ui.S(84)), chosen ? ButtonKind::kSelected : ButtonKind::kSecondary,
                        ui.F().small)) {
          ui.Emit(intent::TechChooseCa{.file = f});
        }
      }
      EndDragList(ui, "tech.ca_files");
      break;
    }
    case 5:
      TextField(ui, "tech.staff_pin", ui.T("tech.staff_pin"), InputKind::kDigits, ui.S(700));
      TextField(ui, "tech.staff_pin2", ui.T("tech.staff_pin2"), InputKind::kDigits, ui.S(700));
      break;
    case 6:
      Wrapped(ui, ui.T("tech.printer") + ": " + (app.config().printer.empty() ? "none" : app.config().printer),
              ui.F().body, colors::kText, w);
      OptionRow(ui, "tech.card_reader", ui.T("tech.reader"), {"pcsc", "sim"}, w);
      OptionRow(ui, "tech.qr_scanner", ui.T("tech.scanner"), {"wedge", "none"}, w);
      break;
    default: {
      const bool running = t.provision_request != 0;
      if (!running && !t.provisioned) {
        if (TouchButton(ui, "tech.provision", ui.T("tech.provision"), ImVec2(std::min(w, ui.S(700)), ui.S(96)),
                        ButtonKind::kPrimary)) {
          ui.Emit(intent::TechProvision{});
        }
      }
      if (running) Wrapped(ui, ui.T("tech.provisioning"), ui.F().bold, colors::kMuted, w);
      for (const auto& s : t.steps) {
        // Failed steps say so in words, not only in red.
        Wrapped(ui, (s.ok ? "• " : "• " + ui.T("status.error_prefix")) + s.text_vi, ui.F().body,
                s.ok ? colors::kOk : colors::kError, w);
      }
      if (!t.provision_error_vi.empty()) {
        // A failed step already said why; a plan refused before any step says it here.
        const bool said = !t.steps.empty() && !t.steps.back().ok;
        if (!said) Wrapped(ui, t.provision_error_vi, ui.F().bold, colors::kError, w);
        Wrapped(ui, ui.T("tech.provision_retry"), ui.F().small, colors::kMuted, w);
        MarkItem(ui, "tech.provision_failed");
      }
      if (t.provisioned) {
        Wrapped(ui, ui.T("tech.provisioned"), ui.F().bold, colors::kOk, w);
        MarkItem(ui, "tech.provisioned");
      }
    }
  }
  if (!t.step_error_vi.empty()) {
    Wrapped(ui, t.step_error_vi, ui.F().bold, colors::kError, w);
    MarkItem(ui, "tech.step_error");
  }
  if (!app.focused_key().empty()) return;  // the keyboard is up: "Xong" first
  if (t.provisioned) {
    if (NavRow(ui, false, "tech.done", ui.T("tech.done"))) ui.Emit(intent::Back{});
  } else {
    StepNav(ui, t.step < last, ui.T("nav.next"));
  }
}

}  // namespace mck::app::ui
