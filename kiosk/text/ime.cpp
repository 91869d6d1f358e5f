// Telex and VNI key rules over the word model of syllable.h. Each key edits the word being typed
// (the letters after the last space or punctuation), the way Unikey does with spelling checks on
// for Kinh words: a modifier key applies only where the result can still be Vietnamese, otherwise
// it is typed as a letter (a word that is no Kinh syllable, such as a Central Highlands name, gets
// its marks on its last syllable-like part, as with the spelling check off); pressing a modifier again undoes it and
// types the key ("aaa" → "aa", "ass" → "as", "ww" → "w", "ddd" → "dd"), and the rest of that word is then typed as is.
#include "kiosk/text/ime.h"

#include <string.h>  // explicit_bzero

#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

namespace mck::text {
namespace {

using detail::Letter;
using detail::Mark;
using detail::Word;

bool IsAsciiUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
char ToLowerAscii(char c) {
  return IsAsciiUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

Letter LiteralLetter(char key) {
  if (auto l = detail::LetterFromCodePoint(static_cast<unsigned char>(key))) return *l;
  Letter l;
  l.ch = static_cast<unsigned char>(key);
  return l;
}

// Types the key as a letter and ends modifier processing for this word.
void UndoAndType(Word* w, char key) {
  w->letters.push_back(LiteralLetter(key));
  w->literal = true;
}

std::optional<detail::Syllable> ModifiableSyllable(const Word& w) {
  auto s = detail::ParseSyllable(w);
  if (!s || !s->final_ok) return std::nullopt;
  return s;
}

// Tone keys: Telex s f r x j, VNI 1-5.
bool TryTone(Word* w, uint8_t tone, char key, ToneStyle style) {
  const auto s = ModifiableSyllable(*w);
  if (!s || !detail::ClusterPossible(*w, *s)) return false;
  const int toned = detail::TonedLetter(*w);
  if (toned == -2) return false;
  if (toned >= 0 && w->letters[static_cast<size_t>(toned)].tone == tone) {
    w->letters[static_cast<size_t>(toned)].tone = detail::kNoTone;
    UndoAndType(w, key);
    return true;
  }
  if (s->stop_final && tone != detail::kSac && tone != detail::kNang) return false;
  if (toned >= 0) w->letters[static_cast<size_t>(toned)].tone = detail::kNoTone;
  const int at = detail::TonePosition(*w, *s, style);
  if (at < 0) return false;
  w->letters[static_cast<size_t>(at)].tone = tone;
  return true;
}

// Telex z, VNI 0.
bool RemoveTone(Word* w) {
  bool removed = false;
  for (auto& l : w->letters) {
    removed = removed || l.tone != detail::kNoTone;
    l.tone = detail::kNoTone;
  }
  return removed;
}

// Tries `trial` (w with one more mark); keeps it when its cluster can still be Vietnamese.
bool Accept(Word* w, Word trial) {
  const auto s = ModifiableSyllable(trial);
  if (!s || !detail::ClusterPossible(trial, *s)) return false;
  *w = std::move(trial);
  return true;
}

// Telex aa ee oo, VNI 6 (base 0: any of a, e, o). ă → â and ơ → ô switch marks.
bool TryCircumflex(Word* w, char base, char key) {
  const auto s = ModifiableSyllable(*w);
  if (!s) return false;
  auto matches = [&](const Letter& l) {
    return base == 0 ? (l.ch == 'a' || l.ch == 'e' || l.ch == 'o') : l.ch == static_cast<char32_t>(base);
  };
  for (size_t i = s->vowel_end; i-- > s->vowel_begin;) {
    const Letter& l = w->letters[i];
    if (!matches(l) || l.mark == Mark::kCircumflex) continue;
    Word trial = *w;
    trial.letters[i].mark = Mark::kCircumflex;
    // "ươ" + o: the pair becomes "uô".
    if (l.ch == 'o' && i > s->vowel_begin && trial.letters[i - 1].ch == 'u') trial.letters[i - 1].mark = Mark::kNone;
    if (Accept(w, std::move(trial))) return true;
  }
  for (size_t i = s->vowel_end; i-- > s->vowel_begin;) {
    Letter& l = w->letters[i];
    if (matches(l) && l.mark == Mark::kCircumflex) {
      l.mark = Mark::kNone;
      UndoAndType(w, key);
      return true;
    }
  }
  return false;
}

// Telex w (horn and breve), VNI 7 (horn) and 8 (breve).
bool TryHornBreve(Word* w, bool horn, bool breve, char key) {
  const auto s = ModifiableSyllable(*w);
  if (!s) return false;
  const size_t b = s->vowel_begin, e = s->vowel_end;
  if (horn) {
    for (size_t i = b; i + 1 < e; ++i) {
      const Letter &u = w->letters[i], &o = w->letters[i + 1];
      if (u.ch != 'u' || o.ch != 'o' || (u.mark == Mark::kHorn && o.mark == Mark::kHorn)) continue;
      Word trial = *w;
      trial.letters[i].mark = trial.letters[i + 1].mark = Mark::kHorn;
      if (Accept(w, std::move(trial))) return true;
    }
  }
  for (size_t i = b; i < e; ++i) {
    const Letter& l = w->letters[i];
    Mark want = Mark::kNone;
    if (breve && l.ch == 'a') want = Mark::kBreve;
    if (horn && (l.ch == 'o' || l.ch == 'u')) want = Mark::kHorn;
    if (want == Mark::kNone || l.mark == want) continue;
    Word trial = *w;
    trial.letters[i].mark = want;
    if (Accept(w, std::move(trial))) return true;
  }
  // Undo: every horn (ươ both) or breve this key could have made.
  bool undone = false;
  for (size_t i = e; i-- > b;) {
    Letter& l = w->letters[i];
    const bool mine = (horn && l.mark == Mark::kHorn) || (breve && l.mark == Mark::kBreve);
    if (!mine) continue;
    undone = true;
    if (l.from_w) {
      w->letters.erase(w->letters.begin() + static_cast<long>(i));  // "ww" → "w"
    } else {
      l.mark = Mark::kNone;
    }
  }
  if (undone) UndoAndType(w, key);
  return undone;
}

// Telex: a bare w before any vowel is ư ("w" → "ư", "tw" → "tư", "giw" → "giư").
bool TryBareW(Word* w, char key) {
  const auto s = detail::ParseSyllable(*w);
  if (!s || s->initial_qu || s->vowel_end != w->letters.size()) return false;
  const size_t vowels = s->vowel_end - s->vowel_begin;
  const bool gi = vowels == 1 && s->vowel_begin == 1 && w->letters[0].ch == 'g' && w->letters[1].ch == 'i' &&
                  w->letters[1].mark == Mark::kNone;
  if (vowels != 0 && !gi) return false;
  Letter u;
  u.ch = 'u';
  u.mark = Mark::kHorn;
  u.upper = IsAsciiUpper(key);
  u.from_w = true;
  w->letters.push_back(u);
  return true;
}

// Telex dd, VNI 9: the first letter d becomes đ (anywhere in the word: "dod" → "đo").
bool TryStroke(Word* w, char key) {
  const auto s = detail::ParseSyllable(*w);
  if (!s || w->letters.empty() || w->letters[0].ch != 'd') return false;
  Letter& d = w->letters[0];
  if (d.mark == Mark::kNone) {
    d.mark = Mark::kStroke;
    return true;
  }
  d.mark = Mark::kNone;
  UndoAndType(w, key);
  return true;
}

bool TelexKinh(Word* w, char key, ToneStyle style) {
  switch (ToLowerAscii(key)) {
    case 's': return TryTone(w, detail::kSac, key, style);
    case 'f': return TryTone(w, detail::kHuyen, key, style);
    case 'r': return TryTone(w, detail::kHoi, key, style);
    case 'x': return TryTone(w, detail::kNga, key, style);
    case 'j': return TryTone(w, detail::kNang, key, style);
    case 'z': return RemoveTone(w);
    case 'a': return TryCircumflex(w, 'a', key);
    case 'e': return TryCircumflex(w, 'e', key);
    case 'o': return TryCircumflex(w, 'o', key);
    case 'w': return TryHornBreve(w, true, true, key) || TryBareW(w, key);
    case 'd': return TryStroke(w, key);
    default: return false;
  }
}

bool VniKinh(Word* w, char key, ToneStyle style) {
  switch (key) {
    case '1':
    case '2':
    case '3':
    case '4':
    case '5': return TryTone(w, static_cast<uint8_t>(key - '0'), key, style);
    case '0': return RemoveTone(w);
    case '6': return TryCircumflex(w, 0, key);
    case '7': return TryHornBreve(w, true, false, key);
    case '8': return TryHornBreve(w, false, true, key);
    case '9': return TryStroke(w, key);
    default: return false;
  }
}

// ---- words that are not Kinh syllables ----
// Names of the Central Highlands as the national ID database writes them (Ênuôl, Hđơk, Adrơng,
// Kđăm) break the Kinh syllable rules: several vowel groups, đ after another consonant. For such a
// word the keys apply their marks as Unikey does with its spelling check off: to the word's last
// syllable-like part (the consonants before its last vowel group, that group and what follows),
// where the Kinh rules (cluster, tone placement, undo) still hold. Kinh words never get here.

bool IsKinh(const Word& w) {
  const auto s = detail::ParseSyllable(w);
  return s && s->final_ok;
}

// Runs `apply` on the last syllable-like part of `w` and splices the result back. The part is
// tried with the consonants before its vowels ("dro" in "Adro") and, when those make no initial
// ("Hđ" in "Hđo"), with the vowels alone.
template <class Apply>
bool OnLastPart(Word* w, const Apply& apply) {
  const auto& L = w->letters;
  size_t vowel_end = L.size();
  while (vowel_end > 0 && !detail::IsVowel(L[vowel_end - 1])) --vowel_end;
  if (vowel_end == 0) return false;
  size_t vowel_begin = vowel_end;
  while (vowel_begin > 0 && detail::IsVowel(L[vowel_begin - 1])) --vowel_begin;
  size_t initial_begin = vowel_begin;
  while (initial_begin > 0 && !detail::IsVowel(L[initial_begin - 1])) --initial_begin;
  for (const size_t start : {initial_begin, vowel_begin}) {
    Word part;
    part.letters.assign(L.begin() + static_cast<long>(start), L.end());
    if (!IsKinh(part)) continue;
    if (!apply(&part)) return false;
    w->letters.resize(start);
    w->letters.insert(w->letters.end(), part.letters.begin(), part.letters.end());
    w->literal = w->literal || part.literal;
    return true;
  }
  return false;
}

// Telex dd, VNI 9 after another consonant ("Hdd" → "Hđ", "Kd9" → "Kđ"): the d just typed becomes
// đ; again undoes it. A first-letter d is TryStroke's.
bool TryStrokeAfterConsonant(Word* w, char key) {
  if (w->letters.size() < 2) return false;
  Letter& d = w->letters.back();
  if (d.ch != 'd') return false;
  if (d.mark == Mark::kNone) {
    d.mark = Mark::kStroke;
    return true;
  }
  if (d.mark != Mark::kStroke) return false;
  d.mark = Mark::kNone;
  UndoAndType(w, key);
  return true;
}

template <class KinhRules>
bool AnyWordKey(Word* w, char key, bool stroke_key, const KinhRules& rules) {
  if (rules(w)) return true;
  if (stroke_key && TryStrokeAfterConsonant(w, key)) return true;
  if (IsKinh(*w)) return false;  // Kinh words keep the careful rules: "hoaa", "matf" stay as typed
  return OnLastPart(w, rules);
}

bool TelexKey(Word* w, char key, ToneStyle style) {
  return AnyWordKey(w, key, ToLowerAscii(key) == 'd', [&](Word* x) { return TelexKinh(x, key, style); });
}

bool VniKey(Word* w, char key, ToneStyle style) {
  return AnyWordKey(w, key, key == '9', [&](Word* x) { return VniKinh(x, key, style); });
}

// The tone moves with its cluster in a Kinh word, and within the last part of any other word.
void PlaceToneAnyWord(Word* w, ToneStyle style) {
  if (IsKinh(*w)) {
    detail::PlaceTone(w, style);
    return;
  }
  (void)OnLastPart(w, [&](Word* part) {
    detail::PlaceTone(part, style);
    return true;
  });
}

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Zeroes a string's whole buffer, not only its current size.
void WipeString(std::string* s) {
  s->resize(s->capacity());
  SecureWipe(*s);
}

void WipeWord(Word* w) {
  if (w->letters.capacity() > 0) explicit_bzero(w->letters.data(), w->letters.capacity() * sizeof(Letter));
  w->letters.clear();
  w->letters.shrink_to_fit();
  w->literal = false;
}

}  // namespace

std::string Compose(InputMethod method, ToneStyle style, std::string_view keys) {
  Composer c(method, style);
  c.Key(keys);
  return c.Text();
}

Composer::Composer(InputMethod method, ToneStyle style) : method_(method), style_(style) {}

Composer::~Composer() {
  Clear();
}

void Composer::Key(std::string_view utf8) {
  for (char32_t cp : detail::DecodeUtf8(utf8)) {
    if (cp >= 0x80) {
      KeyOther(cp);
    } else {
      KeyAscii(static_cast<char>(cp));
    }
  }
}

void Composer::KeyAscii(char key) {
  const bool letter = IsAsciiLetter(key);
  const bool digit = key >= '0' && key <= '9';
  if (letter || (digit && method_ == InputMethod::kVni && !word_.letters.empty())) {
    bool consumed = false;
    if (!word_.literal) {
      consumed = method_ == InputMethod::kTelex ? (letter && TelexKey(&word_, key, style_))
                                                : (digit && VniKey(&word_, key, style_));
    }
    if (!consumed && digit && !word_.literal) {
      EndWord(key);  // VNI: a digit that modifies nothing is a number, not part of the word
      return;
    }
    if (!consumed) word_.letters.push_back(LiteralLetter(key));
    if (!word_.literal) PlaceToneAnyWord(&word_, style_);
    Rebuild();
    return;
  }
  if (key == '\n' || key == '\t' || (key >= 0x20 && key < 0x7F)) EndWord(key);
  // Other control characters are not text; they are ignored.
}

void Composer::KeyOther(char32_t cp) {
  std::string text = text_;
  detail::AppendUtf8(cp, &text);
  auto nfc = ToNfc(text);  // a combining mark joins the letter before it
  WipeString(&text);
  if (!nfc) return;
  text_ = std::move(*nfc);
  Reparse();
}

void Composer::EndWord(char separator) {
  std::string rendered = detail::Render(word_);
  prefix_ += rendered;
  prefix_.push_back(separator);
  WipeString(&rendered);
  WipeWord(&word_);
  Rebuild();
}

void Composer::Rebuild() {
  std::string rendered = detail::Render(word_);
  text_.assign(prefix_);
  text_ += rendered;
  WipeString(&rendered);
}

void Composer::Reparse() {
  const auto cps = detail::DecodeUtf8(text_);
  size_t start = cps.size();
  while (start > 0 && detail::LetterFromCodePoint(cps[start - 1])) --start;
  WipeWord(&word_);
  std::string prefix;
  for (size_t i = 0; i < start; ++i) detail::AppendUtf8(cps[i], &prefix);
  for (size_t i = start; i < cps.size(); ++i) word_.letters.push_back(*detail::LetterFromCodePoint(cps[i]));
  word_.literal = detail::TonedLetter(word_) == -2;
  WipeString(&prefix_);
  prefix_ = std::move(prefix);
  Rebuild();
}

void Composer::Backspace() {
  if (text_.empty()) return;
  size_t cut = text_.size() - 1;
  while (cut > 0 && (static_cast<unsigned char>(text_[cut]) & 0xC0) == 0x80) --cut;
  std::fill(text_.begin() + static_cast<long>(cut), text_.end(), '\0');
  text_.resize(cut);
  Reparse();
}

void Composer::SetText(std::string_view nfc_text) {
  std::string clean;
  for (char32_t cp : detail::DecodeUtf8(nfc_text)) detail::AppendUtf8(cp, &clean);
  auto nfc = ToNfc(clean);
  WipeString(&clean);
  WipeString(&text_);
  text_ = nfc.value_or(std::string());
  Reparse();
}

void Composer::Clear() {
  WipeString(&text_);
  WipeString(&prefix_);
  WipeWord(&word_);
}

}  // namespace mck::text
