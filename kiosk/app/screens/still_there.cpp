// "Bạn còn ở đó không?": after the inactivity timeout, a countdown over the current screen. A tap
// anywhere keeps the session; at zero the App wipes it and the attract screen returns. Opaque:
// a passer-by must not read the walked-away citizen's details behind it.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawStillThere(Ui& ui) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ui.size);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::kOverlay));
  ImGui::Begin("##still_there", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::SetWindowFocus();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (ImGui::InvisibleButton("still_here", avail)) ui.Emit(intent::StillHere{});
  ui.widgets.AddTarget("still_here", Rect{0, 0, ui.size.x, ui.size.y}, Rect{0, 0, ui.size.x, ui.size.y});
  ImGui::SetCursorPos(ImVec2(0, ui.size.y * 0.25f));
  Centered(ui, ui.T("still_there.title"), ui.F().title, colors::kOverlayText);
  Centered(ui, std::to_string(ui.app.inactivity().CountdownSecondsLeft()), ui.F().huge, colors::kOverlayAccent);
  Centered(ui, ui.T("still_there.body"), ui.F().body, colors::kOverlayText);
  Centered(ui, ui.T("still_there.touch"), ui.F().bold, colors::kOverlayText);
  ImGui::End();
  ImGui::PopStyleColor();
}

}  // namespace mck::app::ui
