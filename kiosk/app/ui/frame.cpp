#include "kiosk/app/ui/frame.h"

#include <algorithm>

#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/keyboard.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {
namespace {

// A word: a run between spaces holding at least one letter or digit (Latin with Vietnamese
// diacritics included), so "—", "·" or "₫" alone are not words and "A+" is one.
int CountWordsIn(std::string_view text) {
  int words = 0;
  bool in_word = false, has_letter = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    const unsigned char c = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word && has_letter) ++words;
      in_word = has_letter = false;
      continue;
    }
    in_word = true;
    if (c < 0x80) {
      has_letter = has_letter || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    } else if (c >= 0xC0) {
      // The code point of this multi-byte sequence: Latin-1 letters to Latin Extended
      // (U+00C0..U+024F) and Latin Extended Additional (U+1E00..U+1EFF, Vietnamese) count.
      char32_t cp = c >= 0xF0 ? (c & 0x07) : c >= 0xE0 ? (c & 0x0F) : (c & 0x1F);
      const size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      for (size_t k = 1; k < n && i + k < text.size(); ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
      has_letter = has_letter || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
                   (cp >= 0x1E00 && cp <= 0x1EFF);
    }
  }
  return words;
}

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
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::kOnHeader));
  ImGui::TextUnformatted(ui.app.config().commune_name.c_str());
  ui.CountText(ui.app.config().commune_name);
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
  // The high-contrast theme (docs/accessibility.md); on: drawn as selected, with a check mark.
  if (TouchButton(ui, "header.contrast", ui.T("header.contrast"), ImVec2(bw, bh),
                  ui.app.high_contrast() ? ButtonKind::kSelected : ButtonKind::kSecondary, ui.F().small)) {
    ui.Emit(intent::ToggleContrast{});
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

// The bottom bar of the citizen's screens, just above the keyboard: "Nghe hướng dẫn" on the left
// half (and "Tắt giọng đọc" once the voice is on); the right half is for "Gọi cán bộ hỗ trợ".
// On a landscape screen the open keyboard leaves too little room for the field being typed (at
// 1920x1080 the text keyboard and the bar left it half hidden), so the bar steps aside until
// "Xong"; in portrait it stays. The officer's scan (from the staff dossier) has none: it is not
// the citizen's screen, though it is the same scan screen.
bool HasFooter(const Ui& ui) {
  const ScreenId s = ui.app.screen();
  if (!ui.portrait() && KeyboardHeight(ui) > 0) return false;
  if (s == ScreenId::kScan && ui.app.scan().counter) return false;  // the officer's scan at the counter
  return s != ScreenId::kAttract && App::IsCitizenScreen(s);
}

float FooterHeight(const Ui& ui) {
  return HasFooter(ui) ? ui.S(116) : 0;
}


void DrawFooter(Ui& ui) {
  const float h = FooterHeight(ui);
  if (h <= 0) return;
  ImGui::SetNextWindowPos(ImVec2(0, ui.size.y - KeyboardHeight(ui) - h));
  ImGui::SetNextWindowSize(ImVec2(ui.size.x, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(colors::kPanel));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::Begin("##footer", nullptr, kFullFlags);
  ImGui::GetWindowDrawList()->AddLine(ImGui::GetWindowPos(), ImVec2(ImGui::GetWindowPos().x + ui.size.x,
                                      ImGui::GetWindowPos().y), colors::kBorder, ui.S(2));
  const float pad = ui.S(ui.portrait() ? 24 : 48);
  const float bh = h - ui.S(24);
  const float half = ui.size.x / 2;
  const bool voice = ui.app.voice_on();
  // Left half: listen (wide, the main thing), and "voice off" beside it while the voice is on.
  const float off_w = voice ? std::min(ui.S(300), (half - pad) * 0.4f) : 0;
  const float listen_w = half - pad - ui.S(12) - (voice ? off_w + ui.S(12) : 0);
  ImGui::SetCursorPos(ImVec2(pad, ui.S(12)));
  const ButtonKind listen_kind = voice ? ButtonKind::kSelected : ButtonKind::kSecondary;
  if (TouchButton(ui, "footer.listen", "      " + ui.T("footer.listen"), ImVec2(listen_w, bh), listen_kind,
                  ui.F().bold)) {
    ui.Emit(intent::Listen{});
  }
  const ImVec2 a = ImGui::GetItemRectMin();
  SpeakerIcon(ImGui::GetWindowDrawList(), ImVec2(a.x + ui.S(56), a.y + bh / 2), ui.S(30),
              voice ? IM_COL32_WHITE : colors::kText);
  if (voice) {
    ImGui::SetCursorPos(ImVec2(pad + listen_w + ui.S(12), ui.S(12)));
    if (TouchButton(ui, "footer.voice_off", ui.T("footer.voice_off"), ImVec2(off_w, bh), ButtonKind::kSecondary,
                    ui.F().small)) {
      ui.Emit(intent::VoiceOff{});
    }
  }
  // Right half: "Gọi cán bộ hỗ trợ" (footer.help), or what became of it.
  const float hpad = ui.S(12);
  const float side = ui.S(ui.portrait() ? 32 : 64);
  const float x = half + hpad;
  const float w = half - hpad - side;
  const ImVec2 size(w, h - 2 * hpad);
  ImGui::SetCursorPos(ImVec2(x, hpad));
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
      ImGui::SetCursorPos(ImVec2(x, std::max(hpad / 2, (h - th) / 2)));
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
    case ScreenId::kScan: DrawScan(ui); break;
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
    case ScreenId::kTechOfficers: DrawTechOfficers(ui); break;
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

}  // namespace

// A loudspeaker, drawn (the fonts have no emoji): a box, its cone, two sound waves.
void SpeakerIcon(ImDrawList* dl, ImVec2 c, float s, ImU32 col) {
  dl->AddRectFilled(ImVec2(c.x - s * 0.9f, c.y - s * 0.3f), ImVec2(c.x - s * 0.45f, c.y + s * 0.3f), col);
  dl->AddTriangleFilled(ImVec2(c.x - s * 0.5f, c.y), ImVec2(c.x + s * 0.1f, c.y - s * 0.75f),
                        ImVec2(c.x + s * 0.1f, c.y + s * 0.75f), col);
  dl->AddRectFilled(ImVec2(c.x - s * 0.5f, c.y - s * 0.3f), ImVec2(c.x + s * 0.1f, c.y + s * 0.3f), col);
  const float t = std::max(2.0f, s * 0.12f);
  dl->PathArcTo(ImVec2(c.x + s * 0.1f, c.y), s * 0.45f, -0.8f, 0.8f, 12);
  dl->PathStroke(col, 0, t);
  dl->PathArcTo(ImVec2(c.x + s * 0.1f, c.y), s * 0.8f, -0.8f, 0.8f, 16);
  dl->PathStroke(col, 0, t);
}

void Ui::CountText(std::string_view text) {
  if (!count_words || words_paused) return;
  const size_t a = text.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return;
  text = text.substr(a, text.find_last_not_of(" \t\r\n") - a + 1);
  // A required field's marker is not a word: "Giới tính của trẻ *" on the form and "Giới tính của
  // trẻ" on the review are the same text to the reader who read one of them.
  while (text.size() > 1 && (text.back() == '*' || text.back() == ' ')) text.remove_suffix(1);
  const int words = CountWordsIn(text);
  if (words == 0) return;
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  text_segments.push_back({h, words});
}

void DrawFrame(Ui& ui) {
  UseTheme(ui.app.high_contrast() ? ThemeId::kHighContrast : ThemeId::kStandard);
  // The scroll bar shows there is more below: as dark as the borders (it measured 3.8:1 in grey).
  ImGui::GetStyle().Colors[ImGuiCol_ScrollbarGrab] = ImGui::ColorConvertU32ToFloat4(colors::kBorder);
  ui.text_segments.clear();
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
  ReleasePreviews(ui);  // the previews of pages no longer shown: the citizen's papers
  ReleaseChipFace(ui);  // the chip's face, once the dossier no longer holds it
  if (ui.app.screen() != ScreenId::kAttract) DrawHeader(ui);
  DrawFooter(ui);
  ui.words_paused = true;  // the keys are not read, they are searched (the per-key cost)
  DrawKeyboard(ui);
  ui.words_paused = false;
  if (ui.app.countdown_showing()) DrawStillThere(ui);
  ImGui::PopFont();
  ImGui::PopStyleColor(2);
}

}  // namespace mck::app::ui
