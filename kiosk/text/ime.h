// Vietnamese input: Telex and VNI composition for the on-screen keyboard (and kioskctl ime).
// Pure C++ with no SDL or ImGui: the kiosk, kioskctl and the tests share it.
//
// "Nguyeenx Thij Hoaf" (Telex) → "Nguyễn Thị Hoà" (new tone style; "Hòa" with the old style).
// Output is always NFC (precomposed), which is what Dear ImGui can draw and the portal expects.
// Not thread-safe: one Composer per text field, on the UI thread.
//
// Rules (docs/text-input.md has the full table):
//   Telex  s f r x j: sắc huyền hỏi ngã nặng; z: remove the tone; aa ee oo: â ê ô;
//          aw ow uw: ă ơ ư; uow: ươ; w alone: ư; dd: đ.
//   VNI    1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng, 0 remove the tone; 6: â ê ô; 7: ơ ư (uo7: ươ);
//          8: ă; 9: đ.
// Modifiers may come anywhere after their vowel ("tiengs" → "tiếng", "nuocws" → "nước"); the
// tone moves when the vowel cluster changes ("hoaf" → "hoà"; "truowngf" → "trường"). A modifier
// that cannot give Vietnamese is typed as a letter ("class", "Facebook"); pressing it again
// undoes it and types the key ("aaa" → "aa", "ass" → "as", "ww" → "w", "ddd" → "dd"), and the
// rest of that word is typed as is. Capitals are kept ("DDaamf" → "Đầm"). Known gap: "uơ"
// (thuở, huơ) cannot be typed: "uow" always gives "ươ".
//
// Header history: the first draft kept the raw keys of the word ("raw_word_"). The composer now
// edits the displayed word itself (prefix_ + word_), so Backspace and SetText work on exactly the
// text the person sees; public names are unchanged.
#pragma once

#include <string>
#include <string_view>

#include "kiosk/text/syllable.h"

namespace mck::text {

enum class InputMethod { kTelex, kVni };
// Where the tone mark goes in "oa", "oe", "uy": kNew → hoà, thuý (the 1980s orthography reform
// rule used by most modern software); kOld → hòa, thúy.
enum class ToneStyle { kNew, kOld };

// Composes a whole key sequence (several words allowed; spaces and punctuation pass through).
std::string Compose(InputMethod method, ToneStyle style, std::string_view keys);

// Incremental composition for a text field: each key press edits the text as a person expects
// (typing "aa" shows "â"; a third "a" undoes it to "aa", as common Vietnamese IMEs do).
class Composer {
 public:
  Composer(InputMethod method, ToneStyle style);
  ~Composer();  // wipes the buffer
  // Feeds one key (an ASCII letter, digit, space or punctuation; UTF-8 for anything else).
  // A string of several characters is fed one character at a time. Bytes that are not UTF-8 and
  // ASCII control characters other than '\n' and '\t' are ignored. A non-ASCII character (the
  // keyboard's own "đ" or "ơ" key, a combining mark) is added as it is and the text kept NFC.
  void Key(std::string_view utf8_char);
  // Deletes the last character (one code point of the NFC text).
  void Backspace();
  // The current text, NFC.
  const std::string& Text() const { return text_; }
  // Replaces the text (for editing a pre-filled field); later keys compose onto its last word.
  // The text is normalised to NFC; bytes that are not UTF-8 are dropped.
  void SetText(std::string_view nfc_text);
  // Zeroes and clears the buffer (citizen session wipe).
  void Clear();
  void SetMethod(InputMethod method) { method_ = method; }
  void SetToneStyle(ToneStyle style) { style_ = style; }

 private:
  InputMethod method_;
  ToneStyle style_;
  void KeyAscii(char key);
  void KeyOther(char32_t cp);
  void EndWord(char separator);
  void Rebuild();  // text_ = prefix_ + the rendered word
  void Reparse();  // splits text_ into prefix_ and the word after the last non-letter

  std::string text_;
  std::string prefix_;  // everything before the word being typed
  detail::Word word_;   // the word being typed (after the last space or punctuation)
};

}  // namespace mck::text
