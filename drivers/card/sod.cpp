#include "drivers/card/sod.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>

#include "offline/domain/openssl_ptr.h"

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

// The first queued OpenSSL error with its detail ("Verify error:certificate revoked").
std::string OpenSslError() {
  const char* data = nullptr;
  int flags = 0;
  const unsigned long e = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags);
  std::string detail = (e && data && (flags & ERR_TXT_STRING)) ? std::string(": ") + data : "";
  ERR_clear_error();
  if (!e) return "unknown";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf + detail;
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

namespace {

// Every certificate of a master list's certList, after its own CMS signature verified under one
// of them (the master list signer is certified by a CSCA the list carries).
Result<std::vector<ossl::Ptr<X509>>> MasterListCerts(CMS_ContentInfo* cms) {
  auto bad = [](const std::string& why) {
    return Status::Error(Code::kInvalidArgument, "CSCA master list: " + why,
                         "Tệp danh sách CSCA (master list) không hợp lệ: " + why);
  };
  ASN1_OCTET_STRING** content = CMS_get0_content(cms);
  if (!content || !*content) return bad("no encapsulated content");
  const ByteView list(ASN1_STRING_get0_data(*content), static_cast<size_t>(ASN1_STRING_length(*content)));
  // CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }
  auto seq = ParseTlv(list);
  if (!seq.ok() || seq->tag != 0x30) return bad("content is not a SEQUENCE");
  auto parts = ParseTlvList(seq->value);
  if (!parts.ok() || parts->size() != 2 || (*parts)[0].tag != 0x02 || (*parts)[1].tag != 0x31) {
    return bad("content is not a CscaMasterList");
  }
  auto certs = ParseTlvList((*parts)[1].value);
  if (!certs.ok()) return bad("certList is malformed");
  std::vector<ossl::Ptr<X509>> out;
  StorePtr store(X509_STORE_new(), &X509_STORE_free);
  for (const Tlv& c : *certs) {
    const unsigned char* p = c.value.data() + c.value.size() - c.size;  // the whole TLV
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(c.size));
    if (!x) return bad("a certificate cannot be decoded: " + OpenSslError());
    X509_STORE_add_cert(store.get(), x);
    out.emplace_back(x);
  }
  if (out.empty()) return bad("no certificate");
  X509_STORE_set_purpose(store.get(), X509_PURPOSE_ANY);
  X509_STORE_set_flags(store.get(), X509_V_FLAG_NO_CHECK_TIME);
  BioPtr sink(BIO_new(BIO_s_mem()), &BIO_free);
  if (CMS_verify(cms, nullptr, store.get(), nullptr, sink.get(), CMS_BINARY) != 1) {
    return bad("its signature does not verify under the CSCAs it lists: " + OpenSslError());
  }
  return out;
}

Result<Bytes> ReadWhole(const std::string& file, const char* what_en, const char* what_vi) {
  BioPtr bio(BIO_new_file(file.c_str(), "rb"), &BIO_free);
  if (!bio) {
    ERR_clear_error();
    return Status::Error(Code::kNotFound, std::string(what_en) + " cannot be opened: " + file,
                         std::string("Không mở được ") + what_vi + ": " + file);
  }
  Bytes out;
  uint8_t buf[4096];
  int n;
  while ((n = BIO_read(bio.get(), buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  ERR_clear_error();
  return out;
}

}  // namespace

Result<int> LoadCscaSet(const std::string& csca_file, X509_STORE* store) {
  auto bytes = ReadWhole(csca_file, "CSCA file", "tệp chứng thư CSCA");
  if (!bytes.ok()) return bytes.status();
  int loaded = 0;
  {
    BioPtr bio(BIO_new_mem_buf(bytes->data(), static_cast<int>(bytes->size())), &BIO_free);
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      X509_STORE_add_cert(store, cert);
      X509_free(cert);
      ++loaded;
    }
    ERR_clear_error();
  }
  if (loaded > 0) return loaded;
  // DER: an ICAO master list (CMS SignedData of type id-icao-cscaMasterList), or one certificate.
  const unsigned char* p = bytes->data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(bytes->size())), &CMS_ContentInfo_free);
  ERR_clear_error();
  if (cms) {
    const ASN1_OBJECT* type = CMS_get0_eContentType(cms.get());
    char oid[64] = {0};
    if (type) OBJ_obj2txt(oid, sizeof oid, type, 1);
    if (std::string(oid) != "2.23.136.1.1.2") {
      return Status::Error(Code::kInvalidArgument,
                           "CSCA file is a CMS structure but not a CSCA master list: " + csca_file,
                           "Tệp chứng thư CSCA không phải danh sách CSCA (master list): " + csca_file);
    }
    auto certs = MasterListCerts(cms.get());
    if (!certs.ok()) return certs.status();
    for (const auto& c : *certs) X509_STORE_add_cert(store, c.get());
    return static_cast<int>(certs->size());
  }
  p = bytes->data();
  if (X509* cert = d2i_X509(nullptr, &p, static_cast<long>(bytes->size()))) {
    X509_STORE_add_cert(store, cert);
    X509_free(cert);
    return 1;
  }
  ERR_clear_error();
  return Status::Error(Code::kInvalidArgument, "CSCA file holds no certificate: " + csca_file,
                       "Tệp chứng thư CSCA không chứa chứng thư nào: " + csca_file);
}

Result<int> LoadCrls(const std::string& crl_file, X509_STORE* store) {
  auto bytes = ReadWhole(crl_file, "CRL file", "tệp danh sách thu hồi (CRL)");
  if (!bytes.ok()) return bytes.status();
  int loaded = 0;
  {
    BioPtr bio(BIO_new_mem_buf(bytes->data(), static_cast<int>(bytes->size())), &BIO_free);
    while (X509_CRL* crl = PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)) {
      X509_STORE_add_crl(store, crl);
      X509_CRL_free(crl);
      ++loaded;
    }
    ERR_clear_error();
  }
  if (loaded == 0) {
    const unsigned char* p = bytes->data();
    if (X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes->size()))) {
      X509_STORE_add_crl(store, crl);
      X509_CRL_free(crl);
      loaded = 1;
    }
    ERR_clear_error();
  }
  if (loaded == 0) {
    return Status::Error(Code::kInvalidArgument, "CRL file holds no CRL: " + crl_file,
                         "Tệp danh sách thu hồi (CRL) không chứa CRL nào: " + crl_file);
  }
  return loaded;
}

Status VerifySodSignature(ByteView ef_sod, const std::string& csca_file, const std::string& crl_file) {
  auto cms = ParseCms(ef_sod);
  if (!cms.ok()) return cms.status();
  StorePtr store(X509_STORE_new(), &X509_STORE_free);
  auto anchors = LoadCscaSet(csca_file, store.get());
  if (!anchors.ok()) return anchors.status();
  unsigned long flags = X509_V_FLAG_NO_CHECK_TIME;
  if (!crl_file.empty()) {
    auto crls = LoadCrls(crl_file, store.get());
    if (!crls.ok()) return crls.status();
    flags |= X509_V_FLAG_CRL_CHECK;  // the document signer (the leaf) must be under a CRL of its CSCA
  }
  X509_STORE_set_purpose(store.get(), X509_PURPOSE_ANY);
  X509_STORE_set_flags(store.get(), flags);
  BioPtr out(BIO_new(BIO_s_mem()), &BIO_free);
  if (CMS_verify(cms->get(), nullptr, store.get(), nullptr, out.get(), CMS_BINARY) != 1) {
    return Status::Error(Code::kSecurity, "EF.SOD signature does not verify: " + OpenSslError(),
                         "Chữ ký số trên thẻ không hợp lệ: thẻ có thể không do cơ quan có thẩm quyền cấp.");
  }
  return Status::Ok();
}

}  // namespace mck::card
