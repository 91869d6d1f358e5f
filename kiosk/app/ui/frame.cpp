#include "kiosk/app/ui/frame.h"

#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/keyboard.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {
namespace {

constexpr ImGuiWindowFlags kFullFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                        ImGuiWindowFlags_NoScrollWithMouse;

float HeaderHeight(const Ui& ui) {
  return ui.S(100);
}

void DrawHeader(Ui& ui) {
  const float h = HeaderHeight(ui);
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(ui.size.x, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::kHeader));
  ImGui::Begin("##header", nullptr, kFullFlags);
  const float pad = ui.S(24);
  ImGui::SetCursorPos(ImVec2(pad, (h - ui.F().bold->FontSize) / 2));
  ImGui::PushFont(ui.F().bold);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  ImGui::TextUnformatted(ui.app.config().commune_name.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();

  // Right side: start over (in a session), language, text size.
  const float bh = h - ui.S(24);
  const float bw = ui.S(150);
  float x = ui.size.x - pad - bw;
  ImGui::SetCursorPos(ImVec2(x, ui.S(12)));
  if (TouchButton(ui, "header.textsize", ui.app.large_text() ? "A–" : "A+", ImVec2(bw, bh))) {
    ui.Emit(intent::ToggleLargeText{});
  }
  x -= bw + ui.S(12);
  ImGui::SetCursorPos(ImVec2(x, ui.S(12)));
  const bool en = ui.app.strings().language() == Language::kEn;
  if (TouchButton(ui, "header.language", en ? "Tiếng Việt" : "English", ImVec2(bw, bh), ButtonKind::kSecondary,
                  ui.F().small)) {
    ui.Emit(intent::SetLanguage{en ? Language::kVi : Language::kEn});
  }
  if (ui.app.screen() != ScreenId::kAttract && ui.app.screen() != ScreenId::kMenu) {
    const float sw = ui.S(260);
    x -= sw + ui.S(12);
    ImGui::SetCursorPos(ImVec2(x, ui.S(12)));
    if (TouchButton(ui, "header.start_over", ui.T("header.start_over"), ImVec2(sw, bh), ButtonKind::kSecondary,
                    ui.F().small)) {
      ui.Emit(intent::StartOver{});
    }
  }
  ImGui::End();
  ImGui::PopStyleColor();
}

// The footer: a bar above the keyboard area on every citizen screen but the attract one (a touch
// anywhere there starts; the menu after it has the footer). Its right half holds
// "Gọi cán bộ hỗ trợ" (footer.help); its left half is kept for "Nghe hướng dẫn" (footer.listen).
bool HasFooter(const Ui& ui) {
  return ui.app.screen() != ScreenId::kAttract && IsCitizenScreen(ui.app.screen());
}

float FooterHeight(const Ui& ui) {
  return HasFooter(ui) ? ui.S(112) : 0;
}

void DrawFooter(Ui& ui) {
  const float h = FooterHeight(ui);
  if (h <= 0) return;
  const float pad = ui.S(12);
  ImGui::SetNextWindowPos(ImVec2(0, ui.size.y - KeyboardHeight(ui) - h));
  ImGui::SetNextWindowSize(ImVec2(ui.size.x, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::kPanel));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("##footer", nullptr, kFullFlags);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetWindowPos();
  dl->AddLine(origin, ImVec2(origin.x + ui.size.x, origin.y), colors::kBorder, ui.S(2));
  // The right half (the left one is "Nghe hướng dẫn"'s).
  const float side = ui.S(ui.portrait() ? 32 : 64);
  const float x = ui.size.x / 2 + pad;
  const float w = ui.size.x / 2 - pad - side;
  const ImVec2 size(w, h - 2 * pad);
  ImGui::SetCursorPos(ImVec2(x, pad));
  switch (ui.app.help()) {
    case JobState::kNone:
    case JobState::kFailed:
      if (TouchButton(ui, "footer.help",
                      ui.T(ui.app.help() == JobState::kFailed ? "help.ask_again" : "help.ask"), size,
                      ButtonKind::kSecondary, ui.F().bold)) {
        ui.Emit(intent::AskHelp{});
      }
      break;
    case JobState::kRunning:
      ImGui::SetCursorPos(ImVec2(x, (h - ui.F().body->FontSize) / 2));
      Wrapped(ui, ui.T("help.asking"), ui.F().body, colors::kMuted, w);
      break;
    case JobState::kDone: {
      // Calm and in place: the citizen keeps their screen and everything typed.
      ImFont* f = ui.F().bold;
      const float th = f->CalcTextSizeA(f->FontSize, FLT_MAX, w, ui.T("help.sent").c_str()).y;
      ImGui::SetCursorPos(ImVec2(x, std::max(pad / 2, (h - th) / 2)));
      Wrapped(ui, ui.T("help.sent"), f, colors::kOk, w);
      MarkItem(ui, "footer.help_sent");
      break;
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

void DrawBody(Ui& ui) {
  const float top = ui.app.screen() == ScreenId::kAttract ? 0 : HeaderHeight(ui);
  const float bottom = KeyboardHeight(ui) + FooterHeight(ui);
  ImGui::SetNextWindowPos(ImVec2(0, top));
  ImGui::SetNextWindowSize(ImVec2(ui.size.x, ui.size.y - top - bottom));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(ui.S(ui.portrait() ? 32 : 64), ui.S(28)));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ui.S(16), ui.S(14)));
  ImGui::Begin("##body", nullptr, kFullFlags);
  switch (ui.app.screen()) {
    case ScreenId::kAttract: DrawAttract(ui); break;
    case ScreenId::kMenu: DrawMenu(ui); break;
    case ScreenId::kIdentify: DrawIdentify(ui); break;
    case ScreenId::kApplicant: DrawApplicant(ui); break;
    case ScreenId::kProcedure: DrawProcedure(ui); break;
    case ScreenId::kBeforeStart: DrawBeforeStart(ui); break;
    case ScreenId::kForm: DrawForm(ui); break;
    case ScreenId::kDocuments: DrawDocuments(ui); break;
    case ScreenId::kReview: DrawReview(ui); break;
    case ScreenId::kSubmitted: DrawSubmitted(ui); break;
    case ScreenId::kLookup: DrawLookup(ui); break;
    case ScreenId::kTicket: DrawTicket(ui); break;
    case ScreenId::kRating: DrawRating(ui); break;
    case ScreenId::kThanks: DrawThanks(ui); break;
    case ScreenId::kStaffPin: DrawStaffPin(ui); break;
    case ScreenId::kStaff: DrawStaff(ui); break;
    case ScreenId::kStaffDossier: DrawStaffDossier(ui); break;
    case ScreenId::kTechPin: DrawTechPin(ui); break;
    case ScreenId::kTechnician: DrawTechnician(ui); break;
    case ScreenId::kTechSetup: DrawTechSetup(ui); break;
    case ScreenId::kTechDevices: DrawTechDevices(ui); break;
    case ScreenId::kTechCertificate: DrawTechCertificate(ui); break;
    case ScreenId::kTechDiagnostics: DrawTechDiagnostics(ui); break;
    case ScreenId::kTechStop: DrawTechStop(ui); break;
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

}  // namespace

void DrawFrame(Ui& ui) {
  if (ui.app.screen() != ui.last_screen) {
    // Entering a screen: its lists start at the top, the keyboard starts lower case.
    ui.lists.clear();
    ui.shift = false;
    ui.last_screen = ui.app.screen();
  }
  if (ui.app.focused_key() != ui.last_focused) {
    ui.last_focused = ui.app.focused_key();
    ui.scroll_to_focus = !ui.last_focused.empty();
  }
  // Names start each word with a capital: the keyboard shifts by itself when a name field is
  // entered empty or a space was just typed (only on that change, so the citizen can undo it).
  if (!ui.app.focused_key().empty() && ui.app.focused_input() == InputKind::kText &&
      ui.app.focused_key().find("name") != std::string::npos) {
    const std::string v = ui.app.Value(ui.app.focused_key());
    const size_t len = v.size();
    if (len != ui.last_value_len && (v.empty() || v.back() == ' ')) ui.shift = true;
    ui.last_value_len = len;
  } else {
    ui.last_value_len = static_cast<size_t>(-1);
  }
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::kBackground));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::kText));
  ImGui::PushFont(ui.F().body);
  DrawBody(ui);
  if (ui.app.screen() != ScreenId::kAttract) DrawHeader(ui);
  DrawFooter(ui);
  DrawKeyboard(ui);
  if (ui.app.countdown_showing()) DrawStillThere(ui);
  ImGui::PopFont();
  ImGui::PopStyleColor(2);
}

}  // namespace mck::app::ui
