// offline::Store — the kiosk's system of record: one SQLite file under the data directory that
// holds every submitted dossier until the portal has it (and for the retention period after).
//
// A Store is the thing you Open: the directory (0700), the key file (0600), the database and its
// migrations, the one SQLite connection, the Sealer, the audit log. It hands out its parts, one
// per concern, all over that one connection:
//   store.dossiers()   DossierStore  submit, list, get, attachments        (dossiers.h)
//   store.outbox()     Outbox        the sync engine's queue and leases     (outbox.h)
//   store.tickets()    TicketBook    queue tickets                          (tickets.h)
//   store.help()       HelpDesk      citizens' "Gọi cán bộ hỗ trợ"          (help_requests.h)
//   store.decisions()  DecisionStore counter decisions                      (counter_records.h)
//   store.ratings()    RatingStore   citizens' ratings                      (counter_records.h)
//   store.catalog()    CatalogCache  the procedure catalog                  (catalog_cache.h)
//   store.settings()   Settings      key/value settings                     (settings.h)
//   store.officers()   OfficerBook   the officers who sign in to staff mode (officers.h)
// and staff PINs in StaffAuth (staff_auth.h), built over a Store.
//
// Rules (docs/store.md): WAL, synchronous=FULL, foreign keys on, forward-only migrations in
// user_version; personal data (applicant, form fields, attachment names and bytes, rating
// comments, decision bodies) sealed with AES-256-GCM under a key in a separate 0600 file; every
// change of more than one row is ONE transaction (WithTransaction, sqlite.h) with its
// hash-chained audit row, so a failure (disk full, I/O error, a crash) leaves it wholly there or
// wholly absent. Errors are Status/Result with a code, an English message for logs and a
// Vietnamese one for people; never personal data.
//
// Thread-safety: a Store object (and its parts) is used by one thread at a time. Each thread
// (UI, sync worker, kioskctl) opens its own Store on the same directory; SQLite's locking plus
// the outbox lease keep them correct. Calls are short local transactions (a few ms); the UI
// thread may call them, never anything that waits on the network.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "offline/domain/status.h"
#include "offline/store/catalog_cache.h"
#include "offline/store/checkpointer.h"
#include "offline/store/counter_records.h"
#include "offline/store/dossiers.h"
#include "offline/store/help_requests.h"
#include "offline/store/officers.h"
#include "offline/store/options.h"
#include "offline/store/outbox.h"
#include "offline/store/settings.h"
#include "offline/store/tickets.h"

namespace mck {

struct StoreCore;

struct StoreCheck {
  bool integrity_ok = false;
  std::string integrity_message;  // "ok" or SQLite's report
  bool audit_ok = false;
  int64_t audit_rows = 0;
  std::string audit_message;  // where the chain breaks
  bool ok() const { return integrity_ok && audit_ok; }
};

class Store {
 public:
  // Opens (creating on first use) the store in options.data_dir: the directory (0700), the key
  // file (0600), the database (through options.vfs), then migrations. Before a migration the
  // database is backed up (offline/store/backup.h); a failing migration is rolled back whole and
  // is kFailedPrecondition with a technician's message (the file as it was, the backup's path,
  // what to do); no backup, no migration. A database from a newer program (a downgrade) is
  // refused (kFailedPrecondition), never touched; an unreadable or corrupt one is kCorrupt.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  static constexpr int kSchemaVersion = 6;
  const std::filesystem::path& database_path() const { return db_path_; }
  // How this store's keys are kept (StoreOptions::key_protection): the enrolment keeps the mTLS
  // client key the same way.
  const KeyProtectionOptions& key_protection() const;

  DossierStore& dossiers() { return dossiers_; }
  Outbox& outbox() { return outbox_; }
  TicketBook& tickets() { return tickets_; }
  HelpDesk& help() { return help_; }
  DecisionStore& decisions() { return decisions_; }
  RatingStore& ratings() { return ratings_; }
  CatalogCache& catalog() { return catalog_; }
  Settings& settings() { return settings_; }
  OfficerBook& officers() { return officers_; }

  // Who the audit rows of staff acts through THIS Store object name (a call, a dismissed help
  // request, "send now", a re-queue): "staff" (the shared PIN) until an officer signs in, then
  // OfficerBook::Actor(id); back to "staff" at sign-out. Per Store object: each thread's own.
  void SetStaffActor(const std::string& actor);
  const std::string& staff_actor() const;

  // ---- retention and checks (retention.cpp) --------------------------------------------------
  // Purges personal data of dossiers accepted more than retention_days ago, and of dossiers the
  // portal refused (needs_attention) submitted more than retention_days ago: bodies, attachment
  // bytes no longer referenced, rating comments, the bodies of their sent decisions (the word
  // stays). Codes, states and audit rows stay. One transaction, then CheckpointTruncate so the
  // WAL keeps no frame of the old pages (secure_delete overwrote them in the database). Returns
  // how many dossiers. The kiosk runs it at start-up and daily (kiosk/core/retention_schedule.h);
  // `kioskctl db purge` runs it by hand.
  Result<int> PurgeExpired();
  // PRAGMA wal_checkpoint(TRUNCATE): false when another connection kept it from finishing.
  Result<bool> CheckpointTruncate();
  // The background WAL checkpoints of this store's connection (offline/store/checkpointer.h):
  // for tests and the bench, which read how many ran.
  WalCheckpointer& wal_checkpointer();
  // PRAGMA integrity_check, foreign keys and the audit chain.
  Result<StoreCheck> Check();
  // The audit chain's last row (id 0 and 64 zeros when empty), and the hash of row `id` (nullopt
  // when there is no such row: the chain was truncated below it). For the heartbeat, which lets
  // the portal notice a chain cut short or rewritten (offline/sync/heartbeat_privacy.h).
  struct AuditHead {
    int64_t id = 0;
    std::string hash;
  };
  Result<AuditHead> LastAudit();
  Result<std::optional<std::string>> AuditHashAt(int64_t id);
  // Appends an audit row (in its own transaction). detail must hold no personal data.
  Status Audit(const std::string& actor, const std::string& action, const std::string& subject,
               const std::string& detail);

 private:
  explicit Store(std::unique_ptr<StoreCore> core);
  Status Initialise();
  Status MigrationFailed(const Status& why, const std::optional<std::filesystem::path>& backup) const;

  std::unique_ptr<StoreCore> core_;
  std::filesystem::path db_path_;
  DossierStore dossiers_;
  Outbox outbox_;
  TicketBook tickets_;
  HelpDesk help_;
  DecisionStore decisions_;
  RatingStore ratings_;
  CatalogCache catalog_;
  Settings settings_;
  OfficerBook officers_;
};

}  // namespace mck
