#include "offline/sync/http.h"

#include "offline/domain/ids.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "offline/domain/ids.h"

namespace mck {

namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

// Outside the anonymous namespace: HttpClient::Exchange, a class with linkage, holds one.
struct HttpTransfer {
  PortalResponse* response = nullptr;
  size_t max_body = 0;
  bool too_large = false;
  const std::atomic<bool>* stop = nullptr;    // the client's (HttpOptions::stop)
  const std::atomic<bool>* cancel = nullptr;  // the request's (PortalRequest::cancel)
};

namespace {

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<HttpTransfer*>(user);
  if (t->response->body.size() + size * n > t->max_body) {
    t->too_large = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  t->response->body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<HttpTransfer*>(user);
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new response (after 100 Continue): start afresh
    return size * n;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  size_t v = colon + 1;
  while (v < line.size() && (line[v] == ' ' || line[v] == '\t')) ++v;
  t->response->headers[name] = line.substr(v);
  return size * n;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<HttpTransfer*>(user);
  return ((t->stop && t->stop->load()) || (t->cancel && t->cancel->load())) ? 1 : 0;
}

bool Contains(const std::string& s, const char* needle) {
  return s.find(needle) != std::string::npos;
}

// The one place CURLcode becomes a Status. `detail` is libcurl's error buffer: host names and
// certificate reasons, never request data.
Status CurlStatus(CURLcode rc, const std::string& detail_in) {
  const std::string detail = detail_in.empty() ? curl_easy_strerror(rc) : detail_in;
  const std::string en = std::string("portal: ") + detail;
  switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
#if LIBCURL_VERSION_NUM < 0x073e00
    case CURLE_SSL_CACERT:
#endif
      return Status::Error(Code::kSecurity,
                           en + " (server certificate not trusted: not issued by the enrolled province CA, "
                                "self-signed, expired, or for another host name)",
                           "Chứng chỉ của máy chủ cổng dịch vụ công không hợp lệ (không do CA của tỉnh cấp, tự ký, "
                           "hết hạn hoặc sai tên máy). Chưa gửi dữ liệu nào. Báo cho kỹ thuật viên.");
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
      return Status::Error(
          Code::kSecurity, en + " (the kiosk's CA file or client certificate cannot be used)",
          "Không dùng được chứng chỉ của kiosk hoặc tệp CA của tỉnh. Báo cho kỹ thuật viên (cần đăng ký lại).");
    case CURLE_SSL_CONNECT_ERROR:
      // A reset or EOF during the handshake is the network; anything else is the TLS peer
      // refusing us (bad client certificate, no common protocol): a security stop.
      if (Contains(detail, "reset") || Contains(detail, "SSL_ERROR_SYSCALL") || Contains(detail, "unexpected eof") ||
          Contains(detail, "Connection refused")) {
        return Status::Error(Code::kUnavailable, en, "Mất kết nối tới cổng dịch vụ công");
      }
      return Status::Error(Code::kSecurity, en + " (TLS handshake refused)",
                           "Máy chủ cổng dịch vụ công từ chối kết nối bảo mật (chứng chỉ kiosk không được chấp nhận?). "
                           "Báo cho kỹ thuật viên.");
    case CURLE_OPERATION_TIMEDOUT: return Status::Error(Code::kTimeout, en, "Cổng dịch vụ công không trả lời kịp");
    case CURLE_ABORTED_BY_CALLBACK: return Status::Error(Code::kUnavailable, "stopped", "Đã dừng đồng bộ");
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Status::Error(Code::kInvalidArgument, en, "Địa chỉ cổng dịch vụ công không hợp lệ");
    default: return Status::Error(Code::kUnavailable, en, "Không kết nối được tới cổng dịch vụ công");
  }
}

// What happened on the wire (transport.h), for the caller to branch on.
TransportFailure CurlFailure(CURLcode rc, const Status& st) {
  if (st.code() == Code::kSecurity) return TransportFailure::kTls;
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return TransportFailure::kCannotConnect;
    case CURLE_OPERATION_TIMEDOUT: return TransportFailure::kTimeout;
    case CURLE_ABORTED_BY_CALLBACK: return TransportFailure::kAborted;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return TransportFailure::kLocal;
    default: return TransportFailure::kDropped;
  }
}

}  // namespace

std::optional<TimePoint> ParseHttpDate(const std::string& s) {
  if (s.empty()) return std::nullopt;
  const time_t t = curl_getdate(s.c_str(), nullptr);
  if (t == -1) return std::nullopt;
  return FromUnixSeconds(static_cast<int64_t>(t));
}

std::string FormatHttpDate(TimePoint t) {
  const time_t secs = static_cast<time_t>(UnixSeconds(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

Result<std::unique_ptr<HttpClient>> HttpClient::Create(HttpOptions options) {
  GlobalInitOnce();
  if (options.base_url.rfind("https://", 0) != 0) {
    return Status::Error(Code::kInvalidArgument, "portal URL must start with https:// (TLS is mandatory)",
                         "Địa chỉ cổng dịch vụ công phải bắt đầu bằng https://");
  }
  while (!options.base_url.empty() && options.base_url.back() == '/') options.base_url.pop_back();
  std::FILE* f = std::fopen(options.ca_file.c_str(), "rb");
  if (!f) {
    return Status::Error(Code::kSecurity, options.ca_file.string() + ": province CA file missing or unreadable",
                         "Không đọc được tệp chứng chỉ CA của tỉnh: " + options.ca_file.string());
  }
  std::fclose(f);
  if (options.client_cert.empty() != options.client_key_pem.empty()) {
    SecureWipe(options.client_key_pem);
    return Status::Error(Code::kInvalidArgument, "client certificate and key go together",
                         "Chứng chỉ và khoá của kiosk phải đi cùng nhau");
  }
  std::string cert_pem;
  if (!options.client_cert.empty()) {
    std::ifstream in(options.client_cert, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    cert_pem = ss.str();
    if (!in || cert_pem.empty()) {
      SecureWipe(options.client_key_pem);
      return Status::Error(Code::kSecurity, options.client_cert.string() + ": client certificate unreadable",
                           "Không đọc được chứng chỉ của kiosk: " + options.client_cert.string());
    }
  }
  auto client = std::unique_ptr<HttpClient>(new HttpClient(std::move(options)));
  client->client_cert_pem_ = std::move(cert_pem);
  client->curl_ = curl_easy_init();
  if (!client->curl_) return Status::Error(Code::kInternal, "curl_easy_init failed");
  return client;
}

Status HttpClient::SetClientIdentity(const std::filesystem::path& cert_file, std::string key_pem) {
  std::ifstream in(cert_file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in || ss.str().empty() || key_pem.empty()) {
    SecureWipe(key_pem);
    return Status::Error(Code::kSecurity, cert_file.string() + ": client certificate unreadable",
                         "Không đọc được chứng chỉ của kiosk: " + cert_file.string());
  }
  CURL* fresh = curl_easy_init();
  if (!fresh) {
    SecureWipe(key_pem);
    return Status::Error(Code::kInternal, "curl_easy_init failed");
  }
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));  // its connections and TLS sessions go with it
  curl_ = fresh;
  DropPool();  // the overlapped handles' connections, and the shared sessions, go too
  if (share_) curl_share_cleanup(static_cast<CURLSH*>(share_));
  share_ = nullptr;
  client_cert_pem_ = ss.str();
  options_.client_cert = cert_file;
  SecureWipe(options_.client_key_pem);
  options_.client_key_pem = std::move(key_pem);
  return Status::Ok();
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
  DropPool();
  if (share_) curl_share_cleanup(static_cast<CURLSH*>(share_));
  SecureWipe(options_.client_key_pem);
}

struct HttpClient::Exchange {
  explicit Exchange(const PortalRequest& r) : req(&r) {}
  ~Exchange() {
    if (headers) curl_slist_free_all(headers);
  }
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;
  const PortalRequest* req;
  PortalResponse response;
  HttpTransfer transfer;
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::string url;
  curl_slist* headers = nullptr;
};

void HttpClient::EnsureShare() {
  if (share_) return;
  CURLSH* sh = curl_share_init();
  if (!sh) return;  // no sharing: each handle makes its own sessions (correct, only slower)
  // One thread uses the client at a time (http.h), so the share needs no lock callbacks.
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  share_ = sh;
}

void HttpClient::DropPool() {
  for (void* e : pool_) curl_easy_cleanup(static_cast<CURL*>(e));
  pool_.clear();
  if (multi_) curl_multi_cleanup(static_cast<CURLM*>(multi_));
  multi_ = nullptr;
}

std::optional<PortalReply> HttpClient::Configure(void* curl, Exchange& x) {
  CURL* c = static_cast<CURL*>(curl);
  const PortalRequest& req = *x.req;
  // Reset keeps the connection cache, DNS cache and TLS session cache: reuse survives it.
  curl_easy_reset(c);
  x.transfer = HttpTransfer{&x.response, req.max_answer_bytes ? req.max_answer_bytes : options_.max_answer_bytes, false,
                        options_.stop, req.cancel};
  x.url = options_.base_url + req.path;

  if (options_.reuse_connections) {
    EnsureShare();
    if (share_) curl_easy_setopt(c, CURLOPT_SHARE, static_cast<CURLSH*>(share_));
  }
  curl_easy_setopt(c, CURLOPT_URL, x.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x.errbuf);
  // Verification: always on, against the pinned CA only (no system bundle, no CA directory).
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  if (!options_.client_cert.empty()) {
    // From memory: the key never exists in a file in the clear (offline/store/key_vault.h).
    // NOCOPY: curl points at our buffers, so the only copies are ours (wiped on destruction).
    curl_blob cert{client_cert_pem_.data(), client_cert_pem_.size(), CURL_BLOB_NOCOPY};
    curl_blob key{options_.client_key_pem.data(), options_.client_key_pem.size(), CURL_BLOB_NOCOPY};
    curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }
  // Only the configured proxy, never one from the environment (libcurl reads http_proxy,
  // https_proxy and ALL_PROXY unless CURLOPT_PROXY is set; "" means "no proxy").
  curl_easy_setopt(c, CURLOPT_PROXY, options_.proxy.c_str());
  curl_easy_setopt(c, CURLOPT_NOPROXY, "");  // and NO_PROXY from the environment is ignored too
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  if (!options_.reuse_connections) {
    curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count() * 1000));
  long timeout_ms = static_cast<long>(options_.transfer_timeout.count() * 1000);
  if (req.deadline) timeout_ms = std::max(1L, std::min(timeout_ms, static_cast<long>(req.deadline->count())));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x.transfer);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &x.transfer);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &x.transfer);

  if (req.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (req.method == "POST" || req.method == "PATCH" || req.method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    if (req.method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method != "GET") {
    return PortalReply{TransportFailure::kLocal, Status::Error(Code::kInternal, "unsupported HTTP method " + req.method)};
  }

  x.headers = curl_slist_append(x.headers, "Expect:");  // no 100-continue round trip
  for (const auto& [name, value] : req.headers) x.headers = curl_slist_append(x.headers, (name + ": " + value).c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, x.headers);
  return std::nullopt;
}

PortalReply HttpClient::Finish(void* curl, int curl_code, Exchange& x) {
  CURL* c = static_cast<CURL*>(curl);
  const CURLcode rc = static_cast<CURLcode>(curl_code);
  ++transfers_;
  long connects = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
  connections_opened_ += connects;
  if (rc == CURLE_WRITE_ERROR && x.transfer.too_large) {
    SecureWipe(x.response.body);
    return {TransportFailure::kTooLarge,
            Status::Error(Code::kInvalidArgument,
                          "portal answer larger than " + std::to_string(x.transfer.max_body) + " bytes (cut there)",
                          "Câu trả lời của cổng dịch vụ công quá lớn")};
  }
  if (rc != CURLE_OK) {
    Status why = CurlStatus(rc, x.errbuf);
    const TransportFailure failure = CurlFailure(rc, why);
    return {failure, std::move(why)};
  }
  PortalResponse& response = x.response;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  long version = 0;
  curl_easy_getinfo(c, CURLINFO_HTTP_VERSION, &version);
  response.http_version = version == CURL_HTTP_VERSION_2_0 ? "2" : version == CURL_HTTP_VERSION_1_0 ? "1.0" : "1.1";
  response.date = ParseHttpDate(response.Header("date"));
  return std::move(response);
}

PortalReply HttpClient::Send(const PortalRequest& req) {
  CURL* c = static_cast<CURL*>(curl_);
  Exchange x(req);
  if (auto local = Configure(c, x)) return std::move(*local);
  const auto started = std::chrono::steady_clock::now();
  const CURLcode rc = curl_easy_perform(c);
  seconds_in_transfers_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return Finish(c, rc, x);
}

std::vector<std::optional<PortalReply>> HttpClient::SendAll(const std::vector<PortalRequest>& requests,
                                                            int max_in_flight,
                                                            const std::function<bool(const PortalReply&)>& enough) {
  if (!options_.reuse_connections || max_in_flight <= 1 || requests.size() <= 1) {
    return PortalTransport::SendAll(requests, max_in_flight, enough);
  }
  const size_t width = std::min(requests.size(), static_cast<size_t>(max_in_flight));
  if (!multi_) {
    multi_ = curl_multi_init();
    if (!multi_) return PortalTransport::SendAll(requests, max_in_flight, enough);
  }
  CURLM* m = static_cast<CURLM*>(multi_);
  while (pool_.size() < width) {
    CURL* e = curl_easy_init();
    if (!e) break;
    pool_.push_back(e);
  }
  if (pool_.empty()) return PortalTransport::SendAll(requests, max_in_flight, enough);

  std::vector<std::optional<PortalReply>> replies(requests.size());
  std::vector<std::unique_ptr<Exchange>> exchanges(requests.size());
  std::vector<size_t> on_handle(pool_.size());  // which request each easy handle carries
  std::vector<CURL*> idle(pool_.rbegin(), pool_.rend());
  std::vector<std::chrono::steady_clock::time_point> started(pool_.size());
  size_t next = 0, running = 0;
  bool stopped = false;  // `enough` said so: start nothing more
  auto handle_index = [&](CURL* e) {
    return static_cast<size_t>(std::find(pool_.begin(), pool_.end(), static_cast<void*>(e)) - pool_.begin());
  };
  auto start_more = [&] {
    while (!stopped && next < requests.size() && !idle.empty()) {
      const size_t i = next++;
      exchanges[i] = std::make_unique<Exchange>(requests[i]);
      CURL* e = idle.back();
      if (auto local = Configure(e, *exchanges[i])) {
        replies[i] = std::move(*local);
        continue;
      }
      if (curl_multi_add_handle(m, e) != CURLM_OK) {
        replies[i] = PortalReply{TransportFailure::kLocal, Status::Error(Code::kInternal, "curl_multi_add_handle failed")};
        continue;
      }
      idle.pop_back();
      const size_t h = handle_index(e);
      on_handle[h] = i;
      started[h] = std::chrono::steady_clock::now();
      ++running;
    }
  };
  start_more();
  while (running > 0) {
    int still = 0;
    if (curl_multi_perform(m, &still) != CURLM_OK) break;
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(m, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* e = msg->easy_handle;
      const CURLcode rc = msg->data.result;
      const size_t h = handle_index(e);
      const size_t i = on_handle[h];
      curl_multi_remove_handle(m, e);
      seconds_in_transfers_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started[h]).count();
      replies[i] = Finish(e, rc, *exchanges[i]);
      exchanges[i].reset();
      if (enough && enough(*replies[i])) stopped = true;
      idle.push_back(e);
      --running;
    }
    start_more();
    if (running > 0) curl_multi_poll(m, nullptr, 0, 100, nullptr);  // progress callbacks see cancel
  }
  for (size_t i = 0; i < next && i < requests.size(); ++i) {
    if (!replies[i]) {  // started, but the multi handle failed under it: the request may have arrived
      replies[i] = PortalReply{TransportFailure::kDropped, Status::Error(Code::kUnavailable, "portal: transfer interrupted",
                                                                         "Mất kết nối tới cổng dịch vụ công")};
    }
  }
  if (running > 0) DropPool();  // handles still inside a broken multi handle: start afresh next time
  return replies;
}

}  // namespace mck
