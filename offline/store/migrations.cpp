#include "offline/store/migrations.h"

#include <algorithm>
#include <string>
#include <vector>

namespace mck {

namespace {

// Append only. Never edit a migration that has shipped: add the next one.
const std::vector<const char*> kMigrations = {
    // 1: the first schema.
    R"SQL(
CREATE TABLE settings(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Daily sequences: provisional dossier codes (scope 'dossier') and queue tickets ('ticket:<counter>').
CREATE TABLE sequences(
  scope TEXT NOT NULL,
  day   TEXT NOT NULL,          -- YYYY-MM-DD, Vietnam time
  last  INTEGER NOT NULL,
  PRIMARY KEY(scope, day)
);

CREATE TABLE dossiers(
  id                 INTEGER PRIMARY KEY,
  client_id          TEXT NOT NULL UNIQUE,
  provisional_code   TEXT NOT NULL UNIQUE,
  procedure_code     TEXT NOT NULL,
  catalog_version    TEXT NOT NULL,
  submitted_at       TEXT NOT NULL,
  submitted_unix     INTEGER NOT NULL,
  state              TEXT NOT NULL CHECK(state IN ('queued','sending','accepted','needs_attention')),
  dossier_code       TEXT UNIQUE,
  appointment_date   TEXT,
  portal_status      TEXT,
  portal_status_text TEXT,
  portal_updated_at  TEXT,
  accepted_at        TEXT,
  accepted_unix      INTEGER,
  attempts           INTEGER NOT NULL DEFAULT 0,
  last_error         TEXT,
  attention_details  TEXT,         -- the portal's reasons (JSON), field paths and messages only
  body_sealed        BLOB,         -- AES-256-GCM, AD "dossier:<client_id>"; NULL once purged
  purged_at          TEXT
);
CREATE INDEX dossiers_state ON dossiers(state);

-- Content-addressed attachment bytes, shared between dossiers that carry the same file.
CREATE TABLE attachments(
  sha256      TEXT PRIMARY KEY CHECK(length(sha256) = 64),
  size        INTEGER NOT NULL,
  media_type  TEXT NOT NULL,
  data_sealed BLOB,                -- AD "attachment:<sha256>"; NULL once purged
  created_at  TEXT NOT NULL
);

CREATE TABLE dossier_attachments(
  dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  sha256     TEXT NOT NULL REFERENCES attachments(sha256),
  PRIMARY KEY(dossier_id, position)
);
CREATE INDEX dossier_attachments_sha ON dossier_attachments(sha256);

-- Work for the sync engine: dossiers, ratings and counter decisions, each with its own
-- idempotency key. A row is leased to one runner at a time; it is deleted in the transaction
-- that records the portal's final answer.
CREATE TABLE outbox(
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK(kind IN ('dossier','rating','decision')),
  ref              TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL UNIQUE,
  due_unix         INTEGER NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  lease_owner      TEXT,
  lease_expires    INTEGER
);
CREATE INDEX outbox_due ON outbox(due_unix);

CREATE TABLE ratings(
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  dossier_code    TEXT,
  counter         TEXT NOT NULL,
  scores          TEXT NOT NULL,   -- JSON {"criterion": 1..5}
  comment_sealed  BLOB,            -- AD "rating:<key>"
  rated_at        TEXT NOT NULL,
  state           TEXT NOT NULL CHECK(state IN ('queued','sent','needs_attention'))
);

CREATE TABLE decisions(
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  dossier_ref     TEXT NOT NULL,   -- official code or client id
  decision        TEXT NOT NULL CHECK(decision IN ('accept','request_supplement','refuse')),
  body_sealed     BLOB NOT NULL,   -- AD "decision:<key>"
  decided_at      TEXT NOT NULL,
  state           TEXT NOT NULL CHECK(state IN ('queued','sent','needs_attention'))
);

CREATE TABLE catalog_cache(
  id         INTEGER PRIMARY KEY CHECK(id = 1),
  etag       TEXT NOT NULL,
  version    TEXT NOT NULL,
  body       TEXT NOT NULL,
  fetched_at TEXT NOT NULL
);

CREATE TABLE tickets(
  id                INTEGER PRIMARY KEY,
  counter           TEXT NOT NULL,
  day               TEXT NOT NULL,
  number            INTEGER NOT NULL,
  state             TEXT NOT NULL CHECK(state IN ('pending','issued','print_failed','called','done')),
  issued_at         TEXT NOT NULL,
  called_at         TEXT,
  dossier_client_id TEXT,
  UNIQUE(counter, day, number)
);

-- Append-only, hash-chained: hash = SHA-256(prev_hash | id | at | actor | action | subject | detail).
-- Rows hold codes and states, never personal data.
CREATE TABLE audit_log(
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  subject   TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)SQL",
    // 2: a citizen's "Gọi cán bộ hỗ trợ" (docs/ui.md "Asking for help"). No personal data: the
    // kiosk, the screen it was asked from, when; and when staff dismissed it. At most one open
    // request per kiosk (a second press while one is open finds the first).
    R"SQL(
CREATE TABLE help_requests(
  id             INTEGER PRIMARY KEY,
  kiosk_number   INTEGER NOT NULL,
  screen         TEXT NOT NULL,
  requested_at   TEXT NOT NULL,    -- RFC 3339, +07:00
  requested_unix INTEGER NOT NULL,
  dismissed_at   TEXT              -- RFC 3339, +07:00; NULL while open
);
CREATE UNIQUE INDEX help_requests_one_open ON help_requests(kiosk_number) WHERE dismissed_at IS NULL;
)SQL",
    // 3: the fee's payment as the portal knows it (docs/payment.md "Payment status"): the amount
    // the portal holds, and when paid, the time and the bank's transfer reference. No personal
    // data: a sum, a time and the bank's reference (not the payer's name or account).
    R"SQL(
ALTER TABLE dossiers ADD COLUMN fee_amount_vnd INTEGER;  -- NULL: the portal said nothing of a fee
ALTER TABLE dossiers ADD COLUMN fee_paid_at    TEXT;     -- RFC 3339; NULL while unpaid
ALTER TABLE dossiers ADD COLUMN fee_reference  TEXT;     -- the bank's transfer reference once paid
)SQL",
    // 4: how many of the dossier's papers were digitised at the kiosk (docs/scanning.md "The
    // count"), set at submission from the body's documents[i].digitised, so the province's count
    // of dossiers with digitised papers survives the body's purge. The dossiers already stored are
    // counted by the store right after this step, in the same transaction (their bodies are
    // sealed: SQL cannot read them; MigrationPlan::after_step).
    R"SQL(
ALTER TABLE dossiers ADD COLUMN digitised_documents INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dossiers_digitised_day ON dossiers(substr(submitted_at, 1, 10)) WHERE digitised_documents > 0;
)SQL",
    // 5: the commune's officers (docs/officers.md): who may open staff mode, each with their own
    // PIN record (pin_record.h) and lock-out. Staff data, not a citizen's: names are printed on
    // the Mẫu 01 receipt. Rows are never deleted (the audit and decisions name them): disabled.
    R"SQL(
CREATE TABLE officers(
  id           TEXT PRIMARY KEY,      -- the portal's staff id
  name         TEXT NOT NULL,
  title        TEXT NOT NULL DEFAULT '',
  counters     TEXT NOT NULL DEFAULT '',  -- queue counters, comma-separated; '' = any
  pin_record   TEXT NOT NULL,         -- pbkdf2-sha256$iterations$salt$hash
  failures     INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,  -- unix seconds
  lockouts     INTEGER NOT NULL DEFAULT 0,  -- lock-outs in a row (the ladder)
  disabled_at  TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
)SQL",
    // 6: how an officer signs in (docs/officers.md): their own PIN ('pin', the record above), or
    // the PIN of their signing token ('token': the token proves the key and the certificate names
    // them; pin_record is then '').
    R"SQL(
ALTER TABLE officers ADD COLUMN sign_in TEXT NOT NULL DEFAULT 'pin' CHECK(sign_in IN ('pin','token'));
)SQL",
};

}  // namespace

int LatestSchemaVersion() {
  return static_cast<int>(kMigrations.size());
}

Result<int> SchemaVersion(Db& db) {
  auto stmt = db.Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  Status st;
  if (!stmt->Step(&st)) return st.ok() ? Status::Error(Code::kInternal, "no user_version") : st;
  return static_cast<int>(stmt->Int(0));
}

int MigrationPlan::newest() const {
  return LatestSchemaVersion() + static_cast<int>(extra.size());
}

int MigrationPlan::target() const {
  return stop_at > 0 ? std::min(stop_at, newest()) : newest();
}

Result<int> Migrate(Db& db, const MigrationPlan& plan) {
  auto current = SchemaVersion(db);
  if (!current.ok()) return current.status();
  const int latest = plan.newest();
  if (*current > latest) {
    return Status::Error(Code::kFailedPrecondition,
                         "database schema version " + std::to_string(*current) + " is newer than this program knows (" +
                             std::to_string(latest) +
                             "): a downgrade; the database was left untouched, no dossier was lost: install the "
                             "newer kiosk software again",
                         "Cơ sở dữ liệu thuộc phiên bản phần mềm mới hơn (lược đồ " + std::to_string(*current) +
                             ", phần mềm này chỉ biết đến " + std::to_string(latest) +
                             "). Tệp dữ liệu được giữ nguyên, không hồ sơ nào bị mất.\nKỹ thuật viên: hãy cài lại "
                             "phiên bản phần mềm mới hơn (không hạ cấp gói mot-cua-kiosk).");
  }
  if (*current >= plan.target()) return *current;
  // All the steps of one upgrade in ONE transaction (user_version is part of it): a failing step
  // rolls back the steps before it too, so the file is exactly as it was.
  Transaction txn(db);
  Status st = txn.Begin();
  int v = *current;
  if (st.ok()) {
    // Another process (kioskctl, the sync worker) may have migrated while we waited for the lock.
    auto locked = SchemaVersion(db);
    if (!locked.ok()) return locked.status();
    if (*locked >= plan.target()) return *locked;
    v = *locked;
  }
  for (; st.ok() && v < plan.target(); ++v) {
    const std::string sql = v < LatestSchemaVersion() ? std::string(kMigrations[static_cast<size_t>(v)])
                                                      : plan.extra[static_cast<size_t>(v - LatestSchemaVersion())];
    st = db.Exec(sql);
    if (st.ok() && plan.after_step) st = plan.after_step(db, v + 1);
    if (st.ok()) st = db.Exec("PRAGMA user_version = " + std::to_string(v + 1));
    if (!st.ok()) break;
  }
  if (st.ok()) st = txn.Commit();
  if (!st.ok()) {
    const std::string step = std::to_string(v) + " -> " + std::to_string(v + 1);
    return Status::Error(
        Code::kFailedPrecondition,
        "schema migration " + step + " failed and every step of this upgrade was rolled back: " + st.message_en(),
        "Nâng cấp cơ sở dữ liệu (lược đồ " + step + ") không thành công: " + st.message_vi());
  }
  return plan.target();
}

}  // namespace mck
