// Token failure kinds, their messages and the one CKR_* mapping (token_failure.h).
#include "drivers/token/token_failure.h"

#include <p11-kit/pkcs11.h>

#include <cstdio>

namespace mck::token {
namespace {

struct Messages {
  const char* en;
  const char* vi;
};

Messages MessagesOf(TokenFailure kind) {
  switch (kind) {
    case TokenFailure::kModuleMissing:
      return {"the PKCS#11 module cannot be loaded ([signing] module)",
              "Chưa cài đặt phần mềm của thiết bị ký số (token). Vui lòng báo kỹ thuật viên."};
    case TokenFailure::kTokenAbsent:
      return {"no signing token is present", "Không tìm thấy thiết bị ký số (token). Vui lòng cắm token vào máy."};
    case TokenFailure::kTokenRemoved:
      return {"the signing token was removed during the signature",
              "Thiết bị ký số đã bị rút ra trong khi ký. Quyết định chưa được ký và chưa được gửi. Vui lòng cắm "
              "lại token và ký lại."};
    case TokenFailure::kWrongPin: return {"wrong token PIN", "Mã PIN của thiết bị ký số không đúng."};
    case TokenFailure::kPinLocked:
      return {"the token's PIN is locked",
              "Mã PIN của thiết bị ký số đã bị khoá. Vui lòng liên hệ tổ chức cấp chứng thư số để mở khoá."};
    case TokenFailure::kNotLoggedIn:
      return {"sign called before a successful login", "Chưa nhập mã PIN của thiết bị ký số."};
    case TokenFailure::kNoCertificate:
      return {"no signing certificate with its private key on the token",
              "Không tìm thấy chứng thư số và khoá ký trên thiết bị ký số."};
    case TokenFailure::kCertExpired:
      return {"the signing certificate has expired",
              "Chứng thư số của cán bộ đã hết hạn. Vui lòng gia hạn chứng thư số trước khi ký."};
    case TokenFailure::kCertNotYetValid:
      return {"the signing certificate is not valid yet",
              "Chứng thư số của cán bộ chưa đến ngày có hiệu lực. Vui lòng kiểm tra ngày giờ của máy."};
    case TokenFailure::kCertNotForSigning:
      return {"the certificate does not allow digital signatures (keyUsage)",
              "Chứng thư số này không dùng để ký số. Vui lòng dùng chứng thư ký số của cán bộ."};
    case TokenFailure::kTokenError:
      return {"the signing token failed", "Thiết bị ký số báo lỗi. Vui lòng rút ra, cắm lại và thử lại."};
  }
  return {"the signing token failed", "Thiết bị ký số báo lỗi."};
}

}  // namespace

const char* TokenFailureName(TokenFailure kind) {
  switch (kind) {
    case TokenFailure::kModuleMissing: return "module_missing";
    case TokenFailure::kTokenAbsent: return "token_absent";
    case TokenFailure::kTokenRemoved: return "token_removed";
    case TokenFailure::kWrongPin: return "wrong_pin";
    case TokenFailure::kPinLocked: return "pin_locked";
    case TokenFailure::kNotLoggedIn: return "not_logged_in";
    case TokenFailure::kNoCertificate: return "no_certificate";
    case TokenFailure::kCertExpired: return "certificate_expired";
    case TokenFailure::kCertNotYetValid: return "certificate_not_yet_valid";
    case TokenFailure::kCertNotForSigning: return "certificate_not_for_signing";
    case TokenFailure::kTokenError: return "token_error";
  }
  return "token_error";
}

Code TokenFailureCode(TokenFailure kind) {
  switch (kind) {
    case TokenFailure::kModuleMissing: return Code::kFailedPrecondition;
    case TokenFailure::kTokenAbsent: return Code::kNotFound;
    case TokenFailure::kTokenRemoved: return Code::kUnavailable;
    case TokenFailure::kWrongPin: return Code::kRejected;
    case TokenFailure::kPinLocked: return Code::kRejected;
    case TokenFailure::kNotLoggedIn: return Code::kFailedPrecondition;
    case TokenFailure::kNoCertificate: return Code::kNotFound;
    case TokenFailure::kCertExpired: return Code::kSecurity;
    case TokenFailure::kCertNotYetValid: return Code::kSecurity;
    case TokenFailure::kCertNotForSigning: return Code::kSecurity;
    case TokenFailure::kTokenError: return Code::kIo;
  }
  return Code::kIo;
}

std::string PinState::DescribeVi() const {
  if (locked) return "Mã PIN đã bị khoá.";
  if (final_try) return "Chỉ còn 1 lần thử: nhập sai lần nữa, mã PIN sẽ bị khoá.";
  if (count_low) return "Đã có lần nhập sai; thiết bị không cho biết còn bao nhiêu lần thử.";
  return "";
}

std::string PinState::DescribeEn() const {
  if (locked) return "PIN locked";
  if (final_try) return "final try left";
  if (count_low) return "count low (the token does not report how many tries are left)";
  return "the token reports no try count";
}

TokenError MakeTokenError(TokenFailure kind, const std::string& detail_en) {
  const Messages m = MessagesOf(kind);
  std::string en = m.en;
  if (!detail_en.empty()) en += " (" + detail_en + ")";
  return TokenError{kind, Status::Error(TokenFailureCode(kind), en, m.vi), std::nullopt};
}

TokenFailure TokenFailureFromCkr(unsigned long rv, bool logged_in) {
  switch (rv) {
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE: return TokenFailure::kWrongPin;
    case CKR_PIN_LOCKED: return TokenFailure::kPinLocked;
    case CKR_USER_NOT_LOGGED_IN: return TokenFailure::kNotLoggedIn;
    case CKR_DEVICE_REMOVED:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_SESSION_CLOSED:
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SLOT_ID_INVALID:
    case CKR_TOKEN_NOT_RECOGNIZED: return logged_in ? TokenFailure::kTokenRemoved : TokenFailure::kTokenAbsent;
    case CKR_DEVICE_ERROR:
      // A reader or an RPC link that broke under an open session: the token is gone for us.
      return logged_in ? TokenFailure::kTokenRemoved : TokenFailure::kTokenError;
    default: return TokenFailure::kTokenError;
  }
}

std::string CkrName(unsigned long rv) {
  switch (rv) {
    case CKR_OK: return "CKR_OK";
    case CKR_GENERAL_ERROR: return "CKR_GENERAL_ERROR";
    case CKR_PIN_INCORRECT: return "CKR_PIN_INCORRECT";
    case CKR_PIN_INVALID: return "CKR_PIN_INVALID";
    case CKR_PIN_LEN_RANGE: return "CKR_PIN_LEN_RANGE";
    case CKR_PIN_LOCKED: return "CKR_PIN_LOCKED";
    case CKR_USER_NOT_LOGGED_IN: return "CKR_USER_NOT_LOGGED_IN";
    case CKR_DEVICE_REMOVED: return "CKR_DEVICE_REMOVED";
    case CKR_DEVICE_ERROR: return "CKR_DEVICE_ERROR";
    case CKR_TOKEN_NOT_PRESENT: return "CKR_TOKEN_NOT_PRESENT";
    case CKR_TOKEN_NOT_RECOGNIZED: return "CKR_TOKEN_NOT_RECOGNIZED";
    case CKR_SESSION_CLOSED: return "CKR_SESSION_CLOSED";
    case CKR_SESSION_HANDLE_INVALID: return "CKR_SESSION_HANDLE_INVALID";
    case CKR_SLOT_ID_INVALID: return "CKR_SLOT_ID_INVALID";
    case CKR_KEY_HANDLE_INVALID: return "CKR_KEY_HANDLE_INVALID";
    case CKR_OBJECT_HANDLE_INVALID: return "CKR_OBJECT_HANDLE_INVALID";
    case CKR_CRYPTOKI_NOT_INITIALIZED: return "CKR_CRYPTOKI_NOT_INITIALIZED";
    default: break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "CKR_0x%lx", rv);
  return buf;
}

}  // namespace mck::token
