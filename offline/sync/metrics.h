// Fleet monitoring: the kiosk's figures in the Prometheus text exposition format, for
// node_exporter's textfile collector (docs/monitoring.md). The same figures the heartbeat
// carries (queue depth, oldest unsent age, printer and reader state, certificate expiry,
// version, disk free) plus what only a scraper needs: the last successful sync, the time of
// the last pass and sync failures by cause (counters, kept in the store's settings).
// Counts, states and versions only: no label ever holds anything a citizen gave.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/domain/status.h"

namespace mck {

class Store;

// Settings keys (Store::settings()) the sync worker keeps for the metrics.
namespace settings {
inline constexpr const char* kLastSuccessUnix = "metrics.last_success_unix";
inline constexpr const char* kLastPassUnix = "metrics.last_pass_unix";
inline constexpr const char* kFailuresPrefix = "metrics.sync_failures.";  // + cause: total count
inline constexpr const char* kPrinterState = "metrics.printer_state";
inline constexpr const char* kCardReaderState = "metrics.card_reader_state";
}  // namespace settings

struct KioskMetrics {
  std::string version;
  int64_t now_unix = 0;
  int64_t queue_depth = 0;          // dossiers not yet accepted (queued + sending)
  int64_t oldest_unsent_age_s = 0;  // 0 when none
  int64_t help_open = 0;            // citizens' "Gọi cán bộ hỗ trợ" not yet dismissed by staff
  int64_t help_oldest_age_s = 0;    // how long the oldest of them has waited; 0 when none
  // Dossiers that carried papers digitised at the kiosk (docs/scanning.md "The count"): since the
  // store began, their papers, and today's (Vietnam date of submission).
  int64_t digitised_dossiers_total = 0;
  int64_t digitised_documents_total = 0;
  int64_t digitised_dossiers_today = 0;
  std::optional<int64_t> last_success_unix;
  std::optional<int64_t> last_pass_unix;
  std::map<std::string, int64_t> sync_failures;  // cause (CodeName) → total
  std::string printer_state = "unknown";         // PaperStateName: ok, paper_low, paper_out, ...
  std::string card_reader_state = "unknown";
  std::optional<int64_t> cert_not_after_unix;  // the client certificate's notAfter
  bool cert_renewal_failing = false;           // the last renewal try failed (offline/sync/renewal.h)
  std::optional<int64_t> disk_free_bytes;
};

// The causes every failure counter is written for (0 until it happens), so rate() works from
// the first scrape: every Code but ok.
const std::vector<std::string>& SyncFailureCauses();

// A label value escaped for the text format: backslash, double quote and newline.
std::string PromEscapeLabel(std::string_view value);
// The text exposition format (HELP and TYPE for every metric, names prefixed mck_). Pure.
std::string RenderPrometheus(const KioskMetrics& m);

struct MetricsInputs {
  std::string version;
  TimePoint now;                           // the store's clock for age figures
  std::filesystem::path data_dir;          // for disk free; empty: not reported
  std::optional<std::string> printer;      // live state; nullopt: the last one recorded
  std::optional<std::string> card_reader;  // idem
};
// Reads the figures from the store (queue, counters, recorded states) and the client
// certificate file recorded at enrolment (its notAfter; the enrolment's expires_at when the
// file cannot be read).
Result<KioskMetrics> CollectMetrics(Store& store, const MetricsInputs& in);

// Adds `delta` to the stored failure counters (one transaction per key; small).
Status AddSyncFailures(Store& store, const std::map<std::string, int64_t>& delta);

// Writes `text` to `path` so a reader sees the old file or the new one, never a part: a
// temporary file in the same folder (its name does not end in .prom, so the textfile collector
// ignores it), fsync, mode 0644, rename over `path`, fsync of the folder.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view text);

}  // namespace mck
