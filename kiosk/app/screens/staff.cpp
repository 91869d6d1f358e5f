// Staff mode (civil servants at the counter): unlocked with the staff PIN (offline/store
// StaffAuth: PBKDF2, lock-out after failures that survives restarts, audit rows). Shows each
// counter's waiting tickets with "call the next number", and the dossiers not yet accepted by the
// portal (codes and states only). It locks again with the inactivity wipe or "Khoá".
#include "screens/screens.h"
#include "ui/widgets.h"

namespace mck::app::ui {

void DrawStaffPin(Ui& ui) {
  const App& app = ui.app;
  Title(ui, ui.T("staff.pin_title"));
  const float w = std::min(ImGui::GetContentRegionAvail().x, ui.S(700));
  TextField(ui, "staff.pin", ui.T("staff.pin"), InputKind::kDigits, w);
  if (!app.pin_message().empty()) {
    Wrapped(ui, ui.app.strings().Format(app.pin_message(), {std::to_string(app.pin_message_number())}), ui.F().bold,
            colors::kError, w);
  }
  if (TouchButton(ui, "staff.unlock", ui.T("staff.unlock"), ImVec2(w, ui.S(96)), ButtonKind::kPrimary)) {
    ui.Emit(Intent{Intent::Kind::kStaffUnlock});
  }
  if (app.focused_key().empty()) NavRow(ui, true, "", "");
}

void DrawStaff(Ui& ui) {
  const App& app = ui.app;
  const StaffView& v = app.staff();
  Title(ui, ui.T("staff.title"));
  if (!v.called.empty()) {
    Centered(ui, ui.app.strings().Format("staff.called", {v.called}), ui.F().title, colors::kPrimary);
  }
  if (!v.message_key.empty()) Wrapped(ui, ui.T(v.message_key), ui.F().bold, colors::kMuted);
  BeginDragList(ui, "staff.list", ImVec2(0, BodyHeight(ui)));
  const float w = ImGui::GetContentRegionAvail().x - ui.S(24);
  const float bw = std::min(w * 0.4f, ui.S(480));
  for (const auto& c : v.counters) {
    const float y = ImGui::GetCursorPosY();
    Wrapped(ui, ui.app.strings().Format("staff.counter_row", {c.counter, c.name, std::to_string(c.waiting)}),
            ui.F().body, colors::kText, w - bw - ui.S(24));
    ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + w - bw, y));
    if (TouchButton(ui, "staff.call." + c.counter, ui.T("staff.call_next"), ImVec2(bw, ui.S(84)),
                    c.waiting > 0 ? ButtonKind::kPrimary : ButtonKind::kSecondary)) {
      Intent in(Intent::Kind::kCallNext);
      in.key = c.counter;
      ui.Emit(in);
    }
  }
  ImGui::Dummy(ImVec2(0, ui.S(16)));
  ImGui::PushFont(ui.F().bold);
  ImGui::TextUnformatted(ui.app.strings().Format("staff.dossiers_title", {std::to_string(v.dossiers.size())}).c_str());
  ImGui::PopFont();
  if (v.dossiers.empty()) Wrapped(ui, ui.T("staff.no_dossiers"), ui.F().small, colors::kMuted);
  for (const auto& d : v.dossiers) {
    std::string line = d.provisional_code + "   " + d.procedure_code + "   " + ui.T(std::string("state.") + DossierStateName(d.state));
    if (d.attempts > 0) line += "   (" + ui.app.strings().Format("staff.attempts", {std::to_string(d.attempts)}) + ")";
    Wrapped(ui, line, ui.F().small, colors::kText, w);
  }
  EndDragList(ui, "staff.list");
  if (NavRow(ui, false, "staff.lock", ui.T("staff.lock"))) ui.Emit(Intent{Intent::Kind::kStartOver});
}

}  // namespace mck::app::ui
