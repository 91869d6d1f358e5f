// Queue tickets (store.tickets()): numbers per counter and per day, from reservation through
// printing to the counter's call.
//
// Thread-safety: as Store. Every change is one transaction with its audit row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "offline/domain/status.h"
#include "offline/domain/ticket.h"
#include "offline/store/part.h"

namespace mck {

class TicketBook : public StorePart {
 public:
  using StorePart::StorePart;

  // Reserves the next number for `counter` today (numbers restart daily) in state kPending. The
  // caller prints it, then sets kIssued (printer confirmed) or kPrintFailed. On error nothing is
  // stored and the number is not consumed.
  Result<Ticket> Reserve(const std::string& counter, const std::optional<std::string>& dossier_client_id);
  // kNotFound when no ticket has that id.
  Status SetState(int64_t ticket_id, TicketState state);
  // Calls the lowest waiting (kIssued) number at `counter` today; kNotFound when none waits.
  Result<Ticket> CallNext(const std::string& counter);
  // How many kIssued numbers wait at `counter` today.
  Result<int> Waiting(const std::string& counter);
  // Today's tickets in `state` (kPrintFailed: the numbers staff must reprint), by counter and
  // number.
  Result<std::vector<Ticket>> Today(TicketState state);
  // Today's numbers called at `counter`, in the order they were called: what the wait estimate
  // measures service times from (offline/domain/wait_estimate.h).
  Result<std::vector<Ticket>> CalledToday(const std::string& counter);
};

}  // namespace mck
