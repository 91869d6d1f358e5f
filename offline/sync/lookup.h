// Asking the portal about one dossier (GET /api/v1/dossiers/{code} or ?client_id=), for the
// kiosk's look-up screen and `kioskctl lookup`. Blocking: call it on a worker thread, with a
// transport made for that thread (MakePortalClient, or a test's fake portal).
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "offline/domain/status.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/transport.h"

namespace mck {

struct PortalDossierStatus {
  std::string dossier_code;
  std::string status;       // received, processing, supplement_requested, completed, returned, ...
  std::string status_text;  // the portal's words (Vietnamese)
  std::string updated_at;
  std::string appointment_date;
  std::string note;
};

// An HTTPS client for an enrolled kiosk: pinned CA, client certificate and key.
Result<std::unique_ptr<HttpClient>> MakePortalClient(const Enrolment& enrolment, std::chrono::seconds connect_timeout,
                                                     std::chrono::seconds transfer_timeout,
                                                     const std::atomic<bool>* stop = nullptr);

// `key` is an official dossier code or a client id (UUID). kNotFound when the portal does not
// know it (a queued dossier has not reached it yet); kSecurity/kUnavailable/kTimeout as the
// transport says (offline/sync/transport.h).
Result<PortalDossierStatus> LookupDossier(PortalTransport& portal, const std::string& key);

}  // namespace mck
