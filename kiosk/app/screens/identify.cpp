// How the citizen identifies: with the chip ID card (QR + chip), by typing the ID number and
// date of birth (the chip then confirms), or with no card (everything typed, marked as typed).
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawIdentify(Ui& ui) {
  Title(ui, ui.T("identify.title"));
  BeginDragList(ui, "identify.list", ImVec2(0, BodyHeight(ui)));
  const float w = ImGui::GetContentRegionAvail().x - ui.S(24);
  const float h = ui.S(170);
  if (TileButton(ui, "identify.card", ui.T("identify.card"),
                 ui.app.has_card_reader() ? ui.T("identify.card_sub") : ui.T("identify.card_unavailable"), ImVec2(w, h),
                 ButtonKind::kPrimary)) {
    ui.Emit(intent::IdentifyTyped{});
  }
  // Its title says it; the applicant screen's labels say the rest (12 digits, date of birth).
  if (TileButton(ui, "identify.typed", ui.T("identify.typed"), "", ImVec2(w, h))) {
    ui.Emit(intent::IdentifyTyped{});
  }
  if (TileButton(ui, "identify.nocard", ui.T("identify.nocard"), ui.T("identify.nocard_sub"), ImVec2(w, h))) {
    ui.Emit(intent::IdentifyNoCard{});
  }
  Wrapped(ui, ui.T("identify.privacy"), ui.F().small, colors::kMuted);
  EndDragList(ui, "identify.list");
  NavRow(ui, true, "", "");
}

}  // namespace mck::app::ui
