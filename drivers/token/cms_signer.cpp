// OpenSSL's CMS with the private-key operation on the token (cms_signer.h).
//
// OpenSSL 3.0 offers two ways to let CMS_final sign with a key it does not hold: a provider, or a
// "foreign" legacy RSA key whose RSA_METHOD does the signing (what libp11's engine does). We use
// the second, ~30 lines: an RSA with the certificate's public n, e and our rsa_sign callback.
// Such a key takes OpenSSL's legacy path, where RSA_sign calls rsa_sign with the digest. The
// RSA_METHOD functions are deprecated in 3.0; this file alone is built with them allowed (and
// outside unity batches, so the define precedes every OpenSSL header).
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "drivers/token/cms_signer.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>

namespace mck::token {
namespace {

struct CallContext {
  const RawRsaSign* sign = nullptr;
};

// SHA-256 DigestInfo prefix (RFC 8017 9.2 note 1).
constexpr unsigned char kSha256Prefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                           0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};

int TokenRsaSign(int type, const unsigned char* m, unsigned int m_length, unsigned char* sigret, unsigned int* siglen,
                 const RSA* rsa) {
  auto* ctx = static_cast<CallContext*>(RSA_get_app_data(rsa));
  if (ctx == nullptr || ctx->sign == nullptr || type != NID_sha256 || m_length != 32) return 0;
  std::string digest_info(reinterpret_cast<const char*>(kSha256Prefix), sizeof kSha256Prefix);
  digest_info.append(reinterpret_cast<const char*>(m), m_length);
  std::string signature;
  if (!(*ctx->sign)(digest_info, &signature)) return 0;
  if (signature.size() != static_cast<std::size_t>(RSA_size(rsa))) return 0;
  std::copy(signature.begin(), signature.end(), sigret);
  *siglen = static_cast<unsigned int>(signature.size());
  return 1;
}

struct Freer {
  void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(RSA* p) const { RSA_free(p); }
  void operator()(RSA_METHOD* p) const { RSA_meth_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(ASN1_TIME* p) const { ASN1_TIME_free(p); }
};
template <typename T>
using Own = std::unique_ptr<T, Freer>;

X509* ParseDer(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
}

Status Fail(const std::string& what) {
  unsigned long e = ERR_get_error();
  char buf[256] = {0};
  if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return Status::Error(Code::kInternal, "CMS signature: " + what + (e != 0 ? std::string(": ") + buf : ""),
                       "Không tạo được chữ ký số.");
}

}  // namespace

Result<std::string> BuildDetachedCades(std::string_view content, const std::string& signer_der,
                                       const std::vector<std::string>& chain_der, std::int64_t now,
                                       const RawRsaSign& sign) {
  ERR_clear_error();
  Own<X509> cert(ParseDer(signer_der));
  if (!cert) return Fail("the signer's certificate does not parse");
  const RSA* pub = EVP_PKEY_get0_RSA(X509_get0_pubkey(cert.get()));
  if (pub == nullptr) return Fail("the signer's key is not RSA");

  Own<RSA_METHOD> method(RSA_meth_dup(RSA_PKCS1_OpenSSL()));
  if (!method || RSA_meth_set1_name(method.get(), "mck-pkcs11-token") != 1 ||
      RSA_meth_set_sign(method.get(), TokenRsaSign) != 1) {
    return Fail("RSA method");
  }
  Own<RSA> rsa(RSA_new());
  const BIGNUM *n = nullptr, *e = nullptr;
  RSA_get0_key(pub, &n, &e, nullptr);
  if (!rsa || RSA_set0_key(rsa.get(), BN_dup(n), BN_dup(e), nullptr) != 1 ||
      RSA_set_method(rsa.get(), method.get()) != 1) {
    return Fail("RSA key");
  }
  CallContext call{&sign};
  RSA_set_app_data(rsa.get(), &call);
  Own<EVP_PKEY> pkey(EVP_PKEY_new());
  if (!pkey || EVP_PKEY_set1_RSA(pkey.get(), rsa.get()) != 1) return Fail("EVP key");

  const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL;
  Own<CMS_ContentInfo> cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  if (!cms) return Fail("CMS_sign");
  // CMS_CADES: the ESS signingCertificateV2 attribute (SHA-256 of the signer's certificate).
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), cert.get(), pkey.get(), EVP_sha256(),
                                       CMS_BINARY | CMS_CADES | CMS_NOSMIMECAP | CMS_PARTIAL);
  if (si == nullptr) return Fail("CMS_add1_signer");
  Own<ASN1_TIME> when(ASN1_TIME_set(nullptr, static_cast<time_t>(now)));
  if (!when || CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, when->type, when.get(), -1) != 1) {
    return Fail("signingTime");
  }
  for (const std::string& der : chain_der) {
    Own<X509> ca(ParseDer(der));
    if (ca && CMS_add1_cert(cms.get(), ca.get()) != 1) return Fail("CMS_add1_cert");
  }
  Own<BIO> data(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  // CMS_final digests the content, adds contentType and messageDigest, and signs the attributes:
  // the one call into TokenRsaSign.
  if (CMS_final(cms.get(), data.get(), nullptr, CMS_DETACHED | CMS_BINARY) != 1) return Fail("CMS_final");
  RSA_set_app_data(rsa.get(), nullptr);
  unsigned char* out = nullptr;
  const int len = i2d_CMS_ContentInfo(cms.get(), &out);
  if (len <= 0) return Fail("DER encoding");
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(len));
  OPENSSL_free(out);
  return der;
}

}  // namespace mck::token
