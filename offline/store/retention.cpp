// Store::PurgeExpired and Store::Check: what keeps the store small and honest over months.
#include <nlohmann/json.hpp>

#include <iostream>

#include "offline/store/audit.h"
#include "offline/store/core.h"
#include "offline/store/store.h"

namespace mck {

using nlohmann::json;

namespace {

struct Expired {
  std::string client_id, code, official;
};

// Strips one dossier's personal data. REQUIRES: the caller's transaction is open.
Status PurgeDossier(StoreCore& core, const Expired& d, const std::string& at) {
  Db& db = *core.db;
  auto up = db.Prepare(
      "UPDATE dossiers SET body_sealed = NULL, attention_details = NULL, last_error = NULL, portal_status_text = NULL, "
      "purged_at = ? WHERE client_id = ?");
  if (!up.ok()) return up.status();
  up->Bind(1, at).Bind(2, d.client_id);
  MCK_RETURN_IF_ERROR(up->Run());
  // Its delivered decisions keep their word only: a reason or a list of papers may describe the
  // citizen. (A decision still queued is left whole so it can still be sent.)
  auto dec = db.Prepare(
      "SELECT idempotency_key, decision FROM decisions WHERE state = 'sent' AND dossier_ref IN (?1, ?2, ?3)");
  if (!dec.ok()) return dec.status();
  dec->Bind(1, d.client_id).Bind(2, d.code).Bind(3, d.official);
  std::vector<std::pair<std::string, std::string>> decided;
  Status st;
  while (dec->Step(&st)) decided.emplace_back(dec->Text(0), dec->Text(1));
  MCK_RETURN_IF_ERROR(st);
  for (const auto& [key, word] : decided) {
    auto w = db.Prepare("UPDATE decisions SET body_sealed = ? WHERE idempotency_key = ?");
    if (!w.ok()) return w.status();
    w->BindBlob(1, core.sealer->Seal(json{{"decision", word}, {"purged", true}}.dump(), DecisionAd(key))).Bind(2, key);
    MCK_RETURN_IF_ERROR(w->Run());
  }
  return AppendAudit(db, at, kActorKiosk, "dossier.purged", d.code,
                     "retention_days=" + std::to_string(core.options.retention_days));
}

}  // namespace

Result<int> Store::PurgeExpired() {
  StoreCore& core = *core_;
  Db& db = *core.db;
  const TimePoint now = core.Now();
  const int64_t cutoff = UnixSeconds(now) - int64_t{core.options.retention_days} * 86400;
  const std::string at = FormatRfc3339Vietnam(now);
  auto purged = WithTransaction(db, [&]() -> Result<int> {
    // Accepted dossiers from their acceptance; refused ones (needs_attention, the portal's 4xx
    // that staff did not fix) from their submission: neither keeps a citizen's data for ever.
    auto sel = db.Prepare(
        "SELECT client_id, provisional_code, dossier_code FROM dossiers WHERE body_sealed IS NOT NULL AND "
        "((state = 'accepted' AND accepted_unix <= ?1) OR (state = 'needs_attention' AND submitted_unix <= ?1))");
    if (!sel.ok()) return sel.status();
    sel->Bind(1, cutoff);
    std::vector<Expired> expired;
    Status st;
    while (sel->Step(&st)) expired.push_back({sel->Text(0), sel->Text(1), sel->OptText(2).value_or(sel->Text(0))});
    MCK_RETURN_IF_ERROR(st);
    for (const auto& d : expired) MCK_RETURN_IF_ERROR(PurgeDossier(core, d, at));
    // Attachment bytes go when no dossier that still holds personal data refers to them.
    MCK_RETURN_IF_ERROR(
        db.Exec("UPDATE attachments SET data_sealed = NULL WHERE data_sealed IS NOT NULL AND sha256 NOT IN ("
                "SELECT da.sha256 FROM dossier_attachments da JOIN dossiers d ON d.id = da.dossier_id "
                "WHERE d.body_sealed IS NOT NULL)"));
    auto rc = db.Prepare(
        "UPDATE ratings SET comment_sealed = NULL WHERE state = 'sent' AND comment_sealed IS NOT NULL "
        "AND rated_at <= ?");
    if (!rc.ok()) return rc.status();
    rc->Bind(1, FormatRfc3339Vietnam(FromUnixSeconds(cutoff)));
    MCK_RETURN_IF_ERROR(rc->Run());
    return static_cast<int>(expired.size());
  });
  if (!purged.ok()) return purged;
  // The WAL still holds the frames of the pages as they were before the purge (sealed bodies,
  // attachment bytes): fold them into the database, where secure_delete overwrote them, and
  // cut the WAL to zero bytes. A reader on another connection can keep it busy: the next daily
  // run tries again (logged, codes only; the purge itself is committed).
  if (auto cp = CheckpointTruncate(); !cp.ok()) {
    std::cerr << "store: wal checkpoint after purge: " << cp.status().ToString() << "\n";
  } else if (!*cp) {
    std::cerr << "store: wal checkpoint after purge was busy; the next purge tries again\n";
  }
  return purged;
}

Result<bool> Store::CheckpointTruncate() {
  auto cp = core_->db->Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  if (!cp.ok()) return cp.status();
  Status st;
  if (!cp->Step(&st)) return st.ok() ? Status::Error(Code::kInternal, "wal_checkpoint returned no row") : st;
  return cp->Int(0) == 0;  // busy = 0: every frame was copied back and the WAL truncated
}

Result<Store::AuditHead> Store::LastAudit() {
  auto s = core_->db->Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!s.ok()) return s.status();
  Status st;
  AuditHead head{0, std::string(64, '0')};
  if (s->Step(&st)) head = {s->Int(0), s->Text(1)};
  MCK_RETURN_IF_ERROR(st);
  return head;
}

Result<std::optional<std::string>> Store::AuditHashAt(int64_t id) {
  auto s = core_->db->Prepare("SELECT hash FROM audit_log WHERE id = ?");
  if (!s.ok()) return s.status();
  s->Bind(1, id);
  Status st;
  std::optional<std::string> hash;
  if (s->Step(&st)) hash = s->Text(0);
  MCK_RETURN_IF_ERROR(st);
  return hash;
}

Result<StoreCheck> Store::Check() {
  Db& db = *core_->db;
  StoreCheck c;
  auto s = db.Prepare("PRAGMA integrity_check");
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
  auto fk = db.Prepare("PRAGMA foreign_key_check");
  if (fk.ok() && fk->Step(&st)) {
    c.integrity_ok = false;
    c.integrity_message += "; foreign key violation in table " + fk->Text(0);
  }
  auto audit = VerifyAuditChain(db);
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
