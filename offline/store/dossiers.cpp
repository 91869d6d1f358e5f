#include "offline/store/dossiers.h"

#include <cstdio>

#include "offline/domain/digitised.h"
#include "offline/domain/ids.h"
#include "offline/domain/json_read.h"
#include "offline/store/audit.h"
#include "offline/store/core.h"

namespace mck {

using nlohmann::json;

namespace {

constexpr const char* kSummaryColumns =
    "id, client_id, provisional_code, procedure_code, state, dossier_code, appointment_date, portal_status, "
    "attempts, last_error, submitted_at, purged_at";

// A column the portal's words may fill: sealed (a blob) since they are, legacy rows plain text.
// One that does not open reads as a note that it did not, never as an error of the whole read.
std::optional<std::string> OpenPortalWords(const Stmt& s, int col, const Sealer& sealer, const std::string& ad) {
  if (s.IsNull(col)) return std::nullopt;
  if (!s.IsBlob(col)) return s.Text(col);
  auto plain = sealer.Open(s.Blob(col), ad);
  if (!plain.ok()) return std::string("(sealed text unreadable)");
  return std::move(plain.value());
}

DossierSummary ReadSummary(const Stmt& s, const Sealer& sealer) {
  // Column order of kSummaryColumns.
  DossierSummary d;
  d.id = s.Int(0);
  d.client_id = s.Text(1);
  d.provisional_code = s.Text(2);
  d.procedure_code = s.Text(3);
  d.state = ParseDossierState(s.Text(4)).value_or(DossierState::kQueued);
  d.dossier_code = s.OptText(5);
  d.appointment_date = s.OptText(6);
  d.portal_status = s.OptText(7);
  d.attempts = static_cast<int>(s.Int(8));
  d.last_error = OpenPortalWords(s, 9, sealer, LastErrorAd(d.client_id));
  d.submitted_at = s.Text(10);
  d.purged = !s.IsNull(11);
  return d;
}

// The stored reasons, parsed within limits (an older row holds what the portal sent, unchecked):
// null when unreadable.
json AttentionDetails(const std::string& text) {
  JsonLimits limits;
  limits.max_bytes = text.size();
  auto doc = ParseJsonChecked(text, limits, "attention details");
  return doc.ok() ? std::move(doc.value()) : json();
}

}  // namespace

Status InsertAttachment(Db& db, int64_t dossier_id, size_t position, const std::string& sha, const NewAttachment& a,
                        const std::string& sealed, const std::string& at) {
  auto ins = db.Prepare(
      "INSERT INTO attachments(sha256, size, media_type, data_sealed, created_at) VALUES(?,?,?,?,?) "
      "ON CONFLICT(sha256) DO UPDATE SET data_sealed = excluded.data_sealed WHERE data_sealed IS NULL");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, sha).Bind(2, static_cast<int64_t>(a.data.size())).Bind(3, a.media_type);
  ins->BindBlob(4, sealed).Bind(5, at);
  MCK_RETURN_IF_ERROR(ins->Run());
  auto link = db.Prepare("INSERT INTO dossier_attachments(dossier_id, position, sha256) VALUES(?,?,?)");
  if (!link.ok()) return link.status();
  link->Bind(1, dossier_id).Bind(2, static_cast<int64_t>(position)).Bind(3, sha);
  return link->Run();
}

Result<SubmittedDossier> DossierStore::Submit(const json& body_in, const std::vector<NewAttachment>& attachments,
                                              const std::string& catalog_version) {
  Db& db = *core_.db;
  const TimePoint now = core_.Now();
  const CivilDate today = VietnamDate(now);
  SubmittedDossier out;
  out.client_id = NewUuidV4();
  out.submitted_at = FormatRfc3339Vietnam(now);

  json body = body_in;
  body["client_id"] = out.client_id;
  body["submitted_at"] = out.submitted_at;
  json atts = json::array();
  std::vector<std::string> shas;
  for (const auto& a : attachments) {
    const std::string sha = Sha256Hex(a.data);
    shas.push_back(sha);
    atts.push_back({{"sha256", sha},
                    {"name", a.name},
                    {"media_type", a.media_type},
                    {"size", static_cast<int64_t>(a.data.size())}});
  }
  body["attachments"] = atts;
  // Papers scanned at the kiosk: each must be one of the attachments just listed (the contract
  // with the scan screen, docs/scanning.md). Checked before anything is stored.
  auto digitised = CountDigitisedDocuments(body, shas);
  if (!digitised.ok()) return digitised.status();
  if (!catalog_version.empty()) body["catalog_version"] = catalog_version;
  const std::string procedure = body.value("procedure_code", "");

  // Seal outside the transaction: it is CPU work, and the write lock (BEGIN IMMEDIATE … COMMIT)
  // is held only for the inserts and the commit. The body names its provisional code, whose
  // number is taken inside the transaction: seal with the number expected next (the last one this
  // object gave, plus one), and seal again inside only if that guess was wrong (the first submit
  // of a day, or another connection submitted meanwhile).
  std::vector<std::string> sealed_data;
  for (size_t i = 0; i < attachments.size(); ++i)
    sealed_data.push_back(core_.sealer->Seal(attachments[i].data, AttachmentAd(shas[i])));
  const std::string day = FormatDate(today);
  auto code_for = [&](int seq) {
    char code[32];
    std::snprintf(code, sizeof code, "K%02d-%s-%04d", core_.options.kiosk_number, FormatYymmdd(today).c_str(), seq);
    return std::string(code);
  };
  auto seal_body = [&](const std::string& code) {
    body["provisional_code"] = code;
    return core_.sealer->Seal(body.dump(), DossierAd(out.client_id));
  };
  const int expected = last_day_ == day ? last_seq_ + 1 : 1;
  std::string sealed_body = seal_body(code_for(expected));

  int taken = 0;
  auto stored = WithTransaction(db, [&]() -> Result<SubmittedDossier> {
    auto seq = NextInSequence(db, "dossier", day);
    if (!seq.ok()) return seq.status();
    if (*seq > 9999) {
      return Status::Error(Code::kFailedPrecondition, "more than 9999 dossiers today on this kiosk",
                           "Đã hết số hồ sơ trong ngày của kiosk này (9999)");
    }
    out.provisional_code = code_for(*seq);
    if (*seq != expected) sealed_body = seal_body(out.provisional_code);
    taken = *seq;

    // digitised_documents (schema 4) is named only when there is something to count: a dossier
    // without scans is the row schema 3 wrote (the column's default is 0), which the upgrade
    // tests rely on when they play an older release with this code (test_stop_at_schema).
    auto ins = db.Prepare(
        *digitised > 0 ? "INSERT INTO dossiers(client_id, provisional_code, procedure_code, catalog_version, "
                         "submitted_at, submitted_unix, state, body_sealed, digitised_documents) "
                         "VALUES(?,?,?,?,?,?,'queued',?,?)"
                       : "INSERT INTO dossiers(client_id, provisional_code, procedure_code, catalog_version, "
                         "submitted_at, submitted_unix, state, body_sealed) VALUES(?,?,?,?,?,?,'queued',?)");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, out.client_id).Bind(2, out.provisional_code).Bind(3, procedure);
    ins->Bind(4, catalog_version).Bind(5, out.submitted_at).Bind(6, UnixSeconds(now));
    ins->BindBlob(7, sealed_body);
    if (*digitised > 0) ins->Bind(8, static_cast<int64_t>(*digitised));
    MCK_RETURN_IF_ERROR(ins->Run());
    const int64_t dossier_id = sqlite3_last_insert_rowid(db.raw());
    for (size_t i = 0; i < attachments.size(); ++i) {
      MCK_RETURN_IF_ERROR(
          InsertAttachment(db, dossier_id, i, shas[i], attachments[i], sealed_data[i], out.submitted_at));
    }
    MCK_RETURN_IF_ERROR(InsertOutbox(db, OutboxKind::kDossier, out.client_id, out.client_id, UnixSeconds(now)));
    MCK_RETURN_IF_ERROR(AppendAudit(db, out.submitted_at, kActorKiosk, "dossier.submitted", out.provisional_code,
                                    "procedure=" + procedure + " attachments=" + std::to_string(attachments.size())));
    return out;
  });
  if (stored.ok()) {
    last_day_ = day;
    last_seq_ = taken;
  }
  return stored;
}

Result<std::vector<DossierSummary>> DossierStore::List(std::optional<DossierState> state) {
  std::string sql = std::string("SELECT ") + kSummaryColumns + " FROM dossiers";
  if (state) sql += " WHERE state = ?";
  sql += " ORDER BY id";
  auto s = core_.db->Prepare(sql);
  if (!s.ok()) return s.status();
  if (state) s->Bind(1, DossierStateName(*state));
  std::vector<DossierSummary> out;
  Status st;
  while (s->Step(&st)) out.push_back(ReadSummary(*s, *core_.sealer));
  MCK_RETURN_IF_ERROR(st);
  return out;
}

Result<DossierRecord> DossierStore::Get(const std::string& key) {
  auto s =
      core_.db->Prepare(std::string("SELECT ") + kSummaryColumns +
                        ", catalog_version, portal_status_text, portal_updated_at, accepted_at, attention_details, "
                        "body_sealed, typeof(attention_details), fee_amount_vnd, fee_paid_at, fee_reference, digitised_documents FROM dossiers WHERE client_id = ?1 OR provisional_code "
                        "= ?1 OR dossier_code = ?1");
  if (!s.ok()) return s.status();
  s->Bind(1, key);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "no dossier with that code or id", "Không tìm thấy hồ sơ với mã này");
  }
  DossierRecord r;
  static_cast<DossierSummary&>(r) = ReadSummary(*s, *core_.sealer);
  r.catalog_version = s->Text(12);
  r.portal_status_text = OpenPortalWords(*s, 13, *core_.sealer, PortalStatusTextAd(r.client_id));
  r.portal_updated_at = s->OptText(14);
  r.accepted_at = s->OptText(15);
  if (auto d = OpenPortalWords(*s, 16, *core_.sealer, AttentionAd(r.client_id))) {
    r.needs_attention_details = AttentionDetails(*d);
    SecureWipe(*d);
  }
  if (!s->IsNull(19)) {
    FeePayment fee;
    fee.amount_vnd = s->Int(19);
    fee.paid = !s->IsNull(20);
    fee.paid_at = s->OptText(20).value_or("");
    fee.reference = s->OptText(21).value_or("");
    r.fee = fee;
  }
  r.digitised_documents = static_cast<int>(s->Int(22));
  if (!s->IsNull(17)) {
    auto plain = core_.sealer->Open(s->Blob(17), DossierAd(r.client_id));
    if (!plain.ok()) return plain.status();
    r.body = json::parse(*plain, nullptr, false);
    SecureWipe(*plain);
    if (r.body.is_discarded())
      return Status::Error(Code::kCorrupt, "stored dossier body is not JSON", "Dữ liệu hồ sơ bị hỏng");
  }
  return r;
}

Result<std::string> DossierStore::Attachment(const std::string& sha256) {
  auto s = core_.db->Prepare("SELECT data_sealed FROM attachments WHERE sha256 = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, sha256);
  Status st;
  if (!s->Step(&st) || s->IsNull(0)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "attachment not stored (or purged)", "Không có tệp đính kèm này");
  }
  auto plain = core_.sealer->Open(s->Blob(0), AttachmentAd(sha256));
  if (!plain.ok()) return plain.status();
  if (Sha256Hex(*plain) != sha256) {
    return Status::Error(Code::kCorrupt, "attachment bytes do not match their SHA-256", "Tệp đính kèm bị hỏng");
  }
  return plain;
}

Result<std::vector<AttachmentInfo>> DossierStore::Attachments(const std::string& client_id) {
  auto s = core_.db->Prepare(
      "SELECT a.sha256, a.size, a.media_type FROM dossier_attachments da JOIN dossiers d ON d.id = da.dossier_id "
      "JOIN attachments a ON a.sha256 = da.sha256 WHERE d.client_id = ? ORDER BY da.position");
  if (!s.ok()) return s.status();
  s->Bind(1, client_id);
  std::vector<AttachmentInfo> out;
  Status st;
  while (s->Step(&st)) out.push_back({s->Text(0), s->Int(1), s->Text(2)});
  MCK_RETURN_IF_ERROR(st);
  return out;
}

Status DossierStore::UpdatePortalStatus(const std::string& client_id, const std::string& status,
                                        const std::string& status_text, const std::string& updated_at,
                                        const std::string& appointment_date) {
  Db& db = *core_.db;
  return WithTransaction(db, [&]() -> Status {
    auto up = db.Prepare(
        "UPDATE dossiers SET portal_status = ?, portal_status_text = ?, portal_updated_at = ?, "
        "appointment_date = COALESCE(NULLIF(?, ''), appointment_date) WHERE client_id = ? AND "
        "(portal_status IS NOT ? OR portal_updated_at IS NOT ?)");
    if (!up.ok()) return up.status();
    up->Bind(1, status);
    if (status_text.empty()) {
      up->BindNull(2);
    } else {
      up->BindBlob(2, core_.sealer->Seal(status_text, PortalStatusTextAd(client_id)));
    }
    up->Bind(3, updated_at).Bind(4, appointment_date).Bind(5, client_id);
    up->Bind(6, status).Bind(7, updated_at);
    MCK_RETURN_IF_ERROR(up->Run());
    if (sqlite3_changes(db.raw()) == 0) return Status::Ok();
    auto code = ProvisionalCodeOf(db, client_id);
    if (!code.ok()) return code.status();
    return AppendAudit(db, FormatRfc3339Vietnam(core_.Now()), "sync", "dossier.status", *code, "status=" + status);
  });
}

}  // namespace mck

namespace mck {

Result<bool> DossierStore::UpdateFeePayment(const std::string& client_id, const FeePayment& fee) {
  Db& db = *core_.db;
  return WithTransaction(db, [&]() -> Result<bool> {
    auto cur = db.Prepare("SELECT fee_paid_at, provisional_code FROM dossiers WHERE client_id = ?");
    if (!cur.ok()) return cur.status();
    cur->Bind(1, client_id);
    Status st;
    if (!cur->Step(&st)) {
      MCK_RETURN_IF_ERROR(st);
      return Status::Error(Code::kNotFound, "no dossier with that client id", "Không tìm thấy hồ sơ với mã này");
    }
    const bool was_paid = !cur->IsNull(0);
    const std::string code = cur->Text(1);
    if (was_paid) return false;  // paid stays paid
    auto up = db.Prepare("UPDATE dossiers SET fee_amount_vnd = ?, fee_paid_at = ?, fee_reference = ? WHERE client_id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, fee.amount_vnd);
    if (fee.paid) {
      up->Bind(2, fee.paid_at).Bind(3, fee.reference);
    } else {
      up->BindNull(2).BindNull(3);
    }
    up->Bind(4, client_id);
    MCK_RETURN_IF_ERROR(up->Run());
    if (!fee.paid) return false;
    MCK_RETURN_IF_ERROR(AppendAudit(db, FormatRfc3339Vietnam(core_.Now()), "sync", "dossier.fee_paid", code,
                                    "amount_vnd=" + std::to_string(fee.amount_vnd) + " reference=" + fee.reference));
    return true;
  });
}

Result<DigitisedCounts> DossierStore::Digitised(const std::string& since_day) {
  DigitisedCounts out;
  auto total = core_.db->Prepare(
      "SELECT count(*), coalesce(sum(digitised_documents), 0) FROM dossiers WHERE digitised_documents > 0");
  if (!total.ok()) return total.status();
  Status st;
  if (total->Step(&st)) {
    out.dossiers_total = total->Int(0);
    out.documents_total = total->Int(1);
  }
  MCK_RETURN_IF_ERROR(st);
  // submitted_at is RFC 3339 in Vietnam time (+07:00): its first 10 characters are the Vietnam date.
  auto days = core_.db->Prepare(
      "SELECT substr(submitted_at, 1, 10) AS day, count(*) FROM dossiers WHERE digitised_documents > 0 "
      "AND substr(submitted_at, 1, 10) >= ? GROUP BY day ORDER BY day");
  if (!days.ok()) return days.status();
  days->Bind(1, since_day);
  while (days->Step(&st)) out.dossiers_by_day[days->Text(0)] = days->Int(1);
  MCK_RETURN_IF_ERROR(st);
  return out;
}

}  // namespace mck
