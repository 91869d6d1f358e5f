// The font atlas, built ONCE at start-up (Dear ImGui 1.86 cannot rebuild it cheaply, and a
// rebuild mid-session would stall the UI): Noto Sans Regular and Bold, in the sizes the screens
// use, for normal and large text, with the kiosk's glyph ranges (glyph_ranges.h: Vietnamese
// plus — ₫ “ ” …). Fonts are found via $MCK_FONT_DIR, then <source>/assets/fonts, then
// /usr/share/fonts/truetype/noto (Debian's fonts-noto-core); assets/fonts/README.md says why.
#pragma once

#include <filesystem>
#include <string>

#include "offline/domain/status.h"

struct ImFont;

namespace mck::app::ui {

// One set of faces for one text size.
struct FontSet {
  ImFont* body = nullptr;   // labels, values, list rows
  ImFont* small = nullptr;  // hints, status lines
  ImFont* bold = nullptr;   // buttons, field labels
  ImFont* title = nullptr;  // screen titles, codes
  ImFont* huge = nullptr;   // the ticket number, the countdown
};

struct Fonts {
  FontSet normal, large;
  std::filesystem::path dir;
  const FontSet& For(bool large_text) const { return large_text ? large : normal; }
};

// Finds the font folder (see above); kNotFound names every place tried.
Result<std::filesystem::path> FindFontDir(const std::string& source_dir);
// Adds every face to ImGui's atlas. `scale` follows the screen (1.0 for 1080 px high).
// REQUIRES: an ImGui context, before the renderer backend builds the texture.
Result<Fonts> LoadFonts(const std::filesystem::path& dir, float scale);

}  // namespace mck::app::ui
