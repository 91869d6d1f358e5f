// The sync engine's work besides the outbox: status polling, catalog refresh, heartbeat, and
// the record of the last pass for staff and technicians.
#include <sys/statvfs.h>

#include <algorithm>
#include <iostream>
#include <utility>
#include <vector>

#include "offline/domain/ids.h"
#include "offline/sync/answer.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/heartbeat_privacy.h"
#include "offline/sync/http.h"
#include "offline/sync/portal_errors.h"
#include "offline/sync/syncer.h"

namespace mck {

using nlohmann::json;

namespace {
bool IsFinalStatus(const std::string& s) {
  return s == "returned" || s == "rejected" || s == "withdrawn";
}
}  // namespace

void Syncer::PollStatuses(SyncSummary& sum) {
  auto list = store_->dossiers().List(DossierState::kAccepted);
  if (!list.ok()) return;
  const auto now = Steady();
  std::vector<const DossierSummary*> due;
  for (const auto& d : *list) {
    if (!d.dossier_code || IsFinalStatus(d.portal_status.value_or(""))) continue;
    auto it = last_polled_.find(d.client_id);
    if (it != last_polled_.end() && now - it->second < options_.status_poll_interval) continue;
    due.push_back(&d);
  }
  // Never-polled first, then the longest ago.
  std::stable_sort(due.begin(), due.end(), [&](const DossierSummary* a, const DossierSummary* b) {
    auto ia = last_polled_.find(a->client_id), ib = last_polled_.find(b->client_id);
    if (ia == last_polled_.end()) return ib != last_polled_.end();
    if (ib == last_polled_.end()) return false;
    return ia->second < ib->second;
  });
  if (due.size() > static_cast<size_t>(std::max(0, options_.status_poll_batch))) due.resize(options_.status_poll_batch);
  for (const DossierSummary* d : due) {
    if (stop_) return;
    auto resp = Send("GET", "/api/v1/dossiers/" + *d->dossier_code, "", {{"Accept", "application/json"}}, std::nullopt);
    if (!resp.ok() || resp->status == 401 || resp->status == 403) {
      Status st = resp.ok() ? PortalErrorStatus(*resp, "status") : resp.status();
      if (st.code() == Code::kSecurity) sum.error = st;
      return;  // the portal is not answering: try again next pass
    }
    last_polled_[d->client_id] = now;
    if (resp->status != 200) continue;
    auto ans = ReadStatusAnswer(resp->body);
    if (!ans.ok()) {
      // Logged by field and type only; the dossier is polled again next time.
      std::cerr << "sync: status of an accepted dossier not read: " << ans.status().message_en() << "\n";
      continue;
    }
    const std::string status = ans->status;
    Status st = store_->dossiers().UpdatePortalStatus(d->client_id, status, ans->status_text, ans->updated_at,
                                                      ans->appointment_date);
    if (!st.ok()) return;
    if (ans->fee) {
      auto paid = store_->dossiers().UpdateFeePayment(
          d->client_id, FeePayment{ans->fee->amount_vnd, ans->fee->paid, ans->fee->paid_at, ans->fee->reference});
      if (!paid.ok()) return;
      if (*paid) {
        ++sum.fees_paid;
        Emit({SyncEvent::Kind::kFeePaid, *d->dossier_code, ans->fee->reference, {}, {}});
      }
    }
    if (status != d->portal_status.value_or("")) {
      ++sum.status_updates;
      Emit({SyncEvent::Kind::kStatusChanged, *d->dossier_code, status, {}, {}});
    }
  }
}

PortalReply Syncer::SendCatalogRequest(const std::vector<std::pair<std::string, std::string>>& headers) {
  PortalRequest req;
  req.path = "/api/v1/procedures";
  req.headers = headers;
  req.max_answer_bytes = options_.max_catalog_bytes;
  req.cancel = &stop_;
  return transport_->Send(req);
}

void Syncer::RefreshCatalog(SyncSummary& sum) {
  const auto now = Steady();
  const bool due = catalog_requested_ ||
                   (options_.refresh_catalog && (!last_catalog_ || now - *last_catalog_ >= options_.catalog_interval));
  if (!due) return;
  std::vector<std::pair<std::string, std::string>> headers = {{"Accept", "application/json"}};
  auto cached = store_->catalog().Raw();
  if (cached.ok() && !cached->etag.empty()) headers.emplace_back("If-None-Match", cached->etag);
  auto resp = SendCatalogRequest(headers);
  if (!resp.ok()) {
    if (resp.status().code() == Code::kSecurity) sum.error = resp.status();
    if (resp.failure() == TransportFailure::kTooLarge) last_error_ = resp.status().message_en();
    return;
  }
  if (resp->status == 304) {
    last_catalog_ = now;
    catalog_requested_ = false;
    return;
  }
  if (resp->status != 200) {
    Status st = PortalErrorStatus(*resp, "catalog");
    if (st.code() == Code::kSecurity) sum.error = st;
    return;
  }
  JsonLimits limits;
  limits.max_bytes = options_.max_catalog_bytes;
  auto catalog = ReadCatalogAnswer(resp->body, limits);
  Status st = catalog.ok() ? store_->catalog().Put(resp->Header("etag"), resp->body) : catalog.status();
  if (!st.ok()) {
    // A catalog the kiosk cannot read is kept out; the old one stays in use.
    last_error_ = "portal catalog refused: " + st.message_en();
    return;
  }
  last_catalog_ = now;
  catalog_requested_ = false;
  sum.catalog_updated = true;
  Emit({SyncEvent::Kind::kCatalogUpdated, "", catalog->version, {}, {}});
}

namespace {
// "key_protection": how the kiosk's keys are kept at rest, "tpm" or "file" (the weaker one), so
// the province sees which kiosks a disk thief could read (offline/store/key_vault.h).
void AddKeyProtection(json& body, const Store& store) {
  body["key_protection"] = KeyProtectionName(store.key_protection().mode);
}
}  // namespace

void Syncer::Heartbeat(SyncSummary& sum) {
  if (!options_.send_heartbeat) return;
  const auto now = Steady();
  if (last_heartbeat_ && now - *last_heartbeat_ < options_.heartbeat_interval) return;
  struct statvfs vfs {};
  int64_t disk_free = -1;
  if (!options_.data_dir.empty() && ::statvfs(options_.data_dir.c_str(), &vfs) == 0)
    disk_free = static_cast<int64_t>(vfs.f_bavail) * vfs.f_frsize;
  auto expires = store_->settings().Get(settings::kCertExpiresAt);
  const std::string cert_expires_at = expires.ok() && *expires ? **expires : std::string();
  // A store that cannot count its queue fails the pass with the store's error (it used to report 0).
  auto depth = store_->outbox().Depth();
  auto oldest = store_->outbox().OldestAgeSeconds();
  if (!depth.ok() || !oldest.ok()) {
    sum.error = !depth.ok() ? depth.status() : oldest.status();
    return;
  }
  // Counts, states and versions only: never a name, number or code of a citizen.
  json body = {{"software_version", options_.software_version},
               {"queue_depth", *depth},
               {"oldest_unsynced_age_s", *oldest},
               {"last_sync_error", last_error_.empty() ? json() : json(last_error_.substr(0, 200))},
               {"printer", {{"state", options_.printer_state ? options_.printer_state() : "unknown"}}},
               {"card_reader", {{"state", options_.card_reader_state ? options_.card_reader_state() : "unknown"}}},
               {"disk_free_bytes", disk_free},
               {"certificate_expires_at", cert_expires_at.empty() ? json() : json(cert_expires_at)}};
  AddKeyProtection(body, *store_);
  // Dossiers with papers digitised at the kiosk (docs/portal.md, "digitised"): the totals and the
  // last 7 Vietnam days, so a kiosk that was offline for days still reports each of them. An
  // older portal ignores the field. A store error leaves it out (the rest still goes).
  const CivilDate today = VietnamDate(Now());
  const std::string since = FormatDate(CivilFromDays(DaysFromCivil(today) - (kDigitisedHeartbeatDays - 1)));
  if (auto d = store_->dossiers().Digitised(since); d.ok()) {
    body["digitised"] = {{"dossiers_total", d->dossiers_total},
                         {"documents_total", d->documents_total},
                         {"dossiers_by_day", d->dossiers_by_day}};
  }
  auto privacy = PrivacyHeartbeatFields(*store_, Now());  // staff lock-outs, audit head (heartbeat_privacy.h)
  if (privacy.ok()) body.update(*privacy);
  auto resp = Send("POST", "/api/v1/kiosks/heartbeat", body.dump(),
                   {{"Content-Type", "application/json"}, {"Idempotency-Key", NewUuidV4()}}, std::nullopt);
  if (!resp.ok()) {
    if (resp.status().code() == Code::kSecurity) sum.error = resp.status();
    // The portal cannot be reached: the whole fleet would otherwise ask every pass (30 s).
    if (resp.failure() == TransportFailure::kCannotConnect) PausePortal(std::nullopt, sum);
    return;
  }
  if (resp->status != 200 && resp->status != 201) {
    Status st = PortalErrorStatus(*resp, "heartbeat");
    if (st.code() == Code::kSecurity) sum.error = st;
    // Pushed back: the kiosk waits Retry-After plus jitter, as for a dossier (docs/sync.md).
    if (resp->status == 429 || resp->status == 503) {
      PausePortal(ParseRetryAfter(resp->Header("retry-after"), resp->date, Now()), sum);
    }
    return;
  }
  last_heartbeat_ = now;
  if (privacy.ok()) (void)RecordHeartbeatReported(*store_, *privacy);  // retried with the next heartbeat
  FollowHeartbeatAnswer(resp->body);
}

void Syncer::FollowHeartbeatAnswer(const std::string& body) {
  auto ans = ReadHeartbeatAnswer(body);
  if (!ans.ok()) {
    std::cerr << "sync: heartbeat answer not read: " << ans.status().message_en() << "\n";
    return;
  }
  for (const auto& cmd : ans->commands) {
    if (cmd == "refresh_catalog") catalog_requested_ = true;
    // upload_diagnostics: not supported yet (docs/sync.md); the portal sees it unanswered.
  }
}

void Syncer::RecordState(const SyncSummary& sum) {
  // Diagnostics for kioskctl and staff (not audited: one row each, every pass). A failure here
  // loses nothing a citizen gave: it is logged (codes only) and the next pass writes them again.
  std::vector<std::pair<std::string, std::string>> values = {
      {"sync.last_pass_at", FormatRfc3339Vietnam(Now())},
      {"sync.last_error", sum.error.ok() ? "" : sum.error.message_en()}};
  if (sum.clock_skew_s) values.emplace_back("sync.clock_skew_s", std::to_string(*sum.clock_skew_s));
  // Portal latency: the mean time of this pass's requests (connection set-up included).
  if (sum.requests > latency_requests_) {
    const double ms = 1000.0 * (sum.seconds_in_transfers - latency_seconds_) / double(sum.requests - latency_requests_);
    values.emplace_back("sync.portal_latency_ms", std::to_string(static_cast<int64_t>(ms + 0.5)));
  }
  latency_requests_ = sum.requests;
  latency_seconds_ = sum.seconds_in_transfers;
  for (const auto& [key, value] : values) {
    if (Status st = store_->settings().Put(key, value); !st.ok()) {
      std::cerr << "sync: " << key << " not recorded: " << st.ToString() << "\n";
      break;
    }
  }
}

}  // namespace mck
