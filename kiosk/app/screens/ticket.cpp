// Take a queue number for a counter. The number is issued only when it has printed; a printer
// problem says so calmly and sends the citizen to staff.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawTicket(Ui& ui) {
  const App& app = ui.app;
  Title(ui, ui.T("ticket.title"));
  const auto& t = app.ticket();
  if (!t) {
    Wrapped(ui, ui.T("ticket.choose"), ui.F().body, colors::kMuted);
    std::vector<std::string> counters = app.catalog().Counters();
    const float w = ImGui::GetContentRegionAvail().x;
    BeginDragList(ui, "ticket.list", ImVec2(0, BodyHeight(ui)));
    for (const auto& c : counters) {
      std::string name;
      for (const auto& p : app.catalog().procedures) {
        if (p.counter == c) {
          if (!name.empty() && name.find(p.field) != std::string::npos) continue;
          name += (name.empty() ? "" : ", ") + p.field;
        }
      }
      if (TileButton(ui, "ticket." + c, name, ui.app.strings().Format("ticket.counter", {c}),
                     ImVec2(w - ui.S(24), ui.S(140)))) {
        ui.Emit(intent::TakeTicket{.counter = c});
      }
    }
    EndDragList(ui, "ticket.list");
    NavRow(ui, true, "", "");
    return;
  }
  if (t->reserving) Centered(ui, ui.T("common.saving"), ui.F().title, colors::kMuted);  // core worker
  switch (t->print.state) {
    case JobState::kRunning: Centered(ui, ui.T("ticket.printing"), ui.F().title, colors::kMuted); break;
    case JobState::kDone: {
      Centered(ui, ui.app.strings().Format("ticket.your_number", {t->counter_name}), ui.F().body, colors::kText);
      char num[32];
      std::snprintf(num, sizeof num, "%s-%03d", t->counter.c_str(), t->number);
      Centered(ui, num, ui.F().huge, colors::kPrimary);
      Centered(ui,
               t->waiting_before == 0 ? ui.T("ticket.none_waiting")
                                      : ui.app.strings().Format("ticket.waiting", {std::to_string(t->waiting_before)}),
               ui.F().title, colors::kText);
      if (!t->come_back_at.empty()) {
        Centered(ui, ui.app.strings().Format("ticket.come_back", {t->come_back_at}), ui.F().title, colors::kText);
      }
      Centered(ui, ui.T("ticket.take_paper"), ui.F().bold, colors::kOk);
      break;
    }
    case JobState::kFailed:
      Wrapped(ui, ui.T(t->print.error_key), ui.F().title, colors::kError);
      if (const std::string& detail = t->print.detail(app.strings().language()); !detail.empty()) {
        Wrapped(ui, detail, ui.F().body, colors::kMuted);
      }
      Wrapped(ui, ui.T("ticket.ask_staff"), ui.F().body, colors::kText);
      break;
    case JobState::kNone: break;
  }
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ui.S(96) - ImGui::GetStyle().WindowPadding.y);
  const float bw = std::min(ImGui::GetContentRegionAvail().x * 0.42f, ui.S(520));
  ImGui::SetCursorPosX(ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x - bw);
  if (TouchButton(ui, "ticket.done", ui.T("ticket.done"), ImVec2(bw, ui.S(96)), ButtonKind::kPrimary)) {
    ui.Emit(intent::StartOver{});
  }
}

}  // namespace mck::app::ui
