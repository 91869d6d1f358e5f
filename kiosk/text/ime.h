// Vietnamese input: Telex and VNI composition for the on-screen keyboard (and kioskctl ime).
// Pure C++ with no SDL or ImGui: the kiosk, kioskctl and the tests share it.
//
// "Nguyeenx Thij Hoaf" (Telex) → "Nguyễn Thị Hoà" (new tone style; "Hòa" with the old style).
// Output is always NFC (precomposed), which is what Dear ImGui can draw and the portal expects.
// Not thread-safe: one Composer per text field, on the UI thread.
#pragma once

#include <string>
#include <string_view>

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
  void Key(std::string_view utf8_char);
  // Deletes the last character (one code point of the NFC text).
  void Backspace();
  // The current text, NFC.
  const std::string& Text() const { return text_; }
  // Replaces the text (for editing a pre-filled field); later keys compose onto its last word.
  void SetText(std::string_view nfc_text);
  // Zeroes and clears the buffer (citizen session wipe).
  void Clear();
  void SetMethod(InputMethod method) { method_ = method; }
  void SetToneStyle(ToneStyle style) { style_ = style; }

 private:
  InputMethod method_;
  ToneStyle style_;
  std::string text_;
  std::string raw_word_;  // the keys typed for the current word, for undo ("aaa" → "aa")
};

}  // namespace mck::text
