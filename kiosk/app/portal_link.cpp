#include "kiosk/app/portal_link.h"

#include <atomic>
#include <iostream>
#include <optional>

#include "offline/domain/clock.h"
#include "offline/domain/worker.h"

#if MCK_HAVE_SYNC
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/lookup.h"
#include "offline/sync/syncer.h"
#endif

namespace mck::app {
namespace {

class OfflineLink final : public PortalLink {
 public:
  PortalLookupService* lookup() override { return nullptr; }
  void Nudge() override {}
  void SyncNow() override {}
};

#if MCK_HAVE_SYNC
// One thread (an mck::Worker), one HttpClient (libcurl handles are never shared across threads).
// Look-ups not started when the kiosk closes are dropped: nobody waits for them any more.
class LookupWorker final : public PortalLookupService {
 public:
  LookupWorker(std::unique_ptr<HttpClient> http, EventQueue& events) : http_(std::move(http)), events_(events) {}
  ~LookupWorker() override { worker_.Stop(); }
  uint64_t Lookup(const std::string& key) override {
    const uint64_t id = next_id_++;
    // Refused only while the destructor stops the worker: the look-up is dropped with it.
    worker_.Post([this, id, key] { Run(id, key); });
    return id;
  }

 private:
  void Run(uint64_t id, const std::string& key) {
    PortalLookupFinished done;
    done.request_id = id;
    auto r = LookupDossier(*http_, key);
    if (r.ok()) {
      done.status = r->status;
      done.status_text = r->status_text;
      done.appointment_date = r->appointment_date;
      if (r->fee) done.fee = FeePayment{r->fee->amount_vnd, r->fee->paid, r->fee->paid_at, r->fee->reference};
    } else {
      done.result = r.status();
    }
    events_.Push(std::move(done));
  }
  std::unique_ptr<HttpClient> http_;
  EventQueue& events_;
  std::atomic<uint64_t> next_id_{1};
  Worker worker_{"portal-lookup"};  // last: its jobs use the members above
};

class EnrolledLink final : public PortalLink {
 public:
  EnrolledLink(std::unique_ptr<Syncer> syncer, std::unique_ptr<LookupWorker> lookup)
      : syncer_(std::move(syncer)), lookup_(std::move(lookup)) {}
  ~EnrolledLink() override {
    lookup_.reset();
    syncer_->Stop();
  }
  PortalLookupService* lookup() override { return lookup_.get(); }
  void Nudge() override { syncer_->Nudge(); }
  void SyncNow() override { syncer_->ForceNow(); }

 private:
  std::unique_ptr<Syncer> syncer_;
  std::unique_ptr<LookupWorker> lookup_;
};
#endif

}  // namespace

std::unique_ptr<PortalLink> StartPortalLink(const KioskConfig& config, const StoreOptions& store_options,
                                            Store& ui_store, EventQueue& events,
                                            std::shared_ptr<const DeviceStates> devices) {
#if MCK_HAVE_SYNC
  auto enrolment = LoadEnrolment(ui_store);
  if (!enrolment.ok()) {
    std::cerr << "kiosk: portal: not enrolled, working offline (" << enrolment.status().message_en() << ")\n";
    return std::make_unique<OfflineLink>();
  }
  SyncSetup setup;
  setup.store = store_options;
  setup.connect_timeout = std::chrono::seconds(config.connect_timeout_s);
  setup.transfer_timeout = std::chrono::seconds(config.transfer_timeout_s);
  setup.proxy = config.proxy;
  setup.max_answer_bytes = static_cast<size_t>(config.max_answer_kib) * 1024;
  SyncOptions so;
  so.max_catalog_bytes = static_cast<size_t>(config.max_catalog_kib) * 1024;
  so.interval = std::chrono::seconds(config.sync_interval_s);
  so.heartbeat_interval = std::chrono::seconds(config.heartbeat_interval_s);
  so.cert_renew_days = config.cert_renew_days;
  so.in_flight = config.sync_in_flight;
  so.software_version = MCK_VERSION;
  so.data_dir = config.data_dir;
  so.metrics_textfile = config.metrics_textfile;  // docs/monitoring.md
  if (devices) {  // the live device states, read on the sync worker (DeviceStates is thread-safe)
    so.printer_state = [devices] { return devices->printer(); };
    so.card_reader_state = [devices] { return devices->card_reader(); };
  }
  auto opened = Syncer::Open(setup, so);
  if (!opened.ok()) {
    std::cerr << "kiosk: portal: sync unavailable, working offline (" << opened.status().ToString() << ")\n";
    return std::make_unique<OfflineLink>();
  }
  std::unique_ptr<Syncer> syncer = std::move(opened.value());
  // Called on the sync worker's thread only: `last` needs no lock.
  syncer->SetSink([&events, last = std::optional<SyncStatus>()](const SyncEvent& e) mutable {
    if (e.kind == SyncEvent::Kind::kPassFinished) {
      // What staff mode shows changed: one wake per pass, not per item (each wake draws a frame).
      const SyncSummary& sum = e.summary;
      if (sum.accepted || sum.needs_attention || sum.delivered || sum.status_updates || sum.fees_paid) events.Push(QueueChanged{});
      SyncStatus now;
      now.remaining = e.summary.remaining;
      now.reachable = !e.summary.portal_pause.has_value() && e.status.ok();
      if (!e.status.ok() && e.status.code() != Code::kUnavailable) {  // not just "unreachable": say why
        now.error_vi = e.status.message_vi();
        now.error_en = e.status.message_en();
      }
      if (!last || last->remaining != now.remaining || last->reachable != now.reachable ||
          last->error_en != now.error_en) {
        now.since = FormatRfc3339Vietnam(std::chrono::system_clock::now());
        last = now;
        events.Push(std::move(now));
      }
    }
    // Codes and counts only (never personal data), for the technician's log.
    if (e.kind == SyncEvent::Kind::kStopped) std::cerr << "kiosk: sync stopped: " << e.status.ToString() << "\n";
  });
  syncer->Start();
  std::unique_ptr<LookupWorker> lookup;
  auto http = MakePortalClient(*enrolment, std::chrono::seconds(config.connect_timeout_s),
                               std::chrono::seconds(config.transfer_timeout_s), nullptr, config.proxy,
                               static_cast<size_t>(config.max_answer_kib) * 1024);
  if (http.ok()) {
    lookup = std::make_unique<LookupWorker>(std::move(http.value()), events);
  } else {
    std::cerr << "kiosk: portal look-up unavailable: " << http.status().ToString() << "\n";
  }
  return std::make_unique<EnrolledLink>(std::move(syncer), std::move(lookup));
#else
  // Parameters unused without the sync library (not results: nothing is dropped).
  (void)config;
  (void)store_options;
  (void)ui_store;
  (void)events;
  (void)devices;
  std::cerr << "kiosk: built without offline/sync: working offline\n";
  return std::make_unique<OfflineLink>();
#endif
}

}  // namespace mck::app
