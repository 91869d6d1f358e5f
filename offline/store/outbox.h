// The outbox: work for the sync engine (offline/sync) — dossiers, ratings and decisions to
// deliver to the portal exactly once (store.outbox()). Two runners (the kiosk's sync worker and
// `kioskctl sync`) may share it: a lease decides who sends an item; the idempotency key makes a
// double send harmless anyway.
//
// Thread-safety: as Store (one thread at a time per Store object). Every change is one
// transaction with its audit row.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/domain/dossier.h"
#include "offline/domain/status.h"
#include "offline/store/part.h"

namespace mck {

class Outbox : public StorePart {
 public:
  using StorePart::StorePart;

  // Leases up to `limit` due items to `owner` for `lease`. Dossiers leased move to `sending`.
  // Items leased by another runner whose lease has not expired are never returned.
  Result<std::vector<OutboxItem>> Lease(const std::string& owner, int limit, std::chrono::seconds lease);
  // The portal accepted a dossier (201/200): state accepted, codes recorded, outbox row gone.
  Status RecordAccepted(const OutboxItem& item, const std::string& dossier_code, const std::string& appointment_date,
                        const std::string& status);
  // One acceptance, for RecordAcceptedAll.
  struct Acceptance {
    OutboxItem item;
    std::string dossier_code, appointment_date, status;
  };
  // Several acceptances in ONE transaction, one fsync (the sync engine's group commit): each as
  // RecordAccepted, with its own audit row; all recorded, or none (then every one of them is
  // still leased and `sending`, and goes to the portal again with the same Idempotency-Key).
  Status RecordAcceptedAll(const std::vector<Acceptance>& acceptances);
  // The portal refused the item (422/409): parked for staff with the portal's reasons.
  Status RecordNeedsAttention(const OutboxItem& item, const std::string& error, const nlohmann::json& details);
  // Try again later (5xx, 429, network): attempts+1, due at `next_attempt`, lease released.
  Status RecordRetry(const OutboxItem& item, const std::string& error, TimePoint next_attempt);
  // A rating or decision was delivered: outbox row gone, item marked sent.
  Status RecordDelivered(const OutboxItem& item);
  // Gives a leased item back untouched (no attempt counted, due as before): for a runner that
  // stops, or ends its pass early, before it tried the item.
  Status Release(const OutboxItem& item);
  // Staff re-queue a dossier that needed attention (after fixing it at the counter).
  // kFailedPrecondition unless the dossier (any of its codes) needs attention.
  // With a correction, the dossier's body is replaced by the corrected one (validated by the
  // caller against the catalog: offline/domain/validation.h) in the same transaction, and the
  // audit row is "dossier.corrected" naming the corrected fields' paths (never their values).
  // It is sent again under the same client_id and Idempotency-Key: a 422 does not bind a key
  // (docs/portal.md), and the citizen's receipt and its QR keep working.
  struct Correction {
    nlohmann::json body;
    std::vector<std::string> fields;  // "fields.pages", "applicant.full_name"
  };
  Status Requeue(const std::string& dossier_key, const std::optional<Correction>& correction = std::nullopt);
  // Staff's "send now": every item waiting for a later retry is due at once (leases held by a
  // runner are left alone). Returns how many were brought forward; audited.
  Result<int> MakeDueNow();
  // When the next row becomes available to a runner (its due time, or the end of another
  // runner's lease if later); nullopt when the outbox is empty. Lets a sync worker sleep until
  // there is work instead of polling.
  Result<std::optional<TimePoint>> NextDue();
  // The body the sync engine posts (portal format); kNotFound once purged.
  Result<nlohmann::json> Body(const OutboxItem& item);
  // Dossiers not yet delivered (queued or sending).
  Result<int64_t> Depth();
  // Age in seconds of the oldest dossier not yet delivered (0 when none).
  Result<int64_t> OldestAgeSeconds();

 private:
  Result<nlohmann::json> RatingBody(const OutboxItem& item);
  Result<nlohmann::json> DecisionBody(const OutboxItem& item);
};

}  // namespace mck
