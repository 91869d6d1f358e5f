#include "offline/sync/metrics.h"

#include <fcntl.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <sstream>
#include <tuple>

#include "offline/store/store.h"
#include "offline/sync/enrolment.h"

namespace mck {
namespace {

const std::vector<std::string> kPrinterStates = {"ok", "paper_low", "paper_out", "cover_open", "offline", "unknown"};
const std::vector<std::string> kReaderStates = {"ok", "no_reader", "error", "unknown"};

// A state from a device callback or the store becomes a label value only when it is a short
// word of [a-z0-9_]; anything else is "other" (a label never carries free text).
std::string CleanState(const std::string& s) {
  if (s.empty() || s.size() > 32) return s.empty() ? "unknown" : "other";
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return "other";
  }
  return s;
}

class Writer {
 public:
  void Metric(const char* name, const char* type, const char* help) {
    out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  }
  void Sample(const char* name, int64_t value, const std::string& labels = {}) {
    out_ << name << (labels.empty() ? "" : "{" + labels + "}") << " " << value << "\n";
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

std::string Label(const char* key, const std::string& value) {
  return std::string(key) + "=\"" + PromEscapeLabel(value) + "\"";
}

void OneHot(Writer& w, const char* name, const std::vector<std::string>& known, const std::string& current) {
  const std::string cur = CleanState(current);
  bool seen = false;
  for (const auto& s : known) {
    w.Sample(name, s == cur ? 1 : 0, Label("state", s));
    seen = seen || s == cur;
  }
  if (!seen) w.Sample(name, 1, Label("state", cur));
}

Result<std::optional<std::string>> Get(Store& store, const std::string& key) {
  return store.settings().Get(key);
}

std::optional<int64_t> ToInt(const std::optional<std::string>& v) {
  if (!v || v->empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long n = std::strtoll(v->c_str(), &end, 10);
  if (errno || *end) return std::nullopt;
  return static_cast<int64_t>(n);
}

std::optional<int64_t> CertNotAfter(const std::string& pem_file) {
  if (pem_file.empty()) return std::nullopt;
  FILE* f = std::fopen(pem_file.c_str(), "rb");
  if (!f) return std::nullopt;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!cert) return std::nullopt;
  std::tm tm{};
  std::optional<int64_t> out;
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) == 1) out = static_cast<int64_t>(timegm(&tm));
  X509_free(cert);
  return out;
}

}  // namespace

const std::vector<std::string>& SyncFailureCauses() {
  static const std::vector<std::string> causes = [] {
    std::vector<std::string> v;
    for (int c = static_cast<int>(Code::kInvalidArgument); c <= static_cast<int>(Code::kInternal); ++c)
      v.emplace_back(CodeName(static_cast<Code>(c)));
    return v;
  }();
  return causes;
}

std::string PromEscapeLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string RenderPrometheus(const KioskMetrics& m) {
  Writer w;
  w.Metric("mck_build_info", "gauge", "The kiosk software version (always 1).");
  w.Sample("mck_build_info", 1, Label("version", m.version));
  w.Metric("mck_metrics_generated_timestamp_seconds", "gauge", "When this file was written (Unix time).");
  w.Sample("mck_metrics_generated_timestamp_seconds", m.now_unix);
  w.Metric("mck_outbox_queue_depth", "gauge", "Dossiers not yet accepted by the portal (queued or sending).");
  w.Sample("mck_outbox_queue_depth", m.queue_depth);
  w.Metric("mck_outbox_oldest_unsent_age_seconds", "gauge", "Age of the oldest dossier not yet accepted (0: none).");
  w.Sample("mck_outbox_oldest_unsent_age_seconds", m.oldest_unsent_age_s);
  w.Metric("mck_help_requests_open", "gauge", "Citizens' help requests staff have not dismissed yet.");
  w.Sample("mck_help_requests_open", m.help_open);
  w.Metric("mck_help_oldest_open_age_seconds", "gauge", "How long the oldest open help request has waited (0: none).");
  w.Sample("mck_help_oldest_open_age_seconds", m.help_oldest_age_s);
  w.Metric("mck_dossiers_digitised_total", "counter", "Dossiers submitted with papers digitised at the kiosk.");
  w.Sample("mck_dossiers_digitised_total", m.digitised_dossiers_total);
  w.Metric("mck_documents_digitised_total", "counter", "Papers digitised at the kiosk, in submitted dossiers.");
  w.Sample("mck_documents_digitised_total", m.digitised_documents_total);
  w.Metric("mck_dossiers_digitised_today", "gauge",
           "Dossiers with digitised papers submitted today (Vietnam date, +07:00).");
  w.Sample("mck_dossiers_digitised_today", m.digitised_dossiers_today);
  w.Metric("mck_sync_last_success_timestamp_seconds", "gauge",
           "End of the last sync pass that reached the portal without an error (Unix time; 0: never).");
  w.Sample("mck_sync_last_success_timestamp_seconds", m.last_success_unix.value_or(0));
  w.Metric("mck_sync_last_pass_timestamp_seconds", "gauge", "End of the last sync pass (Unix time; 0: never).");
  w.Sample("mck_sync_last_pass_timestamp_seconds", m.last_pass_unix.value_or(0));
  w.Metric("mck_sync_failures_total", "counter", "Outbox items not delivered on a try, and passes stopped, by cause.");
  std::map<std::string, int64_t> failures = m.sync_failures;
  for (const auto& c : SyncFailureCauses()) failures.emplace(c, 0);
  for (const auto& [cause, n] : failures) w.Sample("mck_sync_failures_total", n, Label("cause", CleanState(cause)));
  w.Metric("mck_printer_state", "gauge", "The receipt printer's state (1 for the current one).");
  OneHot(w, "mck_printer_state", kPrinterStates, m.printer_state);
  w.Metric("mck_printer_paper_low", "gauge", "1 when the printer reports paper near its end.");
  w.Sample("mck_printer_paper_low", CleanState(m.printer_state) == "paper_low" ? 1 : 0);
  w.Metric("mck_printer_paper_out", "gauge", "1 when the printer is out of paper.");
  w.Sample("mck_printer_paper_out", CleanState(m.printer_state) == "paper_out" ? 1 : 0);
  w.Metric("mck_card_reader_state", "gauge", "The chip-card reader's state (1 for the current one).");
  OneHot(w, "mck_card_reader_state", kReaderStates, m.card_reader_state);
  if (m.cert_not_after_unix) {
    w.Metric("mck_client_certificate_expiry_timestamp_seconds", "gauge",
             "The kiosk's client certificate notAfter (Unix time).");
    w.Sample("mck_client_certificate_expiry_timestamp_seconds", *m.cert_not_after_unix);
    const int64_t left = *m.cert_not_after_unix - m.now_unix;
    w.Metric("mck_client_certificate_days_left", "gauge",
             "Whole days until the client certificate expires (negative: expired).");
    w.Sample("mck_client_certificate_days_left", left >= 0 ? left / 86400 : -((-left + 86399) / 86400));
    w.Metric("mck_client_certificate_renewal_failing", "gauge",
             "1 when the last certificate renewal failed (the old certificate is still used).");
    w.Sample("mck_client_certificate_renewal_failing", m.cert_renewal_failing ? 1 : 0);
  }
  if (m.disk_free_bytes) {
    w.Metric("mck_data_disk_free_bytes", "gauge", "Free space for the kiosk's data directory.");
    w.Sample("mck_data_disk_free_bytes", *m.disk_free_bytes);
  }
  return w.str();
}

Result<KioskMetrics> CollectMetrics(Store& store, const MetricsInputs& in) {
  KioskMetrics m;
  m.version = in.version;
  m.now_unix = UnixSeconds(in.now);
  auto depth = store.outbox().Depth();
  if (!depth.ok()) return depth.status();
  m.queue_depth = *depth;
  auto oldest = store.outbox().OldestAgeSeconds();
  if (!oldest.ok()) return oldest.status();
  m.oldest_unsent_age_s = *oldest;
  auto help = store.help().Open();
  if (!help.ok()) return help.status();
  m.help_open = static_cast<int64_t>(help->size());
  if (!help->empty()) m.help_oldest_age_s = std::max<int64_t>(0, m.now_unix - help->front().requested_unix);
  const std::string today = FormatDate(VietnamDate(in.now));
  auto digitised = store.dossiers().Digitised(today);
  if (!digitised.ok()) return digitised.status();
  m.digitised_dossiers_total = digitised->dossiers_total;
  m.digitised_documents_total = digitised->documents_total;
  if (auto it = digitised->dossiers_by_day.find(today); it != digitised->dossiers_by_day.end())
    m.digitised_dossiers_today = it->second;
  for (auto [key, out] : {std::pair{settings::kLastSuccessUnix, &m.last_success_unix},
                          std::pair{settings::kLastPassUnix, &m.last_pass_unix}}) {
    auto v = Get(store, key);
    if (!v.ok()) return v.status();
    *out = ToInt(*v);
  }
  for (const auto& cause : SyncFailureCauses()) {
    auto v = Get(store, settings::kFailuresPrefix + cause);
    if (!v.ok()) return v.status();
    m.sync_failures[cause] = ToInt(*v).value_or(0);
  }
  for (auto [key, live, out] : {std::tuple{settings::kPrinterState, &in.printer, &m.printer_state},
                                std::tuple{settings::kCardReaderState, &in.card_reader, &m.card_reader_state}}) {
    if (*live) {
      *out = **live;
      continue;
    }
    auto v = Get(store, key);
    if (!v.ok()) return v.status();
    if (*v && !(*v)->empty()) *out = **v;
  }
  auto cert = Get(store, settings::kCertFile);
  if (!cert.ok()) return cert.status();
  m.cert_not_after_unix = CertNotAfter(cert->value_or(""));
  if (!m.cert_not_after_unix) {
    auto exp = Get(store, settings::kCertExpiresAt);
    if (!exp.ok()) return exp.status();
    if (*exp && !(*exp)->empty()) {
      if (auto t = ParseRfc3339(**exp)) m.cert_not_after_unix = UnixSeconds(*t);
    }
  }
  auto renewal_error = Get(store, "portal.cert_renewal_error");  // offline/sync/renewal.h
  if (!renewal_error.ok()) return renewal_error.status();
  m.cert_renewal_failing = *renewal_error && !(*renewal_error)->empty();
  struct statvfs vfs {};
  if (!in.data_dir.empty() && ::statvfs(in.data_dir.c_str(), &vfs) == 0)
    m.disk_free_bytes = static_cast<int64_t>(vfs.f_bavail) * static_cast<int64_t>(vfs.f_frsize);
  return m;
}

Status AddSyncFailures(Store& store, const std::map<std::string, int64_t>& delta) {
  for (const auto& [cause, n] : delta) {
    if (n == 0) continue;
    const std::string key = settings::kFailuresPrefix + CleanState(cause);
    auto v = Get(store, key);
    if (!v.ok()) return v.status();
    MCK_RETURN_IF_ERROR(store.settings().Put(key, std::to_string(ToInt(*v).value_or(0) + n)));
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view text) {
  const auto io = [&](const std::string& what) {
    return Status::Error(Code::kIo, path.string() + ": " + what + ": " + std::strerror(errno),
                         path.string() + ": không ghi được tệp số liệu giám sát");
  };
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const std::filesystem::path tmp = dir / ("." + path.filename().string() + ".tmp." + std::to_string(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return io("cannot create the temporary file");
  size_t done = 0;
  bool ok = ::fchmod(fd, 0644) == 0;  // whatever the umask: it holds no personal data
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    if (ok) errno = errno ? errno : saved;
    Status st = io("cannot write and rename the temporary file");
    ::unlink(tmp.c_str());
    return st;
  }
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace mck
