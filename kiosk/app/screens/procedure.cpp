// Pick a procedure: by field (lĩnh vực) or by a search that ignores diacritics
// ("dang ky khai sinh" finds "Đăng ký khai sinh"). The list scrolls by dragging.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawProcedure(Ui& ui) {
  const App& app = ui.app;
  Title(ui, ui.T("procedure.title"));
  const float w = ImGui::GetContentRegionAvail().x;
  // "gõ không dấu cũng được" matters while typing: said then, not to everyone who only looks.
  TextField(ui, "search", ui.T(app.focused_key() == "search" ? "procedure.search_typing" : "procedure.search"),
            InputKind::kText, std::min(w, ui.S(1100)));
  // Field filter: one button per lĩnh vực, plus "all".
  const std::vector<std::string> fields = app.Fields();
  const std::string& current = app.session().field_filter;
  auto chip = [&](const std::string& id, const std::string& label, const std::string& value) {
    ImFont* f = ui.F().small;
    const float bw = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, label.c_str()).x + ui.S(48);
    if (ImGui::GetCursorPosX() + bw > w && ImGui::GetCursorPosX() > ui.S(200)) ImGui::NewLine();
    if (TouchButton(ui, id, label, ImVec2(bw, ui.S(72)),
                    current == value ? ButtonKind::kSelected : ButtonKind::kSecondary, f)) {
      ui.Emit(intent::FilterField{.field = value});
    }
    ImGui::SameLine();
  };
  // Folded behind one button until asked for: a citizen who knows the procedure's name finds it in
  // the list or the search, and need not read eight lĩnh vực first (docs/walkthrough.md).
  if (app.session().show_fields || !current.empty()) {
    chip("filter.all", ui.T("procedure.all_fields"), "");
    for (size_t i = 0; i < fields.size(); ++i) chip("filter." + std::to_string(i), fields[i], fields[i]);
    ImGui::NewLine();
  } else if (!fields.empty()) {
    ImFont* f = ui.F().small;
    const std::string label = ui.T("procedure.show_fields");
    const float bw = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, label.c_str()).x + ui.S(48);
    if (TouchButton(ui, "filter.show", label, ImVec2(bw, ui.S(72)), ButtonKind::kSecondary, f)) {
      ui.Emit(intent::ShowFields{});
    }
  }

  const auto procs = app.VisibleProcedures();
  BeginDragList(ui, "procedure.list", ImVec2(0, BodyHeight(ui)));
  const float rw = ImGui::GetContentRegionAvail().x - ui.S(24);
  if (procs.empty()) Wrapped(ui, ui.T("procedure.none"), ui.F().body, colors::kMuted);
  // The name alone: the field is the filter above, and the papers, fee and time are on the chosen
  // procedure's "before you start" page — words a citizen choosing one of many need not read on
  // every tile (docs/walkthrough.md).
  for (const Procedure* p : procs) {
    if (TileButton(ui, "proc." + p->code, p->name, "", ImVec2(rw, ui.S(150)))) {
      ui.Emit(intent::ChooseProcedure{.code = p->code});
    }
  }
  EndDragList(ui, "procedure.list");
  NavRow(ui, true, "", "");
}

}  // namespace mck::app::ui
