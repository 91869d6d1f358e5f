#include "drivers/card/sod.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>

#include "drivers/card/tlv.h"

namespace mck::card {
namespace {

using CmsPtr = std::unique_ptr<CMS_ContentInfo, decltype(&CMS_ContentInfo_free)>;
using StorePtr = std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

Status Corrupt(const std::string& what) {
  return Status::Error(Code::kCorrupt, "card data: EF.SOD: " + what,
                       "Dữ liệu bảo mật trên thẻ bị hỏng. Không xác minh được thẻ.");
}

std::string OpenSslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "unknown";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Result<CmsPtr> ParseCms(ByteView ef_sod) {
  auto outer = ParseTlv(ef_sod);
  if (!outer.ok()) return outer.status();
  if (outer->tag != 0x77) return Corrupt("outer tag is not 77");
  const unsigned char* p = outer->value.data();
  CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(outer->value.size()));
  if (!cms) return Corrupt("not a CMS structure: " + OpenSslError());
  return CmsPtr(cms, &CMS_ContentInfo_free);
}

}  // namespace

Result<SodContent> ParseSod(ByteView ef_sod) {
  auto cms = ParseCms(ef_sod);
  if (!cms.ok()) return cms.status();
  ASN1_OCTET_STRING** content = CMS_get0_content(cms->get());
  if (!content || !*content) return Corrupt("no encapsulated content");
  const ByteView lds(ASN1_STRING_get0_data(*content), static_cast<size_t>(ASN1_STRING_length(*content)));
  // LDSSecurityObject ::= SEQUENCE { version, hashAlgorithm, dataGroupHashValues, ldsVersionInfo? }
  auto seq = ParseTlv(lds);
  if (!seq.ok()) return seq.status();
  if (seq->tag != 0x30) return Corrupt("LDS security object is not a SEQUENCE");
  auto parts = ParseTlvList(seq->value);
  if (!parts.ok()) return parts.status();
  if (parts->size() < 3 || (*parts)[0].tag != 0x02 || (*parts)[1].tag != 0x30 || (*parts)[2].tag != 0x30) {
    return Corrupt("LDS security object has the wrong shape");
  }
  auto alg = ParseTlvList((*parts)[1].value);
  if (!alg.ok()) return alg.status();
  if (alg->empty() || (*alg)[0].tag != 0x06) return Corrupt("hash algorithm is not an OID");
  // Re-encode the OID TLV for OpenSSL.
  const Bytes oid_der = EncodeTlv(0x06, (*alg)[0].value);
  const unsigned char* op = oid_der.data();
  ASN1_OBJECT* obj = d2i_ASN1_OBJECT(nullptr, &op, static_cast<long>(oid_der.size()));
  if (!obj) return Corrupt("hash algorithm OID unreadable");
  const EVP_MD* md = EVP_get_digestbyobj(obj);
  ASN1_OBJECT_free(obj);
  if (!md) return Corrupt("hash algorithm not supported");
  SodContent out;
  out.digest_name = EVP_MD_get0_name(md);
  auto hashes = ParseTlvList((*parts)[2].value);
  if (!hashes.ok()) return hashes.status();
  for (const Tlv& h : *hashes) {
    if (h.tag != 0x30) return Corrupt("data group hash is not a SEQUENCE");
    auto fields = ParseTlvList(h.value);
    if (!fields.ok()) return fields.status();
    if (fields->size() != 2 || (*fields)[0].tag != 0x02 || (*fields)[0].value.size() != 1 || (*fields)[1].tag != 0x04) {
      return Corrupt("data group hash has the wrong shape");
    }
    const int dg = (*fields)[0].value[0];
    if (dg < 1 || dg > 16) return Corrupt("data group number out of range");
    out.dg_hashes[dg] = Bytes((*fields)[1].value.begin(), (*fields)[1].value.end());
  }
  return out;
}

Result<Bytes> SodDigest(const SodContent& sod, ByteView data) {
  const EVP_MD* md = EVP_get_digestbyname(sod.digest_name.c_str());
  if (!md) return Corrupt("hash algorithm not supported");
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr) != 1) return Corrupt("digest failed");
  out.resize(n);
  return out;
}

Status VerifySodSignature(ByteView ef_sod, const std::string& csca_file) {
  auto cms = ParseCms(ef_sod);
  if (!cms.ok()) return cms.status();
  StorePtr store(X509_STORE_new(), &X509_STORE_free);
  BioPtr bio(BIO_new_file(csca_file.c_str(), "rb"), &BIO_free);
  if (!bio) {
    ERR_clear_error();
    return Status::Error(Code::kNotFound, "CSCA file cannot be opened: " + csca_file,
                         "Không mở được tệp chứng thư CSCA: " + csca_file);
  }
  int loaded = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store.get(), cert);
    X509_free(cert);
    ++loaded;
  }
  ERR_clear_error();
  if (loaded == 0) {  // maybe DER
    BioPtr der(BIO_new_file(csca_file.c_str(), "rb"), &BIO_free);
    if (X509* cert = der ? d2i_X509_bio(der.get(), nullptr) : nullptr) {
      X509_STORE_add_cert(store.get(), cert);
      X509_free(cert);
      ++loaded;
    }
    ERR_clear_error();
  }
  if (loaded == 0) {
    return Status::Error(Code::kInvalidArgument, "CSCA file holds no certificate: " + csca_file,
                         "Tệp chứng thư CSCA không chứa chứng thư nào: " + csca_file);
  }
  X509_STORE_set_purpose(store.get(), X509_PURPOSE_ANY);
  X509_STORE_set_flags(store.get(), X509_V_FLAG_NO_CHECK_TIME);
  BioPtr out(BIO_new(BIO_s_mem()), &BIO_free);
  if (CMS_verify(cms->get(), nullptr, store.get(), nullptr, out.get(), CMS_BINARY) != 1) {
    return Status::Error(Code::kSecurity, "EF.SOD signature does not verify: " + OpenSslError(),
                         "Chữ ký số trên thẻ không hợp lệ: thẻ có thể không do cơ quan có thẩm quyền cấp.");
  }
  return Status::Ok();
}

}  // namespace mck::card
