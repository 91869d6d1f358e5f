#include "tests/portal_sim/sim_http.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <thread>

#include "offline/domain/clock.h"
#include "tests/portal_sim/sim_hostile.h"

namespace portal_sim {

using httplib::Request;
using httplib::Response;

// Cuts the TCP connection under the TLS session: the client sees a reset or an EOF.
void DropConnection(const Request& req) {
  if (req.ssl) ::shutdown(SSL_get_fd(req.ssl), SHUT_RDWR);
}

// Sends the status line, the headers and half the body, then cuts the connection.
void CutResponse(const Request& req, Response& res) {
  if (res.body.empty()) {
    DropConnection(req);
    return;
  }
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  res.set_content_provider(body->size(), "application/json", [body](size_t, size_t, httplib::DataSink& sink) {
    sink.write(body->data(), body->size() / 2);
    return false;  // httplib aborts the write and closes the connection
  });
}

std::string NowVn() {
  return mck::FormatRfc3339Vietnam(std::chrono::system_clock::now());
}

// The kiosk id (CN) of the verified client certificate, if any.
static std::optional<std::string> PeerKioskId(const Request& req) {
  if (!req.ssl) return std::nullopt;
  X509* peer = SSL_get1_peer_certificate(req.ssl);
  if (!peer) return std::nullopt;
  std::string cn;
  char buf[256];
  if (SSL_get_verify_result(req.ssl) == X509_V_OK &&
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buf, sizeof buf) > 0) {
    cn = buf;
  }
  X509_free(peer);
  if (cn.empty()) return std::nullopt;
  return cn;
}

// The prologue of every API call: identity, arrival record, POST count, fault dice, slowness.
// Returns nullopt when the request has been answered (401/403, or a 5xx/429 fault).
std::optional<Caller> Begin(Sim& sim, const Request& req, Response& res, const std::string& post_endpoint,
                            bool needs_kiosk) {
  Caller c;
  auto kiosk = PeerKioskId(req);
  bool slow = false;
  {
    std::lock_guard<std::mutex> lock(sim.mu);
    sim.arrivals.emplace_back(NowMs(), kiosk.value_or(""));
    sim.Count("requests");
    if (!post_endpoint.empty()) {
      const std::string key = req.get_header_value("Idempotency-Key");
      auto up = sim.db->Prepare(
          "INSERT INTO posts(endpoint, key, count) VALUES(?, ?, 1) ON CONFLICT(endpoint, key) DO UPDATE SET count = "
          "count + 1");
      if (up.ok()) {
        up->Bind(1, post_endpoint).Bind(2, key);
        (void)up->Run();
      }
    }
    if (needs_kiosk) {
      if (!kiosk) {
        sim.Count("rejected.no_client_certificate");
        SendError(res, 401, "client_certificate_required", "a verified kiosk client certificate is required");
        return std::nullopt;
      }
      auto s = sim.db->Prepare("SELECT commune_code FROM kiosks WHERE kiosk_id = ?");
      mck::Status st;
      if (!s.ok() || !(s->Bind(1, *kiosk), s->Step(&st))) {
        sim.Count("rejected.unknown_kiosk");
        SendError(res, 403, "unknown_kiosk", "this kiosk is not enrolled");
        return std::nullopt;
      }
      c.kiosk_id = *kiosk;
      NotePeerCertificate(req, *kiosk);  // sim_renewal.cpp: which certificate it presented
      c.commune_code = s->Text(0);
    }
    if (ApplyHostileAnswer(sim, req, res)) return std::nullopt;
    c.fault = sim.Roll();
    slow = sim.RollSlow();
    if (slow) sim.Count("fault.slow");
  }
  if (slow) std::this_thread::sleep_for(std::chrono::milliseconds(sim.faults.slow_ms));
  std::lock_guard<std::mutex> lock(sim.mu);
  switch (c.fault) {
    case Fault::k500:
      sim.Count("fault.500");
      SendError(res, 500, "internal_error", "simulated internal error");
      return std::nullopt;
    case Fault::k503:
      sim.Count("fault.503");
      if (!sim.faults.down && sim.faults.retry_after_on_503 && sim.faults.retry_after_s > 0) {
        res.set_header("Retry-After", std::to_string(sim.faults.retry_after_s));
      }
      SendError(res, 503, "unavailable", sim.faults.down ? "portal under maintenance" : "simulated overload");
      return std::nullopt;
    case Fault::k429:
      sim.Count("fault.429");
      res.set_header("Retry-After", std::to_string(sim.faults.retry_after_s));
      SendError(res, 429, "rate_limited", "too many requests from this kiosk");
      return std::nullopt;
    case Fault::kDropRequest: sim.Count("fault.drop_request"); break;
    case Fault::kDropResponse: sim.Count("fault.drop_response"); break;
    case Fault::kNone: break;
  }
  return c;
}

// Ends a handler: a response-drop fault cuts what was prepared (after it was committed).
void Finish(const Request& req, Response& res, const Caller& c) {
  if (c.fault == Fault::kDropResponse) CutResponse(req, res);
}

uint64_t HeaderU64(const Request& req, const char* name) {
  return std::strtoull(req.get_header_value(name).c_str(), nullptr, 10);
}

}  // namespace portal_sim
