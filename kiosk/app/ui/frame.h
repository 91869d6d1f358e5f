// What every screen draws with: the app (read-only during drawing), the fonts for the current
// text size, the layout scale, the registry of touch targets (for the script mode's "tap ID"),
// the drag-scroll state of lists, and the intents the frame produced (applied after drawing).
// Lives on the UI thread for the whole run; holds no citizen data.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/app/app.h"
#include "kiosk/app/drag_scroll.h"
#include "kiosk/app/frame_pacer.h"
#include "kiosk/app/ui/fonts.h"

struct SDL_Texture;

namespace mck::app::ui {

class Presenter;

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  ImVec2 Center() const { return ImVec2(x + w / 2, y + h / 2); }
};

// Touch targets by stable id ("menu.submit", "key.a", "proc.1.001193"), as drawn in the last
// complete frame. The script mode taps them by id, so tests never depend on pixel positions.
// Besides the visible rectangle (what `tap` aims at), every real touch target — not the items
// only marked for `wait_widget`, not the lists — keeps its whole rectangle too: the script's
// screenshots list them for the accessibility measurement (docs/accessibility.md).
class WidgetRegistry {
 public:
  struct Target {
    Rect full;     // the whole control, as laid out
    Rect visible;  // the part not clipped by its list or window
  };
  void BeginFrame() {
    last_.swap(current_);
    current_.clear();
    targets_.clear();
  }
  void Add(const std::string& id, const Rect& r) { current_[id] = r; }
  // A touch target: findable like Add, and listed by Targets().
  void AddTarget(const std::string& id, const Rect& visible, const Rect& full) {
    current_[id] = visible;
    targets_[id] = Target{full, visible};
  }
  std::optional<Rect> Find(const std::string& id) const {
    auto it = last_.find(id);
    if (it == last_.end()) return std::nullopt;
    return it->second;
  }
  // The touch targets drawn in the frame being (or just) drawn.
  const std::map<std::string, Target>& Targets() const { return targets_; }

 private:
  std::map<std::string, Rect> current_, last_;
  std::map<std::string, Target> targets_;
};

struct Ui {
  Ui(App& a, const Fonts& f, FramePacer& p, Presenter* pr = nullptr) : app(a), fonts(f), pacer(p), presenter(pr) {}
  App& app;
  const Fonts& fonts;
  FramePacer& pacer;
  float scale = 1.0f;  // 1.0 for a 1080 px short side
  ImVec2 size;         // the window, pixels
  double time = 0;     // seconds since start (ImGui::GetTime)
  WidgetRegistry widgets;
  std::vector<Intent> intents;
  std::map<std::string, DragScroll> lists;
  bool shift = false;      // on-screen keyboard: next letter upper case
  bool log_frames = true;  // --frame-log: record this frame's time (scripts turn it off/on)
  ScreenId last_screen = ScreenId::kAttract;
  std::string last_focused;                         // to notice a focus change
  bool scroll_to_focus = false;                     // the newly focused field scrolls itself into view
  std::string shown_error;                          // a screen's error last scrolled into view (staff decision)
  size_t last_value_len = static_cast<size_t>(-1);  // focused value's length last frame (no text kept)
  // The scan screen's page previews (screens/scan.cpp): one texture of the presenter's renderer
  // per page id, made when first drawn and destroyed (ReleasePreviews) once the page is gone or the
  // screen left — the previews are the citizen's papers. A texture made or destroyed invalidates
  // the presenter's damage tracking (a new texture may reuse a freed one's address).
  Presenter* presenter = nullptr;
  std::map<uint64_t, SDL_Texture*> previews;
  void* previews_renderer = nullptr;  // the renderer they belong to (a new one frees them all)
  // The chip's face on the staff dossier (screens/staff_face.cpp): one texture, made when first
  // drawn and destroyed (ReleaseChipFace, every frame) as soon as the dossier no longer holds that
  // face (left, signed out, timed out, another read).
  SDL_Texture* chip_face = nullptr;
  uint64_t chip_face_id = 0;          // StaffDossierView::ChipFace::image_id it shows
  void* chip_face_renderer = nullptr;
  // Script runs only (ui/script.h, the human-timing model's `read`): the text this frame drew,
  // as segments (a hash of the text and its number of words: no text kept), the on-screen
  // keyboard's keys left out. Fed by the widgets that draw text themselves (CountText) and, for
  // text drawn through ImGui (TextUnformatted), by ImGui's own log capture (frame.cpp).
  struct TextSegment {
    uint64_t hash = 0;
    int words = 0;
  };
  bool count_words = false;
  bool words_paused = false;  // while the keyboard is drawn
  std::vector<TextSegment> text_segments;
  void CountText(std::string_view text);

  const FontSet& F() const { return fonts.For(app.large_text()); }
  // Layout length: design pixels at 1080 px, grown with the text size.
  float S(float px) const { return px * scale * (app.large_text() ? 1.2f : 1.0f); }
  bool portrait() const { return size.y > size.x; }
  const std::string& T(const std::string& key) const { return app.T(key); }
  void Emit(Intent in) { intents.push_back(std::move(in)); }
  void Go(ScreenId s) { Emit(intent::Go{.screen = s}); }
  // True while a list is being dragged: the tap under the finger must not fire.
  bool TapSuppressed() const {
    for (const auto& [id, d] : lists) {
      if (d.dragging()) return true;
    }
    return false;
  }
};

// Colours come from the theme picked at run time ([display] theme in the config, and the
// citizen's "contrast" toggle in the header): "standard" (WCAG AA or better on every
// text/background pair) or "high_contrast" (black, white and yellow, 7:1 or better; see
// docs/accessibility.md for the measured figures). The `colors::kX` names below are references
// into the active theme, so a screen reads the current colour every frame. UI thread only.
struct Theme {
  ImU32 background, text, muted;
  ImU32 primary, primary_down, on_primary;  // the main action, and the text on it
  ImU32 secondary, secondary_down, border;
  ImU32 focus, focus_down, on_focus;  // the focused field, selected options, and the text on them
  ImU32 error, ok;
  ImU32 header, on_header;
  ImU32 panel, panel_filled;  // text fields; fields filled from the card / read only
  ImU32 keyboard;
  ImU32 overlay, overlay_text, overlay_accent;  // the "still there?" countdown
};
enum class ThemeId { kStandard, kHighContrast };
const Theme& ThemeFor(ThemeId id);
// The theme the next frame draws with (DrawFrame sets it from the app's state).
void UseTheme(ThemeId id);
namespace detail {
inline Theme g_theme = {};
}  // namespace detail
namespace colors {
inline const ImU32& kBackground = detail::g_theme.background;
inline const ImU32& kText = detail::g_theme.text;
inline const ImU32& kMuted = detail::g_theme.muted;
inline const ImU32& kPrimary = detail::g_theme.primary;
inline const ImU32& kPrimaryDown = detail::g_theme.primary_down;
inline const ImU32& kOnPrimary = detail::g_theme.on_primary;
inline const ImU32& kSecondary = detail::g_theme.secondary;
inline const ImU32& kSecondaryDown = detail::g_theme.secondary_down;
inline const ImU32& kBorder = detail::g_theme.border;
inline const ImU32& kFocus = detail::g_theme.focus;
inline const ImU32& kFocusDown = detail::g_theme.focus_down;
inline const ImU32& kOnFocus = detail::g_theme.on_focus;
inline const ImU32& kError = detail::g_theme.error;
inline const ImU32& kOk = detail::g_theme.ok;
inline const ImU32& kHeader = detail::g_theme.header;
inline const ImU32& kOnHeader = detail::g_theme.on_header;
inline const ImU32& kPanel = detail::g_theme.panel;
inline const ImU32& kPanelFilled = detail::g_theme.panel_filled;
inline const ImU32& kKeyboard = detail::g_theme.keyboard;
inline const ImU32& kOverlay = detail::g_theme.overlay;
inline const ImU32& kOverlayText = detail::g_theme.overlay_text;
inline const ImU32& kOverlayAccent = detail::g_theme.overlay_accent;
}  // namespace colors

// Draws the whole frame: header, the current screen, the keyboard, the inactivity overlay.
void DrawFrame(Ui& ui);

}  // namespace mck::app::ui
