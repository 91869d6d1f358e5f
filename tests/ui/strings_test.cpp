// The vi/en catalogs: same keys, valid NFC text, and every character drawable: inside the font
// atlas's glyph ranges AND present in Noto Sans Regular and Bold (checked with FreeType).
#include <catch2/catch.hpp>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <fstream>
#include <sstream>

#include "kiosk/app/glyph_ranges.h"
#include "kiosk/app/i18n.h"
#include "offline/domain/utf8.h"
#include "tests/support/read_file.h"

using namespace mck;
using namespace mck::app;

namespace {

std::filesystem::path Source() {
  return MCK_SOURCE_DIR;
}

std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

using mck::test::ReadAll;

}  // namespace

TEST_CASE("the Vietnamese and English catalogs have the same keys, in NFC") {
  Strings s;
  REQUIRE(s.Load(Source() / "assets" / "i18n").ok());
  REQUIRE(s.vi().size() > 100);
  for (const auto& [k, v] : s.vi()) {
    INFO(k);
    CHECK(s.en().count(k) == 1);
    CHECK_FALSE(v.empty());
    CHECK(ToNfc(v).value() == v);
  }
  for (const auto& [k, v] : s.en()) {
    INFO(k);
    CHECK(s.vi().count(k) == 1);
  }
  CHECK(s.Get("still_there.title") == "Bạn còn ở đó không?");
  s.SetLanguage(Language::kEn);
  CHECK(s.Get("still_there.title") == "Are you still there?");
  CHECK(s.Format("ticket.counter", {"HT"}) == "Counter HT");
}

TEST_CASE("every character of the catalogs and the procedure names is in the atlas and in Noto Sans") {
  FT_Library lib;
  REQUIRE(FT_Init_FreeType(&lib) == 0);
  std::vector<FT_Face> faces;
  for (const char* f : {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf"}) {
    const auto path = std::filesystem::path("/usr/share/fonts/truetype/noto") / f;
    FT_Face face;
    REQUIRE(FT_New_Face(lib, path.c_str(), 0, &face) == 0);
    faces.push_back(face);
  }
  std::string all;
  Strings s;
  REQUIRE(s.Load(Source() / "assets" / "i18n").ok());
  for (const auto& [k, v] : s.vi()) all += v;
  for (const auto& [k, v] : s.en()) all += v;
  all += ReadAll(Source() / "tests" / "ui" / "catalog-commune.json");
  all += ReadAll(Source() / "config" / "procedures.json");
  // Every Vietnamese letter, both cases, with every tone.
  all += "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
  all += "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ—₫“”…";
  CHECK(FirstUncoveredGlyph(all) == 0);
  for (char32_t cp : Decode(all)) {
    if (cp == '\n' || cp == '\t') continue;
    for (FT_Face face : faces) {
      INFO("U+" << std::hex << static_cast<uint32_t>(cp));
      CHECK(FT_Get_Char_Index(face, cp) != 0);
    }
  }
  // And every range the atlas asks for exists in the font (no blank boxes from the atlas).
  const auto& r = KioskGlyphRanges();
  for (size_t i = 0; r[i] != 0; i += 2) {
    for (uint32_t cp = r[i]; cp <= r[i + 1]; ++cp) {
      if (cp >= 0x7F && cp < 0xA0) continue;  // C1 controls: nothing to draw
      INFO("U+" << std::hex << cp);
      CHECK(FT_Get_Char_Index(faces[0], cp) != 0);
    }
  }
  for (FT_Face face : faces) FT_Done_Face(face);
  FT_Done_FreeType(lib);
}

TEST_CASE("format patterns replace positional arguments and leave the rest") {
  CHECK(FormatPattern("{1} và {0}", {"a", "b"}) == "b và a");
  CHECK(FormatPattern("{5} {x}", {"a"}) == " {x}");
}
