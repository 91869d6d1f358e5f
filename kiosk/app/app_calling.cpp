// The calling display in the App (issue 12, docs/calling-display.md): the spoken call when staff
// call a number ("Gọi số tiếp theo", app_staff.cpp) or call it again ("Gọi lại"), and the
// board the display's window draws. Ticket numbers and counter names only: nothing here reads a
// dossier, and nothing is logged but the store's errors.
#include <iostream>

#include "kiosk/app/app.h"
#include "kiosk/core/calling_board.h"

namespace mck::app {

void App::AnnounceCall(const Ticket& ticket) {
  if (deps_.speech) deps_.speech->Call(core::CallWords(catalog_, ticket));
}

void App::On(const intent::CallAgain& in) {
  auto called = deps_.store->tickets().CalledToday(in.counter);
  if (!called.ok()) {
    std::cerr << "kiosk: call again: " << called.status().ToString() << "\n";
    return;
  }
  if (called->empty()) return;  // nobody called yet at this counter today: nothing to repeat
  AnnounceCall(called->back());
  desk_.view.called = printer::FormatTicketNumber(called->back().counter, called->back().number);
  desk_.view.message_key.clear();
}

void App::RefreshCallingBoard() {
  if (!deps_.config->calling_display_enabled) return;
  auto board = core::ReadCallingBoard(*deps_.store, catalog_, static_cast<size_t>(deps_.config->calling_display_next));
  if (!board.ok()) {
    std::cerr << "kiosk: calling display: " << board.status().ToString() << "\n";
    return;
  }
  if (*board == calling_board_ && calling_board_version_ != 0) return;
  calling_board_ = std::move(*board);
  ++calling_board_version_;
}

}  // namespace mck::app
