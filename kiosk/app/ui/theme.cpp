// The two palettes (frame.h). Contrast figures are measured from screenshots by
// tests/a11y/a11y-measure (docs/accessibility.md), not claimed here.
#include "kiosk/app/ui/frame.h"

namespace mck::app::ui {
namespace {

// Today's look: dark text on a light grey, a deep red for the header and the main action.
constexpr Theme kStandard = {
    .background = IM_COL32(247, 248, 250, 255),
    .text = IM_COL32(17, 24, 39, 255),
    .muted = IM_COL32(55, 65, 81, 255),
    .primary = IM_COL32(176, 18, 32, 255),
    .primary_down = IM_COL32(128, 10, 20, 255),
    .on_primary = IM_COL32(255, 255, 255, 255),
    .secondary = IM_COL32(255, 255, 255, 255),
    .secondary_down = IM_COL32(220, 224, 230, 255),
    .border = IM_COL32(75, 85, 99, 255),
    .focus = IM_COL32(29, 78, 216, 255),
    .focus_down = IM_COL32(20, 50, 160, 255),
    .on_focus = IM_COL32(255, 255, 255, 255),
    .error = IM_COL32(170, 0, 0, 255),
    .ok = IM_COL32(6, 95, 70, 255),
    .header = IM_COL32(176, 18, 32, 255),
    .on_header = IM_COL32(255, 255, 255, 255),
    .panel = IM_COL32(255, 255, 255, 255),
    .panel_filled = IM_COL32(236, 253, 245, 255),
    .keyboard = IM_COL32(209, 213, 219, 255),
    .overlay = IM_COL32(18, 23, 38, 255),
    .overlay_text = IM_COL32(255, 255, 255, 255),
    .overlay_accent = IM_COL32(252, 211, 77, 255),
};

// High contrast: white and yellow on black, black on yellow for the main action and the
// selected option. Every pair is 7:1 or better (WCAG AAA); the light red and green of errors
// and OK states are never the only sign (a word or a mark goes with them).
constexpr Theme kHighContrast = {
    .background = IM_COL32(0, 0, 0, 255),
    .text = IM_COL32(255, 255, 255, 255),
    .muted = IM_COL32(235, 235, 235, 255),
    .primary = IM_COL32(255, 230, 0, 255),
    .primary_down = IM_COL32(205, 185, 0, 255),
    .on_primary = IM_COL32(0, 0, 0, 255),
    .secondary = IM_COL32(0, 0, 0, 255),
    .secondary_down = IM_COL32(64, 64, 64, 255),
    .border = IM_COL32(255, 255, 255, 255),
    .focus = IM_COL32(255, 230, 0, 255),
    .focus_down = IM_COL32(205, 185, 0, 255),
    .on_focus = IM_COL32(0, 0, 0, 255),
    .error = IM_COL32(255, 150, 150, 255),
    .ok = IM_COL32(140, 255, 140, 255),
    .header = IM_COL32(0, 0, 0, 255),
    .on_header = IM_COL32(255, 255, 255, 255),
    .panel = IM_COL32(0, 0, 0, 255),
    .panel_filled = IM_COL32(0, 40, 20, 255),
    .keyboard = IM_COL32(40, 40, 40, 255),
    .overlay = IM_COL32(0, 0, 0, 255),
    .overlay_text = IM_COL32(255, 255, 255, 255),
    .overlay_accent = IM_COL32(255, 230, 0, 255),
};

}  // namespace

const Theme& ThemeFor(ThemeId id) {
  return id == ThemeId::kHighContrast ? kHighContrast : kStandard;
}

void UseTheme(ThemeId id) {
  detail::g_theme = ThemeFor(id);
}

}  // namespace mck::app::ui
