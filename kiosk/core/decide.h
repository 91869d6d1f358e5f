// A civil servant's decision on a dossier at the counter (accept with the papers received,
// request a supplement, refuse), checked by offline/domain/decision.h, recorded in one
// transaction with its outbox row, and — for an accept — the Mẫu 01 receipt to print, assembled
// by documents.h from the decision just recorded. The staff screen and `kioskctl dossier decide`
// call this.
// Thread-safety: one thread at a time (it uses the caller's Store connection).
#pragma once

#include <optional>
#include <string>

#include "drivers/printer/documents.h"
#include "offline/domain/catalog.h"
#include "offline/domain/clock.h"
#include "offline/domain/config.h"
#include "offline/domain/decision.h"
#include "offline/store/store.h"

namespace mck::core {

struct RecordedDecision {
  std::string decision;  // accept | request_supplement | refuse
  std::string idempotency_key;
  std::string ref;  // how the portal knows the dossier: official code, else client id
  std::string provisional_code;
  std::string decided_at;  // RFC 3339
  // accept: Mẫu 01 with the papers as the officer checked them; `official_status` says why not
  // when it could not be assembled (the decision is recorded all the same).
  std::optional<printer::OfficialReceipt> official;
  Status official_status;
};

class CounterDecisions {
 public:
  CounterDecisions(Store& store, const Catalog& catalog, const KioskConfig& config, const Clock& clock)
      : store_(store), catalog_(catalog), config_(config), clock_(clock) {}

  // `dossier_key`: client id, provisional or official code. kInvalidArgument (every problem at
  // once, Vietnamese lines) when the decision is incomplete; nothing is recorded then. The
  // officer's name is remembered on this kiosk for the next decision (staff data).
  // `sign`: the officer's token signs the body as it is stored and sent (DecisionSigner::Hook,
  // decision_signer.h); its failure is returned and nothing is recorded.
  Result<RecordedDecision> Record(const std::string& dossier_key, const CounterDecision& decision,
                                  const DecisionStore::SignDecision& sign = {});

 private:
  Store& store_;
  const Catalog& catalog_;
  const KioskConfig& config_;
  const Clock& clock_;
};

}  // namespace mck::core
