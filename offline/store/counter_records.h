// What the counter produces besides dossiers: civil servants' decisions (store.decisions()) and
// citizens' ratings (store.ratings()). Each is queued for the portal with its outbox row in one
// transaction; bodies are sealed (a reason or a comment may describe the citizen).
//
// Thread-safety: as Store.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "offline/domain/dossier.h"
#include "offline/domain/status.h"
#include "offline/store/part.h"

namespace mck {

class DecisionStore : public StorePart {
 public:
  using StorePart::StorePart;

  // Queues a civil servant's decision on a dossier (portal body: decision, officer, decided_at,
  // documents_received, reason, supplement). The outbox row's `ref` is `dossier_ref` (official
  // code or client id: the portal accepts either), so the sync engine knows where to post it.
  // Returns the idempotency key. The audit row holds only the decision word.
  // kInvalidArgument: an unknown decision word, no reason for a refusal or a supplement request,
  // or no dossier.
  // `attachments`: the papers scanned at the counter (docs/scanning.md "At the counter"). Each is
  // stored sealed and content-addressed as an attachment of the dossier (found by any of its codes
  // on this kiosk, else kNotFound) in the decision's transaction; the body gets their list
  // `attachments` [{sha256, name, media_type, size}], and its documents_received[i].digitised must
  // name one of them (kInvalidArgument, nothing stored). The dossier's digitised_documents grows by
  // the papers digitised.
  //
  // `sign` (docs/signing.md "At the counter"): called with the body exactly as it will be sent
  // (decided_at and attachments in), before anything is stored; it returns the body's "signature"
  // member. Its error is returned as it is and nothing is stored: a decision is recorded signed
  // or not at all. The audit row then says `signed`.
  using SignDecision = std::function<Result<nlohmann::json>(const nlohmann::json& body)>;
  Result<std::string> Submit(const std::string& dossier_ref, const nlohmann::json& decision,
                             const std::vector<NewAttachment>& attachments = {}, const SignDecision& sign = {});
  // The decisions taken on a dossier (by any of its codes), oldest first, bodies opened: for
  // staff and for the Mẫu 01 receipt (documents received, officer).
  Result<std::vector<StoredDecision>> For(const DossierSummary& dossier);

};

class RatingStore : public StorePart {
 public:
  using StorePart::StorePart;

  // Queues a rating; returns its idempotency key. kInvalidArgument without scores or with a
  // score outside 1..5.
  Result<std::string> Submit(const Rating& rating);

};

}  // namespace mck
