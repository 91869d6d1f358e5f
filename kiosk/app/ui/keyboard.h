// Our on-screen keyboard (Linux has none for ImGui): a full keyboard for text (Vietnamese
// through Telex or VNI, composed by mck::text::Composer in the App) and a numeric pad for ID
// numbers, phones, numbers and dates. Shown at the bottom of the screen while a field is
// focused. Key ids are "key.<char>", "key.space", "key.backspace", "key.shift", "key.method",
// "key.done" (the script mode types by tapping them).
#pragma once

#include "kiosk/app/ui/frame.h"

namespace mck::app::ui {

// Height the keyboard takes for the focused field (0 when nothing is focused).
float KeyboardHeight(const Ui& ui);
// Draws it in its own window at the bottom of the screen.
void DrawKeyboard(Ui& ui);

}  // namespace mck::app::ui
