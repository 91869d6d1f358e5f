// Asking the portal about one dossier (GET /api/v1/dossiers/{code} or ?client_id=), for the
// kiosk's look-up screen and `kioskctl lookup`. Blocking: call it on a worker thread, with a
// transport made for that thread (MakePortalClient, or a test's fake portal).
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "offline/domain/status.h"
#include "offline/sync/answer.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/transport.h"

namespace mck {

// An HTTPS client for an enrolled kiosk: pinned CA, client certificate and key.
Result<std::unique_ptr<HttpClient>> MakePortalClient(const Enrolment& enrolment, std::chrono::seconds connect_timeout,
                                                     std::chrono::seconds transfer_timeout,
                                                     const std::atomic<bool>* stop = nullptr, std::string proxy = {},
                                                     size_t max_answer_bytes = kDefaultMaxAnswerBytes);

// `key` is an official dossier code or a client id (UUID). kNotFound when the portal does not
// know it (a queued dossier has not reached it yet); kSecurity/kUnavailable/kTimeout as the
// transport says (offline/sync/transport.h); an answer that is not a checked dossier status
// (offline/sync/answer.h) is kUnavailable.
Result<PortalDossierStatus> LookupDossier(PortalTransport& portal, const std::string& key);

}  // namespace mck
