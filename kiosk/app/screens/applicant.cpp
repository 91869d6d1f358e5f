// The applicant's details: typed on the keyboards, or filled from the card (then read-only and
// marked). With a card reader, the typed ID number and date of birth open the chip to confirm.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawApplicant(Ui& ui) {
  const App& app = ui.app;
  Title(ui, ui.T("applicant.title"));
  if (!app.notice().empty()) Wrapped(ui, ui.T(app.notice()), ui.F().bold, colors::kError);
  BeginDragList(ui, "applicant.list", ImVec2(0, BodyHeight(ui)));
  const float w = std::min(ImGui::GetContentRegionAvail().x - ui.S(24), ui.S(1100));
  TextField(ui, "applicant.id_number", ui.T("applicant.id_number"), InputKind::kDigits, w);
  TextField(ui, "applicant.date_of_birth", ui.T("applicant.date_of_birth"), InputKind::kDate, w);
  if (app.has_card_reader() && app.session().identity_source != IdentitySource::kChip) {
    if (TouchButton(ui, "applicant.read_chip", ui.T("applicant.read_chip"), ImVec2(w, ui.S(96)),
                    ButtonKind::kSecondary)) {
      ui.Emit(intent::ReadChip{});
    }
  }
  if (!app.card_message().empty()) {
    const ImU32 c = app.card_read() == JobState::kFailed ? colors::kError
                    : app.card_read() == JobState::kDone ? colors::kOk
                                                         : colors::kMuted;
    Wrapped(ui, ui.T(app.card_message()), ui.F().bold, c, w);
    ImGui::Dummy(ImVec2(0, ui.S(8)));
  }
  if (app.session().identity_source == IdentitySource::kManual) {
    Wrapped(ui, ui.T("applicant.typed_note"), ui.F().small, colors::kMuted, w);
  }
  TextField(ui, "applicant.full_name", ui.T("applicant.full_name"), InputKind::kText, w);
  OptionRow(ui, "applicant.gender", ui.T("applicant.gender"), {"Nam", "Nữ"}, w);
  TextField(ui, "applicant.address", ui.T("applicant.address"), InputKind::kText, w);
  TextField(ui, "applicant.phone", ui.T("applicant.phone"), InputKind::kDigits, w);
  EndDragList(ui, "applicant.list");
  if (NavRow(ui, true, "applicant.next", ui.T("nav.next"))) ui.Emit(intent::ApplicantDone{});
}

}  // namespace mck::app::ui
