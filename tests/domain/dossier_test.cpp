// The words the store keeps for states and kinds: every enum value has one, and each word parses
// back to its value (the database of a kiosk in the field holds these words).
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "offline/domain/dossier.h"
#include "offline/domain/ticket.h"

using namespace mck;

TEST_CASE("ticket states keep the words the database already holds", "[domain]") {
  std::set<std::string> words;
  for (TicketState s : kAllTicketStates) {
    words.insert(TicketStateName(s));
    CHECK(ParseTicketState(TicketStateName(s)) == s);
  }
  CHECK(words == std::set<std::string>{"pending", "issued", "print_failed", "called", "done"});
  CHECK_FALSE(ParseTicketState("Issued").has_value());
  CHECK_FALSE(ParseTicketState("").has_value());
}

TEST_CASE("outbox kinds and dossier states round-trip through their stored words", "[domain]") {
  for (OutboxKind k : {OutboxKind::kDossier, OutboxKind::kRating, OutboxKind::kDecision})
    CHECK(ParseOutboxKind(OutboxKindName(k)) == k);
  CHECK(std::string(OutboxKindName(OutboxKind::kDecision)) == "decision");
  CHECK_FALSE(ParseOutboxKind("ratings").has_value());
  for (DossierState s :
       {DossierState::kQueued, DossierState::kSending, DossierState::kAccepted, DossierState::kNeedsAttention})
    CHECK(ParseDossierState(DossierStateName(s)) == s);
  CHECK(std::string(DossierStateName(DossierState::kNeedsAttention)) == "needs_attention");
  CHECK_FALSE(ParseDossierState("done").has_value());
}

TEST_CASE("in JSON a state or a kind is its stored word, not a number", "[domain]") {
  CHECK(nlohmann::json(TicketState::kPrintFailed) == "print_failed");
  CHECK(nlohmann::json(OutboxKind::kRating) == "rating");
  CHECK(nlohmann::json(DossierState::kNeedsAttention) == "needs_attention");
}
