// The attract screen: what a passer-by sees. One tap anywhere starts a session.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawAttract(Ui& ui) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 start = ImGui::GetCursorPos();
  // The whole screen is the button.
  if (ImGui::InvisibleButton("attract.start", avail) && !ui.TapSuppressed()) ui.Emit(intent::Start{});
  const Rect whole{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, avail.x, avail.y};
  ui.widgets.AddTarget("attract.start", whole, whole);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  dl->AddRectFilled(a, ImVec2(b.x, a.y + avail.y * 0.42f), colors::kHeader);
  ImGui::SetCursorPos(ImVec2(start.x, start.y + avail.y * 0.12f));
  Centered(ui, ui.app.config().commune_name, ui.F().title, colors::kOnHeader);
  Centered(ui, ui.T("attract.title"), ui.F().title, colors::kOnHeader);
  // What the kiosk does is the next screen's four tiles (and what "Nghe hướng dẫn" says here):
  // the invitation alone is what a passer-by must read (docs/walkthrough.md).
  ImGui::SetCursorPos(ImVec2(start.x, start.y + avail.y * 0.56f));
  // Static on purpose: an idle kiosk draws nothing and sleeps (0% CPU, docs/ui.md).
  Centered(ui, ui.T("attract.touch"), ui.F().title, colors::kPrimary);
}

}  // namespace mck::app::ui
