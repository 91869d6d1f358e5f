// The sync engine's outbox pass. Status polling, catalog and heartbeat are in syncer_extras.cpp.
// Long file: the pass is one state machine — leases, a batch's overlapped POSTs and its group
// commit, the pushback that stops a batch, the portal-wide pause — and reads best whole; the
// batch's overlapped delivery is the part to split out next (docs/sync.md).
#include "offline/sync/syncer.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "offline/domain/ids.h"
#include "offline/domain/json_read.h"
#include "offline/sync/answer.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/portal_errors.h"

namespace mck {

using nlohmann::json;
using std::chrono::milliseconds;
using SteadyPoint = std::chrono::steady_clock::time_point;

namespace {
// A request needs at least this much lease left to be started.
constexpr milliseconds kMinRequestTime{1500};
}  // namespace

Syncer::Syncer(Store& store, PortalTransport& transport, const Clock& clock, SyncOptions options)
    : store_(&store), transport_(&transport), clock_(&clock), options_(std::move(options)) {
  uint64_t seed = options_.seed;
  if (seed == 0) SecureRandom(&seed, sizeof seed);
  rng_.seed(seed);
  if (options_.owner.empty()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "sync-%d-%08x", static_cast<int>(::getpid()), static_cast<unsigned>(rng_()));
    options_.owner = buf;
  }
  options_.batch = std::max(1, options_.batch);
  options_.chunk_bytes = std::max<size_t>(1024, options_.chunk_bytes);
}

Syncer::Syncer(std::unique_ptr<Store> store, std::unique_ptr<PortalTransport> transport, const Clock& clock,
               SyncOptions options)
    : Syncer(*store, *transport, clock, std::move(options)) {
  owned_store_ = std::move(store);
  owned_transport_ = std::move(transport);
}

Result<std::unique_ptr<Syncer>> Syncer::Open(const SyncSetup& setup, SyncOptions options) {
  static const SystemClock system_clock;
  const Clock& clock = setup.clock ? *setup.clock : system_clock;
  StoreOptions so = setup.store;
  so.clock = &clock;
  auto store = Store::Open(so);
  if (!store.ok()) return store.status();
  auto e = LoadEnrolment(**store);
  if (!e.ok()) return e.status();
  HttpOptions h;
  h.base_url = e->portal_url;
  h.ca_file = e->ca_file;
  MCK_RETURN_IF_ERROR(LoadClientKey(*e, &h));
  h.connect_timeout = setup.connect_timeout;
  h.transfer_timeout = setup.transfer_timeout;
  h.reuse_connections = setup.reuse_connections;
  h.proxy = setup.proxy;
  h.max_answer_bytes = setup.max_answer_bytes;
  auto client = HttpClient::Create(std::move(h));
  if (!client.ok()) return client.status();
  if (options.data_dir.empty()) options.data_dir = setup.store.data_dir;
  auto syncer = std::unique_ptr<Syncer>(
      new Syncer(std::move(store.value()), std::move(client.value()), clock, std::move(options)));
  syncer->identity_cert_ = e->cert_file;
  return syncer;
}

Syncer::~Syncer() {
  Stop();
}

void Syncer::SetSink(SyncEventSink sink) {
  std::lock_guard<std::mutex> lock(mu_);
  sink_ = std::move(sink);
}

void Syncer::Emit(SyncEvent event) {
  SyncEventSink sink;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sink = sink_;
  }
  if (sink) sink(event);
}

TimePoint Syncer::Now() const {
  return clock_->Now();
}
SteadyPoint Syncer::Steady() const {
  return clock_->Steady();
}

PortalReply Syncer::Send(const std::string& method, const std::string& path, const std::string& body,
                         std::vector<std::pair<std::string, std::string>> headers,
                         std::optional<SteadyPoint> lease_end) {
  if (stop_) return {TransportFailure::kAborted, Status::Error(Code::kUnavailable, "stopped", "Đã dừng đồng bộ")};
  PortalRequest req;
  req.method = method;
  req.path = path;
  req.body = body;
  req.headers = std::move(headers);
  if (lease_end) {
    const auto left = std::chrono::duration_cast<milliseconds>(*lease_end - Steady());
    if (left < kMinRequestTime) {
      return {TransportFailure::kLocal,
              Status::Error(Code::kTimeout, "outbox lease nearly over; the item goes back to the queue",
                            "Hết thời gian giữ hồ sơ; sẽ gửi lại sau")};
    }
    req.deadline = left;
  }
  req.cancel = &stop_;
  auto resp = transport_->Send(req);
  if (resp.ok()) ++answers_;
  if (resp.ok() && resp->date) skew_s_ = ClockSkewSeconds(*resp->date, Now());
  return resp;
}

bool Syncer::Reached(const PortalReply& resp) const {
  // Sent means the request went out on a verified connection (answered or not).
  if (resp.ok()) return true;
  switch (resp.failure()) {
    case TransportFailure::kTimeout:
    case TransportFailure::kDropped: return !stop_;
    default: return false;  // refused, TLS, aborted, or never made
  }
}

Syncer::ItemResult Syncer::Classify(const PortalReply& resp) {
  if (!resp.ok()) {
    const Status& st = resp.status();
    if (resp.failure() == TransportFailure::kTls || st.code() == Code::kSecurity) {
      return {Outcome::kSecurity, st, std::nullopt};
    }
    if (stop_) return {Outcome::kStopped, st, std::nullopt};
    if (resp.failure() == TransportFailure::kTooLarge) return PoisonAnswer(st);
    if (resp.failure() == TransportFailure::kCannotConnect) return {Outcome::kPausePortal, st, std::nullopt};
    return {Outcome::kRetryItem, st, std::nullopt};
  }
  const long s = resp->status;
  const Status st = PortalErrorStatus(*resp, "request");
  auto retry_after = ParseRetryAfter(resp->Header("retry-after"), resp->date, Now());
  if (s == 401 || s == 403) return {Outcome::kSecurity, st, std::nullopt};
  if (s == 429 || s == 503) return {Outcome::kPausePortal, st, retry_after};
  return {Outcome::kRetryItem, st, retry_after};  // 5xx, 408, anything unexpected
}

Syncer::ItemResult Syncer::UploadAttachment(const AttachmentInfo& att, SteadyPoint lease_end, SyncSummary& sum) {
  const std::string path = "/api/v1/attachments/" + att.sha256;
  std::optional<std::string> data;
  ItemResult result;
  for (int conflicts = 0; conflicts < 3; ++conflicts) {
    auto head = Send("HEAD", path, "", {{"Tus-Resumable", "1.0.0"}}, lease_end);
    if (!head.ok()) {
      result = Classify(head);
      break;
    }
    int64_t offset = 0;
    if (head->status == 200) {
      offset = std::strtoll(head->Header("upload-offset").c_str(), nullptr, 10);
      if (offset < 0 || offset > att.size) offset = 0;
    } else if (head->status != 404) {
      result = Classify(head);
      break;
    }
    if (offset >= att.size) {
      if (data) SecureWipe(*data);
      return {};
    }
    if (!data) {
      auto bytes = store_->dossiers().Attachment(att.sha256);
      if (!bytes.ok()) return {Outcome::kPark, bytes.status(), std::nullopt};
      data = std::move(bytes.value());
    }
    bool conflict = false;
    while (offset < att.size) {
      const size_t n = std::min<size_t>(options_.chunk_bytes, static_cast<size_t>(att.size - offset));
      auto resp = Send("PATCH", path, data->substr(static_cast<size_t>(offset), n),
                       {{"Tus-Resumable", "1.0.0"},
                        {"Content-Type", "application/offset+octet-stream"},
                        {"Upload-Offset", std::to_string(offset)},
                        {"Upload-Length", std::to_string(att.size)}},
                       lease_end);
      if (!resp.ok()) {
        SecureWipe(*data);
        return Classify(resp);
      }
      if (resp->status == 204 || resp->status == 200) {
        int64_t next = std::strtoll(resp->Header("upload-offset").c_str(), nullptr, 10);
        if (next <= offset || next > att.size) next = offset + static_cast<int64_t>(n);
        sum.bytes_uploaded += next - offset;
        offset = next;
      } else if (resp->status == 409) {
        conflict = true;  // someone else moved the offset: ask again
        break;
      } else if (resp->status == 422) {
        SecureWipe(*data);
        return {Outcome::kRetryItem,
                Status::Error(Code::kCorrupt,
                              "portal: attachment " + att.sha256.substr(0, 12) +
                                  " failed its SHA-256 check on arrival; uploading again later",
                              "Tệp đính kèm bị hỏng trên đường truyền; sẽ gửi lại"),
                std::nullopt};
      } else {
        SecureWipe(*data);
        return Classify(resp);
      }
    }
    if (!conflict) {
      SecureWipe(*data);
      ++sum.attachments_uploaded;
      return {};
    }
    result = {Outcome::kRetryItem, Status::Error(Code::kUnavailable, "attachment offset kept changing"), std::nullopt};
  }
  if (data) SecureWipe(*data);
  return result;
}

Syncer::ItemResult Syncer::UploadMissing(const PortalReply& resp, const std::vector<AttachmentInfo>& atts,
                                         SteadyPoint lease_end, SyncSummary& sum) {
  const PortalError e = ReadPortalError(*resp);
  bool any = false;
  for (const auto& d : e.details) {
    const std::string sha = JsonObjectReader(d, "detail").StringOr("sha256");
    auto it = std::find_if(atts.begin(), atts.end(), [&](const AttachmentInfo& a) { return a.sha256 == sha; });
    if (it == atts.end()) continue;
    any = true;
    ItemResult r = UploadAttachment(*it, lease_end, sum);
    if (r.outcome != Outcome::kDone) return r;
  }
  if (any) return {};
  return {Outcome::kPark,
          Status::Error(Code::kRejected, "portal asks for attachments this item does not have",
                        "Cổng dịch vụ công yêu cầu tệp đính kèm mà hồ sơ không có"),
          std::nullopt};
}

Syncer::ItemResult Syncer::SendDossier(const OutboxItem& item, SteadyPoint lease_end, SyncSummary& sum) {
  auto body = store_->outbox().Body(item);
  if (!body.ok()) {
    if (body.status().code() == Code::kIo) return {Outcome::kFatal, body.status(), std::nullopt};
    return {Outcome::kPark, body.status(), std::nullopt};
  }
  const std::string code = JsonObjectReader(*body, "body").StringOr("provisional_code", item.ref);
  auto atts = store_->dossiers().Attachments(item.ref);
  if (!atts.ok()) return {Outcome::kFatal, atts.status(), std::nullopt};
  for (const auto& a : *atts) {
    ItemResult r = UploadAttachment(a, lease_end, sum);
    if (r.outcome != Outcome::kDone) return r;
  }
  const std::string payload = body->dump();
  for (int round = 0; round < 3; ++round) {
    auto resp = Send("POST", "/api/v1/dossiers", payload,
                     {{"Content-Type", "application/json"}, {"Idempotency-Key", item.idempotency_key}}, lease_end);
    if (Reached(resp)) ++sum.sent;
    if (!resp.ok()) return Classify(resp);
    const long s = resp->status;
    if (s == 200 || s == 201) {
      auto ans = ReadSubmitAnswer(resp->body);
      if (!ans.ok()) return PoisonAnswer(ans.status());
      const std::string official = ans->dossier_code;
      Status st = store_->outbox().RecordAccepted(item, official, ans->appointment_date, ans->status);
      if (!st.ok()) return {Outcome::kFatal, st, std::nullopt};
      ++sum.accepted;
      Emit({SyncEvent::Kind::kAccepted, code, official, {}, {}});
      return {};
    }
    if (s == 428) {
      ItemResult r = UploadMissing(resp, *atts, lease_end, sum);
      if (r.outcome != Outcome::kDone) return r;
      continue;
    }
    if (s >= 400 && s < 500 && s != 401 && s != 403 && s != 408 && s != 429) {
      return {Outcome::kPark, PortalErrorStatus(*resp, "dossier"), std::nullopt, ReasonsForStaff(*resp)};
    }
    return Classify(resp);
  }
  return {Outcome::kRetryItem, Status::Error(Code::kUnavailable, "portal still reports missing attachments"),
          std::nullopt};
}

Syncer::ItemResult Syncer::ReadDossierReply(const PortalReply& resp, std::optional<Outbox::Acceptance>* accepted,
                                            const OutboxItem& item, SyncSummary& sum) {
  if (Reached(resp)) ++sum.sent;
  if (!resp.ok()) return Classify(resp);
  const long s = resp->status;
  if (s == 200 || s == 201) {
    auto ans = ReadSubmitAnswer(resp->body);
    if (!ans.ok()) return PoisonAnswer(ans.status());
    *accepted = Outbox::Acceptance{item, ans->dossier_code, ans->appointment_date, ans->status};
    return {};
  }
  if (s == 428) {  // only dossiers without attachments come here: nothing to upload
    return {Outcome::kPark,
            Status::Error(Code::kRejected, "portal asks for attachments this dossier does not have",
                          "Cổng dịch vụ công yêu cầu tệp đính kèm mà hồ sơ không có"),
            std::nullopt};
  }
  if (s >= 400 && s < 500 && s != 401 && s != 403 && s != 408 && s != 429) {
    return {Outcome::kPark, PortalErrorStatus(*resp, "dossier"), std::nullopt, ReasonsForStaff(*resp)};
  }
  return Classify(resp);
}

std::vector<std::optional<Syncer::ItemResult>> Syncer::SendDossiersTogether(const std::vector<OutboxItem>& items,
                                                                            SteadyPoint lease_end, SyncSummary& sum) {
  std::vector<std::optional<ItemResult>> results(items.size());
  // A transport that cannot overlap (the tests' fake portal; the naive baseline) keeps the
  // one-at-a-time path.
  if (options_.in_flight <= 1 || transport_->max_in_flight() <= 1 || stop_) return results;
  std::vector<size_t> sent;  // indexes into items, in the order of the requests
  std::vector<PortalRequest> requests;
  std::vector<std::string> codes;  // provisional codes, for the events
  for (size_t i = 0; i < items.size(); ++i) {
    const OutboxItem& item = items[i];
    if (item.kind != OutboxKind::kDossier) continue;
    auto atts = store_->dossiers().Attachments(item.ref);
    if (!atts.ok() || !atts->empty()) continue;  // uploads first, one at a time (SendDossier)
    auto body = store_->outbox().Body(item);
    if (!body.ok()) continue;  // SendDossier parks it or ends the pass, with the reason
    PortalRequest req;
    req.method = "POST";
    req.path = "/api/v1/dossiers";
    req.body = body->dump();
    req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", item.idempotency_key}};
    req.cancel = &stop_;
    codes.push_back(JsonObjectReader(*body, "body").StringOr("provisional_code", item.ref));
    sent.push_back(i);
    requests.push_back(std::move(req));
  }
  // Like Send: no request may outlive the lease.
  const auto left = std::chrono::duration_cast<milliseconds>(lease_end - Steady());
  if (requests.size() < 2 || left < kMinRequestTime) return std::vector<std::optional<ItemResult>>(items.size());
  for (auto& r : requests) r.deadline = left;
  // A pushback, a security failure or an unreachable portal: start no more of the batch.
  auto enough = [this](const PortalReply& r) {
    const Outcome o = Classify(r).outcome;
    return o == Outcome::kPausePortal || o == Outcome::kSecurity || o == Outcome::kStopped;
  };
  std::vector<std::optional<PortalReply>> replies =
      transport_->SendAll(requests, std::min(options_.in_flight, transport_->max_in_flight()), enough);
  std::vector<Outbox::Acceptance> acceptances;
  std::vector<size_t> accepted_at;  // positions in `sent`
  for (size_t k = 0; k < sent.size(); ++k) {
    if (!replies[k]) {  // not sent: the portal pushed back meanwhile; the row goes back
      results[sent[k]] = ItemResult{Outcome::kStopped, Status::Error(Code::kUnavailable, "not sent: portal pushed back")};
      continue;
    }
    const PortalReply& resp = *replies[k];
    if (resp.ok()) ++answers_;
    if (resp.ok() && resp->date) skew_s_ = ClockSkewSeconds(*resp->date, Now());
    std::optional<Outbox::Acceptance> acc;
    results[sent[k]] = ReadDossierReply(resp, &acc, items[sent[k]], sum);
    if (acc) {
      acceptances.push_back(std::move(*acc));
      accepted_at.push_back(k);
    }
  }
  // The group commit: every acceptance of the batch in one transaction, one fsync.
  const Status st = store_->outbox().RecordAcceptedAll(acceptances);
  for (size_t a = 0; a < accepted_at.size(); ++a) {
    const size_t k = accepted_at[a];
    if (!st.ok()) {
      results[sent[k]] = ItemResult{Outcome::kFatal, st, std::nullopt};
      continue;
    }
    ++sum.accepted;
    Emit({SyncEvent::Kind::kAccepted, codes[k], acceptances[a].dossier_code, {}, {}});
  }
  return results;
}

Syncer::ItemResult Syncer::SendSimple(const OutboxItem& item, SteadyPoint lease_end, SyncSummary& sum) {
  auto body = store_->outbox().Body(item);
  if (!body.ok()) {
    if (body.status().code() == Code::kIo) return {Outcome::kFatal, body.status(), std::nullopt};
    return {Outcome::kPark, body.status(), std::nullopt};
  }
  if (item.kind == OutboxKind::kDecision) {
    // A decision on a dossier the portal does not have yet would be refused: wait for it.
    auto rec = store_->dossiers().Get(item.ref);
    if (rec.ok() && rec->state != DossierState::kAccepted) {
      return {Outcome::kDefer, Status::Error(Code::kUnavailable, "decision waits until its dossier is accepted",
                                             "Quyết định sẽ được gửi sau khi hồ sơ được cổng tiếp nhận")};
    }
  }
  if (item.kind == OutboxKind::kRating && (*body)["dossier_code"].is_string()) {
    // The kiosk keys a rating to the code the citizen holds, often the provisional one; the
    // portal knows dossiers by their official code: send the rating once the dossier has one.
    auto rec = store_->dossiers().Get((*body)["dossier_code"].get<std::string>());
    if (rec.ok()) {
      if (!rec->dossier_code) {
        return {Outcome::kDefer, Status::Error(Code::kUnavailable, "rating waits until its dossier is accepted",
                                               "Đánh giá sẽ được gửi sau khi hồ sơ được cổng tiếp nhận")};
      }
      (*body)["dossier_code"] = *rec->dossier_code;
    }
  }
  // A decision's papers scanned at the counter (its `attachments`) are uploaded first, as a
  // dossier's are; a 428 names any the portal still lacks.
  std::vector<AttachmentInfo> atts;
  if (item.kind == OutboxKind::kDecision && body->contains("attachments") && (*body)["attachments"].is_array()) {
    for (const auto& a : (*body)["attachments"]) {
      JsonObjectReader r(a, "attachment");
      atts.push_back({r.StringOr("sha256"), a.is_object() ? a.value("size", int64_t{0}) : 0, r.StringOr("media_type")});
    }
  }
  for (const auto& a : atts) {
    ItemResult r = UploadAttachment(a, lease_end, sum);
    if (r.outcome != Outcome::kDone) return r;
  }
  const std::string path =
      item.kind == OutboxKind::kRating ? std::string("/api/v1/ratings") : "/api/v1/dossiers/" + item.ref + "/decisions";
  const std::string payload = body->dump();
  for (int round = 0; round < 3; ++round) {
    auto resp = Send("POST", path, payload,
                     {{"Content-Type", "application/json"}, {"Idempotency-Key", item.idempotency_key}}, lease_end);
    if (Reached(resp)) ++sum.sent;
    if (!resp.ok()) return Classify(resp);
    const long s = resp->status;
    if (s == 428 && !atts.empty()) {
      ItemResult r = UploadMissing(resp, atts, lease_end, sum);
      if (r.outcome != Outcome::kDone) return r;
      continue;
    }
    if (s == 200 || s == 201) {
      Status st = store_->outbox().RecordDelivered(item);
      if (!st.ok()) return {Outcome::kFatal, st, std::nullopt};
      ++sum.delivered;
      if (item.kind == OutboxKind::kDecision) {
        // The portal's answer carries the dossier's new status; keep it for staff at once.
        auto ans = ReadDecisionAnswer(resp->body);
        auto rec = store_->dossiers().Get(item.ref);
        if (!ans.ok()) {
          // Delivered all the same; the status poll brings the dossier's status.
          Emit({SyncEvent::Kind::kRetry, item.idempotency_key, ans.status().message_en(), {}, ans.status()});
        } else if (rec.ok() && !ans->status.empty()) {
          // Not fatal: the decision is delivered; the status poll brings the same status again.
          if (Status st = store_->dossiers().UpdatePortalStatus(rec->client_id, ans->status, "",
                                                                FormatRfc3339Vietnam(Now()), ans->appointment_date);
              !st.ok()) {
            Emit({SyncEvent::Kind::kRetry, item.idempotency_key, "status not kept: " + st.message_en(), {}, st});
          }
        }
      }
      Emit({SyncEvent::Kind::kDelivered, item.idempotency_key, OutboxKindName(item.kind), {}, {}});
      return {};
    }
    if (s >= 400 && s < 500 && s != 401 && s != 403 && s != 408 && s != 429) {
      return {Outcome::kPark, PortalErrorStatus(*resp, OutboxKindName(item.kind)), std::nullopt, ReasonsForStaff(*resp)};
    }
    return Classify(resp);
  }
  return {Outcome::kRetryItem, Status::Error(Code::kUnavailable, "portal still reports missing attachments"),
          std::nullopt};
}

Syncer::ItemResult Syncer::SendItem(const OutboxItem& item, SteadyPoint lease_end, SyncSummary& sum) {
  if (item.kind == OutboxKind::kDossier) return SendDossier(item, lease_end, sum);
  return SendSimple(item, lease_end, sum);
}

Result<SyncSummary> Syncer::Pass() {
  SyncSummary sum;
  Emit({SyncEvent::Kind::kPassStarted, "", "", {}, {}});
  bool end_pass = false;
  LoadPause();
  if (force_.exchange(false) && paused_until_) {  // staff asked to send now
    paused_until_.reset();
    SavePause();
  }
  if (paused_until_ && Now() < *paused_until_) {
    sum.portal_pause = std::chrono::duration_cast<milliseconds>(*paused_until_ - Now());
    end_pass = true;
  }
  int failures_in_row = 0;
  // One pushback is one pause: the overlapped answers of a batch that all say 429 or 503 must not
  // climb the pause ladder once each (two at once would start the fleet at 512 s, not 256 s).
  bool paused_this_pass = false;
  auto pause_portal = [&](std::optional<milliseconds> retry_after) {
    if (!paused_this_pass) PausePortal(retry_after, sum);
    paused_this_pass = true;
    end_pass = true;
  };
  while (!end_pass && !stop_) {
    auto items = store_->outbox().Lease(options_.owner, options_.batch, options_.lease);
    if (!items.ok()) return items.status();
    if (items->empty()) break;
    const auto margin =
        std::max<milliseconds>(milliseconds(2000), std::chrono::duration_cast<milliseconds>(options_.lease) / 10);
    const SteadyPoint lease_end = Steady() + options_.lease - margin;
    // The batch's dossiers without attachments first, overlapped, their acceptances in one
    // transaction; what they answered counts even when one of them ends the pass.
    std::vector<std::optional<ItemResult>> together;
    try {
      together = SendDossiersTogether(*items, lease_end, sum);
    } catch (const std::exception&) {
      together.assign(items->size(), std::nullopt);  // each item again, one at a time, guarded
      ++exceptions_;
    }
    for (size_t idx = 0; idx < items->size(); ++idx) {
      const OutboxItem& item = (*items)[idx];
      const bool done_together = together.size() == items->size() && together[idx].has_value();
      if (!done_together && (end_pass || stop_ || lease_end - Steady() < kMinRequestTime)) {
        if (Status st = store_->outbox().Release(item); !st.ok()) return st;
        continue;
      }
      ItemResult r = done_together ? std::move(*together[idx]) : GuardedSendItem(item, lease_end, sum);
      std::string subject = item.kind == OutboxKind::kDossier ? item.ref : item.idempotency_key;
      switch (r.outcome) {
        case Outcome::kDone:
          failures_in_row = 0;
          // One success lowers the portal's failure count by one, not to zero: after an outage
          // a kiosk that gets one dossier through and is pushed back again keeps its long jitter,
          // so the fleet's retries stay spread (scripts/bench-province: 3.1x -> 1.9x the steady
          // rate after a 6-hour outage).
          portal_failures_ = std::max(0, portal_failures_ - 1);
          // An answer of the overlapped half that came with a pushback in the same batch does
          // not lift the pause that pushback set.
          if (paused_until_ && !end_pass) {
            paused_until_.reset();
            SavePause();
          }
          break;
        case Outcome::kPark: {
          json details = r.details.is_array() ? r.details : json::array();
          Status st = store_->outbox().RecordNeedsAttention(item, r.status.message_en(), details);
          if (!st.ok()) return st;
          NoteFailure(item, r.status);
          ++sum.needs_attention;
          failures_in_row = 0;
          Emit({SyncEvent::Kind::kNeedsAttention, subject, r.status.message_en(), {}, r.status});
          break;
        }
        case Outcome::kDefer: {
          const TimePoint next = Now() + BackoffDelay(options_.backoff, std::min(item.attempts, 10), rng_);
          if (Status st = store_->outbox().RecordRetry(item, r.status.message_en(), next); !st.ok()) return st;
          break;
        }
        case Outcome::kRetryItem:
        case Outcome::kPausePortal: {
          if (r.outcome == Outcome::kPausePortal || ++failures_in_row >= options_.failures_before_pause) {
            pause_portal(r.retry_after);
          }
          // The item waits for the portal's pause, or its own backoff, whichever is later.
          TimePoint next = Now() + BackoffDelay(options_.backoff, item.attempts, rng_, r.retry_after);
          if (paused_until_ && *paused_until_ > next) next = *paused_until_;
          Status st = store_->outbox().RecordRetry(item, r.status.message_en(), next);
          if (!st.ok()) return st;
          NoteFailure(item, r.status);
          ++sum.retried;
          last_error_ = r.status.message_en();
          Emit({SyncEvent::Kind::kRetry, subject, r.status.message_en(), {}, r.status});
          break;
        }
        case Outcome::kSecurity:
        case Outcome::kFatal:
        case Outcome::kStopped:
          // A lease not handed back expires by itself; the item is sent after that.
          if (Status st = store_->outbox().Release(item); !st.ok()) last_error_ = st.message_en();
          end_pass = true;
          if (r.outcome != Outcome::kStopped) {
            NoteFailure(item, r.status);
            sum.error = r.status;
            last_error_ = r.status.message_en();
            Emit({SyncEvent::Kind::kStopped, subject, r.status.message_en(), {}, r.status});
          }
          break;
      }
    }
  }
  // The heartbeat may pause the portal too (a 429/503, or no connection): then nothing more.
  auto go_on = [&] { return sum.error.ok() && !stop_ && !(paused_until_ && Now() < *paused_until_); };
  if (go_on()) {
    Heartbeat(sum);
    if (go_on()) RenewCertificateIfDue(sum);
    if (go_on()) RefreshCatalog(sum);
    if (go_on() && options_.poll_status) PollStatuses(sum);
  }
  if (sum.error.ok() && sum.portal_pause && !last_error_.empty()) {
    sum.error = Status::Error(Code::kUnavailable, last_error_, "Chưa kết nối được cổng dịch vụ công; sẽ thử lại sau");
  }
  if (auto depth = store_->outbox().Depth(); depth.ok()) {
    sum.remaining = *depth;
  } else if (sum.error.ok()) {
    sum.error = depth.status();
  }
  sum.clock_skew_s = skew_s_;
  const TransportStats ts = transport_->stats();
  sum.connections_opened = ts.connections_opened;
  sum.seconds_in_transfers = ts.seconds_in_transfers;
  sum.requests = ts.requests;
  RecordState(sum);
  RecordMetrics(sum);
  if (sum.error.ok() && sum.retried == 0 && !sum.portal_pause) last_error_.clear();  // reported once, in a heartbeat
  Emit({SyncEvent::Kind::kPassFinished, "", "", sum, sum.error});
  return sum;
}

void Syncer::PausePortal(std::optional<milliseconds> retry_after, SyncSummary& sum) {
  const milliseconds d = PortalPauseDelay(options_.backoff, portal_failures_, rng_, retry_after);
  ++portal_failures_;
  paused_until_ = Now() + d;
  SavePause();
  sum.portal_pause = d;
}

Result<SyncSummary> Syncer::RunOnce() {
  return GuardedPass();
}

namespace {
void Merge(SyncSummary& total, const SyncSummary& s) {
  total.sent += s.sent;
  total.accepted += s.accepted;
  total.needs_attention += s.needs_attention;
  total.retried += s.retried;
  total.delivered += s.delivered;
  total.attachments_uploaded += s.attachments_uploaded;
  total.bytes_uploaded += s.bytes_uploaded;
  total.status_updates += s.status_updates;
  total.catalog_updated = total.catalog_updated || s.catalog_updated;
  total.certificate_renewed = total.certificate_renewed || s.certificate_renewed;
  total.remaining = s.remaining;
  total.connections_opened = s.connections_opened;
  total.seconds_in_transfers = s.seconds_in_transfers;
  total.requests = s.requests;
  if (s.clock_skew_s) total.clock_skew_s = s.clock_skew_s;
  total.portal_pause = s.portal_pause;
  total.error = s.error;
}
}  // namespace

Result<SyncSummary> Syncer::Drain() {
  SyncSummary total;
  while (!stop_) {
    auto s = GuardedPass();
    if (!s.ok()) return s.status();
    Merge(total, *s);
    if (s->error.code() == Code::kSecurity || s->error.code() == Code::kIo || s->error.code() == Code::kCorrupt ||
        s->error.code() == Code::kInternal) {
      break;
    }
    auto next = store_->outbox().NextDue();
    if (!next.ok()) return next.status();
    if (!*next) {
      total.error = Status::Ok();
      break;
    }
    WaitForNextPass(**next);
  }
  return total;
}

void Syncer::WaitForNextPass(TimePoint wake) {
  if (paused_until_ && *paused_until_ > wake) wake = *paused_until_;
  // Rounded up: waking a fraction of a millisecond early would find nothing due yet.
  const auto wait =
      std::clamp(std::chrono::ceil<milliseconds>(wake - Now()), milliseconds(20), milliseconds(options_.interval));
  if (stop_) return;
  clock_->WaitUntil(Steady() + wait, waker_);  // woken or not, the caller's loop decides
}

void Syncer::Start() {
  if (worker_.joinable()) return;
  stop_ = false;
  worker_ = std::thread([this] { WorkerLoop(); });
}

void Syncer::Nudge() {
  waker_.Wake();
}

void Syncer::ForceNow() {
  force_ = true;
  Nudge();
}

void Syncer::Stop() {
  stop_ = true;
  waker_.Wake();
  if (worker_.joinable()) worker_.join();
}

void Syncer::WorkerLoop() {
  while (!stop_) {
    auto s = GuardedPass();
    TimePoint wake = Now() + options_.interval;
    if (!s.ok()) {
      Emit({SyncEvent::Kind::kStopped, "", s.status().message_en(), {}, s.status()});
    } else if (s->error.code() != Code::kSecurity) {
      auto next = store_->outbox().NextDue();
      if (next.ok() && *next && **next < wake) wake = **next;
      if (paused_until_ && *paused_until_ > wake) wake = *paused_until_;
    }
    if (stop_) break;
    WaitForNextPass(wake);
  }
}

}  // namespace mck
