// Vietnamese spelling rules for the composer: letters, syllable structure, vowel clusters and
// tone placement. See syllable.h.
#include "kiosk/text/syllable.h"

#include <array>

#include "kiosk/text/ime.h"

namespace mck::text::detail {
namespace {

// The twelve vowels, each in the six tones (none, sắc, huyền, hỏi, ngã, nặng); lower then upper
// case. Checked against Unicode normalisation by tests/text.
constexpr std::array<std::string_view, 24> kVowelRows = {"aáàảãạ", "ăắằẳẵặ", "âấầẩẫậ", "eéèẻẽẹ", "êếềểễệ", "iíìỉĩị",
                                                         "oóòỏõọ", "ôốồổỗộ", "ơớờởỡợ", "uúùủũụ", "ưứừửữự", "yýỳỷỹỵ",
                                                         "AÁÀẢÃẠ", "ĂẮẰẲẴẶ", "ÂẤẦẨẪẬ", "EÉÈẺẼẸ", "ÊẾỀỂỄỆ", "IÍÌỈĨỊ",
                                                         "OÓÒỎÕỌ", "ÔỐỒỔỖỘ", "ƠỚỜỞỠỢ", "UÚÙỦŨỤ", "ƯỨỪỬỮỰ", "YÝỲỶỸỴ"};
struct VowelKey {
  char base;
  Mark mark;
};
constexpr std::array<VowelKey, 12> kVowelKeys = {{{'a', Mark::kNone},
                                                  {'a', Mark::kBreve},
                                                  {'a', Mark::kCircumflex},
                                                  {'e', Mark::kNone},
                                                  {'e', Mark::kCircumflex},
                                                  {'i', Mark::kNone},
                                                  {'o', Mark::kNone},
                                                  {'o', Mark::kCircumflex},
                                                  {'o', Mark::kHorn},
                                                  {'u', Mark::kNone},
                                                  {'u', Mark::kHorn},
                                                  {'y', Mark::kNone}}};
constexpr char32_t kDStrokeLower = 0x0111, kDStrokeUpper = 0x0110;  // đ Đ

struct VowelTable {
  std::array<std::array<char32_t, 6>, 24> cp{};
  VowelTable() {
    for (size_t r = 0; r < kVowelRows.size(); ++r) {
      auto cps = DecodeUtf8(kVowelRows[r]);
      for (size_t t = 0; t < 6 && t < cps.size(); ++t) cp[r][t] = cps[t];
    }
  }
};
const VowelTable& Table() {
  static const VowelTable table;
  return table;
}

int VowelRow(const Letter& l) {
  for (size_t i = 0; i < kVowelKeys.size(); ++i) {
    if (kVowelKeys[i].base == static_cast<char>(l.ch) && kVowelKeys[i].mark == l.mark) return static_cast<int>(i);
  }
  return -1;
}

// Every vowel cluster of standard Vietnamese spelling (after the "gi"/"qu" initials are split
// off), with its marks. "uơ" is here for thuở, huơ.
constexpr std::string_view kClusters[] = {"a",   "ă",   "â",   "e",   "ê",   "i",   "o",   "ô",   "ơ",   "u",   "ư",
                                          "y",   "ai",  "ao",  "au",  "ay",  "âu",  "ây",  "eo",  "êu",  "ia",  "iê",
                                          "iu",  "oa",  "oă",  "oe",  "oi",  "ôi",  "ơi",  "oo",  "ua",  "uâ",  "uê",
                                          "ui",  "uô",  "uơ",  "uy",  "ưa",  "ưi",  "ươ",  "ưu",  "yê",  "iêu", "yêu",
                                          "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu"};

bool IsConsonantLetter(const Letter& l) {
  if (l.ch > 0x7F || l.ch < 'a' || l.ch > 'z') return false;
  if (IsVowel(l)) return false;
  switch (l.ch) {
    case 'f':
    case 'j':
    case 'w':
    case 'z': return false;
    default: return true;
  }
}

bool MatchesCluster(const Word& w, size_t b, size_t e, std::string_view pattern) {
  const auto cps = DecodeUtf8(pattern);
  if (cps.size() != e - b) return false;
  for (size_t i = 0; i < cps.size(); ++i) {
    const auto want = LetterFromCodePoint(cps[i]);
    const Letter& have = w.letters[b + i];
    if (!want || want->ch != have.ch) return false;
    if (have.mark != Mark::kNone && have.mark != want->mark) return false;
  }
  return true;
}

bool IsBase(const Letter& l, char c) {
  return l.ch == static_cast<char32_t>(c);
}

}  // namespace

bool IsVowel(const Letter& l) {
  switch (l.ch) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y': return true;
    default: return false;
  }
}

std::optional<Letter> LetterFromCodePoint(char32_t cp) {
  Letter l;
  if (cp < 0x80) {
    if (cp >= 'a' && cp <= 'z') {
      l.ch = cp;
      return l;
    }
    if (cp >= 'A' && cp <= 'Z') {
      l.ch = cp - 'A' + 'a';
      l.upper = true;
      return l;
    }
    return std::nullopt;
  }
  if (cp == kDStrokeLower || cp == kDStrokeUpper) {
    l.ch = 'd';
    l.mark = Mark::kStroke;
    l.upper = cp == kDStrokeUpper;
    return l;
  }
  const auto& t = Table();
  for (size_t r = 0; r < t.cp.size(); ++r) {
    for (size_t tone = 0; tone < 6; ++tone) {
      if (t.cp[r][tone] != cp) continue;
      const VowelKey& k = kVowelKeys[r % 12];
      l.ch = static_cast<char32_t>(k.base);
      l.mark = k.mark;
      l.tone = static_cast<uint8_t>(tone);
      l.upper = r >= 12;
      return l;
    }
  }
  return std::nullopt;
}

void AppendRendered(const Letter& l, std::string* out) {
  if (l.ch >= 'a' && l.ch <= 'z') {
    if (l.ch == 'd' && l.mark == Mark::kStroke) {
      AppendUtf8(l.upper ? kDStrokeUpper : kDStrokeLower, out);
      return;
    }
    const int row = IsVowel(l) ? VowelRow(l) : -1;
    if (row >= 0) {
      AppendUtf8(Table().cp[static_cast<size_t>(row + (l.upper ? 12 : 0))][l.tone % 6], out);
      return;
    }
    out->push_back(static_cast<char>(l.upper ? l.ch - 'a' + 'A' : l.ch));
    return;
  }
  AppendUtf8(l.ch, out);
}

std::string Render(const Word& w) {
  std::string out;
  out.reserve(w.letters.size() * 3);
  for (const auto& l : w.letters) AppendRendered(l, &out);
  return out;
}

std::optional<Syllable> ParseSyllable(const Word& w) {
  const auto& L = w.letters;
  Syllable s;
  size_t i = 0;
  while (i < L.size() && IsConsonantLetter(L[i])) ++i;
  for (size_t k = 0; k < i; ++k) {
    if (IsBase(L[k], 'q') && !(k + 1 < L.size() && IsBase(L[k + 1], 'u') && L[k + 1].mark == Mark::kNone)) {
      return std::nullopt;
    }
  }
  if (i > 0 && IsBase(L[i - 1], 'q')) {
    ++i;  // "qu": the u belongs to the initial
    s.initial_qu = true;
  } else if (i == 1 && IsBase(L[0], 'g') && i + 1 < L.size() && IsBase(L[i], 'i') && L[i].mark == Mark::kNone &&
             IsVowel(L[i + 1])) {
    ++i;  // "gi" before another vowel: gia, giê, giư
  }
  s.vowel_begin = i;
  while (i < L.size() && IsVowel(L[i])) ++i;
  s.vowel_end = i;
  std::string final;
  for (; i < L.size(); ++i) {
    if (!IsConsonantLetter(L[i]) || L[i].mark != Mark::kNone) return std::nullopt;
    final.push_back(static_cast<char>(L[i].ch));
  }
  static constexpr std::array<std::string_view, 10> kFinals = {"", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"};
  for (auto f : kFinals) s.final_ok = s.final_ok || f == final;
  s.stop_final = final == "c" || final == "ch" || final == "k" || final == "p" || final == "t";
  // Only the first letter may be đ; marks on consonants elsewhere make no syllable.
  for (size_t k = 1; k < s.vowel_begin; ++k) {
    if (L[k].mark != Mark::kNone) return std::nullopt;
  }
  return s;
}

bool ClusterPossible(const Word& w, const Syllable& s) {
  const size_t n = s.vowel_end - s.vowel_begin;
  if (n == 0) return false;
  for (auto p : kClusters) {
    if (MatchesCluster(w, s.vowel_begin, s.vowel_end, p)) return true;
  }
  return false;
}

int TonePosition(const Word& w, const Syllable& s, ToneStyle style) {
  const size_t b = s.vowel_begin, e = s.vowel_end, n = e - b;
  if (n == 0) return -1;
  // A vowel with a mark takes the tone; in "ươ" (and "uơ") the second one.
  for (size_t i = e; i-- > b;) {
    if (w.letters[i].mark != Mark::kNone) return static_cast<int>(i);
  }
  if (n == 1) return static_cast<int>(b);
  if (e < w.letters.size()) return static_cast<int>(e - 1);  // a final consonant: hoàn, huỳnh
  if (n >= 3) return static_cast<int>(b + 1);                // ngoài, khuỷu
  const char32_t c0 = w.letters[b].ch, c1 = w.letters[b + 1].ch;
  const bool glide_pair = (c0 == 'o' && (c1 == 'a' || c1 == 'e')) || (c0 == 'u' && c1 == 'y');
  if (glide_pair && style == ToneStyle::kNew) return static_cast<int>(b + 1);  // hoà, thuý
  return static_cast<int>(b);                                                  // hòa, mùa, tía
}

int TonedLetter(const Word& w) {
  int found = -1;
  for (size_t i = 0; i < w.letters.size(); ++i) {
    if (w.letters[i].tone == kNoTone) continue;
    if (found != -1) return -2;
    found = static_cast<int>(i);
  }
  return found;
}

void PlaceTone(Word* w, ToneStyle style) {
  const int toned = TonedLetter(*w);
  if (toned < 0) return;
  const auto s = ParseSyllable(*w);
  if (!s || !s->final_ok) return;
  const int at = TonePosition(*w, *s, style);
  if (at < 0 || at == toned) return;
  w->letters[static_cast<size_t>(at)].tone = w->letters[static_cast<size_t>(toned)].tone;
  w->letters[static_cast<size_t>(toned)].tone = kNoTone;
}

std::vector<char32_t> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      ++i;
      continue;
    }
    if (i + len > s.size()) break;
    bool ok = true;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr char32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (!ok || cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace mck::text::detail
