// Telex and VNI key rules over the word model of syllable.h. Each key edits the word being typed
// (the letters after the last space or punctuation), the way Unikey does with spelling checks on:
// a modifier key applies only where the result can still be Vietnamese, otherwise it is typed
// as a letter; pressing a modifier again undoes it and types the key ("aaa" → "aa", "ass" → "as",
// "ww" → "w", "ddd" → "dd"), and the rest of that word is then typed as is.
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

bool TelexKey(Word* w, char key, ToneStyle style) {
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

bool VniKey(Word* w, char key, ToneStyle style) {
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
    if (!word_.literal) detail::PlaceTone(&word_, style_);
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
