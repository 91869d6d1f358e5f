// A citizen's rating of the service (vn-facts.md §7.1): the criteria the kiosk asks, checked and
// queued for the portal in one transaction with its outbox row.
// Thread-safety: one thread at a time (it uses the caller's Store connection).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "offline/store/store.h"

namespace mck::core {

// The criteria a citizen can judge at the counter on the day: "overall", "convenience", ...
const std::vector<std::string>& RatingCriteria();

struct RatingInput {
  std::map<std::string, int> scores;        // criterion → 1..5
  std::string comment;                      // may be empty; wiped by Submit
  std::optional<std::string> dossier_code;  // the session's dossier, when there is one
  std::string counter;                      // the counter it was submitted for, when known
};

// kInvalidArgument when no criterion is scored, or a score or criterion is not one of ours;
// else the rating's idempotency key.
Result<std::string> SubmitRating(Store& store, RatingInput rating);

}  // namespace mck::core
