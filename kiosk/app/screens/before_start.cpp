// "Trước khi bắt đầu": after a procedure is chosen and before its form — the papers to bring, the
// fee and how long it takes, in plain words (kiosk/app/before_start.h; the same words are read
// aloud). Nobody fills a form and then learns they lack a paper. "Điền tờ khai" goes on to the
// form (before.continue); Back chooses another procedure.
#include "kiosk/app/before_start.h"
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawBeforeStart(Ui& ui) {
  const App& app = ui.app;
  const Procedure* p = app.procedure();
  if (!p) {
    ui.Go(ScreenId::kProcedure);
    return;
  }
  const BeforeStartText t = DescribeBeforeStart(*p, app.strings());
  Title(ui, p->name);
  Wrapped(ui, ui.T("before.intro"), ui.F().body, colors::kMuted);
  ImGui::Dummy(ImVec2(0, ui.S(4)));
  BeginDragList(ui, "before.list", ImVec2(0, BodyHeight(ui)));
  const float w = std::min(ImGui::GetContentRegionAvail().x - ui.S(24), ui.S(1300));
  auto heading = [&](const std::string& key) {
    ImGui::Dummy(ImVec2(0, ui.S(6)));
    Wrapped(ui, ui.T(key), ui.F().bold, colors::kPrimary, w);
  };
  auto bullet = [&](const std::string& text, ImFont* font, ImU32 color) {
    const float x = ImGui::GetCursorPosX();
    ImGui::PushFont(font);
    ImGui::TextUnformatted("•");
    ImGui::PopFont();
    ImGui::SameLine(x + ui.S(36));
    Wrapped(ui, text, font, color, w - ui.S(36));
  };
  heading("before.papers");
  if (t.required.empty()) Wrapped(ui, ui.T("before.no_papers"), ui.F().body, colors::kText, w);
  for (const auto& name : t.required) bullet(name, ui.F().body, colors::kText);
  if (!t.optional.empty()) {
    heading("before.papers_optional");
    for (const auto& name : t.optional) bullet(name, ui.F().body, colors::kText);
  }
  MarkItem(ui, "before.papers");
  heading("before.fee");
  Wrapped(ui, t.fee, ui.F().body, colors::kText, w);
  MarkItem(ui, "before.fee_value");
  heading("before.time");
  Wrapped(ui, t.time, ui.F().body, colors::kText, w);
  ImGui::Dummy(ImVec2(0, ui.S(6)));
  Wrapped(ui, ui.T("before.lacking"), ui.F().small, colors::kMuted, w);
  EndDragList(ui, "before.list");
  if (NavRow(ui, true, "before.continue", ui.T("before.continue"))) ui.Emit(intent::BeforeStartDone{});
}

}  // namespace mck::app::ui
