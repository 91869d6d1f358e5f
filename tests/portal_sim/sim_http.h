// Shared by the simulator's API handlers (sim_api.cpp, sim_attachments.cpp): identity, the fault
// prologue, connection cuts. Internal to portal-sim.
#pragma once

#include <optional>
#include <string>

#include "tests/portal_sim/sim.h"

namespace portal_sim {

struct Caller {
  std::string kiosk_id;
  std::string commune_code;
  Fault fault = Fault::kNone;
};

// Cuts the TCP connection under the TLS session: the client sees a reset or an EOF.
void DropConnection(const httplib::Request& req);
// Sends the status line, the headers and half the body, then cuts the connection.
void CutResponse(const httplib::Request& req, httplib::Response& res);
// The prologue of every API call: identity (verified client certificate of an enrolled kiosk,
// unless needs_kiosk is false), arrival record, POST count per Idempotency-Key when
// post_endpoint is set, fault dice, slowness. nullopt when the request has been answered
// (401/403, or a 5xx/429 fault).
std::optional<Caller> Begin(Sim& sim, const httplib::Request& req, httplib::Response& res,
                            const std::string& post_endpoint, bool needs_kiosk = true);
// Ends a handler: a response-drop fault cuts what was prepared (after it was committed).
void Finish(const httplib::Request& req, httplib::Response& res, const Caller& c);
std::string NowVn();
uint64_t HeaderU64(const httplib::Request& req, const char* name);
void RegisterAttachments(httplib::Server& server, Sim& sim);

}  // namespace portal_sim
