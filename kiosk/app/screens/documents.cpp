// The papers the procedure needs: the citizen ticks what they brought to show at the counter.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawDocuments(Ui& ui) {
  const App& app = ui.app;
  const Procedure* p = app.procedure();
  if (!p) return;
  Title(ui, ui.T("documents.title"));
  Wrapped(ui, ui.T("documents.explain"), ui.F().body, colors::kMuted);
  ImGui::Dummy(ImVec2(0, ui.S(8)));
  BeginDragList(ui, "documents.list", ImVec2(0, BodyHeight(ui)));
  const float w = std::min(ImGui::GetContentRegionAvail().x - ui.S(24), ui.S(1300));
  // With a scanner, each paper gets "Quét giấy tờ này" beside its toggle (screens/scan.cpp).
  const bool scan = app.has_scanner();
  const float scan_w = scan ? std::min(w * 0.34f, ui.S(420)) : 0;
  const float tile_w = scan ? w - scan_w - ui.S(16) : w;
  if (p->documents.empty()) Wrapped(ui, ui.T("documents.none"), ui.F().body, colors::kMuted);
  for (const auto& d : p->documents) {
    auto it = app.session().documents_presented.find(d.id);
    const bool on = it != app.session().documents_presented.end() && it->second;
    std::string sub = (d.required ? ui.T("documents.required") : ui.T("documents.optional")) + " · " +
                      (on ? ui.T("documents.brought") : ui.T("documents.not_brought"));
    const DigitisedPaper* scanned = app.digitised(d.id);
    if (scanned) sub += " · " + app.strings().Format("documents.scanned", {std::to_string(scanned->pages.size())});
    if (TileButton(ui, "doc." + d.id, d.name, sub, ImVec2(tile_w, ui.S(140)),
                   on ? ButtonKind::kSelected : ButtonKind::kSecondary)) {
      ui.Emit(intent::ToggleDocument{.document_id = d.id});
    }
    if (scan) {
      ImGui::SameLine();
      if (TouchButton(ui, "doc.scan." + d.id, ui.T(scanned ? "documents.scan_again" : "documents.scan"),
                      ImVec2(scan_w, ui.S(140)), ButtonKind::kPrimary)) {
        ui.Emit(intent::ScanOpen{.document_id = d.id});
      }
    }
  }
  EndDragList(ui, "documents.list");
  if (NavRow(ui, true, "documents.next", ui.T("nav.next"))) ui.Emit(intent::DocumentsDone{});
}

}  // namespace mck::app::ui
