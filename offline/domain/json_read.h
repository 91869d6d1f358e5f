// Checked reading of JSON that comes from outside the kiosk (the portal's answers, the catalog,
// stored copies of them): parse within limits, then read members with typed getters that return
// a Result instead of throwing.
//
// Why: nlohmann's `value()` and `get<>()` throw on a wrong type, and its recursive copy, dump and
// compare overflow a thread's stack on deeply nested input (100,000 levels, ~200 KB, was a
// SIGSEGV of the sync thread). ParseJsonChecked refuses a text over `max_bytes` or nested deeper
// than `max_depth` before nlohmann builds anything, and never throws.
//
// Errors are kInvalidArgument and name the place ("answer.dossier_code") and the expected type,
// never the value: a value may be a citizen's data, and these messages reach logs.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "offline/domain/status.h"

namespace mck {

struct JsonLimits {
  size_t max_bytes = size_t{1} << 20;  // 1 MiB
  int max_depth = 32;                  // arrays and objects inside each other
};

// The deepest nesting of arrays and objects in `text` (strings skipped, escapes honoured), or
// stops counting once past `stop_after`. Pure scan, no allocation.
int JsonNestingDepth(std::string_view text, int stop_after);

// Parses `text` (UTF-8) within `limits`. `what` names the document in errors ("portal answer").
// Never throws.
Result<nlohmann::json> ParseJsonChecked(std::string_view text, const JsonLimits& limits, std::string_view what);

// Typed access to the members of one JSON object. Missing and null members are "absent"; a
// present member of another type is an error. Strings are checked to be valid UTF-8 and capped
// at `max_string` bytes (the portal's texts are short; a huge one is refused, not truncated).
class JsonObjectReader {
 public:
  // `path` names the object in errors ("answer", "procedures[3]"). A non-object `j` makes every
  // getter fail with "must be an object" (ok() says so up front).
  JsonObjectReader(const nlohmann::json& j, std::string path, size_t max_string = 64 * 1024);

  bool ok() const { return j_.is_object(); }
  Status status() const;  // kInvalidArgument "<path> must be an object" when !ok()
  bool Has(const char* key) const;

  Result<std::string> String(const char* key) const;  // required, non-empty
  Result<std::string> OptString(const char* key, std::string fallback = {}) const;
  // For display and for our own stored documents: the string, or `fallback` when absent, of
  // another type, too long or not UTF-8. Never fails.
  std::string StringOr(const char* key, std::string fallback = {}) const;
  Result<int64_t> Int(const char* key) const;  // required, an integer
  Result<std::optional<int64_t>> OptInt(const char* key) const;
  Result<std::optional<double>> OptNumber(const char* key) const;
  Result<bool> OptBool(const char* key, bool fallback) const;
  // Arrays and objects: a pointer into the parsed document (valid while it lives).
  Result<const nlohmann::json*> Array(const char* key) const;     // required
  Result<const nlohmann::json*> OptArray(const char* key) const;  // nullptr when absent
  Result<const nlohmann::json*> OptObject(const char* key) const;

  std::string PathOf(const char* key) const { return path_ + "." + key; }

 private:
  const nlohmann::json* Find(const char* key) const;  // nullptr when absent or null
  Status Wrong(const char* key, const char* expected) const;

  const nlohmann::json& j_;
  std::string path_;
  size_t max_string_;
};

// A string from any JSON value for display (strings as they are, numbers and booleans written
// out, anything else empty), never throwing and never recursing.
std::string JsonScalarText(const nlohmann::json& v);

}  // namespace mck
