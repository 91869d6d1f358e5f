// The code points the kiosk's font atlas holds: Dear ImGui's GetGlyphRangesVietnamese() (Basic
// Latin, Latin-1, and the Vietnamese letters) plus the punctuation it leaves out but our text
// uses: — (U+2014), – (U+2013), ‘ ’ “ ” (U+2018..201D), • (U+2022), … (U+2026), ₫ (U+20AB).
// A new character must be added here AND exist in Noto Sans (which lacks arrows and U+2212 −):
// tests/ui/strings_test checks every character of the catalogs against these ranges and both
// font files. Kept apart from ImGui so the tests can check coverage without a window.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace mck::app {

// Pairs [first, last] inclusive, zero-terminated (ImGui's ImWchar range format).
const std::vector<uint16_t>& KioskGlyphRanges();
bool GlyphCovered(char32_t cp);
// The first code point of `utf8` the atlas cannot draw, or 0 when all are covered.
char32_t FirstUncoveredGlyph(std::string_view utf8);

}  // namespace mck::app
