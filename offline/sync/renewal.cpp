#include "offline/sync/renewal.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <nlohmann/json.hpp>

#include <system_error>

#include "offline/domain/ids.h"
#include "offline/domain/log.h"
#include "offline/domain/openssl_ptr.h"
#include "offline/store/key_vault.h"
#include "offline/store/store.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/metrics.h"
#include "offline/sync/portal_errors.h"
#include "offline/sync/transport.h"

namespace mck {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

int64_t AsnTimeUnix(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

ossl::Ptr<X509> ParsePem(const std::string& pem) {
  ossl::Ptr<BIO> b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  return ossl::Ptr<X509>(b ? PEM_read_bio_X509(b.get(), nullptr, nullptr, nullptr) : nullptr);
}

CertificateInfo InfoOf(X509* cert) {
  CertificateInfo info;
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
    if (char* hex = BN_bn2hex(bn)) {
      info.serial_hex = hex;
      OPENSSL_free(hex);
    }
    BN_free(bn);
  }
  char cn[256];
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0) info.subject_cn = cn;
  info.not_before_unix = AsnTimeUnix(X509_get0_notBefore(cert));
  info.not_after_unix = AsnTimeUnix(X509_get0_notAfter(cert));
  return info;
}

std::string ReadText(const fs::path& p) {
  std::string out;
  if (std::FILE* f = std::fopen(p.c_str(), "rb")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

Status Refused(Code code, const std::string& en) {
  return Status::Error(code, "certificate renewal: " + en,
                       "Gia hạn chứng chỉ của kiosk không thành công; chứng chỉ cũ vẫn dùng được đến khi hết hạn");
}

// The answer must be a certificate for the new key and this kiosk, issued by the pinned CA.
Status CheckIssued(X509* cert, const std::string& key_pem, const Enrolment& e) {
  ossl::Ptr<BIO> kb(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  ossl::Ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
  if (!key || X509_check_private_key(cert, key.get()) != 1) {
    return Refused(Code::kSecurity, "the new certificate does not match the new key");
  }
  if (InfoOf(cert).subject_cn != e.kiosk_id) return Refused(Code::kSecurity, "the new certificate names another kiosk");
  ossl::Ptr<X509_STORE> roots(X509_STORE_new());
  ossl::Ptr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!roots || !ctx || X509_STORE_load_file(roots.get(), e.ca_file.c_str()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), roots.get(), cert, nullptr) != 1) {
    return Refused(Code::kSecurity, "the pinned CA file cannot be loaded");
  }
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(ctx.get()) != 1)
    return Refused(Code::kSecurity, "the new certificate is not from the province CA");
  return Status::Ok();
}

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Key and certificate files the settings do not name: a renewal a power cut stopped before its
// commit (the new pair) or just after it (the old pair). Nothing uses them; keys are shredded.
// Only files older than ten minutes, so a renewal running in another process (kioskctl cert
// renew next to the kiosk's own sync) keeps the files it has not committed yet.
void RemoveOrphans(const fs::path& dir, const Enrolment& e) {
  std::error_code ec;
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::minutes(10);
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("kiosk", 0) != 0 ||
        !(EndsWith(name, ".key") || EndsWith(name, ".key.sealed") || EndsWith(name, ".crt"))) {
      continue;
    }
    const fs::path p = entry.path();
    if (p == e.cert_file || p == e.key_file || p == SealedKeyPath(e.key_file)) continue;
    std::error_code tec;
    const auto mtime = fs::last_write_time(p, tec);
    if (tec || mtime > cutoff) continue;
    if (name.find(".key") != std::string::npos) {
      (void)ShredFile(p);
    } else {
      fs::remove(p, ec);
    }
  }
}

void RecordFailure(Store& store, const Status& why, TimePoint now) {
  Log(Severity::kWarning, "sync", "certificate renewal failed: " + why.ToString());
  for (const auto& [k, v] : {std::pair{settings::kCertRenewalTriedAt, FormatRfc3339Vietnam(now)},
                             std::pair{settings::kCertRenewalError, why.message_en()}}) {
    if (!store.settings().Put(k, v).ok()) return;
  }
}

Result<RenewalResult> Renew(Store& store, PortalTransport& transport, TimePoint now, const RenewalStageHook& hook) {
  auto e = LoadEnrolment(store);
  if (!e.ok()) return e.status();
  auto old = ReadCertificateInfo(e->cert_file);
  if (!old.ok()) return old.status();
  const fs::path dir = e->cert_file.parent_path();
  RemoveOrphans(dir, *e);

  auto kc = MakeKeyAndCsr(e->kiosk_id);
  if (!kc.ok()) return kc.status();
  struct Wipe {
    std::string& s;
    ~Wipe() { SecureWipe(s); }
  } wipe{kc->private_key_pem};
  PortalRequest req;
  req.method = "POST";
  req.path = "/api/v1/kiosks/" + e->kiosk_id + "/certificate";
  req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", NewUuidV4()}};
  req.body = json{{"csr", kc->csr_pem}}.dump();
  auto resp = transport.Send(req);
  if (!resp.ok()) return resp.status();
  if (resp->status != 201 && resp->status != 200) return PortalErrorStatus(*resp, "certificate renewal");
  const json answer = json::parse(resp->body, nullptr, false);
  if (!answer.is_object() || !answer.contains("certificate") || !answer["certificate"].is_string() ||
      !answer.value("expires_at", json()).is_string()) {
    return Refused(Code::kUnavailable, "the portal's answer is not a certificate");
  }
  const std::string cert_pem = answer["certificate"].get<std::string>();
  const std::string chain = answer.value("ca_chain", json()).is_string() ? answer["ca_chain"].get<std::string>() : "";
  auto cert = ParsePem(cert_pem);
  if (!cert) return Refused(Code::kUnavailable, "the portal's certificate does not parse");
  MCK_RETURN_IF_ERROR(CheckIssued(cert.get(), kc->private_key_pem, *e));

  RenewalResult r;
  const CertificateInfo info = InfoOf(cert.get());
  r.old_serial = old->serial_hex;
  r.new_serial = info.serial_hex;
  r.not_after_unix = info.not_after_unix;
  r.expires_at = answer["expires_at"].get<std::string>();
  const std::string stem = "kiosk-" + info.serial_hex.substr(0, 16);
  r.key_file = dir / (stem + ".key");
  r.cert_file = dir / (stem + ".crt");
  // 1. the new key, sealed as the old one is; 2. the new certificate (and the chain).
  MCK_RETURN_IF_ERROR(SaveSecret(e->key_protection, r.key_file, kc->private_key_pem));
  if (hook) hook("key_saved");
  MCK_RETURN_IF_ERROR(WriteFileAtomically(r.cert_file, cert_pem));
  if (!chain.empty()) MCK_RETURN_IF_ERROR(WriteFileAtomically(dir / "client-chain.pem", chain));
  if (hook) hook("cert_written");
  // 3. the commit point: the settings name the new pair.
  MCK_RETURN_IF_ERROR(store.settings().PutAll(
      {{settings::kCertFile, r.cert_file.string()},
       {settings::kKeyFile, r.key_file.string()},
       {settings::kCertExpiresAt, r.expires_at},
       {settings::kCertRenewedAt, FormatRfc3339Vietnam(now)},
       {settings::kCertRenewalTriedAt, FormatRfc3339Vietnam(now)},
       {settings::kCertRenewalError, ""}},
      AuditEntry{"sync", "kiosk.certificate_renewed", e->kiosk_id, "serial=" + r.new_serial + " old=" + r.old_serial}));
  if (hook) hook("settings_switched");
  // 4. only now the old key goes (the old certificate with it).
  if (e->key_file != r.key_file) {
    (void)ShredFile(e->key_file);
    (void)ShredFile(SealedKeyPath(e->key_file));
  }
  std::error_code ec;
  if (e->cert_file != r.cert_file) fs::remove(e->cert_file, ec);
  Log(Severity::kInfo, "sync", "client certificate renewed, serial " + r.new_serial + ", expires " + r.expires_at);
  return r;
}

}  // namespace

Result<CertificateInfo> ReadCertificateInfo(const fs::path& cert_file) {
  const std::string pem = ReadText(cert_file);
  if (pem.empty()) {
    return Status::Error(Code::kNotFound, cert_file.string() + ": client certificate missing",
                         "Không tìm thấy chứng chỉ của kiosk");
  }
  auto cert = ParsePem(pem);
  if (!cert) {
    return Status::Error(Code::kCorrupt, cert_file.string() + ": client certificate does not parse",
                         "Chứng chỉ của kiosk bị hỏng");
  }
  return InfoOf(cert.get());
}

void RemoveStaleClientFiles(Store& store) {
  auto e = LoadEnrolment(store);
  if (e.ok() && !e->cert_file.empty()) RemoveOrphans(e->cert_file.parent_path(), *e);
}

int64_t CertificateDaysLeft(int64_t not_after_unix, TimePoint now) {
  const int64_t s = not_after_unix - UnixSeconds(now);
  return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

Result<RenewalResult> RenewCertificate(Store& store, PortalTransport& transport, TimePoint now,
                                       const RenewalStageHook& hook) {
  auto r = Renew(store, transport, now, hook);
  if (!r.ok()) RecordFailure(store, r.status(), now);
  return r;
}

}  // namespace mck
