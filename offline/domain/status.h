// Status and Result<T>: the one error convention across the domain, offline, drivers and the
// threads between them (see docs/architecture.md).
//
// A Status carries a code the program can branch on, an English message for logs and a
// Vietnamese message for people at the kiosk. Neither message may contain personal data:
// callers name fields and codes, never an applicant's values.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace mck {

enum class Code {
  kOk = 0,
  kInvalidArgument,  // bad input from a person or a file: fix the input
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // the world is not in the state the call needs (schema too new, ...)
  kCorrupt,             // stored data failed an integrity check
  kIo,                  // disk full, read-only, permission: the operation may succeed later
  kUnavailable,         // a peer (portal, printer, card) cannot be reached now: retry later
  kTimeout,
  kRejected,  // a peer refused on purpose (4xx, card said 6300): a person must act
  kSecurity,  // TLS or authentication failure: stop and alert, never retry blindly
  kInternal,
};

const char* CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(Code code, std::string message_en, std::string message_vi = {}) {
    Status s;
    s.code_ = code;
    s.message_en_ = std::move(message_en);
    s.message_vi_ = std::move(message_vi);
    return s;
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // For logs: "<code>: <english message>".
  std::string ToString() const;
  const std::string& message_en() const { return message_en_; }
  // For people: the Vietnamese message, or the English one when none was given.
  const std::string& message_vi() const { return message_vi_.empty() ? message_en_ : message_vi_; }

  // Prefixes both messages with where the error happened ("kiosk.toml:12: ").
  Status WithContext(const std::string& en, const std::string& vi) const;

 private:
  Code code_ = Code::kOk;
  std::string message_en_;
  std::string message_vi_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "a Result built from a Status must be an error");
  }
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace mck

#define MCK_RETURN_IF_ERROR(expr)      \
  do {                                 \
    ::mck::Status _mck_st = (expr);    \
    if (!_mck_st.ok()) return _mck_st; \
  } while (0)
