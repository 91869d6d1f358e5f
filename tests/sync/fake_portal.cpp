#include "tests/sync/fake_portal.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "offline/domain/ids.h"

namespace mck::test {

using nlohmann::json;

namespace {

PortalResponse Reply(long status, const json& body = json()) {
  PortalResponse r;
  r.status = status;
  if (!body.is_null()) {
    r.body = body.dump();
    r.headers["content-type"] = "application/json";
  }
  return r;
}

PortalResponse Error(long status, const std::string& code, const std::string& message,
                     const json& details = json::array()) {
  return Reply(status, {{"error", {{"code", code}, {"message", message}, {"details", details}}}});
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

Status FailureStatus(TransportFailure f) {
  switch (f) {
    case TransportFailure::kTls:
      return Status::Error(Code::kSecurity, "fake portal: server certificate not trusted", "Chứng chỉ không hợp lệ");
    case TransportFailure::kTimeout:
      return Status::Error(Code::kTimeout, "fake portal: timeout", "Cổng dịch vụ công không trả lời kịp");
    case TransportFailure::kAborted: return Status::Error(Code::kUnavailable, "stopped", "Đã dừng đồng bộ");
    default:
      return Status::Error(Code::kUnavailable, std::string("fake portal: ") + TransportFailureName(f),
                           "Mất kết nối tới cổng dịch vụ công");
  }
}

}  // namespace

PortalReply FakePortal::Send(const PortalRequest& request) {
  std::unique_lock<std::mutex> lock(mu_);
  SeenRequest seen{request, clock_.Steady(), 0, TransportFailure::kNone};
  seen.request.cancel = nullptr;
  const std::string line = request.method + " " + request.path;
  std::optional<FakeFault> fault;
  for (auto it = script_.begin(); it != script_.end(); ++it) {
    if (StartsWith(line, it->first)) {
      fault = it->second;
      script_.erase(it);
      break;
    }
  }
  std::optional<PortalReply> reply;
  if (fault && fault->throws) {
    seen_.push_back(seen);
    seen_cv_.notify_all();
    throw std::runtime_error("fake portal: scripted exception");
  }
  if (request.cancel && request.cancel->load()) {
    seen.failure = TransportFailure::kAborted;
    reply.emplace(TransportFailure::kAborted, FailureStatus(TransportFailure::kAborted));
  } else if (fault && fault->failure != TransportFailure::kNone) {
    if (fault->applied) (void)Answer(request);  // done, but the answer is lost on the way back
    seen.failure = fault->failure;
    reply.emplace(fault->failure, FailureStatus(fault->failure));
  } else if (fault && fault->status != 0) {
    PortalResponse r =
        Error(fault->status, "scripted", "scripted fault", fault->details.is_null() ? json::array() : fault->details);
    if (fault->raw_body) r.body = *fault->raw_body;
    if (!fault->retry_after.empty()) r.headers["retry-after"] = fault->retry_after;
    r.date = clock_.Now();
    seen.status = r.status;
    reply.emplace(std::move(r));
  } else {
    PortalResponse r = Answer(request);
    r.date = clock_.Now();
    seen.status = r.status;
    reply.emplace(std::move(r));
  }
  seen_.push_back(std::move(seen));
  lock.unlock();
  seen_cv_.notify_all();
  return std::move(*reply);
}

TransportStats FakePortal::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {static_cast<long>(seen_.size()), 0, 0};
}

void FakePortal::Fail(const std::string& match, FakeFault fault, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < times; ++i) script_.emplace_back(match, fault);
}

void FakePortal::SetStatus(const std::string& dossier_code, const std::string& status) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = code_to_client_.find(dossier_code);
  if (it != code_to_client_.end()) dossiers_[it->second]["status"] = status;
}

void FakePortal::SetCatalog(std::string body, std::string etag) {
  std::lock_guard<std::mutex> lock(mu_);
  catalog_ = std::move(body);
  etag_ = std::move(etag);
}

void FakePortal::QueueCommand(const std::string& command) {
  std::lock_guard<std::mutex> lock(mu_);
  commands_.push_back(command);
}

std::vector<SeenRequest> FakePortal::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_;
}

size_t FakePortal::RequestCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_.size();
}

int FakePortal::Succeeded(const std::string& match) const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const auto& s : seen_) {
    if (s.status / 100 == 2 && StartsWith(s.request.method + " " + s.request.path, match)) ++n;
  }
  return n;
}

size_t FakePortal::DossierCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dossiers_.size();
}

std::string FakePortal::OfficialCode(const std::string& client_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = dossiers_.find(client_id);
  return it == dossiers_.end() ? std::string() : it->second.value("dossier_code", "");
}

json FakePortal::LastHeartbeat() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_heartbeat_;
}

bool FakePortal::WaitForRequests(size_t n, std::chrono::milliseconds real_timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return seen_cv_.wait_for(lock, real_timeout, [&] { return seen_.size() >= n; });
}

PortalResponse FakePortal::Idempotent(const PortalRequest& r, long status, const json& answer) {
  const std::string key = r.Header("Idempotency-Key");
  if (!key.empty()) replies_[key] = Stored{r.body, status, answer.dump()};
  return Reply(status, answer);
}

PortalResponse FakePortal::PostDossier(const PortalRequest& r) {
  const json body = json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("client_id")) return Error(400, "bad_request", "not a dossier");
  json missing = json::array();
  for (const auto& a : body.value("attachments", json::array())) {
    const std::string sha = a.value("sha256", "");
    auto it = attachments_.find(sha);
    if (it == attachments_.end() || !it->second.complete) missing.push_back({{"sha256", sha}});
  }
  if (!missing.empty()) return Error(428, "attachments_missing", "upload these first", missing);
  char code[64];
  std::snprintf(code, sizeof code, "000.00.24.H03-%s-%04d", FormatYymmdd(VietnamDate(clock_.Now())).c_str(),
                ++sequence_);
  const std::string client_id = body["client_id"].get<std::string>();
  const json answer = {{"dossier_code", code},
                       {"received_at", FormatRfc3339Vietnam(clock_.Now())},
                       {"appointment_date", FormatDate(CivilFromDays(DaysFromCivil(VietnamDate(clock_.Now())) + 2))},
                       {"status", "received"}};
  dossiers_[client_id] = answer;
  dossiers_[client_id]["client_id"] = client_id;
  code_to_client_[code] = client_id;
  return Idempotent(r, 201, answer);
}

PortalResponse FakePortal::Attachments(const PortalRequest& r, const std::string& sha) {
  Attachment& a = attachments_[sha];
  if (r.method == "HEAD") {
    if (a.length < 0 && a.data.empty()) {
      attachments_.erase(sha);
      return Reply(404);
    }
    PortalResponse resp = Reply(200);
    resp.headers["upload-offset"] = std::to_string(a.data.size());
    if (a.length >= 0) resp.headers["upload-length"] = std::to_string(a.length);
    return resp;
  }
  const int64_t offset = std::atoll(r.Header("Upload-Offset").c_str());
  if (!r.Header("Upload-Length").empty()) a.length = std::atoll(r.Header("Upload-Length").c_str());
  if (offset != static_cast<int64_t>(a.data.size())) return Error(409, "offset_mismatch", "wrong offset");
  a.data += r.body;
  if (a.length >= 0 && static_cast<int64_t>(a.data.size()) >= a.length) {
    if (Sha256Hex(a.data) != sha) {
      attachments_.erase(sha);
      return Error(422, "checksum_mismatch", "SHA-256 does not match");
    }
    a.complete = true;
  }
  PortalResponse resp = Reply(204);
  resp.headers["upload-offset"] = std::to_string(a.data.size());
  return resp;
}

PortalResponse FakePortal::Answer(const PortalRequest& r) {
  const std::string key = r.Header("Idempotency-Key");
  if (r.method == "POST" && !key.empty()) {
    auto it = replies_.find(key);
    if (it != replies_.end()) {
      if (it->second.body != r.body) return Error(409, "idempotency_conflict", "same key, other body");
      return Reply(it->second.status == 201 ? 200 : it->second.status, json::parse(it->second.answer));
    }
  }
  const std::string kDossiers = "/api/v1/dossiers", kAttachments = "/api/v1/attachments/";
  if (r.method == "POST" && r.path == kDossiers) return PostDossier(r);
  if ((r.method == "HEAD" || r.method == "PATCH") && StartsWith(r.path, kAttachments)) {
    return Attachments(r, r.path.substr(kAttachments.size()));
  }
  if (r.method == "POST" && r.path == "/api/v1/ratings") return Idempotent(r, 201, json::object());
  if (r.method == "POST" && StartsWith(r.path, kDossiers + "/") && r.path.size() > 10 &&
      r.path.compare(r.path.size() - 10, 10, "/decisions") == 0) {
    const std::string ref = r.path.substr(kDossiers.size() + 1, r.path.size() - kDossiers.size() - 11);
    std::string client_id = dossiers_.count(ref) ? ref : "";
    if (auto it = code_to_client_.find(ref); it != code_to_client_.end()) client_id = it->second;
    if (client_id.empty()) return Error(404, "not_found", "no such dossier");
    const json decision = json::parse(r.body, nullptr, false);
    const std::string d = decision.is_object() ? decision.value("decision", "") : "";
    json& rec = dossiers_[client_id];
    rec["status"] = d == "accept" ? "processing" : d == "refuse" ? "rejected" : "supplement_requested";
    return Idempotent(r, 201, {{"status", rec["status"]}, {"appointment_date", rec["appointment_date"]}});
  }
  if (r.method == "GET" && StartsWith(r.path, kDossiers)) {
    std::string client_id;
    if (StartsWith(r.path, kDossiers + "?client_id=")) {
      client_id = r.path.substr(kDossiers.size() + 11);
    } else if (auto it = code_to_client_.find(r.path.substr(std::min(r.path.size(), kDossiers.size() + 1)));
               it != code_to_client_.end()) {
      client_id = it->second;
    }
    auto it = dossiers_.find(client_id);
    if (it == dossiers_.end()) return Error(404, "not_found", "no such dossier");
    json ans = it->second;
    ans["updated_at"] = FormatRfc3339Vietnam(clock_.Now());
    return Reply(200, ans);
  }
  if (r.method == "GET" && r.path == "/api/v1/procedures") {
    if (catalog_.empty()) return Error(404, "not_found", "no catalog");
    if (r.Header("If-None-Match") == etag_) return Reply(304);
    PortalResponse resp = Reply(200);
    resp.body = catalog_;
    resp.headers["etag"] = etag_;
    return resp;
  }
  if (r.method == "POST" && r.path == "/api/v1/kiosks/heartbeat") {
    last_heartbeat_ = json::parse(r.body, nullptr, false);
    json commands = json::array();
    for (const auto& c : commands_) commands.push_back(c);
    commands_.clear();
    return Reply(200, {{"server_time", FormatRfc3339Vietnam(clock_.Now())}, {"commands", commands}});
  }
  return Error(404, "not_found", "no such endpoint");
}

}  // namespace mck::test
