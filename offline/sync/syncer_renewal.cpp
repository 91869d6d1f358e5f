// The sync pass's certificate renewal (offline/sync/renewal.h): when the client certificate has
// fewer than options_.cert_renew_days left, renew it over the current connection and switch the
// transport to the new pair. A failure is recorded by RenewCertificate (settings, journal) and
// the pass goes on with the old certificate, which still works until it expires.
#include "offline/domain/log.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/renewal.h"
#include "offline/sync/syncer.h"

namespace mck {

void Syncer::RenewCertificateIfDue(SyncSummary& sum) {
  if (options_.cert_renew_days <= 0 || stop_) return;
  auto e = LoadEnrolment(*store_);
  if (!e.ok()) return;
  RemoveStaleClientFiles(*store_);
  // Renewed by another process (kioskctl cert renew): talk with the pair the settings name.
  if (!identity_cert_.empty() && identity_cert_ != e->cert_file) LoadIdentity(sum);
  auto info = ReadCertificateInfo(e->cert_file);
  if (!info.ok() || CertificateDaysLeft(info->not_after_unix, Now()) >= options_.cert_renew_days) return;
  const auto steady = Steady();
  if (last_renewal_try_ && steady - *last_renewal_try_ < options_.cert_renewal_retry) return;
  last_renewal_try_ = steady;
  auto renewed = RenewCertificate(*store_, *transport_, Now());
  if (!renewed.ok()) return;  // recorded; the old pair keeps working
  sum.certificate_renewed = true;
  LoadIdentity(sum);
}

void Syncer::LoadIdentity(SyncSummary& sum) {
  auto fresh = LoadEnrolment(*store_);
  HttpOptions identity;
  Status st = fresh.ok() ? LoadClientKey(*fresh, &identity) : fresh.status();
  const std::filesystem::path cert = identity.client_cert;
  if (st.ok()) st = transport_->SetClientIdentity(cert, std::move(identity.client_key_pem));
  if (st.ok()) identity_cert_ = cert;
  if (!st.ok()) {
    // The new pair is stored; the next Syncer (restart) loads it. Until then this one cannot
    // talk: the old key is gone.
    Log(Severity::kError, "sync", "renewed certificate not loaded: " + st.ToString());
    sum.error = st;
  }
}

}  // namespace mck
