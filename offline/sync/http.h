// offline::HttpClient — the kiosk's one HTTPS transport to the provincial portal (libcurl): the
// real PortalTransport (offline/sync/transport.h).
//
// One object owns one CURL easy handle and is reused for every request, so libcurl keeps the
// TLS connection alive between calls (HTTP/2 when the portal offers it through ALPN, else
// HTTP/1.1 keep-alive). TLS verification is always on: the peer certificate must chain to the
// CA file given (the province CA from enrolment — the system trust store is never consulted) and
// match the host name; there is deliberately no option to turn that off. After enrolment the
// kiosk's client certificate and key are presented (mutual TLS).
//
// Thread-safety: an HttpClient is used by one thread at a time (libcurl's rule for easy
// handles); each thread that talks to the portal makes its own. `stop` (HttpOptions) and
// `cancel` (PortalRequest), when given, may be set from any thread: a transfer in progress is then
// aborted within ~100 ms (TransportFailure::kAborted, Code::kUnavailable, message "stopped").
//
// Errors (Send): transport failures only — any HTTP status, 5xx included, is a response.
//   kTls / kSecurity            the server certificate did not verify (unknown CA, self-signed,
//                               wrong name, expired), the CA file or client certificate could not
//                               be used, or the TLS handshake was refused: stop and tell a
//                               technician, never retry blindly
//   kTimeout / kTimeout         connect or transfer timeout
//   kCannotConnect / kUnavailable  connection refused, no route, DNS
//   kDropped / kUnavailable     reset or dropped after connecting, partial answer
//   kAborted / kUnavailable     stopped
//   kTooLarge / kInvalidArgument  the answer was larger than allowed (cut there)
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/domain/status.h"
#include "offline/sync/transport.h"

namespace mck {

inline constexpr size_t kDefaultMaxAnswerBytes = size_t{1} << 20;    // 1 MiB
inline constexpr size_t kDefaultMaxCatalogBytes = size_t{16} << 20;  // 16 MiB

struct HttpOptions {
  std::string base_url;               // "https://portal.example.gov.vn" (no trailing '/')
  std::filesystem::path ca_file;      // required: the pinned province CA (PEM)
  std::filesystem::path client_cert;  // PEM; empty before enrolment
  // The client's private key (PEM), in memory only: handed to libcurl as a blob
  // (CURLOPT_SSLKEY_BLOB, not copied by curl) and zeroed when the client is destroyed. Empty
  // before enrolment. Move it in (std::move) so no other copy stays behind.
  std::string client_key_pem;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds transfer_timeout{60};
  const std::atomic<bool>* stop = nullptr;  // optional; see above
  // false only for the benchmark's naive baseline: a new connection (TCP + TLS) per request.
  bool reuse_connections = true;
  // The largest answer body accepted (PortalRequest::max_answer_bytes overrides it per call);
  // past it the transfer is cut (TransportFailure::kTooLarge). Config [portal] max_answer_kib.
  size_t max_answer_bytes = kDefaultMaxAnswerBytes;
  // The proxy to use ("http://proxy.tinh.gov.vn:3128"), from config [portal] proxy. Empty: none,
  // whatever http_proxy/https_proxy/ALL_PROXY/NO_PROXY say in the environment: a kiosk never
  // sends through a proxy nobody configured (docs/security.md, "portal").
  std::string proxy;
};

// The names before the PortalTransport seam; new code says PortalRequest and PortalResponse.
using HttpRequest = PortalRequest;
using HttpResponse = PortalResponse;

class HttpClient final : public PortalTransport {
 public:
  // Checks the options (https:// URL, readable CA file) and makes the easy handle.
  static Result<std::unique_ptr<HttpClient>> Create(HttpOptions options);
  ~HttpClient() override;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  PortalReply Send(const PortalRequest& request) override;
  // Overlapped: a libcurl multi handle drives up to `max_in_flight` easy handles of a pool kept
  // between calls, so their connections stay open (keep-alive, one per handle in flight; HTTP/2
  // streams on one connection when the portal offers h2). TLS sessions are shared (CURLSH,
  // CURL_LOCK_DATA_SSL_SESSION) with the handle Send uses, so a new connection resumes the
  // session instead of a full handshake. Verification, the pinned CA and the client certificate
  // are set exactly as for Send. Without reuse_connections (the naive baseline) this is Send,
  // one request after the other.
  std::vector<std::optional<PortalReply>> SendAll(const std::vector<PortalRequest>& requests, int max_in_flight,
                                                  const std::function<bool(const PortalReply&)>& enough) override;
  int max_in_flight() const override { return options_.reuse_connections ? 32 : 1; }
  TransportStats stats() const override { return {transfers_, connections_opened_, seconds_in_transfers_}; }
  // A new easy handle, so no connection or TLS session made with the old identity is reused.
  Status SetClientIdentity(const std::filesystem::path& cert_file, std::string key_pem) override;

  // Connections opened so far (for the benchmark and tests: reuse shows as 1).
  long connections_opened() const { return connections_opened_; }
  // Wall-clock time spent inside transfers so far, and their number (for the benchmark).
  double seconds_in_transfers() const { return seconds_in_transfers_; }
  long transfers() const { return transfers_; }
  const HttpOptions& options() const { return options_; }

 private:
  explicit HttpClient(HttpOptions options) : options_(std::move(options)) {}
  struct Exchange;  // one request's libcurl state (http.cpp)
  // Every option of the easy handle for x's request (the same for Send and SendAll); a reply
  // when the request cannot be made here.
  std::optional<PortalReply> Configure(void* curl, Exchange& x);
  // The reply from a finished transfer, and the counters.
  PortalReply Finish(void* curl, int curl_code, Exchange& x);
  void EnsureShare();
  void DropPool();  // the multi handle and its easy handles (their connections close)
  void* share_ = nullptr;  // CURLSH: TLS sessions and DNS between all the handles
  void* multi_ = nullptr;  // CURLM, made by the first SendAll
  std::vector<void*> pool_;  // CURL* easy handles for SendAll, kept for their connections
  HttpOptions options_;
  std::string client_cert_pem_;  // read from options_.client_cert at Create
  void* curl_ = nullptr;         // CURL*
  long connections_opened_ = 0;
  double seconds_in_transfers_ = 0;
  long transfers_ = 0;
};

// Parses an HTTP date (IMF-fixdate, RFC 850 or asctime) with libcurl's parser.
std::optional<TimePoint> ParseHttpDate(const std::string& s);
// "Sun, 06 Nov 1994 08:49:37 GMT"
std::string FormatHttpDate(TimePoint t);

}  // namespace mck
