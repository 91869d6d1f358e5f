// Renewal of the kiosk's mTLS client certificate before it expires (docs/portal.md,
// "Certificate renewal", our addition to the contract): POST /api/v1/kiosks/{kiosk_id}/certificate
// over mTLS with the CURRENT certificate and a CSR from a NEW key pair; the portal answers the new
// certificate, its chain and expires_at. The old certificate stays valid until it expires.
//
// Atomicity: the new key and certificate go to NEW files (<portal dir>/kiosk-<serial>.key, sealed
// like the old key (offline/store/key_vault.h), and kiosk-<serial>.crt); then the settings that
// name the files are switched in ONE store transaction (the commit point, audited); only then are
// the old key (shredded) and certificate removed. A power cut before the commit leaves the old
// pair named and intact (the new files are orphans, removed by the next renewal); after it, the new
// pair named and intact. A refused or failed renewal changes nothing but the recorded error.
//
// Thread-safety: use on the Store's and the transport's thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "offline/domain/clock.h"
#include "offline/domain/status.h"

namespace mck {

class Store;
class PortalTransport;

namespace settings {
inline constexpr const char* kCertRenewedAt = "portal.cert_renewed_at";             // RFC 3339, last success
inline constexpr const char* kCertRenewalTriedAt = "portal.cert_renewal_tried_at";  // RFC 3339, last try
inline constexpr const char* kCertRenewalError = "portal.cert_renewal_error";       // English; "" after success
}  // namespace settings

// Renew when fewer than this many days are left (config [portal] cert_renew_days).
inline constexpr int kDefaultCertRenewDays = 30;

struct CertificateInfo {
  std::string serial_hex;  // upper-case hex, as `openssl x509 -serial` prints it
  std::string subject_cn;  // the kiosk id
  int64_t not_before_unix = 0;
  int64_t not_after_unix = 0;
};
// Reads a PEM certificate file. kNotFound when missing, kCorrupt when it does not parse.
Result<CertificateInfo> ReadCertificateInfo(const std::filesystem::path& cert_file);
// Whole days from `now` to `not_after_unix`, rounded down (negative once expired).
int64_t CertificateDaysLeft(int64_t not_after_unix, TimePoint now);

struct RenewalResult {
  std::string old_serial, new_serial;
  std::string expires_at;  // the portal's RFC 3339
  int64_t not_after_unix = 0;
  std::filesystem::path cert_file, key_file;
};

// Removes (keys shredded) client key and certificate files in the enrolment's folder that the
// settings do not name and that are older than ten minutes: what a power cut during a renewal
// left behind. Called by each sync pass and each renewal; errors are ignored (tried again).
void RemoveStaleClientFiles(Store& store);

// Test seam: called after each durable step ("key_saved", "cert_written", "settings_switched")
// so a test can kill the process exactly there. Null in production.
using RenewalStageHook = std::function<void(std::string_view stage)>;

// Renews now, whatever the days left, over `transport` (which must carry the current identity).
// Errors: kFailedPrecondition (not enrolled), kRejected (the portal refused: 4xx), kSecurity
// (401/403, or an answer that does not match the new key, the kiosk or the pinned CA),
// kUnavailable (5xx, unreachable), kIo (files, store). On any error the old pair still works and
// the error is recorded in the settings (kCertRenewalError).
Result<RenewalResult> RenewCertificate(Store& store, PortalTransport& transport, TimePoint now,
                                       const RenewalStageHook& hook = nullptr);

}  // namespace mck
