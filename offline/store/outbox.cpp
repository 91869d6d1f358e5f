#include "offline/store/outbox.h"

#include <algorithm>

#include "offline/domain/ids.h"
#include "offline/store/audit.h"
#include "offline/store/core.h"

namespace mck {

using nlohmann::json;

namespace {

Status DeleteOutbox(Db& db, int64_t id) {
  auto del = db.Prepare("DELETE FROM outbox WHERE id = ?");
  if (!del.ok()) return del.status();
  del->Bind(1, id);
  return del->Run();
}

// Sets a dossier's state from `from` to `to` (a no-op when it is not in `from`).
Status MoveDossier(Db& db, const std::string& client_id, const char* from, const char* to) {
  auto d = db.Prepare("UPDATE dossiers SET state = ? WHERE client_id = ? AND state = ?");
  if (!d.ok()) return d.status();
  d->Bind(1, to).Bind(2, client_id).Bind(3, from);
  return d->Run();
}

// True while `item`'s outbox row is still leased to the runner that got it. A runner that stalled
// past its lease (another runner now holds the row, or finished it) must not clear that lease
// nor move the item back: its retry, release or refusal is then not recorded, and the holder's
// outcome stands.
Result<bool> StillLeased(Db& db, const OutboxItem& item) {
  auto sel = db.Prepare("SELECT lease_owner FROM outbox WHERE id = ?");
  if (!sel.ok()) return sel.status();
  sel->Bind(1, item.id);
  Status st;
  const bool found = sel->Step(&st);
  MCK_RETURN_IF_ERROR(st);
  return found && !sel->IsNull(0) && sel->Text(0) == item.lease_owner;
}

// The table that holds a rating or a decision by its idempotency key.
const char* RecordTable(OutboxKind kind) {
  return kind == OutboxKind::kRating ? "ratings" : "decisions";
}

}  // namespace

Result<std::vector<OutboxItem>> Outbox::Lease(const std::string& owner, int limit, std::chrono::seconds lease) {
  Db& db = *core_.db;
  const int64_t now = UnixSeconds(core_.Now());
  return WithTransaction(db, [&]() -> Result<std::vector<OutboxItem>> {
    auto sel = db.Prepare(
        "SELECT id, kind, idempotency_key, ref, attempts FROM outbox WHERE due_unix <= ?1 AND "
        "(lease_owner IS NULL OR lease_expires < ?1) ORDER BY due_unix, id LIMIT ?2");
    if (!sel.ok()) return sel.status();
    sel->Bind(1, now).Bind(2, limit);
    std::vector<OutboxItem> items;
    Status st;
    while (sel->Step(&st)) {
      auto kind = ParseOutboxKind(sel->Text(1));
      if (!kind) {
        return Status::Error(Code::kCorrupt, "outbox row " + std::to_string(sel->Int(0)) + " has an unknown kind",
                             "Hàng đợi gửi có mục không hợp lệ");
      }
      items.push_back({sel->Int(0), *kind, sel->Text(2), sel->Text(3), static_cast<int>(sel->Int(4)), owner});
    }
    MCK_RETURN_IF_ERROR(st);
    for (const auto& it : items) {
      auto up = db.Prepare("UPDATE outbox SET lease_owner = ?, lease_expires = ? WHERE id = ?");
      if (!up.ok()) return up.status();
      up->Bind(1, owner).Bind(2, now + lease.count()).Bind(3, it.id);
      MCK_RETURN_IF_ERROR(up->Run());
      if (it.kind == OutboxKind::kDossier) MCK_RETURN_IF_ERROR(MoveDossier(db, it.ref, "queued", "sending"));
    }
    return items;
  });
}

Status Outbox::RecordAccepted(const OutboxItem& item, const std::string& dossier_code,
                              const std::string& appointment_date, const std::string& status) {
  return RecordAcceptedAll({{item, dossier_code, appointment_date, status}});
}

Status Outbox::RecordAcceptedAll(const std::vector<Acceptance>& acceptances) {
  if (acceptances.empty()) return Status::Ok();
  Db& db = *core_.db;
  const TimePoint now = core_.Now();
  const std::string at = FormatRfc3339Vietnam(now);
  return WithTransaction(db, [&]() -> Status {
    for (const Acceptance& a : acceptances) {
      auto up = db.Prepare(
          "UPDATE dossiers SET state = 'accepted', dossier_code = ?, appointment_date = ?, portal_status = ?, "
          "accepted_at = ?, accepted_unix = ?, attempts = attempts + 1, last_error = NULL, attention_details = NULL "
          "WHERE client_id = ?");
      if (!up.ok()) return up.status();
      up->Bind(1, a.dossier_code).Bind(2, a.appointment_date).Bind(3, a.status).Bind(4, at);
      up->Bind(5, UnixSeconds(now)).Bind(6, a.item.ref);
      MCK_RETURN_IF_ERROR(up->Run());
      MCK_RETURN_IF_ERROR(DeleteOutbox(db, a.item.id));
      auto code = ProvisionalCodeOf(db, a.item.ref);
      if (!code.ok()) return code.status();
      MCK_RETURN_IF_ERROR(AppendAudit(db, at, "sync", "dossier.accepted", *code,
                                      "dossier_code=" + a.dossier_code + " appointment=" + a.appointment_date));
    }
    return Status::Ok();
  });
}

Status Outbox::RecordNeedsAttention(const OutboxItem& item, const std::string& error, const json& details) {
  Db& db = *core_.db;
  const TimePoint now = core_.Now();
  return WithTransaction(db, [&]() -> Status {
    auto mine = StillLeased(db, item);
    if (!mine.ok()) return mine.status();
    if (!*mine) return Status::Ok();
    std::string subject = item.ref;
    if (item.kind == OutboxKind::kDossier) {
      auto up = db.Prepare(
          "UPDATE dossiers SET state = 'needs_attention', attempts = attempts + 1, last_error = ?, "
          "attention_details = ? WHERE client_id = ?");
      if (!up.ok()) return up.status();
      up->BindBlob(1, core_.sealer->Seal(error, LastErrorAd(item.ref)))
          .BindBlob(2, core_.sealer->Seal(details.dump(), AttentionAd(item.ref)))
          .Bind(3, item.ref);
      MCK_RETURN_IF_ERROR(up->Run());
      if (auto code = ProvisionalCodeOf(db, item.ref); code.ok()) subject = *code;
    } else {
      auto up = db.Prepare(std::string("UPDATE ") + RecordTable(item.kind) +
                           " SET state = 'needs_attention' WHERE idempotency_key = ?");
      if (!up.ok()) return up.status();
      up->Bind(1, item.idempotency_key);
      MCK_RETURN_IF_ERROR(up->Run());
    }
    MCK_RETURN_IF_ERROR(DeleteOutbox(db, item.id));
    return AppendAudit(db, FormatRfc3339Vietnam(now), "sync",
                       std::string(OutboxKindName(item.kind)) + ".needs_attention", subject, WithoutPortalWords(error));
  });
}

Status Outbox::RecordRetry(const OutboxItem& item, const std::string& error, TimePoint next_attempt) {
  Db& db = *core_.db;
  return WithTransaction(db, [&]() -> Status {
    auto mine = StillLeased(db, item);
    if (!mine.ok()) return mine.status();
    if (!*mine) return Status::Ok();
    auto up = db.Prepare(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?, due_unix = ?, lease_owner = NULL, "
        "lease_expires = NULL WHERE id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, WithoutPortalWords(error)).Bind(2, UnixSeconds(next_attempt)).Bind(3, item.id);
    MCK_RETURN_IF_ERROR(up->Run());
    if (item.kind != OutboxKind::kDossier) return Status::Ok();
    auto d = db.Prepare(
        "UPDATE dossiers SET state = 'queued', attempts = attempts + 1, last_error = ? WHERE client_id = ? "
        "AND state = 'sending'");
    if (!d.ok()) return d.status();
    d->BindBlob(1, core_.sealer->Seal(error, LastErrorAd(item.ref))).Bind(2, item.ref);
    return d->Run();
  });
}

Status Outbox::RecordDelivered(const OutboxItem& item) {
  Db& db = *core_.db;
  return WithTransaction(db, [&]() -> Status {
    if (item.kind != OutboxKind::kDossier) {
      auto up =
          db.Prepare(std::string("UPDATE ") + RecordTable(item.kind) + " SET state = 'sent' WHERE idempotency_key = ?");
      if (!up.ok()) return up.status();
      up->Bind(1, item.idempotency_key);
      MCK_RETURN_IF_ERROR(up->Run());
    }
    MCK_RETURN_IF_ERROR(DeleteOutbox(db, item.id));
    return AppendAudit(db, FormatRfc3339Vietnam(core_.Now()), "sync",
                       std::string(OutboxKindName(item.kind)) + ".delivered", item.idempotency_key, "");
  });
}

Status Outbox::Release(const OutboxItem& item) {
  Db& db = *core_.db;
  return WithTransaction(db, [&]() -> Status {
    auto mine = StillLeased(db, item);
    if (!mine.ok()) return mine.status();
    if (!*mine) return Status::Ok();
    auto up = db.Prepare("UPDATE outbox SET lease_owner = NULL, lease_expires = NULL WHERE id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, item.id);
    MCK_RETURN_IF_ERROR(up->Run());
    if (item.kind != OutboxKind::kDossier) return Status::Ok();
    return MoveDossier(db, item.ref, "sending", "queued");
  });
}

Status Outbox::Requeue(const std::string& dossier_key, const std::optional<Correction>& correction) {
  Db& db = *core_.db;
  const TimePoint now = core_.Now();
  return WithTransaction(db, [&]() -> Status {
    auto sel = db.Prepare(
        "SELECT client_id, provisional_code, state FROM dossiers WHERE client_id = ?1 OR provisional_code = ?1 "
        "OR dossier_code = ?1");
    if (!sel.ok()) return sel.status();
    sel->Bind(1, dossier_key);
    Status st;
    if (!sel->Step(&st)) {
      MCK_RETURN_IF_ERROR(st);
      return Status::Error(Code::kNotFound, "no dossier with that code or id", "Không tìm thấy hồ sơ với mã này");
    }
    const std::string client_id = sel->Text(0), code = sel->Text(1);
    if (sel->Text(2) != DossierStateName(DossierState::kNeedsAttention)) {
      return Status::Error(Code::kFailedPrecondition, "only a dossier that needs attention can be re-queued",
                           "Chỉ gửi lại được hồ sơ đang cần xử lý");
    }
    auto up = db.Prepare("UPDATE dossiers SET state = 'queued', attention_details = NULL WHERE client_id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, client_id);
    MCK_RETURN_IF_ERROR(up->Run());
    std::string corrected;
    if (correction) {
      // A purged body (retention) cannot be corrected: there is nothing left to correct.
      auto body = db.Prepare("UPDATE dossiers SET body_sealed = ? WHERE client_id = ? AND body_sealed IS NOT NULL");
      if (!body.ok()) return body.status();
      body->BindBlob(1, core_.sealer->Seal(correction->body.dump(), DossierAd(client_id))).Bind(2, client_id);
      MCK_RETURN_IF_ERROR(body->Run());
      if (sqlite3_changes(db.raw()) != 1) {
        return Status::Error(Code::kFailedPrecondition, "the dossier's body was purged: nothing to correct",
                             "Nội dung hồ sơ đã được xoá theo thời hạn lưu giữ, không sửa được");
      }
      for (const auto& f : correction->fields) corrected += (corrected.empty() ? "fields=" : ",") + f;
    }
    MCK_RETURN_IF_ERROR(InsertOutbox(db, OutboxKind::kDossier, client_id, client_id, UnixSeconds(now)));
    return AppendAudit(db, FormatRfc3339Vietnam(now), core_.staff_actor,
                       correction ? "dossier.corrected" : "dossier.requeued", code, corrected);
  });
}

Result<int> Outbox::MakeDueNow() {
  Db& db = *core_.db;
  const TimePoint now = core_.Now();
  return WithTransaction(db, [&]() -> Result<int> {
    auto up = db.Prepare(
        "UPDATE outbox SET due_unix = ?1 WHERE due_unix > ?1 AND (lease_expires IS NULL OR lease_expires <= ?1)");
    if (!up.ok()) return up.status();
    up->Bind(1, UnixSeconds(now));
    MCK_RETURN_IF_ERROR(up->Run());
    const int n = sqlite3_changes(db.raw());
    MCK_RETURN_IF_ERROR(
        AppendAudit(db, FormatRfc3339Vietnam(now), core_.staff_actor, "outbox.send_now", "", "items=" + std::to_string(n)));
    return n;
  });
}

Result<std::optional<TimePoint>> Outbox::NextDue() {
  auto v = QueryInt(*core_.db,
                    "SELECT min(CASE WHEN lease_expires IS NOT NULL AND lease_expires > due_unix THEN lease_expires "
                    "ELSE due_unix END) FROM outbox");
  if (!v.ok()) return v.status();
  if (!v->has_value()) return std::optional<TimePoint>();
  return std::optional<TimePoint>(FromUnixSeconds(**v));
}

Result<int64_t> Outbox::Depth() {
  auto v = QueryInt(*core_.db, "SELECT count(*) FROM dossiers WHERE state IN ('queued','sending')");
  if (!v.ok()) return v.status();
  return v->value_or(0);
}

Result<int64_t> Outbox::OldestAgeSeconds() {
  auto v = QueryInt(*core_.db, "SELECT min(submitted_unix) FROM dossiers WHERE state IN ('queued','sending')");
  if (!v.ok()) return v.status();
  if (!v->has_value()) return int64_t{0};
  return std::max<int64_t>(0, UnixSeconds(core_.Now()) - **v);
}

Result<json> Outbox::Body(const OutboxItem& item) {
  switch (item.kind) {
    case OutboxKind::kRating: return RatingBody(item);
    case OutboxKind::kDecision: return DecisionBody(item);
    case OutboxKind::kDossier: break;
  }
  auto s = core_.db->Prepare("SELECT body_sealed FROM dossiers WHERE client_id = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, item.ref);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "dossier not found", "Không tìm thấy hồ sơ");
  }
  if (s->IsNull(0)) return Status::Error(Code::kNotFound, "dossier body purged", "Dữ liệu hồ sơ đã bị xoá");
  auto plain = core_.sealer->Open(s->Blob(0), DossierAd(item.ref));
  if (!plain.ok()) return plain.status();
  json body = json::parse(*plain, nullptr, false);
  SecureWipe(*plain);
  if (body.is_discarded())
    return Status::Error(Code::kCorrupt, "stored dossier body is not JSON", "Dữ liệu hồ sơ bị hỏng");
  body.erase("catalog_version");
  return body;
}

Result<json> Outbox::RatingBody(const OutboxItem& item) {
  auto s = core_.db->Prepare(
      "SELECT dossier_code, counter, scores, comment_sealed, rated_at FROM ratings WHERE idempotency_key = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, item.idempotency_key);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "rating not found", "Không tìm thấy đánh giá");
  }
  std::string comment;
  if (!s->IsNull(3)) {
    auto c = core_.sealer->Open(s->Blob(3), RatingAd(item.idempotency_key));
    if (!c.ok()) return c.status();
    comment = *c;
  }
  return json{{"dossier_code", s->IsNull(0) ? json() : json(s->Text(0))},
              {"counter", s->Text(1)},
              {"scores", json::parse(s->Text(2), nullptr, false)},
              {"comment", comment},
              {"rated_at", s->Text(4)}};
}

Result<json> Outbox::DecisionBody(const OutboxItem& item) {
  auto s = core_.db->Prepare("SELECT body_sealed FROM decisions WHERE idempotency_key = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, item.idempotency_key);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "decision not found", "Không tìm thấy quyết định");
  }
  auto plain = core_.sealer->Open(s->Blob(0), DecisionAd(item.idempotency_key));
  if (!plain.ok()) return plain.status();
  return json::parse(*plain, nullptr, false);
}

}  // namespace mck
