#include "kiosk/core/calling_board.h"

#include "drivers/printer/documents.h"
#include "drivers/speech/call.h"
#include "kiosk/core/counters.h"

namespace mck::core {

Result<CallingBoard> ReadCallingBoard(Store& store, const Catalog& catalog, size_t next_few) {
  auto waiting = store.tickets().Today(TicketState::kIssued);  // by counter and number
  if (!waiting.ok()) return waiting.status();
  CallingBoard board;
  for (const auto& c : Counters(catalog)) {
    CounterBoard row;
    row.counter = c.counter;
    row.name = c.name;
    auto called = store.tickets().CalledToday(c.counter);
    if (!called.ok()) return called.status();
    if (!called->empty()) {
      row.serving_number = called->back().number;
      row.serving = printer::FormatTicketNumber(c.counter, row.serving_number);
    }
    for (const auto& t : *waiting) {
      if (t.counter != c.counter) continue;
      ++row.waiting;
      if (row.next.size() < next_few) row.next.push_back(printer::FormatTicketNumber(t.counter, t.number));
    }
    board.counters.push_back(std::move(row));
  }
  return board;
}

std::string CallWords(const Catalog& catalog, const Ticket& ticket) {
  return speech::CallSentence(ticket.number, CounterName(catalog, ticket.counter));
}

}  // namespace mck::core
