// Properties over many deterministic pseudo-random key sequences (a fixed seed, so a failure is
// reproducible): whatever is typed, the text stays valid NFC UTF-8, separators are never lost,
// SetText(Text()) changes nothing, and Backspace always shortens the text by one code point.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "kiosk/text/ime.h"
#include "offline/domain/utf8.h"

using mck::text::Composer;
using mck::text::InputMethod;
using mck::text::ToneStyle;

namespace {
const std::string kKeys = "aaeeoouuiydddwwsfrxjzqgnhtcmkpAEODWSF0123456789 ,.-'\n";

size_t CountSeparators(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == ' ' || c == ',' || c == '.' || c == '\n';
  return n;
}
}  // namespace

TEST_CASE("random typing keeps the text valid, NFC and its separators") {
  std::mt19937 rng(20261122);
  for (int round = 0; round < 3000; ++round) {
    const auto method = round % 2 ? InputMethod::kTelex : InputMethod::kVni;
    const auto style = round % 4 < 2 ? ToneStyle::kNew : ToneStyle::kOld;
    Composer c(method, style);
    std::string typed;
    const int len = 1 + static_cast<int>(rng() % 24);
    for (int i = 0; i < len; ++i) {
      const char k = kKeys[rng() % kKeys.size()];
      typed.push_back(k);
      c.Key(std::string(1, k));
    }
    INFO("keys: " << typed);
    const std::string text = c.Text();
    REQUIRE(mck::IsValidUtf8(text));
    REQUIRE(mck::ToNfc(text) == text);
    CHECK(CountSeparators(text) == CountSeparators(typed));
    CHECK(mck::Utf8Length(text) <= typed.size() + 1);
    CHECK(mck::text::Compose(method, style, typed) == text);

    Composer again(method, style);
    again.SetText(text);
    CHECK(again.Text() == text);

    size_t n = mck::Utf8Length(text);
    while (n > 0) {
      c.Backspace();
      REQUIRE(mck::Utf8Length(c.Text()) == n - 1);
      REQUIRE(mck::ToNfc(c.Text()) == c.Text());
      --n;
    }
  }
}
