// The sync engine's monitoring hooks: failures counted by cause (and logged with the dossier's
// client id, nothing else of it), and after each pass the figures stored and the Prometheus
// textfile written (offline/sync/metrics.h, docs/monitoring.md).
#include "offline/domain/log.h"
#include "offline/sync/metrics.h"
#include "offline/sync/syncer.h"

namespace mck {

void Syncer::NoteFailure(const OutboxItem& item, const Status& why) {
  const std::string cause = CodeName(why.code());
  ++failures_[cause];
  const bool dossier = item.kind == OutboxKind::kDossier;
  Log(why.code() == Code::kSecurity ? Severity::kError : Severity::kWarning, "sync",
      std::string(dossier ? "dossier" : "outbox item") + " not delivered (" + cause + ")",
      dossier ? item.ref : std::string());
}

void Syncer::RecordMetrics(const SyncSummary& sum) {
  const bool success = sum.error.ok() && !sum.portal_pause && sum.retried == 0 && answers_ > 0;
  answers_ = 0;
  std::vector<std::pair<std::string, std::string>> values = {
      {settings::kLastPassUnix, std::to_string(UnixSeconds(Now()))}};
  if (success) values.emplace_back(settings::kLastSuccessUnix, std::to_string(UnixSeconds(Now())));
  // Device states: stored when they change, so `kioskctl metrics` reports the last known one.
  std::optional<std::string> printer, reader;
  if (options_.printer_state) printer = options_.printer_state();
  if (options_.card_reader_state) reader = options_.card_reader_state();
  if (printer && *printer != recorded_printer_) values.emplace_back(settings::kPrinterState, *printer);
  if (reader && *reader != recorded_reader_) values.emplace_back(settings::kCardReaderState, *reader);
  Status st = AddSyncFailures(*store_, failures_);
  for (const auto& [key, value] : values) {
    if (!st.ok()) break;
    st = store_->settings().Put(key, value);
  }
  if (!st.ok()) {
    Log(Severity::kWarning, "sync", "monitoring figures not recorded: " + st.ToString());
    return;  // the counters stay pending: the next pass adds them again
  }
  failures_.clear();
  if (printer) recorded_printer_ = *printer;
  if (reader) recorded_reader_ = *reader;
  if (options_.metrics_textfile.empty()) return;
  MetricsInputs in;
  in.version = options_.software_version;
  in.now = Now();
  in.data_dir = options_.data_dir;
  in.printer = printer;
  in.card_reader = reader;
  auto m = CollectMetrics(*store_, in);
  if (m.ok()) st = WriteFileAtomically(options_.metrics_textfile, RenderPrometheus(*m));
  if (!m.ok() || !st.ok()) {
    Log(Severity::kWarning, "sync", "metrics file not written: " + (m.ok() ? st : m.status()).ToString());
  }
}

}  // namespace mck
