// Look up a dossier: the receipt's QR through the scanner, or its code typed WITH the applicant's
// date of birth (a code alone is guessable and shows nothing; kiosk/core/lookup.h); look-ups are
// limited per citizen and per minute. Shows the local state and the portal's status.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"
#include "offline/domain/portal_status.h"

namespace mck::app::ui {

void DrawLookup(Ui& ui) {
  const App& app = ui.app;
  Title(ui, ui.T("lookup.title"));
  BeginDragList(ui, "lookup.list", ImVec2(0, BodyHeight(ui)));
  Wrapped(ui, ui.T("lookup.explain"), ui.F().body, colors::kMuted);
  const float w = std::min(ImGui::GetContentRegionAvail().x - ui.S(24), ui.S(1100));
  TextField(ui, "lookup", ui.T("lookup.code"), InputKind::kPlain, w);
  TextField(ui, "lookup.dob", ui.T("lookup.dob"), InputKind::kDate, std::min(w, ui.S(520)));
  if (TouchButton(ui, "lookup.search", ui.T("lookup.search"), ImVec2(std::min(w, ui.S(420)), ui.S(96)),
                  ButtonKind::kPrimary)) {
    ui.Emit(intent::Lookup{});
  }
  const LookupView& r = app.lookup();
  if (r.searched && !r.found) Wrapped(ui, ui.T(r.error_key), ui.F().bold, colors::kError, w);
  if (r.found) {
    auto row = [&](const std::string& label, const std::string& value) {
      if (value.empty()) return;
      ImGui::PushFont(ui.F().small);
      ImGui::TextUnformatted(label.c_str());
      ImGui::PopFont();
      ImGui::SameLine(ui.S(440));
      ImGui::TextUnformatted(value.c_str());
    };
    row(ui.T("lookup.provisional_code"), r.provisional_code);
    row(ui.T("lookup.dossier_code"), r.dossier_code);
    row(ui.T("lookup.procedure"), r.procedure_name);
    row(ui.T("lookup.state"), ui.T("state." + r.state));
    // The portal's status in the one table's words (offline/domain/portal_status.h).
    const bool en = ui.app.strings().language() == Language::kEn;
    if (!r.portal_status.empty())
      row(ui.T("lookup.portal_status"), en ? PortalStatusEn(r.portal_status) : PortalStatusVi(r.portal_status));
    if (!r.portal_status_text.empty() &&
        (r.portal_status.empty() || r.portal_status_text != PortalStatusVi(r.portal_status))) {
      Wrapped(ui, r.portal_status_text, ui.F().small, colors::kMuted,
              w);  // the portal's own words, when they add something
    }
    if (r.portal == JobState::kRunning) Wrapped(ui, ui.T("lookup.asking_portal"), ui.F().small, colors::kMuted, w);
    if (r.portal == JobState::kDone) {
      Wrapped(ui, ui.T("lookup.portal_answered"), ui.F().small, colors::kOk, w);
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      ui.widgets.Add("lookup.portal_answered", Rect{a.x, a.y, b.x - a.x, b.y - a.y});  // for the UI tests
    }
    // Dates for people: DD/MM/YYYY.
    const std::string& a = r.appointment_date;
    row(ui.T("lookup.appointment"), a.size() == 10 ? a.substr(8, 2) + "/" + a.substr(5, 2) + "/" + a.substr(0, 4) : a);
    if (r.state == "queued" || r.state == "sending")
      Wrapped(ui, ui.T("lookup.queued_note"), ui.F().small, colors::kMuted, w);
  }
  EndDragList(ui, "lookup.list");
  NavRow(ui, true, "", "");
}

}  // namespace mck::app::ui
