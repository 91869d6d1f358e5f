#include "offline/store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "offline/domain/ids.h"
#include "offline/store/audit.h"
#include "offline/store/crypto.h"
#include "offline/store/migrations.h"
#include "offline/store/sqlite.h"

namespace mck {

using nlohmann::json;

const char* DossierStateName(DossierState s) {
  switch (s) {
    case DossierState::kQueued: return "queued";
    case DossierState::kSending: return "sending";
    case DossierState::kAccepted: return "accepted";
    case DossierState::kNeedsAttention: return "needs_attention";
  }
  return "queued";
}

std::optional<DossierState> ParseDossierState(std::string_view s) {
  for (auto st :
       {DossierState::kQueued, DossierState::kSending, DossierState::kAccepted, DossierState::kNeedsAttention}) {
    if (s == DossierStateName(st)) return st;
  }
  return std::nullopt;
}

namespace {

constexpr const char* kActorKiosk = "kiosk";

std::string DossierAd(const std::string& client_id) {
  return "dossier:" + client_id;
}
std::string AttachmentAd(const std::string& sha) {
  return "attachment:" + sha;
}

// Reads the next value of a daily sequence inside the caller's transaction.
Result<int> NextInSequence(Db& db, const std::string& scope, const std::string& day) {
  auto up = db.Prepare(
      "INSERT INTO sequences(scope, day, last) VALUES(?, ?, 1) "
      "ON CONFLICT(scope, day) DO UPDATE SET last = last + 1 RETURNING last");
  if (!up.ok()) return up.status();
  up->Bind(1, scope).Bind(2, day);
  Status st;
  if (!up->Step(&st)) return st.ok() ? Status::Error(Code::kInternal, "sequence returned no row") : st;
  const int v = static_cast<int>(up->Int(0));
  MCK_RETURN_IF_ERROR(up->Run());
  return v;
}

DossierSummary ReadSummary(const Stmt& s) {
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
  d.last_error = s.OptText(9);
  d.submitted_at = s.Text(10);
  d.purged = !s.IsNull(11);
  return d;
}

constexpr const char* kSummaryColumns =
    "id, client_id, provisional_code, procedure_code, state, dossier_code, appointment_date, portal_status, "
    "attempts, last_error, submitted_at, purged_at";

}  // namespace

Store::~Store() = default;

TimePoint Store::Now() const {
  return options_.clock ? options_.clock->Now() : system_clock_.Now();
}

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (options.data_dir.empty()) {
    return Status::Error(Code::kInvalidArgument, "no data directory configured", "chưa cấu hình thư mục dữ liệu");
  }
  if (options.kiosk_number < 1 || options.kiosk_number > 99) {
    return Status::Error(Code::kInvalidArgument, "kiosk number must be 1..99", "số hiệu kiosk phải từ 1 đến 99");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::Error(Code::kIo, options.data_dir.string() + ": cannot create data directory: " + ec.message(),
                         options.data_dir.string() + ": không tạo được thư mục dữ liệu");
  }
  ::chmod(options.data_dir.c_str(), 0700);
  auto store = std::unique_ptr<Store>(new Store());
  store->options_ = options;
  store->db_path_ = options.data_dir / "kiosk.db";
  auto sealer = Sealer::LoadOrCreate(options.data_dir / "store.key");
  if (!sealer.ok()) return sealer.status();
  store->sealer_ = std::move(sealer.value());
  // Create the file 0600 ourselves: SQLite gives the -wal and -shm files the same mode.
  if (int fd = ::open(store->db_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
  auto db = Db::Open(store->db_path_.string());
  if (!db.ok()) return db.status();
  store->db_ = std::move(db.value());
  MCK_RETURN_IF_ERROR(store->Initialise());
  return store;
}

Status Store::Initialise() {
  // A file that is not a database fails here, before any migration writes to it.
  {
    auto probe = db_->Prepare("SELECT count(*) FROM sqlite_master");
    if (!probe.ok()) return probe.status().WithContext(db_path_.string() + ": ", db_path_.string() + ": ");
    Status st;
    probe->Step(&st);
    MCK_RETURN_IF_ERROR(st.WithContext(db_path_.string() + ": ", db_path_.string() + ": "));
  }
  auto version = SchemaVersion(*db_);
  if (!version.ok()) return version.status();
  if (*version > LatestSchemaVersion()) return Migrate(*db_).status();  // refuses, untouched
  MCK_RETURN_IF_ERROR(db_->Exec("PRAGMA journal_mode=WAL"));
  MCK_RETURN_IF_ERROR(db_->Exec("PRAGMA synchronous=FULL"));
  MCK_RETURN_IF_ERROR(db_->Exec("PRAGMA foreign_keys=ON"));
  MCK_RETURN_IF_ERROR(db_->Exec("PRAGMA secure_delete=ON"));  // purged personal data is overwritten
  auto migrated = Migrate(*db_);
  if (!migrated.ok()) return migrated.status();
  return Status::Ok();
}

Status Store::Audit(const std::string& actor, const std::string& action, const std::string& subject,
                    const std::string& detail) {
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  MCK_RETURN_IF_ERROR(AppendAudit(*db_, FormatRfc3339Vietnam(Now()), actor, action, subject, detail));
  return txn.Commit();
}

// ---- dossiers ---------------------------------------------------------------------------------

Result<SubmittedDossier> Store::SubmitDossier(const json& body_in, const std::vector<NewAttachment>& attachments,
                                              const std::string& catalog_version) {
  const TimePoint now = Now();
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
  if (!catalog_version.empty()) body["catalog_version"] = catalog_version;

  // Seal outside the transaction: it is CPU work and needs only the client id.
  const std::vector<std::string> sealed_data = [&] {
    std::vector<std::string> v;
    for (size_t i = 0; i < attachments.size(); ++i)
      v.push_back(sealer_->Seal(attachments[i].data, AttachmentAd(shas[i])));
    return v;
  }();

  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto seq = NextInSequence(*db_, "dossier", FormatDate(today));
  if (!seq.ok()) return seq.status();
  if (*seq > 9999) {
    return Status::Error(Code::kFailedPrecondition, "more than 9999 dossiers today on this kiosk",
                         "Đã hết số hồ sơ trong ngày của kiosk này (9999)");
  }
  char code[32];
  std::snprintf(code, sizeof code, "K%02d-%s-%04d", options_.kiosk_number, FormatYymmdd(today).c_str(), *seq);
  out.provisional_code = code;
  body["provisional_code"] = out.provisional_code;

  auto ins = db_->Prepare(
      "INSERT INTO dossiers(client_id, provisional_code, procedure_code, catalog_version, submitted_at, "
      "submitted_unix, state, body_sealed) VALUES(?,?,?,?,?,?,'queued',?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, out.client_id).Bind(2, out.provisional_code).Bind(3, body.value("procedure_code", ""));
  ins->Bind(4, catalog_version).Bind(5, out.submitted_at).Bind(6, UnixSeconds(now));
  ins->BindBlob(7, sealer_->Seal(body.dump(), DossierAd(out.client_id)));
  MCK_RETURN_IF_ERROR(ins->Run());
  const int64_t dossier_id = sqlite3_last_insert_rowid(db_->raw());

  for (size_t i = 0; i < attachments.size(); ++i) {
    auto a = db_->Prepare(
        "INSERT INTO attachments(sha256, size, media_type, data_sealed, created_at) VALUES(?,?,?,?,?) "
        "ON CONFLICT(sha256) DO UPDATE SET data_sealed = excluded.data_sealed WHERE data_sealed IS NULL");
    if (!a.ok()) return a.status();
    a->Bind(1, shas[i]).Bind(2, static_cast<int64_t>(attachments[i].data.size())).Bind(3, attachments[i].media_type);
    a->BindBlob(4, sealed_data[i]).Bind(5, out.submitted_at);
    MCK_RETURN_IF_ERROR(a->Run());
    auto link = db_->Prepare("INSERT INTO dossier_attachments(dossier_id, position, sha256) VALUES(?,?,?)");
    if (!link.ok()) return link.status();
    link->Bind(1, dossier_id).Bind(2, static_cast<int64_t>(i)).Bind(3, shas[i]);
    MCK_RETURN_IF_ERROR(link->Run());
  }
  auto ob = db_->Prepare("INSERT INTO outbox(kind, ref, idempotency_key, due_unix) VALUES('dossier', ?, ?, ?)");
  if (!ob.ok()) return ob.status();
  ob->Bind(1, out.client_id).Bind(2, out.client_id).Bind(3, UnixSeconds(now));
  MCK_RETURN_IF_ERROR(ob->Run());
  MCK_RETURN_IF_ERROR(AppendAudit(
      *db_, out.submitted_at, kActorKiosk, "dossier.submitted", out.provisional_code,
      "procedure=" + body.value("procedure_code", "") + " attachments=" + std::to_string(attachments.size())));
  MCK_RETURN_IF_ERROR(txn.Commit());
  return out;
}

Result<std::vector<DossierSummary>> Store::ListDossiers(std::optional<DossierState> state) {
  std::string sql = std::string("SELECT ") + kSummaryColumns + " FROM dossiers";
  if (state) sql += " WHERE state = ?";
  sql += " ORDER BY id";
  auto s = db_->Prepare(sql);
  if (!s.ok()) return s.status();
  if (state) s->Bind(1, DossierStateName(*state));
  std::vector<DossierSummary> out;
  Status st;
  while (s->Step(&st)) out.push_back(ReadSummary(*s));
  MCK_RETURN_IF_ERROR(st);
  return out;
}

Result<DossierRecord> Store::GetDossier(const std::string& key) {
  auto s = db_->Prepare(std::string("SELECT ") + kSummaryColumns +
                        ", catalog_version, portal_status_text, portal_updated_at, accepted_at, attention_details, "
                        "body_sealed FROM dossiers WHERE client_id = ?1 OR provisional_code = ?1 OR dossier_code = ?1");
  if (!s.ok()) return s.status();
  s->Bind(1, key);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "no dossier with that code or id", "Không tìm thấy hồ sơ với mã này");
  }
  DossierRecord r;
  static_cast<DossierSummary&>(r) = ReadSummary(*s);
  r.catalog_version = s->Text(12);
  r.portal_status_text = s->OptText(13);
  r.portal_updated_at = s->OptText(14);
  r.accepted_at = s->OptText(15);
  if (auto d = s->OptText(16)) r.needs_attention_details = json::parse(*d, nullptr, false);
  if (!s->IsNull(17)) {
    auto plain = sealer_->Open(s->Blob(17), DossierAd(r.client_id));
    if (!plain.ok()) return plain.status();
    r.body = json::parse(*plain, nullptr, false);
    SecureWipe(*plain);
    if (r.body.is_discarded())
      return Status::Error(Code::kCorrupt, "stored dossier body is not JSON", "Dữ liệu hồ sơ bị hỏng");
  }
  return r;
}

Result<std::string> Store::GetAttachment(const std::string& sha256) {
  auto s = db_->Prepare("SELECT data_sealed FROM attachments WHERE sha256 = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, sha256);
  Status st;
  if (!s->Step(&st) || s->IsNull(0)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "attachment not stored (or purged)", "Không có tệp đính kèm này");
  }
  auto plain = sealer_->Open(s->Blob(0), AttachmentAd(sha256));
  if (!plain.ok()) return plain.status();
  if (Sha256Hex(*plain) != sha256) {
    return Status::Error(Code::kCorrupt, "attachment bytes do not match their SHA-256", "Tệp đính kèm bị hỏng");
  }
  return plain;
}

Result<std::vector<AttachmentInfo>> Store::DossierAttachments(const std::string& client_id) {
  auto s = db_->Prepare(
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

// ---- outbox -----------------------------------------------------------------------------------

Result<std::vector<OutboxItem>> Store::LeaseDue(const std::string& owner, int limit, std::chrono::seconds lease) {
  const int64_t now = UnixSeconds(Now());
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto sel = db_->Prepare(
      "SELECT id, kind, idempotency_key, ref, attempts FROM outbox WHERE due_unix <= ?1 AND "
      "(lease_owner IS NULL OR lease_expires < ?1) ORDER BY due_unix, id LIMIT ?2");
  if (!sel.ok()) return sel.status();
  sel->Bind(1, now).Bind(2, limit);
  std::vector<OutboxItem> items;
  Status st;
  while (sel->Step(&st)) {
    items.push_back({sel->Int(0), sel->Text(1), sel->Text(2), sel->Text(3), static_cast<int>(sel->Int(4))});
  }
  MCK_RETURN_IF_ERROR(st);
  for (const auto& it : items) {
    auto up = db_->Prepare("UPDATE outbox SET lease_owner = ?, lease_expires = ? WHERE id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, owner).Bind(2, now + lease.count()).Bind(3, it.id);
    MCK_RETURN_IF_ERROR(up->Run());
    if (it.kind == "dossier") {
      auto d = db_->Prepare("UPDATE dossiers SET state = 'sending' WHERE client_id = ? AND state = 'queued'");
      if (!d.ok()) return d.status();
      d->Bind(1, it.ref);
      MCK_RETURN_IF_ERROR(d->Run());
    }
  }
  MCK_RETURN_IF_ERROR(txn.Commit());
  return items;
}

namespace {
Status DeleteOutbox(Db& db, int64_t id) {
  auto del = db.Prepare("DELETE FROM outbox WHERE id = ?");
  if (!del.ok()) return del.status();
  del->Bind(1, id);
  return del->Run();
}

Result<std::string> ProvisionalCodeOf(Db& db, const std::string& client_id) {
  auto s = db.Prepare("SELECT provisional_code FROM dossiers WHERE client_id = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, client_id);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "dossier not found", "Không tìm thấy hồ sơ");
  }
  return s->Text(0);
}
}  // namespace

Status Store::RecordDossierAccepted(const OutboxItem& item, const std::string& dossier_code,
                                    const std::string& appointment_date, const std::string& status) {
  const TimePoint now = Now();
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto up = db_->Prepare(
      "UPDATE dossiers SET state = 'accepted', dossier_code = ?, appointment_date = ?, portal_status = ?, "
      "accepted_at = ?, accepted_unix = ?, attempts = attempts + 1, last_error = NULL, attention_details = NULL "
      "WHERE client_id = ?");
  if (!up.ok()) return up.status();
  up->Bind(1, dossier_code).Bind(2, appointment_date).Bind(3, status).Bind(4, FormatRfc3339Vietnam(now));
  up->Bind(5, UnixSeconds(now)).Bind(6, item.ref);
  MCK_RETURN_IF_ERROR(up->Run());
  MCK_RETURN_IF_ERROR(DeleteOutbox(*db_, item.id));
  auto code = ProvisionalCodeOf(*db_, item.ref);
  if (!code.ok()) return code.status();
  MCK_RETURN_IF_ERROR(AppendAudit(*db_, FormatRfc3339Vietnam(now), "sync", "dossier.accepted", *code,
                                  "dossier_code=" + dossier_code + " appointment=" + appointment_date));
  return txn.Commit();
}

Status Store::RecordNeedsAttention(const OutboxItem& item, const std::string& error, const json& details) {
  const TimePoint now = Now();
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  if (item.kind == "dossier") {
    auto up = db_->Prepare(
        "UPDATE dossiers SET state = 'needs_attention', attempts = attempts + 1, last_error = ?, "
        "attention_details = ? WHERE client_id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, error).Bind(2, details.dump()).Bind(3, item.ref);
    MCK_RETURN_IF_ERROR(up->Run());
  } else {
    auto up = db_->Prepare(std::string("UPDATE ") + (item.kind == "rating" ? "ratings" : "decisions") +
                           " SET state = 'needs_attention' WHERE idempotency_key = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, item.idempotency_key);
    MCK_RETURN_IF_ERROR(up->Run());
  }
  MCK_RETURN_IF_ERROR(DeleteOutbox(*db_, item.id));
  std::string subject = item.ref;
  if (item.kind == "dossier") {
    auto code = ProvisionalCodeOf(*db_, item.ref);
    if (code.ok()) subject = *code;
  }
  MCK_RETURN_IF_ERROR(
      AppendAudit(*db_, FormatRfc3339Vietnam(now), "sync", item.kind + ".needs_attention", subject, error));
  return txn.Commit();
}

Status Store::RecordRetry(const OutboxItem& item, const std::string& error, TimePoint next_attempt) {
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto up = db_->Prepare(
      "UPDATE outbox SET attempts = attempts + 1, last_error = ?, due_unix = ?, lease_owner = NULL, "
      "lease_expires = NULL WHERE id = ?");
  if (!up.ok()) return up.status();
  up->Bind(1, error).Bind(2, UnixSeconds(next_attempt)).Bind(3, item.id);
  MCK_RETURN_IF_ERROR(up->Run());
  if (item.kind == "dossier") {
    auto d = db_->Prepare(
        "UPDATE dossiers SET state = 'queued', attempts = attempts + 1, last_error = ? WHERE client_id = ? "
        "AND state = 'sending'");
    if (!d.ok()) return d.status();
    d->Bind(1, error).Bind(2, item.ref);
    MCK_RETURN_IF_ERROR(d->Run());
  }
  return txn.Commit();
}

Status Store::RecordDelivered(const OutboxItem& item) {
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  if (item.kind == "rating" || item.kind == "decision") {
    auto up = db_->Prepare(std::string("UPDATE ") + (item.kind == "rating" ? "ratings" : "decisions") +
                           " SET state = 'sent' WHERE idempotency_key = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, item.idempotency_key);
    MCK_RETURN_IF_ERROR(up->Run());
  }
  MCK_RETURN_IF_ERROR(DeleteOutbox(*db_, item.id));
  MCK_RETURN_IF_ERROR(
      AppendAudit(*db_, FormatRfc3339Vietnam(Now()), "sync", item.kind + ".delivered", item.idempotency_key, ""));
  return txn.Commit();
}

Status Store::ReleaseLease(const OutboxItem& item) {
  auto up = db_->Prepare("UPDATE outbox SET lease_owner = NULL, lease_expires = NULL WHERE id = ?");
  if (!up.ok()) return up.status();
  up->Bind(1, item.id);
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  MCK_RETURN_IF_ERROR(up->Run());
  if (item.kind == "dossier") {
    auto d = db_->Prepare("UPDATE dossiers SET state = 'queued' WHERE client_id = ? AND state = 'sending'");
    if (!d.ok()) return d.status();
    d->Bind(1, item.ref);
    MCK_RETURN_IF_ERROR(d->Run());
  }
  return txn.Commit();
}

Status Store::Requeue(const std::string& key) {
  auto rec = GetDossier(key);
  if (!rec.ok()) return rec.status();
  if (rec->state != DossierState::kNeedsAttention) {
    return Status::Error(Code::kFailedPrecondition, "only a dossier that needs attention can be re-queued",
                         "Chỉ gửi lại được hồ sơ đang cần xử lý");
  }
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto up = db_->Prepare("UPDATE dossiers SET state = 'queued', attention_details = NULL WHERE client_id = ?");
  if (!up.ok()) return up.status();
  up->Bind(1, rec->client_id);
  MCK_RETURN_IF_ERROR(up->Run());
  auto ob = db_->Prepare("INSERT INTO outbox(kind, ref, idempotency_key, due_unix) VALUES('dossier', ?, ?, ?)");
  if (!ob.ok()) return ob.status();
  ob->Bind(1, rec->client_id).Bind(2, rec->client_id).Bind(3, UnixSeconds(Now()));
  MCK_RETURN_IF_ERROR(ob->Run());
  MCK_RETURN_IF_ERROR(
      AppendAudit(*db_, FormatRfc3339Vietnam(Now()), "staff", "dossier.requeued", rec->provisional_code, ""));
  return txn.Commit();
}

Status Store::UpdatePortalStatus(const std::string& client_id, const std::string& status,
                                 const std::string& status_text, const std::string& updated_at,
                                 const std::string& appointment_date) {
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto up = db_->Prepare(
      "UPDATE dossiers SET portal_status = ?, portal_status_text = ?, portal_updated_at = ?, "
      "appointment_date = COALESCE(NULLIF(?, ''), appointment_date) WHERE client_id = ? AND "
      "(portal_status IS NOT ? OR portal_updated_at IS NOT ?)");
  if (!up.ok()) return up.status();
  up->Bind(1, status).Bind(2, status_text).Bind(3, updated_at).Bind(4, appointment_date).Bind(5, client_id);
  up->Bind(6, status).Bind(7, updated_at);
  MCK_RETURN_IF_ERROR(up->Run());
  if (sqlite3_changes(db_->raw()) > 0) {
    auto code = ProvisionalCodeOf(*db_, client_id);
    if (!code.ok()) return code.status();
    MCK_RETURN_IF_ERROR(
        AppendAudit(*db_, FormatRfc3339Vietnam(Now()), "sync", "dossier.status", *code, "status=" + status));
  }
  return txn.Commit();
}

Result<json> Store::OutboxBody(const OutboxItem& item) {
  if (item.kind == "dossier") {
    auto rec = GetDossier(item.ref);
    if (!rec.ok()) return rec.status();
    if (rec->body.is_null()) return Status::Error(Code::kNotFound, "dossier body purged", "Dữ liệu hồ sơ đã bị xoá");
    json body = rec->body;
    body.erase("catalog_version");
    return body;
  }
  if (item.kind == "rating") {
    auto s = db_->Prepare(
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
      auto c = sealer_->Open(s->Blob(3), "rating:" + item.idempotency_key);
      if (!c.ok()) return c.status();
      comment = *c;
    }
    json body = {{"dossier_code", s->IsNull(0) ? json() : json(s->Text(0))},
                 {"counter", s->Text(1)},
                 {"scores", json::parse(s->Text(2), nullptr, false)},
                 {"comment", comment},
                 {"rated_at", s->Text(4)}};
    return body;
  }
  auto s = db_->Prepare("SELECT body_sealed FROM decisions WHERE idempotency_key = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, item.idempotency_key);
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "decision not found", "Không tìm thấy quyết định");
  }
  auto plain = sealer_->Open(s->Blob(0), "decision:" + item.idempotency_key);
  if (!plain.ok()) return plain.status();
  return json::parse(*plain, nullptr, false);
}

int64_t Store::QueueDepth() {
  auto s = db_->Prepare("SELECT count(*) FROM dossiers WHERE state IN ('queued','sending')");
  Status st;
  return (s.ok() && s->Step(&st)) ? s->Int(0) : 0;
}

Result<int> Store::MakeOutboxDueNow() {
  const int64_t now = UnixSeconds(Now());
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto up = db_->Prepare(
      "UPDATE outbox SET due_unix = ?1 WHERE due_unix > ?1 AND (lease_expires IS NULL OR lease_expires <= ?1)");
  if (!up.ok()) return up.status();
  up->Bind(1, now);
  MCK_RETURN_IF_ERROR(up->Run());
  const int n = sqlite3_changes(db_->raw());
  MCK_RETURN_IF_ERROR(
      AppendAudit(*db_, FormatRfc3339Vietnam(Now()), "staff", "outbox.send_now", "", "items=" + std::to_string(n)));
  MCK_RETURN_IF_ERROR(txn.Commit());
  return n;
}

Result<std::optional<TimePoint>> Store::NextOutboxDue() {
  auto s = db_->Prepare(
      "SELECT min(CASE WHEN lease_expires IS NOT NULL AND lease_expires > due_unix THEN lease_expires "
      "ELSE due_unix END) FROM outbox");
  if (!s.ok()) return s.status();
  Status st;
  if (!s->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return std::optional<TimePoint>();
  }
  if (s->IsNull(0)) return std::optional<TimePoint>();
  return std::optional<TimePoint>(FromUnixSeconds(s->Int(0)));
}

int64_t Store::OldestUnsyncedAgeSeconds() {
  auto s = db_->Prepare("SELECT min(submitted_unix) FROM dossiers WHERE state IN ('queued','sending')");
  Status st;
  if (!s.ok() || !s->Step(&st) || s->IsNull(0)) return 0;
  return std::max<int64_t>(0, UnixSeconds(Now()) - s->Int(0));
}

// ---- ratings ----------------------------------------------------------------------------------

Result<std::string> Store::SubmitRating(const Rating& r) {
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
  const std::string key = NewUuidV4();
  const TimePoint now = Now();
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto ins = db_->Prepare(
      "INSERT INTO ratings(idempotency_key, dossier_code, counter, scores, comment_sealed, rated_at, state) "
      "VALUES(?,?,?,?,?,?,'queued')");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, key).Bind(2, r.dossier_code).Bind(3, r.counter).Bind(4, r.scores.dump());
  if (r.comment.empty())
    ins->BindNull(5);
  else
    ins->BindBlob(5, sealer_->Seal(r.comment, "rating:" + key));
  ins->Bind(6, FormatRfc3339Vietnam(now));
  MCK_RETURN_IF_ERROR(ins->Run());
  auto ob = db_->Prepare("INSERT INTO outbox(kind, ref, idempotency_key, due_unix) VALUES('rating', ?, ?, ?)");
  if (!ob.ok()) return ob.status();
  ob->Bind(1, key).Bind(2, key).Bind(3, UnixSeconds(now));
  MCK_RETURN_IF_ERROR(ob->Run());
  MCK_RETURN_IF_ERROR(
      AppendAudit(*db_, FormatRfc3339Vietnam(now), kActorKiosk, "rating.submitted", key, "counter=" + r.counter));
  MCK_RETURN_IF_ERROR(txn.Commit());
  return key;
}

// ---- counter decisions ------------------------------------------------------------------------

Result<std::string> Store::SubmitDecision(const std::string& dossier_ref, const json& decision) {
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
  const std::string key = NewUuidV4();
  const TimePoint now = Now();
  json body = decision;
  if (!body.contains("decided_at")) body["decided_at"] = FormatRfc3339Vietnam(now);
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto ins = db_->Prepare(
      "INSERT INTO decisions(idempotency_key, dossier_ref, decision, body_sealed, decided_at, state) "
      "VALUES(?,?,?,?,?,'queued')");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, key).Bind(2, dossier_ref).Bind(3, word).BindBlob(4, sealer_->Seal(body.dump(), "decision:" + key));
  ins->Bind(5, body.value("decided_at", ""));
  MCK_RETURN_IF_ERROR(ins->Run());
  auto ob = db_->Prepare("INSERT INTO outbox(kind, ref, idempotency_key, due_unix) VALUES('decision', ?, ?, ?)");
  if (!ob.ok()) return ob.status();
  ob->Bind(1, dossier_ref).Bind(2, key).Bind(3, UnixSeconds(now));
  MCK_RETURN_IF_ERROR(ob->Run());
  MCK_RETURN_IF_ERROR(
      AppendAudit(*db_, FormatRfc3339Vietnam(now), "staff", "decision.submitted", dossier_ref, "decision=" + word));
  MCK_RETURN_IF_ERROR(txn.Commit());
  return key;
}

Result<std::vector<Store::StoredDecision>> Store::DecisionsFor(const DossierSummary& dossier) {
  auto s = db_->Prepare(
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
    auto plain = sealer_->Open(s->Blob(4), "decision:" + d.idempotency_key);
    if (!plain.ok()) return plain.status();
    d.body = json::parse(*plain, nullptr, false);
    out.push_back(std::move(d));
  }
  MCK_RETURN_IF_ERROR(st);
  return out;
}

// ---- catalog ----------------------------------------------------------------------------------

Result<CachedCatalog> Store::CachedCatalogRaw() {
  auto s = db_->Prepare("SELECT etag, body, fetched_at FROM catalog_cache WHERE id = 1");
  if (!s.ok()) return s.status();
  Status st;
  if (s->Step(&st)) return CachedCatalog{s->Text(0), s->Text(1), s->Text(2)};
  MCK_RETURN_IF_ERROR(st);
  if (options_.catalog_seed.empty()) {
    return Status::Error(Code::kNotFound, "no procedure catalog cached and no seed configured",
                         "Chưa có danh mục thủ tục");
  }
  std::ifstream in(options_.catalog_seed, std::ios::binary);
  if (!in) {
    return Status::Error(Code::kNotFound, options_.catalog_seed.string() + ": cannot read the catalog seed",
                         options_.catalog_seed.string() + ": không đọc được danh mục thủ tục");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = ParseCatalogText(ss.str());
  if (!parsed.ok()) {
    return parsed.status().WithContext(options_.catalog_seed.string() + ": ", options_.catalog_seed.string() + ": ");
  }
  MCK_RETURN_IF_ERROR(PutCatalog("", ss.str()));
  return CachedCatalogRaw();
}

Result<Catalog> Store::LoadCatalog() {
  auto raw = CachedCatalogRaw();
  if (!raw.ok()) return raw.status();
  return ParseCatalogText(raw->body);
}

Status Store::PutCatalog(const std::string& etag, const std::string& body) {
  auto parsed = ParseCatalogText(body);
  if (!parsed.ok()) return parsed.status();
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto up = db_->Prepare(
      "INSERT INTO catalog_cache(id, etag, version, body, fetched_at) VALUES(1, ?, ?, ?, ?) "
      "ON CONFLICT(id) DO UPDATE SET etag = excluded.etag, version = excluded.version, body = excluded.body, "
      "fetched_at = excluded.fetched_at");
  if (!up.ok()) return up.status();
  const std::string now = FormatRfc3339Vietnam(Now());
  up->Bind(1, etag).Bind(2, parsed->version).Bind(3, body).Bind(4, now);
  MCK_RETURN_IF_ERROR(up->Run());
  MCK_RETURN_IF_ERROR(AppendAudit(*db_, now, kActorKiosk, "catalog.updated", parsed->version,
                                  "procedures=" + std::to_string(parsed->procedures.size())));
  return txn.Commit();
}

// ---- settings ---------------------------------------------------------------------------------

Result<std::optional<std::string>> Store::GetSetting(const std::string& key) {
  auto s = db_->Prepare("SELECT value FROM settings WHERE key = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, key);
  Status st;
  if (s->Step(&st)) return std::optional<std::string>(s->Text(0));
  MCK_RETURN_IF_ERROR(st);
  return std::optional<std::string>();
}

Status Store::PutSetting(const std::string& key, const std::string& value) {
  auto s = db_->Prepare(
      "INSERT INTO settings(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!s.ok()) return s.status();
  s->Bind(1, key).Bind(2, value);
  return s->Run();
}

// ---- tickets ----------------------------------------------------------------------------------

namespace {
constexpr const char* kTicketColumns = "id, counter, number, day, state, issued_at, called_at, dossier_client_id";
Store::Ticket ReadTicket(const Stmt& s) {
  Store::Ticket t;
  t.id = s.Int(0);
  t.counter = s.Text(1);
  t.number = static_cast<int>(s.Int(2));
  t.day = s.Text(3);
  t.state = s.Text(4);
  t.issued_at = s.Text(5);
  t.called_at = s.OptText(6);
  t.dossier_client_id = s.OptText(7);
  return t;
}
}  // namespace

Result<Store::Ticket> Store::ReserveTicket(const std::string& counter,
                                           const std::optional<std::string>& dossier_client_id) {
  if (counter.empty()) return Status::Error(Code::kInvalidArgument, "no counter given", "Chưa chọn quầy");
  const TimePoint now = Now();
  const std::string day = FormatDate(VietnamDate(now));
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto seq = NextInSequence(*db_, "ticket:" + counter, day);
  if (!seq.ok()) return seq.status();
  auto ins = db_->Prepare(
      "INSERT INTO tickets(counter, day, number, state, issued_at, dossier_client_id) VALUES(?,?,?,'pending',?,?)");
  if (!ins.ok()) return ins.status();
  Ticket t;
  t.counter = counter;
  t.day = day;
  t.number = *seq;
  t.state = "pending";
  t.issued_at = FormatRfc3339Vietnam(now);
  t.dossier_client_id = dossier_client_id;
  ins->Bind(1, counter).Bind(2, day).Bind(3, t.number).Bind(4, t.issued_at).Bind(5, dossier_client_id);
  MCK_RETURN_IF_ERROR(ins->Run());
  t.id = sqlite3_last_insert_rowid(db_->raw());
  MCK_RETURN_IF_ERROR(
      AppendAudit(*db_, t.issued_at, kActorKiosk, "ticket.reserved", counter + "-" + std::to_string(t.number), ""));
  MCK_RETURN_IF_ERROR(txn.Commit());
  return t;
}

Status Store::SetTicketState(int64_t ticket_id, const std::string& state) {
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto up = db_->Prepare("UPDATE tickets SET state = ? WHERE id = ? RETURNING counter, number");
  if (!up.ok()) return up.status();
  up->Bind(1, state).Bind(2, ticket_id);
  Status st;
  if (!up->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "no such ticket", "Không có số thứ tự này");
  }
  const std::string subject = up->Text(0) + "-" + std::to_string(up->Int(1));
  MCK_RETURN_IF_ERROR(up->Run());
  MCK_RETURN_IF_ERROR(AppendAudit(*db_, FormatRfc3339Vietnam(Now()), kActorKiosk, "ticket." + state, subject, ""));
  return txn.Commit();
}

Result<Store::Ticket> Store::CallNextTicket(const std::string& counter) {
  const TimePoint now = Now();
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto sel = db_->Prepare(std::string("SELECT ") + kTicketColumns +
                          " FROM tickets WHERE counter = ? AND day = ? AND state = 'issued' ORDER BY number LIMIT 1");
  if (!sel.ok()) return sel.status();
  sel->Bind(1, counter).Bind(2, FormatDate(VietnamDate(now)));
  Status st;
  if (!sel->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "nobody is waiting at counter " + counter,
                         "Không còn ai chờ ở quầy " + counter);
  }
  Ticket t = ReadTicket(*sel);
  t.state = "called";
  t.called_at = FormatRfc3339Vietnam(now);
  auto up = db_->Prepare("UPDATE tickets SET state = 'called', called_at = ? WHERE id = ?");
  if (!up.ok()) return up.status();
  up->Bind(1, *t.called_at).Bind(2, t.id);
  MCK_RETURN_IF_ERROR(up->Run());
  MCK_RETURN_IF_ERROR(
      AppendAudit(*db_, *t.called_at, "staff", "ticket.called", counter + "-" + std::to_string(t.number), ""));
  MCK_RETURN_IF_ERROR(txn.Commit());
  return t;
}

Result<int> Store::WaitingTickets(const std::string& counter) {
  auto s = db_->Prepare("SELECT count(*) FROM tickets WHERE counter = ? AND day = ? AND state = 'issued'");
  if (!s.ok()) return s.status();
  s->Bind(1, counter).Bind(2, FormatDate(VietnamDate(Now())));
  Status st;
  if (!s->Step(&st)) return st;
  return static_cast<int>(s->Int(0));
}

Result<std::vector<Store::Ticket>> Store::TodaysTickets(const std::string& state) {
  auto s = db_->Prepare(std::string("SELECT ") + kTicketColumns +
                        " FROM tickets WHERE day = ? AND state = ? ORDER BY counter, number");
  if (!s.ok()) return s.status();
  s->Bind(1, FormatDate(VietnamDate(Now()))).Bind(2, state);
  std::vector<Ticket> out;
  Status st;
  while (s->Step(&st)) out.push_back(ReadTicket(*s));
  MCK_RETURN_IF_ERROR(st);
  return out;
}

// ---- retention and checks ---------------------------------------------------------------------

Result<int> Store::PurgeExpired() {
  const TimePoint now = Now();
  const int64_t cutoff = UnixSeconds(now) - int64_t{options_.retention_days} * 86400;
  Transaction txn(*db_);
  MCK_RETURN_IF_ERROR(txn.Begin());
  auto sel = db_->Prepare(
      "SELECT client_id, provisional_code, dossier_code FROM dossiers WHERE state = 'accepted' AND body_sealed IS NOT "
      "NULL "
      "AND accepted_unix <= ?");
  if (!sel.ok()) return sel.status();
  sel->Bind(1, cutoff);
  struct Victim {
    std::string client_id, code, official;
  };
  std::vector<Victim> victims;
  Status st;
  while (sel->Step(&st)) victims.push_back({sel->Text(0), sel->Text(1), sel->OptText(2).value_or(sel->Text(0))});
  MCK_RETURN_IF_ERROR(st);
  const std::string at = FormatRfc3339Vietnam(now);
  for (const auto& [client_id, code, official] : victims) {
    auto up = db_->Prepare(
        "UPDATE dossiers SET body_sealed = NULL, attention_details = NULL, purged_at = ? WHERE client_id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, at).Bind(2, client_id);
    MCK_RETURN_IF_ERROR(up->Run());
    // Its delivered decisions keep their word only: a reason or a list of papers may describe
    // the citizen. (A decision still queued is left whole so it can still be sent.)
    auto dec = db_->Prepare(
        "SELECT idempotency_key, decision FROM decisions WHERE state = 'sent' AND dossier_ref IN (?1, ?2, ?3)");
    if (!dec.ok()) return dec.status();
    dec->Bind(1, client_id).Bind(2, code).Bind(3, official);
    std::vector<std::pair<std::string, std::string>> decided;
    while (dec->Step(&st)) decided.emplace_back(dec->Text(0), dec->Text(1));
    MCK_RETURN_IF_ERROR(st);
    for (const auto& [key, word] : decided) {
      auto w = db_->Prepare("UPDATE decisions SET body_sealed = ? WHERE idempotency_key = ?");
      if (!w.ok()) return w.status();
      w->BindBlob(1, sealer_->Seal(json{{"decision", word}, {"purged", true}}.dump(), "decision:" + key)).Bind(2, key);
      MCK_RETURN_IF_ERROR(w->Run());
    }
    MCK_RETURN_IF_ERROR(AppendAudit(*db_, at, kActorKiosk, "dossier.purged", code,
                                    "retention_days=" + std::to_string(options_.retention_days)));
  }
  // Attachment bytes go when no dossier that still holds personal data refers to them.
  MCK_RETURN_IF_ERROR(
      db_->Exec("UPDATE attachments SET data_sealed = NULL WHERE data_sealed IS NOT NULL AND sha256 NOT IN ("
                "SELECT da.sha256 FROM dossier_attachments da JOIN dossiers d ON d.id = da.dossier_id "
                "WHERE d.body_sealed IS NOT NULL)"));
  auto rc = db_->Prepare(
      "UPDATE ratings SET comment_sealed = NULL WHERE state = 'sent' AND comment_sealed IS NOT NULL "
      "AND rated_at <= ?");
  if (!rc.ok()) return rc.status();
  rc->Bind(1, FormatRfc3339Vietnam(FromUnixSeconds(cutoff)));
  MCK_RETURN_IF_ERROR(rc->Run());
  MCK_RETURN_IF_ERROR(txn.Commit());
  return static_cast<int>(victims.size());
}

Result<StoreCheck> Store::Check() {
  StoreCheck c;
  auto s = db_->Prepare("PRAGMA integrity_check");
  if (!s.ok()) return s.status();
  Status st;
  std::string report;
  while (s->Step(&st)) report += (report.empty() ? "" : "; ") + s->Text(0);
  if (!st.ok()) {
    c.integrity_ok = false;
    c.integrity_message = st.message_en();
  } else {
    c.integrity_ok = report == "ok";
    c.integrity_message = report;
  }
  auto fk = db_->Prepare("PRAGMA foreign_key_check");
  if (fk.ok() && fk->Step(&st)) {
    c.integrity_ok = false;
    c.integrity_message += "; foreign key violation in table " + fk->Text(0);
  }
  auto audit = VerifyAuditChain(*db_);
  if (!audit.ok()) {
    c.audit_ok = false;
    c.audit_message = audit.status().message_en();
  } else {
    c.audit_ok = audit->ok;
    c.audit_rows = audit->rows;
    c.audit_message = audit->message;
  }
  return c;
}

}  // namespace mck
