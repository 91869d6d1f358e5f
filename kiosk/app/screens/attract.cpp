// The attract screen: what a passer-by sees. One tap anywhere starts a session.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawAttract(Ui& ui) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 start = ImGui::GetCursorPos();
  // The whole screen is the button, but for a band at the bottom with "Nghe hướng dẫn": what the
  // kiosk is for and how to start, read aloud for a citizen who does not read (speak.attract).
  const float band = ui.S(140);
  const ImVec2 start_size(avail.x, avail.y - band);
  if (ImGui::InvisibleButton("attract.start", start_size) && !ui.TapSuppressed()) ui.Emit(intent::Start{});
  const Rect whole{ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, start_size.x, start_size.y};
  ui.widgets.AddTarget("attract.start", whole, whole);
  {
    const ImVec2 size(std::min(avail.x, ui.S(720)), ui.S(104));
    ImGui::SetCursorPos(ImVec2(start.x + (avail.x - size.x) / 2, start.y + avail.y - band + (band - size.y) / 2));
    const bool voice = ui.app.voice_on();
    if (TouchButton(ui, "attract.listen", "      " + ui.T("footer.listen"), size,
                    voice ? ButtonKind::kSelected : ButtonKind::kSecondary, ui.F().bold)) {
      ui.Emit(intent::Listen{});
    }
    const ImVec2 a = ImGui::GetItemRectMin();
    SpeakerIcon(ImGui::GetWindowDrawList(), ImVec2(a.x + ui.S(56), a.y + size.y / 2), ui.S(30),
                voice ? IM_COL32_WHITE : colors::kText);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(whole.x, whole.y);
  dl->AddRectFilled(a, ImVec2(whole.x + whole.w, a.y + avail.y * 0.42f), colors::kHeader);
  ImGui::SetCursorPos(ImVec2(start.x, start.y + avail.y * 0.12f));
  Centered(ui, ui.app.config().commune_name, ui.F().title, colors::kOnHeader);
  Centered(ui, ui.T("attract.title"), ui.F().title, colors::kOnHeader);
  // What the kiosk does is the next screen's four tiles (and what "Nghe hướng dẫn" says here):
  // the invitation alone is what a passer-by must read (docs/walkthrough.md).
  ImGui::SetCursorPos(ImVec2(start.x, start.y + avail.y * 0.56f));
  // Static on purpose: an idle kiosk draws nothing and sleeps (0% CPU, docs/ui.md).
  Centered(ui, ui.T("attract.touch"), ui.F().title, colors::kPrimary);
  // The chip ID card's QR starts a submission from here (App::TakeQr): said only where a scanner is.
  if (ui.app.config().qr_scanner != "none") {
    ImGui::Dummy(ImVec2(0, ui.S(24)));
    Centered(ui, ui.T("attract.card"), ui.F().bold, colors::kText);
    // What the card's data is for, said before it is handed over (the identify screen, which this
    // path skips, says it too).
    Centered(ui, ui.T("identify.privacy"), ui.F().small, colors::kMuted);
  }
}

}  // namespace mck::app::ui
