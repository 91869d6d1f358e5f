#include "offline/domain/dossier.h"

#include "offline/domain/ticket.h"

namespace mck {

const char* DossierStateName(DossierState s) {
  switch (s) {
    case DossierState::kQueued: return "queued";
    case DossierState::kSending: return "sending";
    case DossierState::kAccepted: return "accepted";
    case DossierState::kNeedsAttention: return "needs_attention";
  }
  return "queued";
}

std::optional<DossierState> ParseDossierState(std::string_view s) {
  for (auto st :
       {DossierState::kQueued, DossierState::kSending, DossierState::kAccepted, DossierState::kNeedsAttention}) {
    if (s == DossierStateName(st)) return st;
  }
  return std::nullopt;
}

const char* OutboxKindName(OutboxKind k) {
  switch (k) {
    case OutboxKind::kDossier: return "dossier";
    case OutboxKind::kRating: return "rating";
    case OutboxKind::kDecision: return "decision";
  }
  return "dossier";
}

std::optional<OutboxKind> ParseOutboxKind(std::string_view s) {
  for (auto k : {OutboxKind::kDossier, OutboxKind::kRating, OutboxKind::kDecision}) {
    if (s == OutboxKindName(k)) return k;
  }
  return std::nullopt;
}

const char* TicketStateName(TicketState s) {
  switch (s) {
    case TicketState::kPending: return "pending";
    case TicketState::kIssued: return "issued";
    case TicketState::kPrintFailed: return "print_failed";
    case TicketState::kCalled: return "called";
    case TicketState::kDone: return "done";
  }
  return "pending";
}

std::optional<TicketState> ParseTicketState(std::string_view s) {
  for (auto st : kAllTicketStates) {
    if (s == TicketStateName(st)) return st;
  }
  return std::nullopt;
}

}  // namespace mck
