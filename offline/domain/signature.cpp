// Detached CAdES-BES verification and the officer certificate checks (signature.h).
#include "offline/domain/signature.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <ctime>
#include <memory>

#include "offline/domain/clock.h"
#include "offline/domain/openssl_ptr.h"

namespace mck {
namespace {

struct CmsFree {
  void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
};
struct CertStackFree {
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};

std::int64_t AsnTimeToUnix(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&tm));
}

SignatureVerdict Refuse(SignatureProblem problem, std::string en, std::string vi) {
  SignatureVerdict v;
  v.problem = problem;
  v.status = Status::Error(problem == SignatureProblem::kMalformed ? Code::kInvalidArgument : Code::kSecurity,
                           std::move(en), std::move(vi));
  return v;
}

// The signingTime signed attribute of the only signer, 0 when absent or unreadable.
std::int64_t SigningTimeOf(CMS_SignerInfo* si) {
  const int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (at < 0) return 0;
  X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, at);
  ASN1_TYPE* type = X509_ATTRIBUTE_get0_type(attr, 0);
  if (type == nullptr) return 0;
  if (type->type != V_ASN1_UTCTIME && type->type != V_ASN1_GENERALIZEDTIME) return 0;
  return AsnTimeToUnix(reinterpret_cast<const ASN1_TIME*>(type->value.asn1_string));
}

}  // namespace

std::string CanonicalDecisionBytes(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("signature")) return body.dump();
  nlohmann::json copy = body;
  copy.erase("signature");
  return copy.dump();
}

const char* SignatureProblemName(SignatureProblem problem) {
  switch (problem) {
    case SignatureProblem::kNone: return "ok";
    case SignatureProblem::kMalformed: return "malformed";
    case SignatureProblem::kTampered: return "tampered";
    case SignatureProblem::kUntrusted: return "untrusted";
    case SignatureProblem::kNotValidAtSigningTime: return "not_valid_at_signing_time";
    case SignatureProblem::kCertExpired: return "certificate_expired";
    case SignatureProblem::kCertNotYetValid: return "certificate_not_yet_valid";
    case SignatureProblem::kNotForSigning: return "not_for_signing";
  }
  return "unknown";
}

SignerInfo DescribeCertificate(X509* cert) {
  SignerInfo info;
  if (cert == nullptr) return info;
  X509_NAME* name = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (at >= 0) {
    unsigned char* utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at)));
    if (n >= 0) info.subject_cn.assign(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(n));
    OPENSSL_free(utf8);
  }
  ossl::Ptr<BIO> mem(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(mem.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  char* data = nullptr;
  const long len = BIO_get_mem_data(mem.get(), &data);
  if (len > 0) info.subject.assign(data, static_cast<std::size_t>(len));
  ossl::Ptr<BIGNUM> serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (serial) {
    char* hex = BN_bn2hex(serial.get());
    for (const char* p = hex; p && *p; ++p) info.serial_hex.push_back(static_cast<char>(std::tolower(*p)));
    OPENSSL_free(hex);
  }
  info.not_before = AsnTimeToUnix(X509_get0_notBefore(cert));
  info.not_after = AsnTimeToUnix(X509_get0_notAfter(cert));
  // RFC 5280: without a keyUsage extension the key is not restricted.
  const uint32_t usage = X509_get_key_usage(cert);
  info.for_signing = usage == UINT32_MAX || (usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) != 0;
  return info;
}

SignatureProblem CheckSigningCertificate(X509* cert, std::int64_t now, Status* why) {
  const SignerInfo info = DescribeCertificate(cert);
  SignatureProblem problem = SignatureProblem::kNone;
  if (now > info.not_after) {
    problem = SignatureProblem::kCertExpired;
    *why = Status::Error(Code::kSecurity, "the signing certificate (serial " + info.serial_hex + ") has expired",
                         "Chứng thư số của cán bộ đã hết hạn. Vui lòng gia hạn chứng thư số trước khi ký.");
  } else if (now < info.not_before) {
    problem = SignatureProblem::kCertNotYetValid;
    *why = Status::Error(Code::kSecurity, "the signing certificate (serial " + info.serial_hex + ") is not valid yet",
                         "Chứng thư số của cán bộ chưa đến ngày có hiệu lực. Vui lòng kiểm tra ngày giờ của máy "
                         "hoặc chờ đến ngày hiệu lực.");
  } else if (!info.for_signing) {
    problem = SignatureProblem::kNotForSigning;
    *why =
        Status::Error(Code::kSecurity,
                      "the certificate (serial " + info.serial_hex + ") does not allow digital signatures (keyUsage)",
                      "Chứng thư số này không dùng để ký số. Vui lòng chọn chứng thư ký số của cán bộ.");
  }
  return problem;
}

SignatureVerdict VerifyDetachedCms(std::string_view cms_der, std::string_view content, std::string_view ca_bundle_pem) {
  ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(cms_der.data());
  std::unique_ptr<CMS_ContentInfo, CmsFree> cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size())));
  const std::string not_cms_vi = "Chữ ký số không đúng định dạng.";
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    return Refuse(SignatureProblem::kMalformed, "the signature is not a DER CMS SignedData", not_cms_vi);
  }
  if (CMS_is_detached(cms.get()) != 1) {
    return Refuse(SignatureProblem::kMalformed, "the signature is not detached", not_cms_vi);
  }
  STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
  if (infos == nullptr || sk_CMS_SignerInfo_num(infos) != 1) {
    return Refuse(SignatureProblem::kMalformed, "the signature must have exactly one signer", not_cms_vi);
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  SignatureVerdict verdict;
  verdict.signing_time = SigningTimeOf(si);
  if (verdict.signing_time == 0) {
    return Refuse(SignatureProblem::kMalformed, "the signature has no signingTime attribute (CAdES-BES)", not_cms_vi);
  }
  if (CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) < 0) {
    return Refuse(SignatureProblem::kMalformed, "the signature has no ESS signingCertificateV2 attribute (CAdES-BES)",
                  not_cms_vi);
  }
  X509_ALGOR* digest_alg = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &digest_alg, nullptr);
  const ASN1_OBJECT* digest_obj = nullptr;
  if (digest_alg != nullptr) X509_ALGOR_get0(&digest_obj, nullptr, nullptr, digest_alg);
  if (digest_obj == nullptr || OBJ_obj2nid(digest_obj) != NID_sha256) {
    return Refuse(SignatureProblem::kMalformed, "the signature's digest is not SHA-256", not_cms_vi);
  }
  // The signer's certificate must be in the CMS (the portal keeps no officer certificates).
  std::unique_ptr<STACK_OF(X509), CertStackFree> certs(CMS_get1_certs(cms.get()));
  X509* signer = nullptr;
  for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i) {
    if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs.get(), i)) == 0) signer = sk_X509_value(certs.get(), i);
  }
  if (signer == nullptr) {
    return Refuse(SignatureProblem::kMalformed, "the signer's certificate is not in the signature", not_cms_vi);
  }
  verdict.signer = DescribeCertificate(signer);

  // 1. The bytes: signature and content digest, without the chain (that is step 2). CMS_verify
  // also checks the ESS signingCertificateV2 against the signer's certificate.
  ossl::Ptr<BIO> data(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
  if (CMS_verify(cms.get(), certs.get(), nullptr, data.get(), nullptr,
                 CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN) != 1) {
    ERR_clear_error();
    SignatureVerdict v = Refuse(SignatureProblem::kTampered,
                                "the signature does not match the decision's bytes (tampered or wrong content)",
                                "Chữ ký số không khớp với nội dung quyết định: nội dung đã bị thay đổi.");
    v.signer = verdict.signer;
    v.signing_time = verdict.signing_time;
    return v;
  }

  // 2. The chain, at the signing time.
  ossl::Ptr<X509_STORE> store(X509_STORE_new());
  ossl::Ptr<BIO> pem(BIO_new_mem_buf(ca_bundle_pem.data(), static_cast<int>(ca_bundle_pem.size())));
  int anchors = 0;
  while (X509* ca = PEM_read_bio_X509(pem.get(), nullptr, nullptr, nullptr)) {
    if (X509_STORE_add_cert(store.get(), ca) == 1) ++anchors;
    X509_free(ca);
  }
  ERR_clear_error();
  auto with_signer = [&](SignatureVerdict v) {
    v.signer = verdict.signer;
    v.signing_time = verdict.signing_time;
    return v;
  };
  if (anchors == 0) {
    return with_signer(Refuse(SignatureProblem::kUntrusted, "no CA certificate to verify the signature against",
                              "Chưa cấu hình chứng thư của tổ chức cấp chứng thư số để kiểm tra chữ ký."));
  }
  ossl::Ptr<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(ctx.get(), store.get(), signer, certs.get());
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_ANY);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), static_cast<time_t>(verdict.signing_time));
  if (X509_verify_cert(ctx.get()) != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    if (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID) {
      return with_signer(Refuse(SignatureProblem::kNotValidAtSigningTime,
                                std::string("a certificate of the signer's chain was not valid at the signing time (") +
                                    X509_verify_cert_error_string(err) + ")",
                                "Chứng thư số của người ký không còn hiệu lực tại thời điểm ký."));
    }
    return with_signer(Refuse(SignatureProblem::kUntrusted,
                              std::string("the signer's certificate does not chain to the officer CA (") +
                                  X509_verify_cert_error_string(err) + ")",
                              "Chứng thư số của người ký không do tổ chức được tin cậy cấp (sai chứng thư)."));
  }
  if (!verdict.signer.for_signing) {
    return with_signer(Refuse(SignatureProblem::kNotForSigning,
                              "the signer's certificate does not allow digital signatures (keyUsage)",
                              "Chứng thư số của người ký không dùng để ký số."));
  }
  verdict.problem = SignatureProblem::kNone;
  verdict.status = Status::Ok();
  return verdict;
}

nlohmann::json SignatureMember(std::string_view cms_der) {
  return {{"format", "cades-bes"}, {"cms", Base64Encode(cms_der)}};
}

SignatureVerdict VerifyDecisionSignature(const nlohmann::json& body, std::string_view ca_bundle_pem) {
  const std::string vi = "Chữ ký số không đúng định dạng.";
  if (!body.is_object() || !body.contains("signature") || !body["signature"].is_object()) {
    return Refuse(SignatureProblem::kMalformed, "the decision has no signature object", vi);
  }
  const nlohmann::json& sig = body["signature"];
  if (!sig.contains("format") || sig["format"] != "cades-bes") {
    return Refuse(SignatureProblem::kMalformed, "signature.format is not \"cades-bes\"", vi);
  }
  std::string der;
  if (!sig.contains("cms") || !sig["cms"].is_string() || !Base64Decode(sig["cms"].get<std::string>(), &der)) {
    return Refuse(SignatureProblem::kMalformed, "signature.cms is not base64", vi);
  }
  return VerifyDetachedCms(der, CanonicalDecisionBytes(body), ca_bundle_pem);
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool Base64Decode(std::string_view text, std::string* bytes) {
  if (text.empty() || text.size() % 4 != 0) return false;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=') return false;
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return false;
  std::size_t len = static_cast<std::size_t>(n);
  if (text.back() == '=') --len;  // EVP_DecodeBlock counts the padding as zero bytes
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  *bytes = std::move(out);
  return true;
}

std::string SigningTimeVn(std::int64_t unix_seconds) {
  return FormatRfc3339Vietnam(TimePoint(std::chrono::seconds(unix_seconds)));
}

}  // namespace mck
