// offline::Syncer — delivers the outbox (dossiers, ratings, counter decisions) to the provincial
// portal exactly once, and brings the portal's answers back (official codes, status, catalog).
//
// One pass (RunOnce):
//   1. lease due outbox rows in small batches (Outbox::Lease: two runners never hold the same
//      row); for each dossier: upload its missing attachments resumably (HEAD for the offset,
//      PATCH chunks), then POST it with its client_id as Idempotency-Key, and record the answer
//      in one store transaction:
//        201/200 → accepted (official code, appointment date)
//        422/409 (and other 4xx) → needs_attention with the portal's reasons (a person acts)
//        428 → upload what the portal lists, post again
//        429/503 → the whole portal is pushing back: this item and the pass wait Retry-After
//                  (at least, capped at kMaxRetryAfter = 1 h) plus jitter; the pause is kept in
//                  the store, so a restarted kiosk or another runner waits it out too
//        an answer the kiosk cannot read (wrong types, over the size or nesting limit, not
//                  JSON) → that item is parked for staff with the reason; the pass goes on
//        500/502/504, dropped connection, timeout → this item retries later (exponential backoff,
//                  full jitter); after a few such failures in a row, or when the portal cannot be
//                  reached at all, the pass ends and the portal is left alone for a jittered while
//        401/403 or a TLS failure → the pass STOPS at once and reports kSecurity (nothing more is
//                  sent until a technician acts)
//      Ratings and decisions go the same way (POST /ratings, POST /dossiers/{ref}/decisions).
//      Overlap (SyncOptions::in_flight > 1, a transport that can): a batch's dossiers without
//      attachments are POSTed together and their acceptances recorded in one transaction
//      (group commit) before the rest of the batch; see SendDossiersTogether.
//   2. poll the status of accepted dossiers whose portal status is not final;
//   3. refresh the catalog (If-None-Match with the cached ETag) when due or asked to;
//   4. send a heartbeat (no personal data) when due, and follow its commands.
// No request is allowed to outlive its outbox lease: each request's deadline is cut to the time
// the lease has left (minus a margin), so a row is never in flight for two runners.
//
// Seams (docs/sync.md): the Syncer takes what it uses — a Store, a PortalTransport and a Clock.
// Every wait of the engine (the pause after a 429/503 and its Retry-After, backoff, the worker's
// sleep until the next item is due, Drain's pauses) is a Clock::WaitUntil, so a test with a
// ManualClock and the fake portal (tests/sync/fake_portal.h) runs it without sleeping. The store
// should run on the same clock (lease expiry and due times are compared in the store).
// Syncer::Open is the composition roots' shortcut: it opens a Store of its own and an HttpClient
// from the stored enrolment.
//
// Threads: the store and the transport are used only on the thread that runs the passes — the
// caller of RunOnce/Drain, or the worker thread made by Start. Do not mix the two on one object,
// and use neither elsewhere while the Syncer runs. Stop() and Nudge() may be called from any
// thread; Stop() aborts a transfer in progress within ~100 ms (PortalRequest::cancel) and returns
// when the worker has finished (leases it held but had not tried are handed back). Events go to
// the sink on the sync thread (see SyncEvent).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "offline/domain/clock.h"
#include "offline/domain/status.h"
#include "offline/store/store.h"
#include "offline/sync/backoff.h"
#include "offline/sync/transport.h"

namespace mck {

struct SyncOptions {
  std::string owner;  // lease owner; empty: "sync-<pid>-<random>"
  int batch = 16;     // rows leased at once
  // Dossier POSTs of one leased batch on the wire at once (docs/sync.md "Overlapped delivery";
  // config [sync] in_flight). With more than 1, a batch's dossiers without attachments are
  // posted together and their acceptances recorded in ONE transaction (group commit); 1: one
  // request at a time, each acceptance its own transaction (the behaviour before issue 15).
  int in_flight = 4;
  std::chrono::seconds lease{180};
  BackoffPolicy backoff;              // per item, and for the portal as a whole
  int failures_before_pause = 3;      // consecutive item failures that end a pass
  size_t chunk_bytes = 256 * 1024;    // attachment PATCH size
  std::chrono::seconds interval{30};  // worker: time between passes when nothing is due
  std::chrono::seconds heartbeat_interval{300};
  std::chrono::seconds catalog_interval{3600};
  std::chrono::seconds status_poll_interval{900};  // per dossier
  int status_poll_batch = 50;                      // dossiers polled per pass at most
  bool poll_status = true;
  bool send_heartbeat = true;
  bool refresh_catalog = true;
  std::filesystem::path data_dir;  // for the heartbeat's disk_free_bytes; empty: -1 (unknown)
  uint64_t seed = 0;               // jitter; 0: random
  std::string software_version = "0";
  // The largest catalog answer accepted (other answers: the transport's limit, 1 MiB).
  size_t max_catalog_bytes = size_t{16} << 20;
  // Device states for the heartbeat ("ok", "paper_low", ...); called on the sync thread.
  std::function<std::string()> printer_state;
  std::function<std::string()> card_reader_state;
  // Prometheus textfile written after each pass (docs/monitoring.md); empty: none.
  std::filesystem::path metrics_textfile;
  // Certificate renewal (offline/sync/renewal.h): tried in a pass when fewer than this many days
  // are left (config [portal] cert_renew_days; 0: never), at most once per cert_renewal_retry.
  int cert_renew_days = 30;
  std::chrono::seconds cert_renewal_retry{3600};
};

struct SyncSummary {
  int sent = 0;      // POSTs of dossiers, ratings and decisions that left on a verified
                     // connection (answered or not; not when the portal was unreachable)
  int accepted = 0;  // dossiers the portal accepted in this run
  int needs_attention = 0;
  int retried = 0;    // items put back for a later try
  int delivered = 0;  // ratings and decisions delivered
  int attachments_uploaded = 0;
  int64_t bytes_uploaded = 0;
  int status_updates = 0;
  int fees_paid = 0;  // fees the portal newly reported paid
  bool catalog_updated = false;
  int64_t remaining = 0;                // dossiers not yet accepted (queued + sending)
  long connections_opened = 0;          // TCP+TLS connections made so far by this Syncer (reuse keeps it low)
  double seconds_in_transfers = 0;      // time spent in HTTPS requests so far by this Syncer
  long requests = 0;                    // HTTPS requests so far by this Syncer
  std::optional<int64_t> clock_skew_s;  // portal time minus kiosk time
  std::optional<std::chrono::milliseconds> portal_pause;  // when the pass ended waiting for the portal
  bool certificate_renewed = false;                       // this run renewed the client certificate
  Status error;  // the reason the run stopped early (kSecurity, kUnavailable, ...)
};

// What the UI hears from the sync thread. Messages carry codes and counts, never personal data.
struct SyncEvent {
  enum class Kind {
    kPassStarted,
    kAccepted,        // subject: provisional code; detail: official code
    kNeedsAttention,  // subject: provisional code (or rating/decision key); detail: reason
    kRetry,           // subject: provisional code; detail: reason
    kDelivered,       // rating/decision delivered; subject: idempotency key
    kStatusChanged,   // subject: official code; detail: new status
    kFeePaid,         // subject: official code; detail: the bank's transfer reference
    kCatalogUpdated,  // detail: version
    kPassFinished,    // summary filled
    kStopped,         // a security or configuration error stopped sync: status says why
  };
  Kind kind = Kind::kPassStarted;
  std::string subject;
  std::string detail;
  SyncSummary summary;
  Status status;
};
// Called on the sync thread; must return quickly (push into the UI's queue and wake it).
using SyncEventSink = std::function<void(const SyncEvent&)>;

// What Syncer::Open needs to make the parts itself.
struct SyncSetup {
  StoreOptions store;  // the kiosk's data directory: Open opens a Store of its own there
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds transfer_timeout{60};
  bool reuse_connections = true;              // false only for the benchmark's naive baseline
  const Clock* clock = nullptr;               // null: the system clock (the store runs on it too)
  std::string proxy;                          // config [portal] proxy; empty: none (environment ignored)
  size_t max_answer_bytes = size_t{1} << 20;  // config [portal] max_answer_kib
};

// How many Vietnam days (today included) the heartbeat's "digitised.dossiers_by_day" covers.
inline constexpr int kDigitisedHeartbeatDays = 7;

class Syncer {
 public:
  // The parts are the caller's and must outlive the Syncer.
  Syncer(Store& store, PortalTransport& transport, const Clock& clock, SyncOptions options);
  // For kioskctl and the kiosk: opens a Store at setup.store, loads the enrolment and makes the
  // HttpClient (pinned CA, mTLS) from it; the Syncer owns both. kFailedPrecondition when the kiosk
  // is not enrolled; store and TLS-file errors as Store::Open and HttpClient::Create.
  static Result<std::unique_ptr<Syncer>> Open(const SyncSetup& setup, SyncOptions options);
  ~Syncer();  // Stop()s
  Syncer(const Syncer&) = delete;
  Syncer& operator=(const Syncer&) = delete;

  // Thread-safe: replaces the sink (null: no events).
  void SetSink(SyncEventSink sink);

  // One pass on the calling thread (see above). The summary's `error` says why a pass ended
  // early; the Result is an error only when nothing could be tried (not enrolled, store error).
  Result<SyncSummary> RunOnce();
  // Passes until no outbox row is left (waiting out backoff between them), a security error, or
  // Stop(). For technicians after an outage, and for tests.
  Result<SyncSummary> Drain();

  // The worker: a thread that runs passes every `interval`, sooner when something becomes due
  // or Nudge() is called, until Stop().
  void Start();
  void Nudge();
  // Staff's "send now": like Nudge(), and the next pass does not wait out a backoff pause.
  void ForceNow();
  void Stop();
  bool running() const { return worker_.joinable(); }
  // Exceptions caught at the pass and item boundaries since this Syncer was made (each logged
  // in English with its type; an item whose handling threw is parked for staff).
  long exceptions_caught() const { return exceptions_; }

 private:
  // What became of one outbox item: delivered; parked for staff (needs_attention); retried
  // later; retried and the portal paused (429/503/unreachable); or the pass must end (security,
  // a local store failure, Stop()).
  // kDefer: not this item's turn yet (a decision whose dossier has not reached the portal).
  enum class Outcome { kDone, kPark, kRetryItem, kDefer, kPausePortal, kSecurity, kFatal, kStopped };
  struct ItemResult {
    ItemResult() = default;
    ItemResult(Outcome o, Status s, std::optional<std::chrono::milliseconds> ra = std::nullopt,
               nlohmann::json d = nlohmann::json())
        : outcome(o), status(std::move(s)), retry_after(ra), details(std::move(d)) {}
    Outcome outcome = Outcome::kDone;
    Status status;  // why (for all but kDone)
    std::optional<std::chrono::milliseconds> retry_after;
    nlohmann::json details;  // the portal's reasons, for kPark
  };

  Syncer(std::unique_ptr<Store> store, std::unique_ptr<PortalTransport> transport, const Clock& clock,
         SyncOptions options);
  // An answer the kiosk cannot read (offline/sync/answer.h): park the item with the reason.
  static ItemResult PoisonAnswer(const Status& why);
  Result<SyncSummary> Pass();
  // Pass() with every exception caught, logged and counted (kInternal): what RunOnce, Drain and
  // the worker call, so nothing escapes the sync thread.
  Result<SyncSummary> GuardedPass();
  // SendItem with an exception turned into a parked item (kPark, kInternal).
  ItemResult GuardedSendItem(const OutboxItem& item, std::chrono::steady_clock::time_point lease_end, SyncSummary& sum);
  // The portal-wide pause, kept in the store's settings (sync.paused_until_unix_ms) so that a new
  // Syncer (a restarted kiosk, `kioskctl sync --once` run again, the other runner) honours it.
  void LoadPause();
  void SavePause();
  // Sleeps through the clock until `wake` (clamped to [20 ms, interval]) or a Nudge/Stop.
  void WaitForNextPass(TimePoint wake);
  ItemResult SendItem(const OutboxItem& item, std::chrono::steady_clock::time_point lease_end, SyncSummary& sum);
  // The overlapped half of a batch (options_.in_flight > 1): the dossiers without attachments
  // are POSTed together (PortalTransport::SendAll) and every acceptance among the answers is
  // recorded in one transaction (Outbox::RecordAcceptedAll), before any other outcome of the
  // batch. Returns, per item of `items`, its result when it was handled here (nullopt: the item
  // goes the one-at-a-time way). A crash before that commit loses the answers only: the rows
  // are still `sending`, and the next runner posts them again with the same Idempotency-Key.
  std::vector<std::optional<ItemResult>> SendDossiersTogether(const std::vector<OutboxItem>& items,
                                                              std::chrono::steady_clock::time_point lease_end,
                                                              SyncSummary& sum);
  // The answer to one dossier POST, as SendDossier reads it for a dossier without attachments;
  // an acceptance is returned in *accepted (not recorded).
  ItemResult ReadDossierReply(const PortalReply& resp, std::optional<Outbox::Acceptance>* accepted,
                              const OutboxItem& item, SyncSummary& sum);
  ItemResult SendDossier(const OutboxItem& item, std::chrono::steady_clock::time_point lease_end, SyncSummary& sum);
  ItemResult SendSimple(const OutboxItem& item, std::chrono::steady_clock::time_point lease_end, SyncSummary& sum);
  ItemResult UploadAttachment(const AttachmentInfo& att, std::chrono::steady_clock::time_point lease_end,
                              SyncSummary& sum);
  // After a 428 attachments_missing: uploads the ones of `atts` the portal names (kDone), or
  // parks the item when it names none of them.
  ItemResult UploadMissing(const PortalReply& resp, const std::vector<AttachmentInfo>& atts,
                           std::chrono::steady_clock::time_point lease_end, SyncSummary& sum);
  ItemResult Classify(const PortalReply& resp);
  bool Reached(const PortalReply& resp) const;
  PortalReply Send(const std::string& method, const std::string& path, const std::string& body,
                   std::vector<std::pair<std::string, std::string>> headers,
                   std::optional<std::chrono::steady_clock::time_point> lease_end);
  void PollStatuses(SyncSummary& sum);
  void RefreshCatalog(SyncSummary& sum);
  void Heartbeat(SyncSummary& sum);
  // The portal pushed back (429/503, Retry-After a floor) or cannot be reached: pause it for a
  // jittered while (BackoffDelay over the failures in a row), kept in the store.
  void PausePortal(std::optional<std::chrono::milliseconds> retry_after, SyncSummary& sum);
  void FollowHeartbeatAnswer(const std::string& body);  // the heartbeat's answer, checked
  // syncer_renewal.cpp: renews the client certificate when it is due, then talks with the new one.
  void RenewCertificateIfDue(SyncSummary& sum);
  void LoadIdentity(SyncSummary& sum);  // the pair the settings name, into the transport
  PortalReply SendCatalogRequest(const std::vector<std::pair<std::string, std::string>>& headers);
  void Emit(SyncEvent event);
  void RecordState(const SyncSummary& sum);
  // Monitoring (syncer_metrics.cpp): a failed try counted by cause and logged (with the
  // dossier's client id only); after a pass, the counters and states stored and the textfile.
  void NoteFailure(const OutboxItem& item, const Status& why);
  void RecordMetrics(const SyncSummary& sum);
  TimePoint Now() const;
  std::chrono::steady_clock::time_point Steady() const;
  void WorkerLoop();

  // Owned only when made by Open (declared first: they outlive the pointers below).
  std::unique_ptr<Store> owned_store_;
  std::unique_ptr<PortalTransport> owned_transport_;
  Store* store_;
  PortalTransport* transport_;
  const Clock* clock_;
  SyncOptions options_;
  std::mt19937_64 rng_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> force_{false};

  // Portal-wide pause (after 429/503 or an unreachable portal), in the injected clock's time.
  std::optional<TimePoint> paused_until_;
  std::atomic<long> exceptions_{0};
  int portal_failures_ = 0;
  std::optional<int64_t> skew_s_;
  std::string last_error_;
  long latency_requests_ = 0;  // transport figures at the last RecordState (portal latency)
  double latency_seconds_ = 0;
  std::filesystem::path identity_cert_;  // the certificate the transport presents (Open; renewal)
  std::optional<std::chrono::steady_clock::time_point> last_heartbeat_, last_catalog_, last_renewal_try_;
  bool catalog_requested_ = false;
  std::map<std::string, std::chrono::steady_clock::time_point> last_polled_;
  std::map<std::string, int64_t> failures_;  // by cause, not yet stored
  int answers_ = 0;                          // portal answers in this pass
  std::string recorded_printer_, recorded_reader_;

  std::mutex mu_;  // guards sink_
  SyncEventSink sink_;
  Waker waker_;  // Nudge, ForceNow and Stop end the wait in progress
  std::thread worker_;
};

}  // namespace mck
