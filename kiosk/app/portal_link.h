// The kiosk's link to the provincial portal, when offline/sync is built and the kiosk is
// enrolled: the sync engine on its own worker thread (offline::Syncer: delivers the outbox,
// polls statuses, refreshes the catalog, sends heartbeats), and a look-up worker with its own
// HTTPS client for the look-up screen. Not enrolled (or no sync library): neither runs, and the
// kiosk works offline as always: dossiers stay queued for `kioskctl sync`. The citizen never sees
// sync errors (peer-lessons.md); they go to the log in English.
#pragma once

#include <memory>

#include "kiosk/app/device_states.h"
#include "kiosk/app/event_queue.h"
#include "kiosk/app/services.h"
#include "offline/domain/config.h"
#include "offline/store/store.h"

namespace mck::app {

class PortalLink {
 public:
  virtual ~PortalLink() = default;
  // Null when look-up is unavailable (not enrolled).
  virtual PortalLookupService* lookup() = 0;
  // Asks the sync worker to run a pass soon (after a submission).
  virtual void Nudge() = 0;
  // Staff's "send now": a pass at once, without waiting out a backoff pause.
  virtual void SyncNow() = 0;
};

// Starts what it can; logs why it could not. Never null. `devices` (may be null): the live printer
// and reader states the sync worker reports in the metrics file and the heartbeat.
std::unique_ptr<PortalLink> StartPortalLink(const KioskConfig& config, const StoreOptions& store_options,
                                            Store& ui_store, EventQueue& events,
                                            std::shared_ptr<const DeviceStates> devices = nullptr);

}  // namespace mck::app
