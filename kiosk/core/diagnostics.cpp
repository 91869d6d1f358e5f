#include "kiosk/core/diagnostics.h"

#include <cstdlib>
#include <sstream>

#include "offline/store/key_vault.h"
#include "offline/store/purge_schedule.h"
#include "offline/store/store.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/metrics.h"
#include "offline/sync/renewal.h"

namespace mck::core {

using nlohmann::json;

namespace {

std::string Setting(Store& store, const std::string& key) {
  auto v = store.settings().Get(key);
  return v.ok() ? v->value_or("") : std::string();
}

std::optional<int64_t> SettingInt(Store& store, const std::string& key) {
  const std::string v = Setting(store, key);
  if (v.empty()) return std::nullopt;
  char* end = nullptr;
  const long long n = std::strtoll(v.c_str(), &end, 10);
  if (*end) return std::nullopt;
  return static_cast<int64_t>(n);
}

json Opt(const std::optional<int64_t>& v) {
  return v ? json(*v) : json();
}

std::string Or(const std::string& s, const char* dash = "—") {
  return s.empty() ? dash : s;
}

std::string Duration(int64_t s) {
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  if (s < 172800) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " d";
}

}  // namespace

Result<DiagnosticsReport> CollectDiagnostics(Store& store, const KioskConfig& config, const DiagnosticsInputs& in) {
  DiagnosticsReport r;
  r.version = in.version;
  r.generated_unix = UnixSeconds(in.now);
  r.kiosk_number = config.kiosk_number;
  r.commune_code = config.commune_code;
  r.commune_name = config.commune_name;
  r.data_dir = config.data_dir.string();
  r.printer = config.printer;
  r.card_reader = config.card_reader;
  r.retention_days = config.retention_days;
  r.cert_renew_days = config.cert_renew_days;
  r.csca_configured = !config.csca_file.empty();
  r.card_checks = CardSetupDiagnostics(config);
  const KeyProtectionOptions& kp = store.key_protection();
  r.key_protection = KeyProtectionName(kp.mode);
  r.key_protection_weaker = kp.mode != KeyProtection::kTpm;

  if (auto e = LoadEnrolment(store); e.ok()) {
    r.enrolled = true;
    r.kiosk_id = e->kiosk_id;
    r.portal_url = e->portal_url;
    if (!e->commune_code.empty()) r.commune_code = e->commune_code;
    if (!e->commune_name.empty()) r.commune_name = e->commune_name;
    r.cert_expires_at = e->cert_expires_at;
    if (auto info = ReadCertificateInfo(e->cert_file); info.ok()) {
      r.cert_serial = info->serial_hex;
      r.cert_days_left = CertificateDaysLeft(info->not_after_unix, in.now);
    } else if (auto at = ParseRfc3339(e->cert_expires_at)) {
      r.cert_days_left = CertificateDaysLeft(UnixSeconds(*at), in.now);
    }
  } else if (e.status().code() != Code::kFailedPrecondition) {
    return e.status();
  }
  r.enrolled_at = Setting(store, settings::kEnrolledAt);
  r.cert_renewed_at = Setting(store, settings::kCertRenewedAt);
  r.cert_renewal_tried_at = Setting(store, settings::kCertRenewalTriedAt);
  r.cert_renewal_error = Setting(store, settings::kCertRenewalError);

  MetricsInputs mi;
  mi.version = in.version;
  mi.now = in.now;
  mi.data_dir = config.data_dir;
  mi.printer = in.printer_state;
  mi.card_reader = in.card_reader_state;
  auto m = CollectMetrics(store, mi);
  if (!m.ok()) return m.status();
  r.queue_depth = m->queue_depth;
  r.oldest_unsent_age_s = m->oldest_unsent_age_s;
  r.last_success_unix = m->last_success_unix;
  for (const auto& [cause, n] : m->sync_failures) {
    if (n > 0) r.sync_failures[cause] = n;
  }
  r.digitised_today = m->digitised_dossiers_today;
  r.digitised_total = m->digitised_dossiers_total;
  r.digitised_documents_total = m->digitised_documents_total;
  r.printer_state = m->printer_state;
  r.card_reader_state = m->card_reader_state;
  r.disk_free_bytes = m->disk_free_bytes;

  r.last_sync_at = Setting(store, "sync.last_pass_at");
  r.last_sync_error = Setting(store, "sync.last_error");
  r.clock_skew_s = SettingInt(store, "sync.clock_skew_s");
  r.portal_latency_ms = SettingInt(store, "sync.portal_latency_ms");
  r.purge_last_run_at = Setting(store, settings::kPurgeLastRunAt);
  r.purge_last_result = Setting(store, settings::kPurgeLastResult);
  return r;
}

json DiagnosticsJson(const DiagnosticsReport& r) {
  json checks = json::array();
  for (const auto& c : r.card_checks) {
    checks.push_back({{"key", c.key}, {"level", CheckLevelName(c.level)}, {"vi", c.vi}, {"en", c.en}});
  }
  return {{"version", r.version},
          {"generated_unix", r.generated_unix},
          {"kiosk", {{"number", r.kiosk_number}, {"commune_code", r.commune_code}, {"commune_name", r.commune_name}}},
          {"enrolment",
           {{"enrolled", r.enrolled},
            {"kiosk_id", r.kiosk_id},
            {"portal_url", r.portal_url},
            {"enrolled_at", r.enrolled_at}}},
          {"certificate",
           {{"serial", r.cert_serial},
            {"expires_at", r.cert_expires_at},
            {"days_left", Opt(r.cert_days_left)},
            {"renew_days", r.cert_renew_days},
            {"renewed_at", r.cert_renewed_at},
            {"renewal_tried_at", r.cert_renewal_tried_at},
            {"renewal_error", r.cert_renewal_error}}},
          {"key_protection", {{"mode", r.key_protection}, {"weaker", r.key_protection_weaker}}},
          {"sync",
           {{"queue_depth", r.queue_depth},
            {"oldest_unsent_age_s", r.oldest_unsent_age_s},
            {"last_pass_at", r.last_sync_at},
            {"last_error", r.last_sync_error},
            {"last_success_unix", Opt(r.last_success_unix)},
            {"portal_latency_ms", Opt(r.portal_latency_ms)},
            {"clock_skew_s", Opt(r.clock_skew_s)},
            {"failures", r.sync_failures}}},
          {"digitised",
           {{"dossiers_today", r.digitised_today},
            {"dossiers_total", r.digitised_total},
            {"documents_total", r.digitised_documents_total}}},
          {"disk", {{"data_dir", r.data_dir}, {"free_bytes", Opt(r.disk_free_bytes)}}},
          {"devices",
           {{"printer", r.printer},
            {"printer_state", r.printer_state},
            {"card_reader", r.card_reader},
            {"card_reader_state", r.card_reader_state},
            {"csca_configured", r.csca_configured},
            {"card_checks", checks}}},
          {"purge",
           {{"last_run_at", r.purge_last_run_at},
            {"last_result", r.purge_last_result},
            {"retention_days", r.retention_days}}}};
}

std::string DiagnosticsText(const DiagnosticsReport& r) {
  std::ostringstream o;
  o << "Phiên bản / version: " << r.version << "\n";
  o << "Kiosk số / kiosk number: " << r.kiosk_number << " — " << Or(r.commune_name) << " (" << Or(r.commune_code)
    << ")\n";
  if (r.enrolled) {
    o << "Đăng ký / enrolment: " << r.kiosk_id << " tại / at " << r.portal_url << " (" << Or(r.enrolled_at) << ")\n";
  } else {
    o << "Đăng ký / enrolment: CHƯA ĐĂNG KÝ / NOT ENROLLED\n";
  }
  o << "Chứng chỉ / certificate: ";
  if (r.cert_days_left) {
    o << "còn " << *r.cert_days_left << " ngày / " << *r.cert_days_left << " days left (hết hạn / expires "
      << Or(r.cert_expires_at) << ", serial " << Or(r.cert_serial) << "; tự gia hạn khi còn dưới / renewed below "
      << r.cert_renew_days << " ngày/days)\n";
  } else {
    o << "—\n";
  }
  if (!r.cert_renewed_at.empty()) o << "  gia hạn lần cuối / last renewed: " << r.cert_renewed_at << "\n";
  if (!r.cert_renewal_error.empty()) {
    o << "  GIA HẠN LỖI / RENEWAL FAILED (" << Or(r.cert_renewal_tried_at) << "): " << r.cert_renewal_error << "\n";
  }
  o << "Bảo vệ khoá / key protection: " << r.key_protection
    << (r.key_protection_weaker ? " (YẾU HƠN: tệp thường / WEAKER: plain files)" : " (TPM)") << "\n";
  o << "Hàng đợi / queue: " << r.queue_depth << " hồ sơ / dossiers; cũ nhất chưa gửi / oldest unsent: "
    << (r.queue_depth ? Duration(r.oldest_unsent_age_s) : std::string("—")) << "\n";
  o << "Đồng bộ lần cuối / last sync: " << Or(r.last_sync_at) << "; lỗi / error: " << Or(r.last_sync_error) << "\n";
  o << "Độ trễ cổng / portal latency: " << (r.portal_latency_ms ? std::to_string(*r.portal_latency_ms) + " ms" : "—")
    << "; lệch giờ / clock skew: " << (r.clock_skew_s ? std::to_string(*r.clock_skew_s) + " s" : "—") << "\n";
  for (const auto& [cause, n] : r.sync_failures) o << "  lỗi đồng bộ / sync failures " << cause << ": " << n << "\n";
  o << "Hồ sơ có giấy tờ số hoá / dossiers with digitised papers: hôm nay / today " << r.digitised_today
    << "; tổng / total " << r.digitised_total << " (" << r.digitised_documents_total << " giấy tờ / papers)\n";
  o << "Ổ đĩa trống / disk free (" << r.data_dir
    << "): " << (r.disk_free_bytes ? std::to_string(*r.disk_free_bytes / (1024 * 1024)) + " MiB" : "—") << "\n";
  o << "Máy in / printer: " << Or(r.printer) << " — " << r.printer_state << "\n";
  o << "Đầu đọc thẻ / card reader: " << Or(r.card_reader) << " — " << r.card_reader_state << "\n";
  for (const auto& c : r.card_checks) o << "  [" << CheckLevelName(c.level) << "] " << c.vi << " / " << c.en << "\n";
  o << "Xoá dữ liệu hết hạn / purge: lần cuối / last run " << Or(r.purge_last_run_at) << " (" << Or(r.purge_last_result)
    << "), lưu / retention " << r.retention_days << " ngày/days\n";
  return o.str();
}

}  // namespace mck::core
