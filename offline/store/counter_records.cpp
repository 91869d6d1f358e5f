#include "offline/store/counter_records.h"

#include "offline/domain/digitised.h"
#include "offline/domain/ids.h"
#include "offline/store/audit.h"
#include "offline/store/officers.h"
#include "offline/store/core.h"

namespace mck {

using nlohmann::json;

Result<std::string> DecisionStore::Submit(const std::string& dossier_ref, const json& decision,
                                          const std::vector<NewAttachment>& attachments, const SignDecision& sign) {
  const std::string word = decision.is_object() ? decision.value("decision", "") : "";
  if (word != "accept" && word != "request_supplement" && word != "refuse") {
    return Status::Error(Code::kInvalidArgument, "decision must be accept, request_supplement or refuse",
                         "Quyết định phải là tiếp nhận, yêu cầu bổ sung hoặc từ chối");
  }
  if (word != "accept" && decision.value("reason", "").empty()) {
    return Status::Error(Code::kInvalidArgument, "a reason is required unless the dossier is accepted",
                         "Cần ghi lý do khi yêu cầu bổ sung hoặc từ chối hồ sơ");
  }
  if (dossier_ref.empty()) {
    return Status::Error(Code::kInvalidArgument, "no dossier given for the decision", "Chưa chọn hồ sơ");
  }
  Db& db = *core_.db;
  const std::string key = NewUuidV4();
  const TimePoint now = core_.Now();
  json body = decision;
  if (!body.contains("decided_at")) body["decided_at"] = FormatRfc3339Vietnam(now);
  // The papers scanned at the counter: listed like a dossier's attachments, and every
  // documents_received[i].digitised must be one of them (checked before anything is stored).
  std::vector<std::string> shas, sealed_data;
  if (!attachments.empty()) {
    json atts = json::array();
    for (const auto& a : attachments) {
      shas.push_back(Sha256Hex(a.data));
      atts.push_back({{"sha256", shas.back()},
                      {"name", a.name},
                      {"media_type", a.media_type},
                      {"size", static_cast<int64_t>(a.data.size())}});
      sealed_data.push_back(core_.sealer->Seal(a.data, AttachmentAd(shas.back())));
    }
    body["attachments"] = atts;
  }
  auto digitised = CountDigitisedDocuments(body, shas, "documents_received");
  if (!digitised.ok()) return digitised.status();
  body.erase("signature");  // only ever the one made here, over these very bytes
  if (sign) {
    auto member = sign(body);
    if (!member.ok()) return member.status();
    body["signature"] = std::move(*member);
  }
  const std::string sealed = core_.sealer->Seal(body.dump(), DecisionAd(key));
  return WithTransaction(db, [&]() -> Result<std::string> {
    if (!attachments.empty()) {
      auto d = db.Prepare(
          "SELECT id, (SELECT coalesce(max(position) + 1, 0) FROM dossier_attachments WHERE dossier_id = dossiers.id) "
          "FROM dossiers WHERE client_id = ?1 OR provisional_code = ?1 OR dossier_code = ?1");
      if (!d.ok()) return d.status();
      d->Bind(1, dossier_ref);
      Status st;
      if (!d->Step(&st)) {
        MCK_RETURN_IF_ERROR(st);
        return Status::Error(Code::kNotFound, "no dossier on this kiosk for the decision's scanned papers",
                             "Không thấy hồ sơ trên kiosk này để lưu giấy tờ đã quét");
      }
      const int64_t dossier_id = d->Int(0), first = d->Int(1);
      const std::string at = body.value("decided_at", "");
      for (size_t i = 0; i < attachments.size(); ++i) {
        MCK_RETURN_IF_ERROR(InsertAttachment(db, dossier_id, static_cast<size_t>(first) + i, shas[i], attachments[i],
                                             sealed_data[i], at));
      }
      auto up = db.Prepare("UPDATE dossiers SET digitised_documents = digitised_documents + ? WHERE id = ?");
      if (!up.ok()) return up.status();
      up->Bind(1, static_cast<int64_t>(*digitised)).Bind(2, dossier_id);
      MCK_RETURN_IF_ERROR(up->Run());
    }
    auto ins = db.Prepare(
        "INSERT INTO decisions(idempotency_key, dossier_ref, decision, body_sealed, decided_at, state) "
        "VALUES(?,?,?,?,?,'queued')");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, key).Bind(2, dossier_ref).Bind(3, word).BindBlob(4, sealed);
    ins->Bind(5, body.value("decided_at", ""));
    MCK_RETURN_IF_ERROR(ins->Run());
    MCK_RETURN_IF_ERROR(InsertOutbox(db, OutboxKind::kDecision, dossier_ref, key, UnixSeconds(now)));
    // The officer the decision names, when they are one of this kiosk's officers; else "staff"
    // (the shared PIN, or kioskctl naming someone the kiosk does not know).
    std::string actor = "staff";
    if (const std::string officer = body.value("officer", ""); !officer.empty()) {
      auto known = db.Prepare("SELECT 1 FROM officers WHERE id = ?");
      if (!known.ok()) return known.status();
      known->Bind(1, officer);
      Status kst;
      if (known->Step(&kst)) actor = OfficerBook::Actor(officer);
      MCK_RETURN_IF_ERROR(kst);
    }
    MCK_RETURN_IF_ERROR(
        AppendAudit(db, FormatRfc3339Vietnam(now), actor, "decision.submitted", dossier_ref,
                    "decision=" + word + (attachments.empty() ? "" : " attachments=" + std::to_string(attachments.size())) +
                        (sign ? " signed" : "")));
    return key;
  });
}

Result<std::vector<StoredDecision>> DecisionStore::For(const DossierSummary& dossier) {
  auto s = core_.db->Prepare(
      "SELECT idempotency_key, decision, state, decided_at, body_sealed FROM decisions "
      "WHERE dossier_ref IN (?1, ?2, ?3) ORDER BY id");
  if (!s.ok()) return s.status();
  s->Bind(1, dossier.client_id)
      .Bind(2, dossier.provisional_code)
      .Bind(3, dossier.dossier_code.value_or(dossier.client_id));
  std::vector<StoredDecision> out;
  Status st;
  while (s->Step(&st)) {
    StoredDecision d{s->Text(0), s->Text(1), s->Text(2), s->Text(3), nullptr};
    auto plain = core_.sealer->Open(s->Blob(4), DecisionAd(d.idempotency_key));
    if (!plain.ok()) return plain.status();
    d.body = json::parse(*plain, nullptr, false);
    out.push_back(std::move(d));
  }
  MCK_RETURN_IF_ERROR(st);
  return out;
}

Result<std::string> RatingStore::Submit(const Rating& r) {
  if (!r.scores.is_object() || r.scores.empty()) {
    return Status::Error(Code::kInvalidArgument, "a rating needs at least one score",
                         "Vui lòng chọn ít nhất một mức đánh giá");
  }
  for (auto it = r.scores.begin(); it != r.scores.end(); ++it) {
    if (!it->is_number_integer() || it->get<int>() < 1 || it->get<int>() > 5) {
      return Status::Error(Code::kInvalidArgument, "scores must be whole numbers from 1 to 5",
                           "Mức đánh giá phải từ 1 đến 5");
    }
  }
  Db& db = *core_.db;
  const std::string key = NewUuidV4();
  const TimePoint now = core_.Now();
  const std::string at = FormatRfc3339Vietnam(now);
  return WithTransaction(db, [&]() -> Result<std::string> {
    auto ins = db.Prepare(
        "INSERT INTO ratings(idempotency_key, dossier_code, counter, scores, comment_sealed, rated_at, state) "
        "VALUES(?,?,?,?,?,?,'queued')");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, key).Bind(2, r.dossier_code).Bind(3, r.counter).Bind(4, r.scores.dump());
    if (r.comment.empty()) {
      ins->BindNull(5);
    } else {
      ins->BindBlob(5, core_.sealer->Seal(r.comment, RatingAd(key)));
    }
    ins->Bind(6, at);
    MCK_RETURN_IF_ERROR(ins->Run());
    MCK_RETURN_IF_ERROR(InsertOutbox(db, OutboxKind::kRating, key, key, UnixSeconds(now)));
    MCK_RETURN_IF_ERROR(AppendAudit(db, at, kActorKiosk, "rating.submitted", key, "counter=" + r.counter));
    return key;
  });
}

}  // namespace mck
