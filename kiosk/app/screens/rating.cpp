// Rate the service: the criteria provincial portals ask (vn-facts.md §7.1), three levels each
// ("Rất hài lòng / Hài lòng / Không hài lòng", stored as 3/2/1), keyed to the dossier when the
// citizen has just submitted one, stored and queued for the portal like dossiers.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawRating(Ui& ui) {
  const App& app = ui.app;
  Title(ui, ui.T("rating.title"));
  if (app.session().submitted) {
    Wrapped(ui, ui.app.strings().Format("rating.for_dossier", {app.session().submitted->provisional_code}), ui.F().body,
            colors::kMuted);
  }
  if (!app.notice().empty()) Wrapped(ui, ui.T(app.notice()), ui.F().bold, colors::kError);
  BeginDragList(ui, "rating.list", ImVec2(0, BodyHeight(ui)));
  const float w = ImGui::GetContentRegionAvail().x - ui.S(24);
  const float gap = ui.S(16);
  const float bw = (w - 2 * gap) / 3;
  const char* levels[3] = {"rating.very_satisfied", "rating.satisfied", "rating.unsatisfied"};
  const int scores[3] = {3, 2, 1};
  for (const auto& c : RatingCriteria()) {
    ImGui::PushFont(ui.F().bold);
    ImGui::TextUnformatted(ui.T("criterion." + c).c_str());
    ImGui::PopFont();
    auto it = app.session().rating_scores.find(c);
    const int chosen = it == app.session().rating_scores.end() ? 0 : it->second;
    for (int i = 0; i < 3; ++i) {
      if (i) ImGui::SameLine(0, gap);
      if (TouchButton(ui, "rate." + c + "." + std::to_string(scores[i]), ui.T(levels[i]), ImVec2(bw, ui.S(84)),
                      chosen == scores[i] ? ButtonKind::kSelected : ButtonKind::kSecondary, ui.F().body)) {
        ui.Emit(intent::SetScore{.criterion = c, .score = scores[i]});
      }
    }
    ImGui::Dummy(ImVec2(0, ui.S(8)));
  }
  TextField(ui, "rating.comment", ui.T("rating.comment"), InputKind::kText, w);
  EndDragList(ui, "rating.list");
  if (NavRow(ui, true, "rating.submit", ui.T("rating.submit"))) ui.Emit(intent::SubmitRating{});
}

void DrawThanks(Ui& ui) {
  ImGui::Dummy(ImVec2(0, ui.S(120)));
  Centered(ui, ui.T("thanks.title"), ui.F().title, colors::kOk);
  Centered(ui, ui.T("thanks.body"), ui.F().body, colors::kText);
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ui.S(96) - ImGui::GetStyle().WindowPadding.y);
  const float bw = std::min(ImGui::GetContentRegionAvail().x * 0.42f, ui.S(520));
  ImGui::SetCursorPosX(ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x - bw);
  if (TouchButton(ui, "thanks.done", ui.T("thanks.done"), ImVec2(bw, ui.S(96)), ButtonKind::kPrimary)) {
    ui.Emit(intent::StartOver{});
  }
}

}  // namespace mck::app::ui
