#include "kiosk/core/decision_signer.h"

#include <fstream>
#include <iterator>

#include "drivers/token/officer_token.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

namespace mck::core {

DecisionSigner::DecisionSigner(const KioskConfig& config, std::string pin, const Clock& clock)
    : config_(config), pin_(std::move(pin)), clock_(clock) {}

DecisionSigner::~DecisionSigner() { SecureWipe(pin_); }

DecisionStore::SignDecision DecisionSigner::Hook() {
  return [this](const nlohmann::json& body) { return Sign(body); };
}

Result<std::string> ReadOfficerCa(const KioskConfig& config) {
  std::ifstream in(config.signing_ca_file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (config.signing_ca_file.empty() || !in.is_open() || text.empty()) {
    return Status::Error(Code::kFailedPrecondition,
                         "cannot read the officers' CA certificates ([signing] ca_file " + config.signing_ca_file + ")",
                         "Chưa có chứng thư của tổ chức cấp chứng thư số để kiểm tra chữ ký. Vui lòng báo kỹ thuật viên.");
  }
  return text;
}

Status DecisionSigner::Refuse(std::string why, Status st, bool wrong_pin) {
  refusal_ = SigningRefusal{std::move(why), wrong_pin, st};
  return st;
}

Status DecisionSigner::Unlock() {
  if (token_) return Status::Ok();
  struct WipeOnExit {
    std::string& pin;
    ~WipeOnExit() { SecureWipe(pin); }
  } wipe{pin_};  // used once, whatever happens
  if (config_.signing_module.empty()) {
    return Refuse("not_configured", Status::Error(Code::kFailedPrecondition, "no signing token is configured ([signing] module)",
                                                  "Kiosk chưa được cài đặt thiết bị ký số. Vui lòng báo kỹ thuật viên."));
  }
  auto ca = ReadOfficerCa(config_);
  if (!ca.ok()) return Refuse("ca_missing", ca.status());
  ca_pem_ = std::move(*ca);
  auto tok = token::OfficerToken::Open(config_.signing_module, {config_.signing_token_label, config_.signing_token_serial});
  if (!tok.ok()) return Refuse(token::TokenFailureName(tok.error().kind), tok.error().status);
  auto in = tok.value()->Login(pin_);
  if (!in.ok()) {
    const auto& e = in.error();
    return Refuse(token::TokenFailureName(e.kind), e.status, e.kind == token::TokenFailure::kWrongPin);
  }
  token_ = std::move(tok.value());
  return Status::Ok();
}

Result<nlohmann::json> DecisionSigner::Sign(const nlohmann::json& body) {
  if (used_) {
    return Refuse("already_used", Status::Error(Code::kFailedPrecondition, "a signer signs one decision",
                                                "Mỗi lần nhập mã PIN chỉ ký một quyết định."));
  }
  used_ = true;
  MCK_RETURN_IF_ERROR(Unlock());
  const std::string bytes = CanonicalDecisionBytes(body);
  auto cms = token_->SignDetached(bytes, "", UnixSeconds(clock_.Now()));
  token_.reset();  // logs out and closes the session: one PIN, one decision
  if (!cms.ok()) return Refuse(token::TokenFailureName(cms.error().kind), cms.error().status);
  // The kiosk's own check before anything is recorded: the portal runs the same one.
  SignatureVerdict v = VerifyDetachedCms(cms.value(), bytes, ca_pem_);
  if (!v.ok()) return Refuse(std::string("signature_") + SignatureProblemName(v.problem), v.status);
  if (!expected_signer_.empty() && FoldForSearch(v.signer.subject_cn) != FoldForSearch(expected_signer_)) {
    return Refuse("signer_mismatch",
                  Status::Error(Code::kSecurity,
                                "the token's certificate is " + v.signer.subject_cn + "'s, not the signed-in officer's",
                                "Chứng thư số trên thiết bị ký là của " + v.signer.subject_cn +
                                    ", không phải của cán bộ đang đăng nhập (" + expected_signer_ +
                                    "). Quyết định chưa được ký và chưa được lưu."));
  }
  signed_by_ = SignedBy{v.signer.subject_cn, v.signer.serial_hex, v.signing_time};
  return SignatureMember(cms.value());
}

Result<SignedBy> ProveOfficerToken(const KioskConfig& config, std::string pin, const Clock& clock,
                                   const std::string& officer_id, const std::string& officer_name,
                                   SigningRefusal* refusal) {
  DecisionSigner signer(config, std::move(pin), clock);
  signer.ExpectSigner(officer_name);
  const nlohmann::json challenge = {{"purpose", "officer_sign_in"}, {"officer", officer_id}, {"nonce", NewUuidV4()}};
  auto signed_challenge = signer.Hook()(challenge);
  if (!signed_challenge.ok()) {
    if (refusal != nullptr && signer.refusal()) *refusal = *signer.refusal();
    return signed_challenge.status();
  }
  return *signer.signed_by();
}

std::optional<SignedBy> VerifiedSigner(const nlohmann::json& body, const std::string& ca_bundle_pem) {
  if (!body.is_object() || !body.contains("signature")) return std::nullopt;
  SignatureVerdict v = VerifyDecisionSignature(body, ca_bundle_pem);
  if (!v.ok()) return std::nullopt;
  return SignedBy{v.signer.subject_cn, v.signer.serial_hex, v.signing_time};
}

}  // namespace mck::core
