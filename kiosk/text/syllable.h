// The word model under the Telex/VNI composer (ime.h): a word is a list of letters, each a base
// letter with its mark (circumflex, breve, horn, stroke), its tone and its case. Vietnamese
// spelling rules live here: how a word splits into initial consonant, vowel cluster and final
// consonant (with the "gi" and "qu" initials), which vowel clusters exist, and on which vowel the
// tone goes (both the new and the old placement for oa, oe, uy).
//
// Pure functions over values; no global state except constant tables. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mck::text {

enum class ToneStyle;  // ime.h

namespace detail {

enum class Mark : uint8_t { kNone, kCircumflex, kBreve, kHorn, kStroke };

// Tones in VNI digit order: 0 none, 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng.
constexpr uint8_t kNoTone = 0, kSac = 1, kHuyen = 2, kHoi = 3, kNga = 4, kNang = 5;

struct Letter {
  // Lower-case ASCII letter for letters of the Vietnamese alphabet and other ASCII letters;
  // any other code point (a digit kept in a word after an undo in VNI) as it is.
  char32_t ch = 0;
  Mark mark = Mark::kNone;
  uint8_t tone = kNoTone;
  bool upper = false;
  bool from_w = false;  // an "ư" made by a bare Telex "w": a second "w" turns it back into "w"
};

struct Word {
  std::vector<Letter> letters;
  // After an undo ("aaa" → "aa") the rest of the word is typed as is. Also set for a word that
  // came in with two tones (from SetText), where tone keys have no sensible meaning.
  bool literal = false;
};

// The parts of a word that reads as a Vietnamese syllable (or the start of one).
struct Syllable {
  size_t vowel_begin = 0;   // letters [0, vowel_begin) are the initial, "gi"/"qu" included
  size_t vowel_end = 0;     // [vowel_begin, vowel_end) the vowel cluster (may be empty)
  bool final_ok = false;    // the rest is "", c, ch, k, m, n, ng, nh, p or t
  bool stop_final = false;  // c, ch, k, p, t: only sắc and nặng are possible
  bool initial_qu = false;
};

bool IsVowel(const Letter& l);
// The letter for a code point of the Vietnamese alphabet (ASCII letters included); nullopt for
// anything else (digits, punctuation, other scripts).
std::optional<Letter> LetterFromCodePoint(char32_t cp);
// NFC UTF-8 for a word (every Vietnamese letter has a precomposed code point).
std::string Render(const Word& w);
void AppendRendered(const Letter& l, std::string* out);

// nullopt when the word cannot be a Vietnamese syllable: a letter outside the alphabet, f/j/w/z,
// "q" without "u", or a vowel after the final consonant. An empty cluster is allowed ("ngh").
std::optional<Syllable> ParseSyllable(const Word& w);
// True when the cluster's letters, with the marks they have so far, can still become a
// Vietnamese vowel cluster ("ươ", "uyê", "oă"; not "ơa", "iâ"). Unmarked letters may gain a mark.
bool ClusterPossible(const Word& w, const Syllable& s);
// Index of the letter that carries the tone, or -1 when the cluster is empty.
int TonePosition(const Word& w, const Syllable& s, ToneStyle style);
// Moves a word's single tone to where the spelling rules put it (after the cluster changed);
// leaves words that are not syllables, or carry several tones, as they are.
void PlaceTone(Word* w, ToneStyle style);
// Index of the toned letter; -1 when none; -2 when several letters carry a tone.
int TonedLetter(const Word& w);

// UTF-8 helpers. Decode skips bytes that are not valid UTF-8.
std::vector<char32_t> DecodeUtf8(std::string_view s);
void AppendUtf8(char32_t cp, std::string* out);

}  // namespace detail
}  // namespace mck::text
