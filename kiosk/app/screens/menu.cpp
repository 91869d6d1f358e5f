// The four things a citizen can do at the kiosk.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawMenu(Ui& ui) {
  Title(ui, ui.T("menu.title"));
  struct Choice {
    const char* id;
    const char* title;
    const char* subtitle;
    ScreenId target;
  };
  const Choice choices[] = {
      {"menu.submit", "menu.submit", "menu.submit_sub", ScreenId::kIdentify},
      // The other three say it in their titles: no line under them to read (docs/walkthrough.md).
      {"menu.lookup", "menu.lookup", nullptr, ScreenId::kLookup},
      {"menu.ticket", "menu.ticket", nullptr, ScreenId::kTicket},
      {"menu.rate", "menu.rate", nullptr, ScreenId::kRating},
  };
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ui.S(24);
  const int cols = ui.portrait() ? 1 : 2;
  const int rows = 4 / cols;
  const float w = (avail.x - gap * static_cast<float>(cols - 1)) / static_cast<float>(cols);
  const float staff_h = ui.S(72);
  const float h = std::min((avail.y - staff_h - gap * static_cast<float>(rows)) / static_cast<float>(rows), ui.S(300));
  for (int i = 0; i < 4; ++i) {
    if (i % cols) ImGui::SameLine(0, gap);
    const Choice& c = choices[i];
    if (TileButton(ui, c.id, ui.T(c.title), c.subtitle ? ui.T(c.subtitle) : std::string(), ImVec2(w, h),
                   i == 0 ? ButtonKind::kPrimary : ButtonKind::kSecondary)) {
      ui.Go(c.target);
    }
    if (i % cols == cols - 1) ImGui::Dummy(ImVec2(0, gap - ImGui::GetStyle().ItemSpacing.y));
  }
  // Staff mode: small and at the bottom, behind a PIN.
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - staff_h - ImGui::GetStyle().WindowPadding.y);
  ImGui::SetCursorPosX(ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x - ui.S(260));
  if (TouchButton(ui, "menu.staff", ui.T("menu.staff"), ImVec2(ui.S(260), staff_h), ButtonKind::kSecondary,
                  ui.F().small)) {
    ui.Go(ScreenId::kStaffPin);
  }
}

}  // namespace mck::app::ui
