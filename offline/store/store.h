// offline::Store — the kiosk's system of record: one SQLite file under the data directory that
// holds every submitted dossier until the portal has it (and for the retention period after).
//
// Rules (docs/store.md): WAL, synchronous=FULL, foreign keys on, forward-only migrations in
// user_version; personal data (applicant, form fields, attachment names and bytes, rating
// comments, decision bodies) sealed with AES-256-GCM under a key in a separate 0600 file; every
// state transition is one transaction with one hash-chained audit row.
//
// Thread-safety: a Store object is used by one thread at a time. Each thread (UI, sync worker,
// kioskctl) opens its own Store on the same directory; SQLite's locking plus the outbox lease
// keep them correct. Calls are short local transactions (a few ms); the UI thread may call
// SubmitDossier and reads, never anything that waits on the network.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/catalog.h"
#include "offline/domain/clock.h"
#include "offline/domain/status.h"

namespace mck {

class Db;
class Sealer;

struct StoreOptions {
  std::filesystem::path data_dir;
  int kiosk_number = 1;
  int retention_days = 30;
  // Catalog used when the cache is empty (config/procedures.json); may be empty.
  std::filesystem::path catalog_seed;
  const Clock* clock = nullptr;  // null: the system clock
};

enum class DossierState { kQueued, kSending, kAccepted, kNeedsAttention };
const char* DossierStateName(DossierState s);
std::optional<DossierState> ParseDossierState(std::string_view s);

struct NewAttachment {
  std::string name;        // "giay-chung-sinh.jpg"
  std::string media_type;  // "image/jpeg"
  std::string data;        // the bytes
};

struct SubmittedDossier {
  std::string client_id;         // UUID v4, the Idempotency-Key
  std::string provisional_code;  // K07-261122-0003
  std::string submitted_at;      // RFC 3339, +07:00
};

struct DossierSummary {
  int64_t id = 0;
  std::string client_id;
  std::string provisional_code;
  std::string procedure_code;
  DossierState state = DossierState::kQueued;
  std::optional<std::string> dossier_code;      // official code, once accepted
  std::optional<std::string> appointment_date;  // YYYY-MM-DD
  std::optional<std::string> portal_status;     // received, processing, ...
  int attempts = 0;
  std::optional<std::string> last_error;  // for staff; never personal data
  std::string submitted_at;
  bool purged = false;
};

struct DossierRecord : DossierSummary {
  std::string catalog_version;
  std::optional<std::string> portal_status_text;
  std::optional<std::string> portal_updated_at;
  std::optional<std::string> accepted_at;
  nlohmann::json needs_attention_details;  // the portal's reasons (array), or null
  // The portal body (client_id, provisional_code, submitted_at, applicant, fields, documents,
  // attachments); null once purged.
  nlohmann::json body;
};

struct AttachmentInfo {
  std::string sha256;
  int64_t size = 0;
  std::string media_type;
};

// One item of work for the sync engine, leased to one runner until `lease_expires_at`.
struct OutboxItem {
  int64_t id = 0;
  std::string kind;  // "dossier" | "rating" | "decision"
  std::string idempotency_key;
  std::string ref;  // dossier client_id, rating key, decision key
  int attempts = 0;
};

struct CachedCatalog {
  std::string etag;  // may be empty for the seed
  std::string body;  // the portal's JSON
  std::string fetched_at;
};

struct StoreCheck {
  bool integrity_ok = false;
  std::string integrity_message;  // "ok" or SQLite's report
  bool audit_ok = false;
  int64_t audit_rows = 0;
  std::string audit_message;  // where the chain breaks
  bool ok() const { return integrity_ok && audit_ok; }
};

struct Rating {
  std::optional<std::string> dossier_code;
  std::string counter;
  nlohmann::json scores;  // {"<criterion id>": 1..5}
  std::string comment;
};

class Store {
 public:
  // Opens (creating on first use) the store in options.data_dir: the directory (0700), the key
  // file (0600), the database, then migrations. A database from a newer program is refused
  // (kFailedPrecondition), never touched; an unreadable or corrupt one is kCorrupt.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  static constexpr int kSchemaVersion = 1;
  const std::filesystem::path& database_path() const { return db_path_; }

  // ---- dossiers -----------------------------------------------------------------------------
  // Stores a validated dossier body (see ValidateDossier) with its attachments in ONE
  // transaction: client id, provisional code (K<nn>-<yymmdd>-<seq4>), outbox row, audit row.
  // After a crash at any instant the dossier is wholly there or wholly absent, and a code is
  // never reused. Attachment descriptors in `body` are replaced by the stored ones.
  Result<SubmittedDossier> SubmitDossier(const nlohmann::json& body, const std::vector<NewAttachment>& attachments,
                                         const std::string& catalog_version);
  Result<std::vector<DossierSummary>> ListDossiers(std::optional<DossierState> state = std::nullopt);
  // By client id, provisional code or official dossier code.
  Result<DossierRecord> GetDossier(const std::string& key);
  Result<std::string> GetAttachment(const std::string& sha256);
  Result<std::vector<AttachmentInfo>> DossierAttachments(const std::string& client_id);

  // ---- outbox (sync engine) -----------------------------------------------------------------
  // Leases up to `limit` due items to `owner` for `lease`. Dossiers leased move to `sending`.
  // Items leased by another runner whose lease has not expired are never returned.
  Result<std::vector<OutboxItem>> LeaseDue(const std::string& owner, int limit, std::chrono::seconds lease);
  // The portal accepted a dossier (201/200): state accepted, codes recorded, outbox row gone.
  Status RecordDossierAccepted(const OutboxItem& item, const std::string& dossier_code,
                               const std::string& appointment_date, const std::string& status);
  // The portal refused a dossier (422/409): parked for staff with the portal's reasons.
  Status RecordNeedsAttention(const OutboxItem& item, const std::string& error, const nlohmann::json& details);
  // Try again later (5xx, 429, network): attempts+1, due at `next_attempt`, lease released.
  Status RecordRetry(const OutboxItem& item, const std::string& error, TimePoint next_attempt);
  // A rating or decision was delivered: outbox row gone, item marked sent.
  Status RecordDelivered(const OutboxItem& item);
  // Gives a leased item back untouched (no attempt counted, due as before): for a runner that
  // stops, or ends its pass early, before it tried the item.
  Status ReleaseLease(const OutboxItem& item);
  // Staff re-queue a dossier that needed attention (after fixing it at the counter).
  Status Requeue(const std::string& key);
  Status UpdatePortalStatus(const std::string& client_id, const std::string& status, const std::string& status_text,
                            const std::string& updated_at, const std::string& appointment_date);
  // The body the sync engine posts (portal format); kNotFound once purged.
  Result<nlohmann::json> OutboxBody(const OutboxItem& item);
  int64_t QueueDepth();
  // When the next outbox row becomes available to a runner (its due time, or the end of another
  // runner's lease if later); nullopt when the outbox is empty. Lets a sync worker sleep until
  // there is work instead of polling.
  Result<std::optional<TimePoint>> NextOutboxDue();
  // Staff's "send now": every item waiting for a later retry is due at once (leases held by a
  // runner are left alone). Returns how many were brought forward; audited.
  Result<int> MakeOutboxDueNow();
  // Age in seconds of the oldest dossier not yet accepted (0 when none).
  int64_t OldestUnsyncedAgeSeconds();

  // ---- ratings --------------------------------------------------------------------------------
  Result<std::string> SubmitRating(const Rating& rating);  // returns the idempotency key

  // ---- counter decisions ----------------------------------------------------------------------
  // Queues a civil servant's decision on a dossier (portal body: decision, officer, decided_at,
  // documents_received, reason, supplement) in one transaction with its outbox row. The outbox
  // row's `ref` is `dossier_ref` (official code or client id: the portal accepts either), so the
  // sync engine knows where to post it. Returns the idempotency key. The body is sealed (the
  // reason may name the citizen's circumstances); the audit row holds only the decision word.
  Result<std::string> SubmitDecision(const std::string& dossier_ref, const nlohmann::json& decision);
  // The decisions taken on a dossier (by any of its codes), oldest first, bodies opened: for
  // staff and for the Mẫu 01 receipt (documents received, officer). Once the dossier's personal
  // data is purged a sent decision keeps only its word (`{"decision": ..., "purged": true}`).
  struct StoredDecision {
    std::string idempotency_key;
    std::string decision;  // accept | request_supplement | refuse
    std::string state;     // queued | sent | needs_attention
    std::string decided_at;
    nlohmann::json body;
  };
  Result<std::vector<StoredDecision>> DecisionsFor(const DossierSummary& dossier);

  // ---- catalog cache --------------------------------------------------------------------------
  // The cached catalog, else the seed file (stored on first use), else kNotFound.
  Result<Catalog> LoadCatalog();
  Result<CachedCatalog> CachedCatalogRaw();
  Status PutCatalog(const std::string& etag, const std::string& body);

  // ---- settings -------------------------------------------------------------------------------
  Result<std::optional<std::string>> GetSetting(const std::string& key);
  Status PutSetting(const std::string& key, const std::string& value);

  // ---- queue tickets --------------------------------------------------------------------------
  // Reserves the next number for `counter` today (numbers restart daily). The ticket is
  // `pending` until ConfirmTicket (printer confirmed) or FailTicket.
  struct Ticket {
    int64_t id = 0;
    std::string counter;
    int number = 0;
    std::string day;    // YYYY-MM-DD
    std::string state;  // pending | issued | print_failed | called | done
    std::string issued_at;
    std::optional<std::string> called_at;
    std::optional<std::string> dossier_client_id;
  };
  Result<Ticket> ReserveTicket(const std::string& counter, const std::optional<std::string>& dossier_client_id);
  Status SetTicketState(int64_t ticket_id, const std::string& state);
  // Calls the lowest waiting (issued) number at `counter` today; kNotFound when none waits.
  Result<Ticket> CallNextTicket(const std::string& counter);
  Result<int> WaitingTickets(const std::string& counter);
  // Today's tickets in `state` ("print_failed": the numbers staff must reprint), by counter and
  // number.
  Result<std::vector<Ticket>> TodaysTickets(const std::string& state);

  // ---- retention and checks -------------------------------------------------------------------
  // Purges personal data of dossiers accepted more than retention_days ago: bodies, attachment
  // bytes no longer referenced, rating comments. Codes, states and audit rows stay.
  Result<int> PurgeExpired();
  // PRAGMA integrity_check + the audit chain.
  Result<StoreCheck> Check();
  // Appends an audit row (in its own transaction). detail must hold no personal data.
  Status Audit(const std::string& actor, const std::string& action, const std::string& subject,
               const std::string& detail);

 private:
  Store() = default;
  TimePoint Now() const;
  Status Initialise();

  StoreOptions options_;
  SystemClock system_clock_;
  std::filesystem::path db_path_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<Sealer> sealer_;
};

}  // namespace mck
