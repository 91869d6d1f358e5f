// offline::HttpClient — the kiosk's one HTTPS transport to the provincial portal (libcurl).
//
// One object owns one CURL easy handle and is reused for every request, so libcurl keeps the
// TLS connection alive between calls (HTTP/2 when the portal offers it through ALPN, else
// HTTP/1.1 keep-alive). TLS verification is always on: the peer certificate must chain to the
// CA file given (the province CA from enrolment — the system trust store is never consulted) and
// match the host name; there is deliberately no option to turn that off. After enrolment the
// kiosk's client certificate and key are presented (mutual TLS).
//
// Thread-safety: an HttpClient is used by one thread at a time (libcurl's rule for easy
// handles); each thread that talks to the portal makes its own. `stop`, when given, may be set
// from any thread: a transfer in progress is then aborted within ~100 ms (Code::kUnavailable
// with message "stopped").
//
// Errors (Send): transport failures only — any HTTP status, 5xx included, is a response.
//   kSecurity     the server certificate did not verify (unknown CA, self-signed, wrong name,
//                 expired), the CA file or client certificate could not be used, or the TLS
//                 handshake was refused: stop and tell a technician, never retry blindly
//   kTimeout      connect or transfer timeout
//   kUnavailable  connection refused/reset/dropped, DNS, partial answer, or stopped
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/domain/status.h"

namespace mck {

struct HttpOptions {
  std::string base_url;               // "https://portal.example.gov.vn" (no trailing '/')
  std::filesystem::path ca_file;      // required: the pinned province CA (PEM)
  std::filesystem::path client_cert;  // PEM; empty before enrolment
  std::filesystem::path client_key;   // PEM, 0600; empty before enrolment
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds transfer_timeout{60};
  const std::atomic<bool>* stop = nullptr;  // optional; see above
  // false only for the benchmark's naive baseline: a new connection (TCP + TLS) per request.
  bool reuse_connections = true;
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, POST, PATCH
  std::string path;            // "/api/v1/dossiers"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // When set and shorter than the transfer timeout: the whole request must finish in this time
  // (the sync engine uses it so that no request outlives the outbox lease).
  std::optional<std::chrono::milliseconds> deadline;
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-case; last value wins
  std::string body;
  std::optional<TimePoint> date;  // the server's Date header, when valid
  std::string http_version;       // "1.1" or "2"
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpClient {
 public:
  // Checks the options (https:// URL, readable CA file) and makes the easy handle.
  static Result<std::unique_ptr<HttpClient>> Create(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request);

  // Connections opened so far (for the benchmark and tests: reuse shows as 1).
  long connections_opened() const { return connections_opened_; }
  // Wall-clock time spent inside transfers so far, and their number (for the benchmark).
  double seconds_in_transfers() const { return seconds_in_transfers_; }
  long transfers() const { return transfers_; }
  // True when the last Send failed before any connection was made (refused, no route, DNS):
  // the portal as a whole is unreachable, not just this request.
  bool last_failure_unreachable() const { return last_failure_unreachable_; }
  const HttpOptions& options() const { return options_; }

 private:
  explicit HttpClient(HttpOptions options) : options_(std::move(options)) {}
  HttpOptions options_;
  void* curl_ = nullptr;  // CURL*
  long connections_opened_ = 0;
  double seconds_in_transfers_ = 0;
  long transfers_ = 0;
  bool last_failure_unreachable_ = false;
};

// Parses an HTTP date (IMF-fixdate, RFC 850 or asctime) with libcurl's parser.
std::optional<TimePoint> ParseHttpDate(const std::string& s);
// "Sun, 06 Nov 1994 08:49:37 GMT"
std::string FormatHttpDate(TimePoint t);

}  // namespace mck
