// offline::PortalTransport — the seam between the kiosk and the provincial portal, in the manner
// of LevelDB's Env: the sync engine, enrolment and look-up ask it for one HTTP exchange at a time
// and never see libcurl. The real implementation is HttpClient (offline/sync/http.h: HTTPS, the
// pinned province CA, mutual TLS, connection reuse); unit tests use the in-process fake portal
// (tests/sync/fake_portal.h).
//
// Contract of Send:
//   - Any HTTP status, 5xx included, is a response (ok()): the caller reads status, headers, body.
//   - No response at all is a failure: ok() is false, status() says why for people and logs, and
//     failure() says what happened on the wire, which is what the sync engine branches on:
//       kCannotConnect  nothing reached the portal (refused, no route, DNS): the portal as a
//                       whole is unreachable, not just this request; status kUnavailable
//       kTimeout        connect or transfer time ran out (the request may have arrived); kTimeout
//       kTls            the portal's certificate did not verify, or ours was refused, or the CA
//                       or client certificate is unusable: stop and tell a technician; kSecurity
//       kAborted        PortalRequest::cancel was set (Stop()); status kUnavailable "stopped"
//       kDropped        the connection broke after the request left (it may have been applied);
//                       status kUnavailable
//       kLocal          the request could not be made here (bad URL or method); kInvalidArgument
//                       or kInternal
//       kTooLarge       the answer's body grew past the limit (PortalRequest::max_answer_bytes,
//                       else the transport's own, 1 MiB by default): the transfer was cut there
//                       and nothing of it is returned; the request may have been applied;
//                       status kInvalidArgument
//   - A request with `cancel` set from another thread ends within ~100 ms with kAborted.
//
// Thread-safety: a transport is used by one thread at a time; each thread that talks to the
// portal has its own. Only PortalRequest::cancel crosses threads.
#pragma once

#include <atomic>
#include <cassert>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/domain/ids.h"
#include "offline/domain/status.h"

namespace mck {

struct PortalRequest {
  std::string method = "GET";  // GET, HEAD, POST, PATCH
  std::string path;            // "/api/v1/dossiers" (the transport knows the portal's address)
  // In order; Idempotency-Key, If-None-Match, Upload-Offset, Upload-Length, Content-Type, ...
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set and shorter than the transport's own transfer timeout: the whole exchange must end
  // in this time (the sync engine uses it so that no request outlives its outbox lease).
  std::optional<std::chrono::milliseconds> deadline;
  // Optional; may be set from any thread to abort the request (kAborted).
  const std::atomic<bool>* cancel = nullptr;
  // The largest answer body accepted, in bytes; 0: the transport's default. The catalog asks
  // for more than other calls.
  size_t max_answer_bytes = 0;

  // The value of a header (name compared without case), empty when absent.
  std::string Header(const std::string& name) const;
};

struct PortalResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-case; last value wins
  std::string body;
  std::optional<TimePoint> date;  // the server's Date header, when valid
  std::string http_version;       // "1.1" or "2" ("" from the fake)
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

enum class TransportFailure { kNone, kCannotConnect, kTimeout, kTls, kAborted, kDropped, kLocal, kTooLarge };
const char* TransportFailureName(TransportFailure f);

// The answer to one request, or why there was none. Reads like Result<PortalResponse>.
class [[nodiscard]] PortalReply {
 public:
  PortalReply(PortalResponse response) : response_(std::move(response)) {}  // NOLINT: implicit by design
  PortalReply(TransportFailure failure, Status why) : failure_(failure), status_(std::move(why)) {
    assert(failure_ != TransportFailure::kNone && !status_.ok());
  }
  bool ok() const { return failure_ == TransportFailure::kNone; }
  TransportFailure failure() const { return failure_; }
  const Status& status() const { return status_; }
  const PortalResponse& value() const {
    assert(ok());
    return response_;
  }
  PortalResponse& value() {
    assert(ok());
    return response_;
  }
  const PortalResponse* operator->() const { return &value(); }
  PortalResponse* operator->() { return &value(); }
  const PortalResponse& operator*() const { return value(); }

 private:
  TransportFailure failure_ = TransportFailure::kNone;
  Status status_;
  PortalResponse response_;
};

// Counters for the benchmark and the sync summary.
struct TransportStats {
  long requests = 0;            // Send calls that went to the wire
  long connections_opened = 0;  // TCP+TLS connections (reuse keeps it low; 0 for the fake)
  double seconds_in_transfers = 0;
};

class PortalTransport {
 public:
  virtual ~PortalTransport() = default;
  // One exchange; blocking (see the contract above).
  virtual PortalReply Send(const PortalRequest& request) = 0;
  // How many requests SendAll keeps on the wire at once at most; 1 (the default): it cannot
  // overlap, and the sync engine sends one request at a time, as with Send.
  virtual int max_in_flight() const { return 1; }
  // Several independent exchanges, up to `max_in_flight` of them on the wire at once (the sync
  // engine's overlapped dossier POSTs, docs/sync.md "Overlapped delivery"); the replies in the
  // order of the requests, each as Send would give it. Once `enough` returns true for a reply, no
  // further request is started (those in flight finish): their places stay empty (nullopt).
  // Returns when every started request has its reply. The default sends one after the other.
  virtual std::vector<std::optional<PortalReply>> SendAll(const std::vector<PortalRequest>& requests,
                                                          int max_in_flight,
                                                          const std::function<bool(const PortalReply&)>& enough) {
    (void)max_in_flight;
    std::vector<std::optional<PortalReply>> replies(requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
      replies[i] = Send(requests[i]);
      if (enough && enough(*replies[i])) break;
    }
    return replies;
  }
  virtual TransportStats stats() const = 0;
  // After a certificate renewal (offline/sync/renewal.h): later requests present this
  // certificate (PEM file) and key (PEM, moved in, wiped by the transport), on new connections.
  // The default (transports without a client identity, like the tests' fake portal) ignores it.
  virtual Status SetClientIdentity(const std::filesystem::path& cert_file, std::string key_pem) {
    (void)cert_file;
    SecureWipe(key_pem);
    return Status::Ok();
  }
};

}  // namespace mck
