// Technician mode's screens (docs/ui.md "Technician screens"): the technician PIN (also the
// first-boot screen of a kiosk not yet provisioned), the technician's menu, the devices' tests,
// the certificate with "Gia hạn", the diagnostics, and the confirmation of "Tắt máy" /
// "Khởi động lại". The provisioning wizard is technician_setup.cpp. Codes, dates, counts and
// states only: never a citizen's data, never a PIN or the token.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void TechRows(Ui& ui, const TechnicianDesk::Rows& rows, float width) {
  // Label on the left (bold), value on the right, wrapped: one row per line of the report.
  const float label_w = std::min(width * 0.36f, ui.S(520));
  for (const auto& [key, value] : rows) {
    const float y = ImGui::GetCursorPosY();
    const float x = ImGui::GetCursorPosX();
    Wrapped(ui, ui.T(key), ui.F().bold, colors::kMuted, label_w - ui.S(16));
    const float after = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(x + label_w, y));
    Wrapped(ui, value, ui.F().body, colors::kText, width - label_w);
    if (ImGui::GetCursorPosY() < after) ImGui::SetCursorPosY(after);
    ImGui::SetCursorPosX(x);
  }
}

void DrawTechPin(Ui& ui) {
  const App& app = ui.app;
  const TechnicianDesk& t = app.tech();
  const float w = std::min(ImGui::GetContentRegionAvail().x, ui.S(900));
  Title(ui, ui.T(app.first_boot() ? "tech.first_boot_title" : "tech.pin_title"));
  if (app.first_boot()) Wrapped(ui, ui.T("tech.first_boot_text"), ui.F().body, colors::kText, w);
  if (!app.technician_pin_set()) {
    // Nothing to type yet: the PIN is set on the box, by whoever installed the package.
    Wrapped(ui, ui.T("tech.no_pin"), ui.F().bold, colors::kError, w);
    Wrapped(ui, "sudo -u _mot-cua kioskctl staff set-pin --role technician", ui.F().bold, colors::kText, w);
    MarkItem(ui, "tech.no_pin");
    return;
  }
  TextField(ui, "tech.pin", ui.T("tech.pin"), InputKind::kDigits, std::min(w, ui.S(700)));
  if (t.pin_request != 0) Wrapped(ui, ui.T("staff.pin_checking"), ui.F().bold, colors::kMuted, w);
  if (!t.pin_message.empty()) {
    Wrapped(ui, app.strings().Format(t.pin_message, {std::to_string(t.pin_message_number)}), ui.F().bold,
            colors::kError, w);
    MarkItem(ui, t.pin_message);
  }
  if (TouchButton(ui, "tech.unlock", ui.T("tech.unlock"), ImVec2(std::min(w, ui.S(700)), ui.S(96)),
                  ButtonKind::kPrimary)) {
    ui.Emit(intent::TechUnlock{});
  }
  if (app.focused_key().empty() && !app.first_boot()) NavRow(ui, true, "", "");
}

void DrawTechnician(Ui& ui) {
  const App& app = ui.app;
  Title(ui, ui.T("tech.title"));
  Wrapped(ui, ui.T(app.enrolled() ? "tech.enrolled" : "tech.not_enrolled"), ui.F().body,
          app.enrolled() ? colors::kOk : colors::kError);
  const float gap = ui.S(24);
  const float w = ImGui::GetContentRegionAvail().x;
  const int columns = ui.portrait() ? 1 : 2;
  const float tw = (w - gap * (columns - 1)) / columns;
  struct Tile {
    const char* id;
    ScreenId screen;
  };
  const Tile tiles[] = {{"tech.open.setup", ScreenId::kTechSetup},
                        {"tech.open.devices", ScreenId::kTechDevices},
                        {"tech.open.certificate", ScreenId::kTechCertificate},
                        {"tech.open.diagnostics", ScreenId::kTechDiagnostics},
                        {"tech.open.officers", ScreenId::kTechOfficers}};
  int i = 0;
  for (const auto& tile : tiles) {
    if (i++ % columns != 0) ImGui::SameLine(0, gap);
    const std::string id = tile.id;
    if (TileButton(ui, id, ui.T(id), ui.T(id + "_sub"), ImVec2(tw, ui.S(150)))) {
      ui.Emit(intent::TechOpen{.screen = tile.screen});
    }
  }
  ImGui::Dummy(ImVec2(0, ui.S(16)));
  if (TouchButton(ui, "tech.restart", ui.T("tech.restart"), ImVec2(tw, ui.S(96)))) {
    ui.Emit(intent::TechAskStop{.restart = true});
  }
  if (columns > 1) ImGui::SameLine(0, gap);
  if (TouchButton(ui, "tech.shutdown", ui.T("tech.shutdown"), ImVec2(tw, ui.S(96)), ButtonKind::kDanger)) {
    ui.Emit(intent::TechAskStop{.restart = false});
  }
  if (NavRow(ui, false, "tech.lock", ui.T("tech.lock"))) ui.Emit(intent::StartOver{});
}

void DrawTechDevices(Ui& ui) {
  const App& app = ui.app;
  const TechnicianDesk& t = app.tech();
  Title(ui, ui.T("tech.devices_title"));
  const float w = ImGui::GetContentRegionAvail().x;
  const float bw = std::min(w * 0.4f, ui.S(520));
  // The printer: the test page, then what the printer answered (paper out, cover open, …).
  Wrapped(ui, ui.T("tech.printer") + ": " + (app.config().printer.empty() ? "none" : app.config().printer), ui.F().bold,
          colors::kText, w);
  if (TouchButton(ui, "tech.print_test", ui.T("tech.print_test"), ImVec2(bw, ui.S(96)),
                  t.print.running() ? ButtonKind::kSecondary : ButtonKind::kPrimary)) {
    ui.Emit(intent::TechPrintTest{});
  }
  if (t.print.running()) {
    Wrapped(ui, ui.T("tech.printing"), ui.F().body, colors::kMuted, w);
  } else if (t.print.state == JobState::kDone) {
    Wrapped(ui, ui.T("tech.printed"), ui.F().bold, colors::kOk, w);
    MarkItem(ui, "tech.printed");
  } else if (t.print.state == JobState::kFailed) {
    Wrapped(ui, ui.T(t.print.error_key) + " " + t.print.detail_vi, ui.F().bold, colors::kError, w);
    MarkItem(ui, "tech.print_failed");
  }
  ImGui::Dummy(ImVec2(0, ui.S(16)));
  // The card reader: a card put on it shows up here (no chip read: nothing personal is needed).
  Wrapped(ui, ui.T("tech.reader") + ": " + app.config().card_reader, ui.F().bold, colors::kText, w);
  if (!app.has_card_reader()) {
    Wrapped(ui, ui.T("card.not_configured"), ui.F().body, colors::kError, w);
  } else {
    const bool seen = t.card_seen || app.card_present();
    Wrapped(ui, ui.T(seen ? "tech.card_seen" : "tech.card_wait"), ui.F().body, seen ? colors::kOk : colors::kMuted, w);
    if (seen) MarkItem(ui, "tech.card_seen");
  }
  ImGui::Dummy(ImVec2(0, ui.S(16)));
  // The QR scanner: a scanned code shows as received, never what it says.
  Wrapped(ui, ui.T("tech.scanner") + ": " + app.config().qr_scanner, ui.F().bold, colors::kText, w);
  Wrapped(ui, t.qr_result_vi.empty() ? ui.T("tech.qr_wait") : t.qr_result_vi, ui.F().body,
          t.qr_result_vi.empty() ? colors::kMuted : colors::kOk, w);
  if (!t.qr_result_vi.empty()) MarkItem(ui, "tech.qr_seen");
  ImGui::Dummy(ImVec2(0, ui.S(16)));
  // The voice (docs/speech.md): volume and speed for this run, and a test sentence.
  Wrapped(ui, ui.T("tech.speech"), ui.F().bold, colors::kText, w);
  if (!app.has_speech()) {
    Wrapped(ui, ui.T("tech.speech_none"), ui.F().body, colors::kError, w);
    MarkItem(ui, "tech.speech_none");
  } else {
    const float sb = ui.S(96);
    auto stepper = [&](const char* id, const std::string& label, int value, bool volume) {
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted((label + ": " + std::to_string(value)).c_str());
      ImGui::SameLine(std::min(w * 0.5f, ui.S(620)));
      if (TouchButton(ui, std::string(id) + ".down", "–", ImVec2(sb, ui.S(80)))) {
        ui.Emit(intent::TechSpeech{.volume_step = volume ? -1 : 0, .rate_step = volume ? 0 : -1});
      }
      ImGui::SameLine();
      if (TouchButton(ui, std::string(id) + ".up", "+", ImVec2(sb, ui.S(80)))) {
        ui.Emit(intent::TechSpeech{.volume_step = volume ? 1 : 0, .rate_step = volume ? 0 : 1});
      }
    };
    stepper("tech.speech_volume", ui.T("tech.speech_volume"), app.speech_volume(), true);
    ImGui::SameLine();
    if (TouchButton(ui, "tech.speech_test", ui.T("tech.speech_test"), ImVec2(bw * 0.8f, ui.S(80)))) {
      ui.Emit(intent::TechSpeech{.test = true});
    }
    stepper("tech.speech_rate", ui.T("tech.speech_rate"), app.speech_rate(), false);
    Wrapped(ui, ui.T("tech.speech_kept"), ui.F().small, colors::kMuted, w);
  }
  NavRow(ui, true, "", "");
}

void DrawTechCertificate(Ui& ui) {
  const TechnicianDesk& t = ui.app.tech();
  Title(ui, ui.T("tech.cert_title"));
  const float w = ImGui::GetContentRegionAvail().x;
  if (t.cert_rows.empty() && t.cert_error_vi.empty()) Wrapped(ui, ui.T("tech.loading"), ui.F().body, colors::kMuted);
  TechRows(ui, t.cert_rows, w);
  for (const auto& [k, v] : t.cert_rows) {
    if (k == "tech.cert.renewed") MarkItem(ui, "tech.cert.renewed");
  }
  if (!t.cert_error_vi.empty()) {
    Wrapped(ui, t.cert_error_vi, ui.F().bold, colors::kError, w);
    MarkItem(ui, "tech.cert_error");
  }
  ImGui::Dummy(ImVec2(0, ui.S(16)));
  if (t.renewing) {
    Wrapped(ui, ui.T("tech.renewing"), ui.F().bold, colors::kMuted, w);
  } else if (ui.app.enrolled() || !t.cert_rows.empty()) {
    if (TouchButton(ui, "tech.renew", ui.T("tech.renew"), ImVec2(std::min(w * 0.4f, ui.S(520)), ui.S(96)),
                    ButtonKind::kPrimary)) {
      ui.Emit(intent::TechRenew{});
    }
  }
  NavRow(ui, true, "", "");
}

void DrawTechDiagnostics(Ui& ui) {
  const TechnicianDesk& t = ui.app.tech();
  Title(ui, ui.T("tech.diag_title"));
  BeginDragList(ui, "tech.diag", ImVec2(0, BodyHeight(ui)));
  const float w = ImGui::GetContentRegionAvail().x - ui.S(24);
  if (t.diag_rows.empty() && t.diag_error_vi.empty()) Wrapped(ui, ui.T("tech.loading"), ui.F().body, colors::kMuted);
  if (!t.diag_error_vi.empty()) Wrapped(ui, t.diag_error_vi, ui.F().bold, colors::kError, w);
  TechRows(ui, t.diag_rows, w);
  if (!t.diag_rows.empty()) MarkItem(ui, "tech.diag_ready");
  EndDragList(ui, "tech.diag");
  NavRow(ui, true, "", "");
}

void DrawTechStop(Ui& ui) {
  const bool restart = ui.app.tech().stop_restart;
  Title(ui, ui.T(restart ? "tech.restart" : "tech.shutdown"));
  Wrapped(ui, ui.T(restart ? "tech.restart_text" : "tech.shutdown_text"), ui.F().body, colors::kText);
  if (NavRow(ui, true, "tech.stop_confirm", ui.T(restart ? "tech.restart" : "tech.shutdown"))) {
    ui.Emit(intent::TechConfirmStop{});
  }
}

}  // namespace mck::app::ui
