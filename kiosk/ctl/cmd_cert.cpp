// kioskctl cert show [--json] — the kiosk's mTLS client certificate: serial, expiry, days left,
// the last renewal and its error. kioskctl cert renew [--json] — renews it now over the current
// certificate (offline/sync/renewal.h; docs/portal.md "Certificate renewal"), whatever the days
// left; a running kiosk switches to the new pair at its next sync pass.
#include <iostream>

#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/store/store.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/renewal.h"

namespace mck::ctl {
namespace {

std::string Setting(Store& store, const char* key) {
  auto v = store.settings().Get(key);
  return v.ok() ? v->value_or("") : std::string();
}

int CertShow(Context& ctx) {
  if (!ctx.ExpectArgs(0, "cert show [--json]")) return kExitBadInput;
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto e = LoadEnrolment(**store);
  if (!e.ok()) return ctx.Fail(e.status());
  auto info = ReadCertificateInfo(e->cert_file);
  if (!info.ok()) return ctx.Fail(info.status());
  const int64_t days = CertificateDaysLeft(info->not_after_unix, std::chrono::system_clock::now());
  const std::string renewed = Setting(**store, settings::kCertRenewedAt);
  const std::string error = Setting(**store, settings::kCertRenewalError);
  const std::string not_after = FormatRfc3339Vietnam(FromUnixSeconds(info->not_after_unix));
  if (ctx.json()) {
    PrintJson({{"kiosk_id", e->kiosk_id},
               {"serial", info->serial_hex},
               {"subject_cn", info->subject_cn},
               {"not_before", FormatRfc3339Vietnam(FromUnixSeconds(info->not_before_unix))},
               {"not_after", not_after},
               {"days_left", days},
               {"renew_days", (*cfg)->cert_renew_days},
               {"cert_file", e->cert_file.string()},
               {"key_protection", KeyProtectionName(e->key_protection.mode)},
               {"renewed_at", renewed},
               {"renewal_error", error}});
    return kExitOk;
  }
  std::cout << "Kiosk: " << e->kiosk_id << "\nSerial: " << info->serial_hex << "\nHết hạn / expires: " << not_after
            << " (còn " << days << " ngày / " << days << " days left; tự gia hạn khi còn dưới / renewed below "
            << (*cfg)->cert_renew_days << ")\n";
  if (!renewed.empty()) std::cout << "Gia hạn lần cuối / last renewed: " << renewed << "\n";
  if (!error.empty()) std::cout << "Lần gia hạn gần nhất lỗi / last renewal failed: " << error << "\n";
  return kExitOk;
}

int CertRenew(Context& ctx) {
  if (!ctx.ExpectArgs(0, "cert renew [--json]")) return kExitBadInput;
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto e = LoadEnrolment(**store);
  if (!e.ok()) return ctx.Fail(e.status());
  HttpOptions h;
  h.base_url = e->portal_url;
  h.ca_file = e->ca_file;
  h.connect_timeout = std::chrono::seconds((*cfg)->connect_timeout_s);
  h.transfer_timeout = std::chrono::seconds((*cfg)->transfer_timeout_s);
  h.proxy = (*cfg)->proxy;
  if (Status st = LoadClientKey(*e, &h); !st.ok()) return ctx.Fail(st);
  auto http = HttpClient::Create(std::move(h));
  if (!http.ok()) return ctx.Fail(http.status());
  const auto now = std::chrono::system_clock::now();
  auto r = RenewCertificate(**store, **http, now);
  if (!r.ok()) return ctx.Fail(r.status());
  const int64_t days = CertificateDaysLeft(r->not_after_unix, now);
  if (ctx.json()) {
    PrintJson({{"renewed", true},
               {"old_serial", r->old_serial},
               {"serial", r->new_serial},
               {"expires_at", r->expires_at},
               {"days_left", days},
               {"cert_file", r->cert_file.string()}});
  } else {
    std::cout << "Đã gia hạn chứng chỉ / certificate renewed: serial " << r->new_serial << ", hết hạn / expires "
              << r->expires_at << " (" << days << " ngày/days)\n";
  }
  return kExitOk;
}

const CommandRegistration kCertShow({"cert show", "[--json]",
                                     "The kiosk's client certificate: serial, expiry, days left, last renewal",
                                     CertShow});
const CommandRegistration kCertRenew({"cert renew", "[--json]",
                                      "Renew the client certificate now (new key pair; the old one is discarded once "
                                      "the new pair is stored)",
                                      CertRenew});

}  // namespace
}  // namespace mck::ctl
