#include "offline/sync/lookup.h"

#include <curl/curl.h>

#include "offline/domain/ids.h"
#include "offline/sync/portal_errors.h"

namespace mck {

Result<std::unique_ptr<HttpClient>> MakePortalClient(const Enrolment& e, std::chrono::seconds connect_timeout,
                                                     std::chrono::seconds transfer_timeout,
                                                     const std::atomic<bool>* stop, std::string proxy,
                                                     size_t max_answer_bytes) {
  HttpOptions h;
  h.base_url = e.portal_url;
  h.ca_file = e.ca_file;
  MCK_RETURN_IF_ERROR(LoadClientKey(e, &h));
  h.connect_timeout = connect_timeout;
  h.transfer_timeout = transfer_timeout;
  h.stop = stop;
  h.proxy = std::move(proxy);
  h.max_answer_bytes = max_answer_bytes;
  return HttpClient::Create(std::move(h));
}

namespace {
std::string UrlEncode(const std::string& s) {
  char* enc = curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  std::string out = enc ? enc : "";
  curl_free(enc);
  return out;
}
}  // namespace

Result<PortalDossierStatus> LookupDossier(PortalTransport& portal, const std::string& key) {
  PortalRequest req;
  req.path = IsUuid(key) ? "/api/v1/dossiers?client_id=" + UrlEncode(key) : "/api/v1/dossiers/" + UrlEncode(key);
  req.headers = {{"Accept", "application/json"}};
  auto resp = portal.Send(req);
  if (!resp.ok()) return resp.status();
  if (resp->status == 404) {
    return Status::Error(Code::kNotFound, "portal does not know this dossier (yet)",
                         "Cổng dịch vụ công chưa có hồ sơ này (có thể chưa được gửi lên)");
  }
  if (resp->status != 200) return PortalErrorStatus(*resp, "lookup");
  auto answer = ReadStatusAnswer(resp->body);
  if (!answer.ok()) {
    return Status::Error(Code::kUnavailable, answer.status().message_en(),
                         "Câu trả lời của cổng dịch vụ công không hợp lệ");
  }
  return answer;
}

}  // namespace mck
