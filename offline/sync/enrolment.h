// Enrolment of a kiosk with the provincial portal (portal-api.md, "Enrolment"), and the stored
// result every later call uses.
//
// The key pair (EC P-256) and the CSR are made here, on the kiosk; the private key never leaves
// it. The technician gives the portal address, a one-time token and the province CA file; the
// CA is copied into the data directory and pinned for every later connection. Files, under
// <data_dir>/portal/ (0700): ca.pem (the pinned CA), the private key kept as the store keeps its
// own (offline/store/key_vault.h: kiosk.key.sealed, sealed to the TPM, or the plain 0600 kiosk.key
// with key_protection "file"), kiosk.crt, and client-chain.pem (the chain the portal returned for
// our certificate). The key reaches libcurl from memory only (LoadClientKey, HttpOptions). The store's settings
// hold the paths and the portal's answer (keys below), so every thread finds them.
//
// Thread-safety: functions take the caller's Store; use them on that Store's thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "offline/domain/status.h"
#include "offline/store/key_vault.h"

namespace mck {

class Store;
class PortalTransport;

namespace settings {
inline constexpr const char* kPortalUrl = "portal.url";
inline constexpr const char* kKioskId = "portal.kiosk_id";
inline constexpr const char* kCommuneCode = "portal.commune_code";
inline constexpr const char* kCommuneName = "portal.commune_name";
inline constexpr const char* kCaFile = "portal.ca_file";
inline constexpr const char* kCertFile = "portal.cert_file";
inline constexpr const char* kKeyFile = "portal.key_file";
inline constexpr const char* kCertExpiresAt = "portal.cert_expires_at";
inline constexpr const char* kEnrolledAt = "portal.enrolled_at";
}  // namespace settings

struct Enrolment {
  std::string portal_url;
  std::string kiosk_id;
  std::string commune_code;
  std::string commune_name;
  std::filesystem::path ca_file;
  std::filesystem::path cert_file;
  std::filesystem::path key_file;  // the plain name; the sealed form is SealedKeyPath(key_file)
  std::string cert_expires_at;
  KeyProtectionOptions key_protection;  // the store's (Store::key_protection)
};

// The stored enrolment; kFailedPrecondition (with a Vietnamese "enrol first" message) when the
// kiosk has not been enrolled.
Result<Enrolment> LoadEnrolment(Store& store);

struct HttpOptions;
// Fills options->client_cert and options->client_key_pem (unsealed into memory) from the
// enrolment. Errors as LoadSecret (offline/store/key_vault.h): kUnavailable with no TPM,
// kSecurity when the key is sealed to another TPM; kFailedPrecondition when the key is missing.
Status LoadClientKey(const Enrolment& enrolment, HttpOptions* options);

struct KeyAndCsr {
  std::string private_key_pem;  // PKCS#8, unencrypted: wipe after use
  std::string csr_pem;
};
// A fresh EC P-256 key pair and a CSR (SHA-256) with subject CN=common_name.
Result<KeyAndCsr> MakeKeyAndCsr(const std::string& common_name);

struct EnrolRequest {
  std::string portal_url;
  std::string token;
  std::filesystem::path ca_file;
  std::string hostname;
  std::string software_version;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds transfer_timeout{60};
  bool replace_existing = false;  // re-enrolment must be asked for explicitly
  std::string proxy;              // config [portal] proxy; empty: none (environment ignored)
};

// Enrols: key + CSR, POST /api/v1/kiosks/enroll over TLS verified against request.ca_file,
// checks the certificate matches the key, writes the files, records the settings.
// Errors: kRejected (token unknown or used: 401; CSR refused: 422), kSecurity (TLS), kUnavailable,
// kAlreadyExists (already enrolled and replace_existing false), kIo (files).
Result<Enrolment> Enrol(Store& store, const std::filesystem::path& data_dir, const EnrolRequest& request);
// The same over a transport the caller made (a test's fake portal): `transport` must already
// point at request.portal_url; request.ca_file is still copied and pinned.
Result<Enrolment> Enrol(Store& store, const std::filesystem::path& data_dir, const EnrolRequest& request,
                        PortalTransport& transport);

}  // namespace mck
