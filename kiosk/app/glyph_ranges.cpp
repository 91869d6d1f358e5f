#include "kiosk/app/glyph_ranges.h"

namespace mck::app {

const std::vector<uint16_t>& KioskGlyphRanges() {
  // The first eight pairs are exactly ImGui 1.86's GetGlyphRangesVietnamese(); the rest are ours.
  static const std::vector<uint16_t> kRanges = {
      0x0020, 0x00FF,  // Basic Latin + Latin-1 Supplement
      0x0102, 0x0103, 0x0110, 0x0111, 0x0128, 0x0129, 0x0168,
      0x0169, 0x01A0, 0x01A1, 0x01AF, 0x01B0, 0x1EA0, 0x1EF9,  // Vietnamese letters with tone marks
      0x2013, 0x2014,                                          // – —
      0x2018, 0x201D,                                          // ‘ ’ ‚ ‛ “ ”
      0x2022, 0x2022,                                          // •
      0x2026, 0x2026,                                          // …
      0x20AB, 0x20AB,                                          // ₫
      0,
  };
  return kRanges;
}

bool GlyphCovered(char32_t cp) {
  const auto& r = KioskGlyphRanges();
  for (size_t i = 0; i + 1 < r.size() && r[i] != 0; i += 2) {
    if (cp >= r[i] && cp <= r[i + 1]) return true;
  }
  return false;
}

char32_t FirstUncoveredGlyph(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1F;
      n = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0F;
      n = 3;
    } else {
      cp = c & 0x07;
      n = 4;
    }
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += static_cast<size_t>(n);
    if (cp == '\n') continue;
    if (!GlyphCovered(cp)) return cp;
  }
  return 0;
}

}  // namespace mck::app
