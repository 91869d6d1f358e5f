#include "offline/store/tpm_seal.h"

#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include <cstring>

#include "offline/domain/ids.h"

namespace mck {

namespace {

Status TpmError(Code code, const std::string& what, TSS2_RC rc) {
  return Status::Error(code, "TPM: " + what + ": " + Tss2_RC_Decode(rc), "Lỗi chip bảo mật TPM (" + what + ")");
}

// One ESAPI context over one TCTI, and the storage primary created in it; everything flushed and
// finalised on destruction.
class TpmSession {
 public:
  ~TpmSession() {
    if (ctx_ && primary_ != ESYS_TR_NONE) Esys_FlushContext(ctx_, primary_);
    if (ctx_) Esys_Finalize(&ctx_);
    if (tcti_) Tss2_TctiLdr_Finalize(&tcti_);
  }

  Status Open(const std::string& conf) {
    if (conf.empty()) {
      return Status::Error(Code::kInvalidArgument, "no TPM TCTI configured (security.tpm_tcti)",
                           "Chưa cấu hình đường tới chip TPM (security.tpm_tcti)");
    }
    TSS2_RC rc = Tss2_TctiLdr_Initialize(conf.c_str(), &tcti_);
    if (rc != TSS2_RC_SUCCESS) {
      return Status::Error(Code::kUnavailable, "TPM: no TPM reachable at '" + conf + "': " + Tss2_RC_Decode(rc),
                           "Không kết nối được chip bảo mật TPM (" + conf + ")");
    }
    rc = Esys_Initialize(&ctx_, tcti_, nullptr);
    if (rc != TSS2_RC_SUCCESS) return TpmError(Code::kUnavailable, "Esys_Initialize", rc);
    return CreatePrimary();
  }

  ESYS_CONTEXT* ctx() { return ctx_; }
  ESYS_TR primary() const { return primary_; }

 private:
  Status CreatePrimary() {
    TPM2B_SENSITIVE_CREATE sensitive{};
    TPM2B_PUBLIC in{};
    in.publicArea.type = TPM2_ALG_ECC;
    in.publicArea.nameAlg = TPM2_ALG_SHA256;
    in.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |
                                     TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA | TPMA_OBJECT_RESTRICTED |
                                     TPMA_OBJECT_DECRYPT;
    auto& ecc = in.publicArea.parameters.eccDetail;
    ecc.symmetric.algorithm = TPM2_ALG_AES;
    ecc.symmetric.keyBits.aes = 128;
    ecc.symmetric.mode.aes = TPM2_ALG_CFB;
    ecc.scheme.scheme = TPM2_ALG_NULL;
    ecc.curveID = TPM2_ECC_NIST_P256;
    ecc.kdf.scheme = TPM2_ALG_NULL;
    TPM2B_DATA outside{};
    TPML_PCR_SELECTION pcrs{};
    const TSS2_RC rc =
        Esys_CreatePrimary(ctx_, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sensitive, &in,
                           &outside, &pcrs, &primary_, nullptr, nullptr, nullptr, nullptr);
    if (rc != TSS2_RC_SUCCESS) return TpmError(Code::kUnavailable, "cannot create the storage primary key", rc);
    return Status::Ok();
  }

  TSS2_TCTI_CONTEXT* tcti_ = nullptr;
  ESYS_CONTEXT* ctx_ = nullptr;
  ESYS_TR primary_ = ESYS_TR_NONE;
};

constexpr char kSealMagic[4] = {'M', 'T', 'S', '1'};

}  // namespace

Status TpmProbe(const std::string& tcti) {
  TpmSession s;
  return s.Open(tcti);
}

Result<std::string> TpmSeal(const std::string& tcti, std::string_view secret) {
  if (secret.empty() || secret.size() > kTpmMaxSealedBytes) {
    return Status::Error(Code::kInvalidArgument, "TPM: a sealed secret must be 1..128 bytes",
                         "Khoá cần niêm phong quá dài");
  }
  TpmSession s;
  MCK_RETURN_IF_ERROR(s.Open(tcti));
  TPM2B_SENSITIVE_CREATE sensitive{};
  sensitive.sensitive.data.size = static_cast<UINT16>(secret.size());
  std::memcpy(sensitive.sensitive.data.buffer, secret.data(), secret.size());
  TPM2B_PUBLIC in{};
  in.publicArea.type = TPM2_ALG_KEYEDHASH;
  in.publicArea.nameAlg = TPM2_ALG_SHA256;
  // No SENSITIVEDATAORIGIN: the data is ours. No sign/decrypt: a sealed-data object.
  in.publicArea.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_USERWITHAUTH;
  in.publicArea.parameters.keyedHashDetail.scheme.scheme = TPM2_ALG_NULL;
  TPM2B_DATA outside{};
  TPML_PCR_SELECTION pcrs{};
  TPM2B_PRIVATE* priv = nullptr;
  TPM2B_PUBLIC* pub = nullptr;
  const TSS2_RC rc = Esys_Create(s.ctx(), s.primary(), ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sensitive, &in,
                                 &outside, &pcrs, &priv, &pub, nullptr, nullptr, nullptr);
  SecureZero(&sensitive, sizeof sensitive);
  if (rc != TSS2_RC_SUCCESS) return TpmError(Code::kSecurity, "cannot seal", rc);
  std::string out(sizeof kSealMagic + sizeof(TPM2B_PUBLIC) + sizeof(TPM2B_PRIVATE), '\0');
  std::memcpy(out.data(), kSealMagic, sizeof kSealMagic);
  size_t off = sizeof kSealMagic;
  auto* buf = reinterpret_cast<uint8_t*>(out.data());
  TSS2_RC mrc = Tss2_MU_TPM2B_PUBLIC_Marshal(pub, buf, out.size(), &off);
  if (mrc == TSS2_RC_SUCCESS) mrc = Tss2_MU_TPM2B_PRIVATE_Marshal(priv, buf, out.size(), &off);
  Esys_Free(priv);
  Esys_Free(pub);
  if (mrc != TSS2_RC_SUCCESS) return TpmError(Code::kInternal, "marshal", mrc);
  out.resize(off);
  return out;
}

Result<std::string> TpmUnseal(const std::string& tcti, std::string_view blob) {
  TPM2B_PUBLIC pub{};
  TPM2B_PRIVATE priv{};
  size_t off = sizeof kSealMagic;
  const auto* buf = reinterpret_cast<const uint8_t*>(blob.data());
  if (blob.size() < sizeof kSealMagic || std::memcmp(blob.data(), kSealMagic, sizeof kSealMagic) != 0 ||
      Tss2_MU_TPM2B_PUBLIC_Unmarshal(buf, blob.size(), &off, &pub) != TSS2_RC_SUCCESS ||
      Tss2_MU_TPM2B_PRIVATE_Unmarshal(buf, blob.size(), &off, &priv) != TSS2_RC_SUCCESS || off != blob.size()) {
    return Status::Error(Code::kCorrupt, "TPM: sealed key blob is malformed", "Tệp khoá niêm phong bị hỏng");
  }
  TpmSession s;
  MCK_RETURN_IF_ERROR(s.Open(tcti));
  ESYS_TR object = ESYS_TR_NONE;
  TSS2_RC rc = Esys_Load(s.ctx(), s.primary(), ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &priv, &pub, &object);
  if (rc != TSS2_RC_SUCCESS) {
    return Status::Error(Code::kSecurity,
                         std::string("TPM: the sealed key does not belong to this TPM (another machine's disk, or the "
                                     "TPM was cleared): ") +
                             Tss2_RC_Decode(rc),
                         "Khoá đã niêm phong không thuộc chip TPM của máy này (ổ đĩa từ máy khác, hoặc TPM đã bị xoá)");
  }
  TPM2B_SENSITIVE_DATA* data = nullptr;
  rc = Esys_Unseal(s.ctx(), object, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &data);
  Esys_FlushContext(s.ctx(), object);
  if (rc != TSS2_RC_SUCCESS) return TpmError(Code::kSecurity, "cannot unseal", rc);
  std::string secret(reinterpret_cast<const char*>(data->buffer), data->size);
  SecureZero(data, sizeof *data);
  Esys_Free(data);
  return secret;
}

}  // namespace mck
