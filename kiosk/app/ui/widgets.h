// Touch widgets: big buttons, text fields that open our on-screen keyboard, drag-scrolled lists,
// and text helpers. Every target registers its rectangle under a stable id (frame.h) so the
// script mode can tap it. No hover-only affordances (touch has no hover).
#pragma once

#include <string>

#include "kiosk/app/ui/frame.h"

namespace mck::app::ui {

enum class ButtonKind { kPrimary, kSecondary, kSelected, kDanger };

// A loudspeaker, drawn (the fonts have no emoji), centred on `c`, `s` its half-size
// (ui/frame.cpp; the footer's and the attract screen's "Nghe hướng dẫn").
void SpeakerIcon(ImDrawList* dl, ImVec2 c, float s, ImU32 col);

// A button of `size` (pixels; 0 width = the remaining width). Returns true when tapped.
bool TouchButton(Ui& ui, const std::string& id, const std::string& label, ImVec2 size,
                 ButtonKind kind = ButtonKind::kSecondary, ImFont* font = nullptr);
// A two-line button: a bold title and a smaller line under it (menu tiles, procedure rows).
bool TileButton(Ui& ui, const std::string& id, const std::string& title, const std::string& subtitle, ImVec2 size,
                ButtonKind kind = ButtonKind::kSecondary);

// A labelled field showing `key`'s value; tapping it focuses it (the keyboard opens). Shows
// the validation message under it and a "from the card" mark for card-filled values.
void TextField(Ui& ui, const std::string& key, const std::string& label, InputKind input, float width,
               bool read_only = false);
// A row of big option buttons for a select field.
void OptionRow(Ui& ui, const std::string& key, const std::string& label, const std::vector<std::string>& options,
               float width);

// A vertically drag-scrolled region (ImGui child window). Always pair with EndDragList.
void BeginDragList(Ui& ui, const std::string& id, ImVec2 size);
void EndDragList(Ui& ui, const std::string& id);

void Title(Ui& ui, const std::string& text);
void Wrapped(Ui& ui, const std::string& text, ImFont* font, ImU32 color, float width = 0);
// Makes the last drawn item findable by id (the script's `wait_widget`), e.g. a status line
// that only shows once a job has finished.
void MarkItem(Ui& ui, const std::string& id);
// After an ImGui::TextUnformatted of `text`: counts its words for the walk-through's reading
// time (ui/script.h `read`) when ImGui drew it (an item scrolled out of a list is not drawn).
// The helpers here (Title, Wrapped, Centered, buttons, fields) count their own text.
void CountShown(Ui& ui, const std::string& text);
// Text centred horizontally in the current window.
void Centered(Ui& ui, const std::string& text, ImFont* font, ImU32 color);
// The bottom navigation row: Back (optional) on the left, the main action on the right.
// Returns true when the main action was tapped.
bool NavRow(Ui& ui, bool back, const std::string& next_id, const std::string& next_label);
// Space left below the cursor, leaving room for the navigation row.
float BodyHeight(Ui& ui);

}  // namespace mck::app::ui
