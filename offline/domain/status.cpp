#include "offline/domain/status.h"

namespace mck {

const char* CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kNotFound: return "not_found";
    case Code::kAlreadyExists: return "already_exists";
    case Code::kFailedPrecondition: return "failed_precondition";
    case Code::kCorrupt: return "corrupt";
    case Code::kIo: return "io";
    case Code::kUnavailable: return "unavailable";
    case Code::kTimeout: return "timeout";
    case Code::kRejected: return "rejected";
    case Code::kSecurity: return "security";
    case Code::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(CodeName(code_)) + ": " + message_en_;
}

Status Status::WithContext(const std::string& en, const std::string& vi) const {
  if (ok()) return *this;
  return Error(code_, en + message_en_, vi + message_vi());
}

}  // namespace mck
