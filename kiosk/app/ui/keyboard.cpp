#include "kiosk/app/ui/keyboard.h"

#include <algorithm>
#include <string>
#include <vector>

#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {
namespace {

bool Numeric(const Ui& ui) {
  return ui.app.focused_input() == InputKind::kDigits || ui.app.focused_input() == InputKind::kDate;
}

float KeyH(const Ui& ui) {
  return ui.S(ui.portrait() ? 96 : 84);
}
float Gap(const Ui& ui) {
  return ui.S(10);
}

void Key(Ui& ui, const std::string& id, const std::string& label, const std::string& text, float w,
         ButtonKind kind = ButtonKind::kSecondary) {
  if (TouchButton(ui, id, label, ImVec2(w, KeyH(ui)), kind, ui.F().body)) {
    ui.Emit(intent::Key{.text = text});
  }
}

}  // namespace

float KeyboardHeight(const Ui& ui) {
  if (ui.app.focused_key().empty()) return 0;
  const int rows = Numeric(ui) ? 4 : 5;
  return static_cast<float>(rows) * KeyH(ui) + static_cast<float>(rows + 1) * Gap(ui) + ui.S(8);
}

void DrawKeyboard(Ui& ui) {
  const float h = KeyboardHeight(ui);
  if (h <= 0) return;
  ImGui::SetNextWindowPos(ImVec2(0, ui.size.y - h));
  ImGui::SetNextWindowSize(ImVec2(ui.size.x, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::kKeyboard));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(Gap(ui), Gap(ui)));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(Gap(ui), Gap(ui)));
  ImGui::Begin("##keyboard", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  const float gap = Gap(ui);
  if (Numeric(ui)) {
    const float w = std::min(ui.S(220), (ui.size.x - 4 * gap) / 3);
    const float left = (ui.size.x - 3 * w - 2 * gap) / 2;
    const char* rows[3][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}};
    for (auto& row : rows) {
      ImGui::SetCursorPosX(left);
      for (int i = 0; i < 3; ++i) {
        if (i) ImGui::SameLine();
        Key(ui, std::string("key.") + row[i], row[i], row[i], w);
      }
    }
    ImGui::SetCursorPosX(left);
    if (TouchButton(ui, "key.backspace", ui.T("key.backspace"), ImVec2(w, KeyH(ui)), ButtonKind::kSecondary)) {
      ui.Emit(intent::Backspace{});
    }
    ImGui::SameLine();
    Key(ui, "key.0", "0", "0", w);
    ImGui::SameLine();
    if (TouchButton(ui, "key.done", ui.T("key.done"), ImVec2(w, KeyH(ui)), ButtonKind::kPrimary)) {
      ui.Emit(intent::Unfocus{});
    }
  } else {
    static constexpr const char* kRows[4] = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm,.-"};
    const float w = std::min(ui.S(150), (ui.size.x - 11 * gap) / 10);
    const float left = (ui.size.x - 10 * w - 9 * gap) / 2;
    const bool upper = ui.shift;
    for (int r = 0; r < 4; ++r) {
      const std::string row = kRows[r];
      ImGui::SetCursorPosX(left);
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) ImGui::SameLine();
        std::string c(1, row[i]);
        std::string shown = c;
        if (upper && c[0] >= 'a' && c[0] <= 'z') shown[0] = static_cast<char>(c[0] - 'a' + 'A');
        if (TouchButton(ui, "key." + c, shown, ImVec2(w, KeyH(ui)), ButtonKind::kSecondary, ui.F().body)) {
          ui.Emit(intent::Key{.text = shown});
          ui.shift = false;
        }
      }
      if (r == 2) {
        ImGui::SameLine();
        // Nine letters and the delete key fill the row exactly like the ten keys above.
        if (TouchButton(ui, "key.backspace", ui.T("key.backspace"), ImVec2(w, KeyH(ui)), ButtonKind::kSecondary,
                        ui.F().small)) {
          ui.Emit(intent::Backspace{});
        }
      }
    }
    ImGui::SetCursorPosX(left);
    if (TouchButton(ui, "key.shift", ui.T("key.shift"), ImVec2(w * 1.5f, KeyH(ui)),
                    ui.shift ? ButtonKind::kSelected : ButtonKind::kSecondary)) {
      ui.shift = !ui.shift;
    }
    ImGui::SameLine();
    if (ui.app.focused_input() == InputKind::kText) {
      const bool telex = ui.app.input_method() == text::InputMethod::kTelex;
      if (TouchButton(ui, "key.method", telex ? "Telex" : "VNI", ImVec2(w * 1.5f, KeyH(ui)))) {
        ui.Emit(intent::ToggleInputMethod{});
      }
    } else {
      // Codes and addresses (e-mail, the technician's portal URL and token): ':' and '/' where
      // the Telex/VNI switch would be.
      const float half = (w * 1.5f - gap) / 2;
      Key(ui, "key.:", ":", ":", half);
      ImGui::SameLine();
      Key(ui, "key./", "/", "/", half);
    }
    ImGui::SameLine();
    const float space_w = 10 * w + 9 * gap - 2 * (w * 1.5f + gap) - (w * 2 + gap);
    Key(ui, "key.space", ui.T("key.space"), " ", space_w);
    ImGui::SameLine();
    if (TouchButton(ui, "key.done", ui.T("key.done"), ImVec2(w * 2, KeyH(ui)), ButtonKind::kPrimary)) {
      ui.Emit(intent::Unfocus{});
    }
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor();
}

}  // namespace mck::app::ui
