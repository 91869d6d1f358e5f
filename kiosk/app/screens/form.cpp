// The procedure's form, generated from the catalog schema (portal-api.md field types), each
// field validated as the citizen leaves it, with plain Vietnamese messages under it.
#include <algorithm>

#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

// The commune's usual answers to a text field ([suggestions] in the config): one tap instead of
// typing them letter by letter — "Trạm y tế xã Mẫu" under "Nơi sinh" spares an elderly citizen
// 22 keys of Telex (docs/walkthrough.md). The chosen one shows as selected; the field stays
// editable for any other answer.
static void Suggestions(Ui& ui, const std::string& key, const std::string& field_id, float width) {
  const auto it = ui.app.config().suggestions.find(field_id);
  if (it == ui.app.config().suggestions.end()) return;
  const std::string& value = ui.app.Value(key);
  ImFont* font = ui.F().body;
  for (size_t i = 0; i < it->second.size(); ++i) {
    const std::string& answer = it->second[i];
    const float bw = std::min(width, font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, answer.c_str()).x + ui.S(64));
    if (i > 0 && ImGui::GetCursorPosX() + bw <= width) ImGui::SameLine(0, ui.S(16));
    if (TouchButton(ui, "suggest." + field_id + "." + std::to_string(i), answer, ImVec2(bw, ui.S(88)),
                    value == answer ? ButtonKind::kSelected : ButtonKind::kSecondary, font)) {
      ui.Emit(intent::SetValue{.key = key, .value = answer});
    }
  }
}

void DrawForm(Ui& ui) {
  const App& app = ui.app;
  const Procedure* p = app.procedure();
  if (!p) {
    ui.Go(ScreenId::kProcedure);
    return;
  }
  Title(ui, p->name);
  if (!app.notice().empty()) Wrapped(ui, ui.T(app.notice()), ui.F().bold, colors::kError);
  BeginDragList(ui, "form.list", ImVec2(0, BodyHeight(ui)));
  const float w = std::min(ImGui::GetContentRegionAvail().x - ui.S(24), ui.S(1100));
  for (const FormField& f : p->form) {
    const std::string key = "fields." + f.id;
    const std::string label = f.label + (f.required ? " *" : "");
    switch (f.type) {
      case FieldType::kSelect: OptionRow(ui, key, label, f.options, w); break;
      case FieldType::kCheckbox: {
        const bool on = app.Value(key) == "true";
        if (TouchButton(ui, "check." + f.id, (on ? ui.T("form.checked") : ui.T("form.unchecked")) + "  " + label,
                        ImVec2(w, ui.S(96)), on ? ButtonKind::kSelected : ButtonKind::kSecondary)) {
          ui.Emit(intent::SetValue{.key = key, .value = on ? "" : "true"});
        }
        const std::string err = app.ErrorFor(key);
        if (!err.empty()) Wrapped(ui, err, ui.F().small, colors::kError, w);
        break;
      }
      case FieldType::kDate: TextField(ui, key, label, InputKind::kDate, w); break;
      case FieldType::kNumber:
      case FieldType::kPhone:
      case FieldType::kIdNumber: TextField(ui, key, label, InputKind::kDigits, w); break;
      case FieldType::kEmail: TextField(ui, key, label, InputKind::kPlain, w); break;
      case FieldType::kText:
      case FieldType::kMultiline:
        TextField(ui, key, label, InputKind::kText, w);
        Suggestions(ui, key, f.id, w);
        break;
    }
    if (!f.help.empty()) Wrapped(ui, f.help, ui.F().small, colors::kMuted, w);
  }
  // What the star means matters only where some answers are optional.
  const bool some_optional = std::any_of(p->form.begin(), p->form.end(), [](const FormField& f) { return !f.required; });
  if (some_optional) Wrapped(ui, ui.T("form.required_note"), ui.F().small, colors::kMuted, w);
  EndDragList(ui, "form.list");
  if (NavRow(ui, true, "form.next", ui.T("nav.next"))) ui.Emit(intent::FormDone{});
}

}  // namespace mck::app::ui
