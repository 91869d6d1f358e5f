// Signing kiosk CSRs with the simulator's CA (OpenSSL), as the province's enrolment service does.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "offline/domain/clock.h"
#include "offline/domain/openssl_ptr.h"
#include "tests/portal_sim/sim.h"
#include "tests/support/read_file.h"

namespace portal_sim {

namespace {

bool AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}
}  // namespace

std::optional<IssuedCertificate> SignKioskCsr(const Sim& sim, const std::string& csr_pem, const std::string& kiosk_id,
                                              const std::string& commune_code, std::string* error) {
  mck::ossl::Ptr<BIO> rb(BIO_new_mem_buf(csr_pem.data(), static_cast<int>(csr_pem.size())));
  mck::ossl::Ptr<X509_REQ> req(PEM_read_bio_X509_REQ(rb.get(), nullptr, nullptr, nullptr));
  if (!req) {
    *error = "csr is not a PEM certificate request";
    return std::nullopt;
  }
  mck::ossl::Ptr<EVP_PKEY> pub(X509_REQ_get_pubkey(req.get()));
  if (!pub || X509_REQ_verify(req.get(), pub.get()) != 1) {
    *error = "csr signature does not verify";
    return std::nullopt;
  }
  const std::string ca_pem = mck::test::ReadAll(sim.config.ca_cert), ca_key_pem = mck::test::ReadAll(sim.config.ca_key);
  mck::ossl::Ptr<BIO> cb(BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size())));
  mck::ossl::Ptr<X509> ca(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
  mck::ossl::Ptr<BIO> kb(BIO_new_mem_buf(ca_key_pem.data(), static_cast<int>(ca_key_pem.size())));
  mck::ossl::Ptr<EVP_PKEY> ca_key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
  if (!ca || !ca_key) {
    *error = "simulator CA certificate or key unreadable";
    return std::nullopt;
  }
  mck::ossl::Ptr<X509> cert(X509_new());
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  const long validity = static_cast<long>(KioskCertValiditySeconds());
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), validity);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("VN"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(commune_code.c_str()), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(kiosk_id.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
  X509_set_pubkey(cert.get(), pub.get());
  if (!AddExt(cert.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExt(cert.get(), ca.get(), NID_key_usage, "critical,digitalSignature") ||
      !AddExt(cert.get(), ca.get(), NID_ext_key_usage, "clientAuth") ||
      X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) {
    *error = "signing failed";
    return std::nullopt;
  }
  mck::ossl::Ptr<BIO> out(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(out.get(), cert.get());
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  IssuedCertificate issued;
  issued.pem.assign(data, static_cast<size_t>(n));
  issued.expires_at = mck::FormatRfc3339Vietnam(std::chrono::system_clock::now() + std::chrono::seconds(validity));
  return issued;
}

}  // namespace portal_sim
