// What the calling display shows (issue 12, docs/calling-display.md): for each counter of the
// catalog, the number being served (the last one called today) and the next few waiting, read
// from the store's tickets. Ticket numbers and counter names only: never a dossier or a name.
// Also the words of a call ("Mời số không một hai đến quầy Hộ tịch", drivers/speech/call.h).
// Thread-safety: one thread at a time (it uses the caller's Store connection).
#pragma once

#include <string>
#include <vector>

#include "offline/domain/catalog.h"
#include "offline/domain/ticket.h"
#include "offline/store/store.h"

namespace mck::core {

struct CounterBoard {
  std::string counter;            // "HT"
  std::string name;               // CounterName(): "Hộ tịch, Nuôi con nuôi"
  std::string serving;            // "HT-012", the last number called today; empty: none yet
  int serving_number = 0;         // 12; 0 when none
  std::vector<std::string> next;  // the next waiting numbers, lowest first, at most `next_few`
  int waiting = 0;                // all the numbers waiting at the counter
  bool operator==(const CounterBoard&) const = default;
};
struct CallingBoard {
  std::vector<CounterBoard> counters;  // catalog order
  bool operator==(const CallingBoard&) const = default;
};

// Today's board. A counter whose tickets cannot be read shows nothing served and nobody waiting.
Result<CallingBoard> ReadCallingBoard(Store& store, const Catalog& catalog, size_t next_few);

// The words said when `ticket` is called (or called again) at its counter.
std::string CallWords(const Catalog& catalog, const Ticket& ticket);

}  // namespace mck::core
