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

namespace mck::app::ui {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  ImVec2 Center() const { return ImVec2(x + w / 2, y + h / 2); }
};

// Touch targets by stable id ("menu.submit", "key.a", "proc.1.001193"), as drawn in the last
// complete frame. The script mode taps them by id, so tests never depend on pixel positions.
class WidgetRegistry {
 public:
  void BeginFrame() {
    last_.swap(current_);
    current_.clear();
  }
  void Add(const std::string& id, const Rect& r) { current_[id] = r; }
  std::optional<Rect> Find(const std::string& id) const {
    auto it = last_.find(id);
    if (it == last_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, Rect> current_, last_;
};

struct Ui {
  Ui(App& a, const Fonts& f, FramePacer& p) : app(a), fonts(f), pacer(p) {}
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
  // True while a list follows a finger or flings: tiles are drawn the cheap way (FillRounded).
  bool ListMoving() const {
    for (const auto& [id, d] : lists) {
      if ((d.pressed() && d.dragging()) || d.flinging()) return true;
    }
    return false;
  }
  // True while a list is being dragged: the tap under the finger must not fire.
  bool TapSuppressed() const {
    for (const auto& [id, d] : lists) {
      if (d.dragging()) return true;
    }
    return false;
  }
};

// Colours: high contrast (WCAG AA or better on every text/background pair).
namespace colors {
constexpr ImU32 kBackground = IM_COL32(247, 248, 250, 255);
constexpr ImU32 kText = IM_COL32(17, 24, 39, 255);
constexpr ImU32 kMuted = IM_COL32(55, 65, 81, 255);
constexpr ImU32 kPrimary = IM_COL32(176, 18, 32, 255);  // a deep red, white text on it 7:1
constexpr ImU32 kPrimaryDown = IM_COL32(128, 10, 20, 255);
constexpr ImU32 kSecondary = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kSecondaryDown = IM_COL32(220, 224, 230, 255);
constexpr ImU32 kBorder = IM_COL32(75, 85, 99, 255);
constexpr ImU32 kFocus = IM_COL32(29, 78, 216, 255);
constexpr ImU32 kError = IM_COL32(170, 0, 0, 255);
constexpr ImU32 kOk = IM_COL32(6, 95, 70, 255);
constexpr ImU32 kHeader = IM_COL32(176, 18, 32, 255);
constexpr ImU32 kPanel = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kKeyboard = IM_COL32(209, 213, 219, 255);
}  // namespace colors

// Draws the whole frame: header, the current screen, the keyboard, the inactivity overlay.
void DrawFrame(Ui& ui);

}  // namespace mck::app::ui
