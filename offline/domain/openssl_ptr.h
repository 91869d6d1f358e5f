// Owning pointers for OpenSSL objects: `ossl::Ptr<BIO>`, `ossl::Ptr<EVP_PKEY>`, ... each freed
// with its own OpenSSL free function (secret-bearing ones with the clearing variant). One table
// here instead of a deleter struct per file.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

namespace mck::ossl {

template <typename T>
struct Free;  // specialised below, one per OpenSSL type

#define MCK_OSSL_FREE(TYPE, FN)               \
  template <>                                 \
  struct Free<TYPE> {                         \
    void operator()(TYPE* p) const { FN(p); } \
  }
MCK_OSSL_FREE(ASN1_OBJECT, ASN1_OBJECT_free);
MCK_OSSL_FREE(BIO, BIO_free);
MCK_OSSL_FREE(BIGNUM, BN_clear_free);
MCK_OSSL_FREE(BN_CTX, BN_CTX_free);
MCK_OSSL_FREE(EC_GROUP, EC_GROUP_free);
MCK_OSSL_FREE(EC_POINT, EC_POINT_clear_free);
MCK_OSSL_FREE(EVP_CIPHER_CTX, EVP_CIPHER_CTX_free);
MCK_OSSL_FREE(EVP_MAC, EVP_MAC_free);
MCK_OSSL_FREE(EVP_MAC_CTX, EVP_MAC_CTX_free);
MCK_OSSL_FREE(EVP_MD_CTX, EVP_MD_CTX_free);
MCK_OSSL_FREE(EVP_PKEY, EVP_PKEY_free);
MCK_OSSL_FREE(EVP_PKEY_CTX, EVP_PKEY_CTX_free);
MCK_OSSL_FREE(X509, X509_free);
MCK_OSSL_FREE(X509_REQ, X509_REQ_free);
MCK_OSSL_FREE(X509_STORE, X509_STORE_free);
MCK_OSSL_FREE(X509_STORE_CTX, X509_STORE_CTX_free);
#undef MCK_OSSL_FREE

template <typename T>
using Ptr = std::unique_ptr<T, Free<T>>;

}  // namespace mck::ossl
