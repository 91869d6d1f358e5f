// Everything once more before submitting. "Nộp hồ sơ" stores the dossier durably; only then
// does the next screen say "Đã nộp hồ sơ".
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {
namespace {

void Row(Ui& ui, const std::string& label, const std::string& value, float label_w) {
  ImGui::PushFont(ui.F().small);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::kMuted));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + label_w - ui.S(16));
  ImGui::TextUnformatted(label.c_str());
  CountShown(ui, label);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::SameLine(label_w);
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(value.empty() ? "—" : value.c_str());
  CountShown(ui, value);
  ImGui::PopTextWrapPos();
}

}  // namespace

void DrawReview(Ui& ui) {
  const App& app = ui.app;
  const Procedure* p = app.procedure();
  if (!p) return;
  Title(ui, ui.T("review.title"));
  if (!app.notice().empty()) {
    Wrapped(ui, ui.T(app.notice()), ui.F().bold, colors::kError);
    MarkItem(ui, "notice." + app.notice());  // a script's `wait_widget notice.submit.failed`
  }
  // The store writes on the core worker: a calm line until "Đã nộp hồ sơ" (a second tap is ignored).
  if (app.submitting()) Wrapped(ui, ui.T("common.saving"), ui.F().bold, colors::kMuted);
  // Read back: the only way the kiosk says the citizen's data aloud (quietly, saying so first).
  if (app.has_speech() &&
      TouchButton(ui, "review.read_back", ui.T("review.read_back"),
                  ImVec2(std::min(ImGui::GetContentRegionAvail().x * 0.5f, ui.S(560)), ui.S(88)),
                  ButtonKind::kSecondary, ui.F().body)) {
    ui.Emit(intent::ReadBack{});
  }
  BeginDragList(ui, "review.list", ImVec2(0, BodyHeight(ui)));
  const float lw = std::min(ImGui::GetContentRegionAvail().x * 0.38f, ui.S(560));
  ImGui::PushFont(ui.F().bold);
  ImGui::TextUnformatted(ui.T("review.applicant").c_str());
  CountShown(ui, ui.T("review.applicant"));
  ImGui::PopFont();
  // Read from the chip, the applicant's details are the State's signed record: nothing here could
  // change them, so the review names who it is and leaves out the rest (date of birth, gender,
  // residence; the phone when none was given) — fewer words for a slow reader, less personal
  // data on the screen (docs/walkthrough.md). Anything typed or from the QR is shown whole.
  const IdentitySource src = app.session().identity_source;
  const char* keys[] = {"id_number", "full_name", "date_of_birth", "gender", "address", "phone"};
  for (const char* k : keys) {
    const std::string key = std::string("applicant.") + k;
    const std::string field(k);
    if (src == IdentitySource::kChip && field != "id_number" && field != "full_name" &&
        (field != "phone" || app.Value(key).empty())) {
      continue;
    }
    Row(ui, ui.T(key), app.DisplayValue(key), lw);
  }
  Row(ui, ui.T("review.identity_source"),
      ui.T(src == IdentitySource::kChip ? "review.source_chip"
           : src == IdentitySource::kQr ? "review.source_qr"
                                        : "review.source_manual"),
      lw);
  ImGui::Dummy(ImVec2(0, ui.S(12)));
  ImGui::PushFont(ui.F().bold);
  ImGui::TextUnformatted(p->name.c_str());
  CountShown(ui, p->name);
  ImGui::PopFont();
  for (const auto& f : p->form) {
    std::string v = app.DisplayValue("fields." + f.id);
    if (f.type == FieldType::kCheckbox) v = v == "true" ? ui.T("review.yes") : ui.T("review.no");
    Row(ui, f.label, v, lw);
  }
  ImGui::Dummy(ImVec2(0, ui.S(12)));
  ImGui::PushFont(ui.F().bold);
  ImGui::TextUnformatted(ui.T("review.documents").c_str());
  CountShown(ui, ui.T("review.documents"));
  ImGui::PopFont();
  for (const auto& d : p->documents) {
    auto it = app.session().documents_presented.find(d.id);
    const bool on = it != app.session().documents_presented.end() && it->second;
    std::string value = on ? ui.T("documents.brought") : ui.T("documents.not_brought");
    if (const DigitisedPaper* scanned = app.digitised(d.id))  // scanned at the kiosk: goes with the dossier
      value += " · " + app.strings().Format("documents.scanned", {std::to_string(scanned->pages.size())});
    Row(ui, d.name, value, lw);
  }
  EndDragList(ui, "review.list");
  if (NavRow(ui, true, "review.submit", ui.T("review.submit"))) ui.Emit(intent::Submit{});
}

}  // namespace mck::app::ui
