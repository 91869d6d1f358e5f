// The kiosk's diagnostics report (issue 10): what a technician or the province's support desk
// needs to know about one kiosk, as plain values — the technician's diagnostics screen renders it
// and `kioskctl diag [--json]` prints it (docs/kioskctl.md).
//
// Never personal data: counts, ages, states, codes, versions, the kiosk's own identity and the
// portal's address. The last sync error is the English message the sync engine records, which by
// its rules (offline/sync) names no citizen; `diag bundle` passes everything through the scrubber
// (kiosk/core/scrubber.h) anyway.
//
// Thread-safety: CollectDiagnostics uses the caller's Store on the caller's thread; the rest is
// pure.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/identity_assurance.h"
#include "offline/domain/clock.h"
#include "offline/domain/config.h"
#include "offline/domain/status.h"

namespace mck {
class Store;
}

namespace mck::core {

struct DiagnosticsReport {
  std::string version;
  int64_t generated_unix = 0;
  // Identity and enrolment.
  int kiosk_number = 0;
  std::string commune_code, commune_name;  // from the enrolment when enrolled, else the config
  bool enrolled = false;
  std::string kiosk_id, portal_url, enrolled_at;
  // The mTLS client certificate.
  std::string cert_serial;
  std::string cert_expires_at;            // RFC 3339 (+07:00)
  std::optional<int64_t> cert_days_left;  // whole days, negative once expired
  int cert_renew_days = 30;               // a sync pass renews below this
  std::string cert_renewed_at, cert_renewal_tried_at, cert_renewal_error;
  // Keys at rest: "tpm" or "file" (weaker: a disk thief reads them).
  std::string key_protection;
  bool key_protection_weaker = false;
  // The outbox and the sync engine.
  int64_t queue_depth = 0;
  int64_t oldest_unsent_age_s = 0;
  std::string last_sync_at, last_sync_error;
  std::optional<int64_t> last_success_unix;
  std::optional<int64_t> portal_latency_ms;
  std::optional<int64_t> clock_skew_s;
  std::map<std::string, int64_t> sync_failures;  // cause → total (only the ones that happened)
  // Dossiers with papers digitised at the kiosk (docs/scanning.md "The count").
  int64_t digitised_today = 0, digitised_total = 0, digitised_documents_total = 0;
  // The machine and the devices.
  std::string data_dir;
  std::optional<int64_t> disk_free_bytes;
  std::string printer_state = "unknown", card_reader_state = "unknown";
  std::string printer, card_reader;  // the configured kinds ("escpos:…", "pcsc", "sim")
  bool csca_configured = false;
  std::vector<DiagnosticLine> card_checks;  // CardSetupDiagnostics
  // The daily purge of expired personal data.
  std::string purge_last_run_at, purge_last_result;
  int retention_days = 30;
};

struct DiagnosticsInputs {
  std::string version;
  TimePoint now;
  std::optional<std::string> printer_state;      // live; nullopt: the last one the sync recorded
  std::optional<std::string> card_reader_state;  // idem
};

// Reads the report from the store's settings (enrolment, sync state, metrics, renewal, purge),
// the outbox, the certificate file and the file system. Errors: the store's.
Result<DiagnosticsReport> CollectDiagnostics(Store& store, const KioskConfig& config, const DiagnosticsInputs& in);

nlohmann::json DiagnosticsJson(const DiagnosticsReport& report);
// Bilingual lines for a person ("Chứng chỉ / certificate: còn 12 ngày / 12 days left ...").
std::string DiagnosticsText(const DiagnosticsReport& report);

}  // namespace mck::core
