// Internal to offline/store: what the parts of a Store share — the one SQLite connection, the
// Sealer, the options and the clock — and the few row helpers more than one part needs. The
// Store owns the core; each part (DossierStore, Outbox, TicketBook, ...) holds a reference.
// Not for callers outside offline/store.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "offline/domain/clock.h"
#include "offline/domain/dossier.h"
#include "offline/store/backup.h"
#include "offline/store/checkpointer.h"
#include "offline/store/crypto.h"
#include "offline/store/options.h"
#include "offline/store/sqlite.h"

namespace mck {

struct StoreCore {
  DataDirLock lock;  // shared for the store's lifetime: no backup is restored under it
  StoreOptions options;
  std::unique_ptr<Db> db;
  // After db: destroyed first, so its thread and connection are gone before db closes.
  std::unique_ptr<WalCheckpointer> checkpointer;
  std::unique_ptr<Sealer> sealer;
  SystemClock system_clock;
  std::string staff_actor = "staff";  // Store::SetStaffActor

  TimePoint Now() const { return options.clock ? options.clock->Now() : system_clock.Now(); }
};

inline constexpr const char* kActorKiosk = "kiosk";

// Associated data binding a sealed value to its row (offline/store/crypto.h).
inline std::string DossierAd(const std::string& client_id) {
  return "dossier:" + client_id;
}
inline std::string AttachmentAd(const std::string& sha) {
  return "attachment:" + sha;
}
inline std::string DecisionAd(const std::string& key) {
  return "decision:" + key;
}
inline std::string RatingAd(const std::string& key) {
  return "rating:" + key;
}
// The portal's words about a dossier (its error text and its reasons may echo what the citizen
// typed): sealed like the body, in dossiers.last_error, attention_details and portal_status_text.
inline std::string LastErrorAd(const std::string& client_id) {
  return "last_error:" + client_id;
}
inline std::string AttentionAd(const std::string& client_id) {
  return "attention:" + client_id;
}
// The portal's status text from a status poll or a look-up (dossiers.portal_status_text).
inline std::string PortalStatusTextAd(const std::string& client_id) {
  return "portal_status_text:" + client_id;
}
// An error without the portal's own words: "portal dossier: HTTP 422 validation_failed: <words>"
// keeps "portal dossier: HTTP 422 validation_failed". For audit rows and the outbox row, which
// are not sealed. Other errors (ours: codes and states) are kept whole.
inline std::string WithoutPortalWords(const std::string& error) {
  if (error.rfind("portal ", 0) != 0) return error;
  const size_t http = error.find(": HTTP ");
  if (http == std::string::npos) return error;
  const size_t words = error.find(": ", http + 2);
  return words == std::string::npos ? error : error.substr(0, words);
}

// The next value of the daily sequence `scope` ("dossier", "ticket:<counter>") on `day`.
// REQUIRES: a write transaction is open on db (the number is consumed only if it commits).
Result<int> NextInSequence(Db& db, const std::string& scope, const std::string& day);
// REQUIRES: a write transaction is open on db.
Status InsertOutbox(Db& db, OutboxKind kind, const std::string& ref, const std::string& idempotency_key,
                    int64_t due_unix);
Result<std::string> ProvisionalCodeOf(Db& db, const std::string& client_id);
// Stores attachment `a` (content-addressed by `sha`, `sealed` its bytes sealed with AttachmentAd)
// and links it to the dossier at `position`. REQUIRES: a write transaction is open on db.
Status InsertAttachment(Db& db, int64_t dossier_id, size_t position, const std::string& sha, const NewAttachment& a,
                        const std::string& sealed, const std::string& at);
// One value of a one-row, one-column query (count(*), min(...)); nullopt when it is NULL.
Result<std::optional<int64_t>> QueryInt(Db& db, const std::string& sql);

}  // namespace mck
