// A queue ticket: the number a citizen takes for a counter. Numbers restart every day, per
// counter. The store (offline/store/tickets.h) keeps them; the printer draws them.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mck {

// pending: reserved, not yet printed; issued: printed, waiting; print_failed: the printer did not
// confirm (staff reprint it); called: called to the counter; done.
enum class TicketState { kPending, kIssued, kPrintFailed, kCalled, kDone };
// The word stored in the database and shown by kioskctl: "pending", "issued", "print_failed",
// "called", "done".
const char* TicketStateName(TicketState s);
std::optional<TicketState> ParseTicketState(std::string_view s);
inline constexpr TicketState kAllTicketStates[] = {TicketState::kPending, TicketState::kIssued,
                                                   TicketState::kPrintFailed, TicketState::kCalled, TicketState::kDone};

// In JSON (kioskctl --json, logs) a state is its stored word, never its number.
NLOHMANN_JSON_SERIALIZE_ENUM(TicketState, {{TicketState::kPending, "pending"},
                                           {TicketState::kIssued, "issued"},
                                           {TicketState::kPrintFailed, "print_failed"},
                                           {TicketState::kCalled, "called"},
                                           {TicketState::kDone, "done"}})

struct Ticket {
  int64_t id = 0;
  std::string counter;
  int number = 0;
  std::string day;  // YYYY-MM-DD, Vietnam time
  TicketState state = TicketState::kPending;
  std::string issued_at;
  std::optional<std::string> called_at;
  std::optional<std::string> dossier_client_id;
};

}  // namespace mck
