// "Bạn còn ở đó không?": after the inactivity timeout, a countdown over the current screen. A tap
// anywhere keeps the session; at zero the App wipes it and the attract screen returns. Opaque:
// a passer-by must not read the walked-away citizen's details behind it.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawStillThere(Ui& ui) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ui.size);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.07f, 0.09f, 0.15f, 1.0f));
  ImGui::Begin("##still_there", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::SetWindowFocus();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (ImGui::InvisibleButton("still_here", avail)) ui.Emit(intent::StillHere{});
  ui.widgets.Add("still_here", Rect{0, 0, ui.size.x, ui.size.y});
  ImGui::SetCursorPos(ImVec2(0, ui.size.y * 0.25f));
  Centered(ui, ui.T("still_there.title"), ui.F().title, IM_COL32_WHITE);
  Centered(ui, std::to_string(ui.app.inactivity().CountdownSecondsLeft()), ui.F().huge, IM_COL32(252, 211, 77, 255));
  Centered(ui, ui.T("still_there.body"), ui.F().body, IM_COL32_WHITE);
  Centered(ui, ui.T("still_there.touch"), ui.F().bold, IM_COL32_WHITE);
  ImGui::End();
  ImGui::PopStyleColor();
}

}  // namespace mck::app::ui
