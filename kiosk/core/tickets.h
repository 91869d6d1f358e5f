// Queue tickets: issue (reserve → print → issued or print_failed), reprint a number whose ticket
// did not print, call the next number. A number counts as issued only when the printer confirmed
// its ticket (a number nobody holds is never called). The ticket's text comes from one place:
// the counter's name from counters.h, the people waiting read before the reservation, and when
// to come back, from the service times measured at that counter today (wait_estimate.h).
//
// Two ways to print: a caller that prints synchronously (kioskctl) passes a TicketPrinter to
// Issue/Reprint; the screen, whose printer is a worker, calls Reserve/ForReprint, queues the
// ticket, and reports the printer's answer with RecordPrint.
// Thread-safety: one thread at a time (it uses the caller's Store connection).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "drivers/printer/documents.h"
#include "offline/domain/catalog.h"
#include "offline/domain/config.h"
#include "offline/domain/wait_estimate.h"
#include "offline/store/store.h"

namespace mck::core {

// Prints a ticket and says whether the printer confirmed it.
class TicketPrinter {
 public:
  virtual ~TicketPrinter() = default;
  virtual Status PrintTicket(const printer::QueueTicketInfo& ticket) = 0;
};

struct ReservedTicket {
  Ticket ticket;                      // pending (a reservation) or print_failed (a reprint)
  printer::QueueTicketInfo document;  // what the ticket prints
  std::string display;                // "HT-003"
  // When to come back (offline/domain/wait_estimate.h); document.come_back_at is its "HH:MM".
  // Empty for a reprint, and whenever the estimate prints no time.
  std::optional<TimePoint> come_back_at;
};

struct IssuedTicket {
  ReservedTicket reserved;
  Status printed;  // ok: issued; else print_failed, with the printer's reason
};

class TicketDesk {
 public:
  TicketDesk(Store& store, const Catalog& catalog, const KioskConfig& config)
      : store_(store), catalog_(catalog), config_(config) {}

  // kInvalidArgument (naming the counters there are) when the catalog has no `counter`.
  Status CheckCounter(const std::string& counter) const;
  // A number at `counter` (kInvalidArgument when the catalog has no such counter), linked to the
  // dossier known by `dossier_key` when given. The ticket is pending until RecordPrint.
  Result<ReservedTicket> Reserve(const std::string& counter, const std::optional<std::string>& dossier_key);
  // The printer's answer for a reserved or reprinted ticket: issued, or (a first print only)
  // print_failed. A failed reprint leaves the number print_failed.
  Status RecordPrint(const Ticket& ticket, const Status& printed);
  Result<IssuedTicket> Issue(const std::string& counter, const std::optional<std::string>& dossier_key,
                             TicketPrinter& printer);

  // Today's numbers whose ticket did not print (staff reprint them).
  Result<std::vector<Ticket>> FailedToday();
  // Today's print_failed number `wanted` ("HT-003" or its ticket id), ready to print again.
  Result<ReservedTicket> ForReprint(const std::string& wanted);
  Result<IssuedTicket> Reprint(const std::string& wanted, TicketPrinter& printer);

  // Calls the lowest waiting number at `counter`; kNotFound when nobody waits.
  Result<Ticket> CallNext(const std::string& counter);
  Result<int> Waiting(const std::string& counter);

 private:
  Result<ReservedTicket> Describe(const Ticket& ticket, int waiting_before);
  // When a citizen who took a number at `now` with `ahead` waiting should come back; nullopt
  // when no time is printed, or today's calls cannot be read (the ticket prints without it).
  std::optional<TimePoint> ComeBackAt(const std::string& counter, TimePoint now, int ahead);

  Store& store_;
  const Catalog& catalog_;
  const KioskConfig& config_;
};

}  // namespace mck::core
