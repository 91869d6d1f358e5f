// Every vowel in every tone, in both methods and both cases, against characters built by Unicode
// normalisation (base letter + combining marks → NFC), independently of the engine's own table.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kiosk/text/ime.h"
#include "offline/domain/utf8.h"

using mck::text::Compose;
using mck::text::InputMethod;
using mck::text::ToneStyle;

namespace {

struct VowelSpec {
  char base;
  const char* mark;   // combining mark (UTF-8) or ""
  const char* telex;  // keys for the vowel without tone
  const char* vni;
};
const VowelSpec kVowels[] = {
    {'a', "", "a", "a"}, {'a', "\xCC\x86", "aw", "a8"}, {'a', "\xCC\x82", "aa", "a6"},
    {'e', "", "e", "e"}, {'e', "\xCC\x82", "ee", "e6"}, {'i', "", "i", "i"},
    {'o', "", "o", "o"}, {'o', "\xCC\x82", "oo", "o6"}, {'o', "\xCC\x9B", "ow", "o7"},
    {'u', "", "u", "u"}, {'u', "\xCC\x9B", "uw", "u7"}, {'y', "", "y", "y"},
};
struct ToneSpec {
  const char* mark;
  char telex;
  char vni;
};
// none, sắc, huyền, hỏi, ngã, nặng
const ToneSpec kTones[] = {{"", 0, 0},
                           {"\xCC\x81", 's', '1'},
                           {"\xCC\x80", 'f', '2'},
                           {"\xCC\x89", 'r', '3'},
                           {"\xCC\x83", 'x', '4'},
                           {"\xCC\xA3", 'j', '5'}};

std::string Upper(std::string keys) {
  for (auto& c : keys) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return keys;
}

// The precomposed character from Unicode's own composition tables.
std::string Precomposed(char base, const char* vowel_mark, const char* tone_mark) {
  auto nfc = mck::ToNfc(std::string(1, base) + vowel_mark + tone_mark);
  REQUIRE(nfc);
  REQUIRE(mck::Utf8Length(*nfc) == 1);  // a single code point: precomposed
  return *nfc;
}

}  // namespace

TEST_CASE("every vowel in every tone composes to its precomposed character, Telex and VNI") {
  int checked = 0;
  for (const auto& v : kVowels) {
    for (const auto& t : kTones) {
      for (bool upper : {false, true}) {
        const char base = upper ? static_cast<char>(std::toupper(v.base)) : v.base;
        const std::string want = Precomposed(base, v.mark, t.mark);
        std::string telex = upper ? Upper(v.telex) : v.telex;
        std::string vni = upper ? Upper(v.vni) : v.vni;
        if (t.telex) telex += upper ? static_cast<char>(std::toupper(t.telex)) : t.telex;
        if (t.vni) vni += t.vni;
        for (auto style : {ToneStyle::kNew, ToneStyle::kOld}) {
          INFO("telex keys " << telex << ", vni keys " << vni);
          CHECK(Compose(InputMethod::kTelex, style, telex) == want);
          CHECK(Compose(InputMethod::kVni, style, vni) == want);
          // The same vowel inside a syllable, with an initial and a final consonant ("t_n").
          const std::string in_word = "t" + want + "n";
          CHECK(Compose(InputMethod::kTelex, style, "t" + telex + "n") == in_word);
          CHECK(Compose(InputMethod::kVni, style, "t" + vni + "n") == in_word);
          // And the tone typed after the final consonant.
          if (t.telex) {
            std::string late = "t" + (upper ? Upper(v.telex) : std::string(v.telex)) + "n" + t.telex;
            CHECK(Compose(InputMethod::kTelex, style, late) == in_word);
          }
          checked += 4;
        }
      }
    }
  }
  CHECK(checked == 12 * 6 * 2 * 2 * 4);
}

TEST_CASE("đ and Đ from dd and d9") {
  const std::string d = *mck::ToNfc("\xC4\x91"), D = *mck::ToNfc("\xC4\x90");
  CHECK(Compose(InputMethod::kTelex, ToneStyle::kNew, "dd") == d);
  CHECK(Compose(InputMethod::kTelex, ToneStyle::kNew, "DD") == D);
  CHECK(Compose(InputMethod::kTelex, ToneStyle::kNew, "Dd") == D);
  CHECK(Compose(InputMethod::kVni, ToneStyle::kNew, "d9") == d);
  CHECK(Compose(InputMethod::kVni, ToneStyle::kNew, "D9") == D);
}

TEST_CASE("composed text is always NFC") {
  const std::vector<std::string> inputs = {"Nguyeenx Thij Hoaf", "truowngf",     "DDaamf", "thuys", "khuyru", "ngoaof",
                                           "aaa ass ww ddd",     "hoawcj quaanf"};
  for (const auto& keys : inputs) {
    for (auto style : {ToneStyle::kNew, ToneStyle::kOld}) {
      const std::string out = Compose(InputMethod::kTelex, style, keys);
      INFO(keys << " → " << out);
      CHECK(mck::IsValidUtf8(out));
      CHECK(mck::ToNfc(out) == out);
    }
  }
}
