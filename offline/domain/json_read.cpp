#include "offline/domain/json_read.h"

#include <cstdio>

#include "offline/domain/utf8.h"

namespace mck {

using nlohmann::json;

int JsonNestingDepth(std::string_view text, int stop_after) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > stop_after) return deepest;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Result<json> ParseJsonChecked(std::string_view text, const JsonLimits& limits, std::string_view what) {
  const std::string name(what);
  if (text.size() > limits.max_bytes) {
    return Status::Error(Code::kInvalidArgument,
                         name + " is too large (" + std::to_string(text.size()) + " bytes, at most " +
                             std::to_string(limits.max_bytes) + ")",
                         "Dữ liệu nhận được quá lớn");
  }
  if (JsonNestingDepth(text, limits.max_depth) > limits.max_depth) {
    return Status::Error(Code::kInvalidArgument,
                         name + " is nested deeper than " + std::to_string(limits.max_depth) + " levels",
                         "Dữ liệu nhận được lồng quá sâu");
  }
  try {
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
      return Status::Error(Code::kInvalidArgument, name + " is not valid JSON", "Dữ liệu nhận được không phải JSON");
    }
    return doc;
  } catch (const std::exception& e) {  // bad_alloc; the parser itself does not throw here
    return Status::Error(Code::kInvalidArgument, name + " could not be parsed (" + e.what() + ")",
                         "Dữ liệu nhận được không đọc được");
  }
}

JsonObjectReader::JsonObjectReader(const json& j, std::string path, size_t max_string)
    : j_(j), path_(std::move(path)), max_string_(max_string) {}

Status JsonObjectReader::status() const {
  if (ok()) return Status::Ok();
  return Status::Error(Code::kInvalidArgument, path_ + " must be an object", path_ + " phải là một đối tượng");
}

const json* JsonObjectReader::Find(const char* key) const {
  if (!j_.is_object()) return nullptr;
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonObjectReader::Has(const char* key) const {
  return Find(key) != nullptr;
}

Status JsonObjectReader::Wrong(const char* key, const char* expected) const {
  return Status::Error(Code::kInvalidArgument, PathOf(key) + " must be " + expected,
                       PathOf(key) + ": sai kiểu dữ liệu");
}

Result<std::string> JsonObjectReader::OptString(const char* key, std::string fallback) const {
  MCK_RETURN_IF_ERROR(status());
  const json* v = Find(key);
  if (!v) return fallback;
  if (!v->is_string()) return Wrong(key, "a string");
  const std::string& s = v->get_ref<const std::string&>();
  if (s.size() > max_string_) return Wrong(key, "a string of reasonable length");
  if (!IsValidUtf8(s)) return Wrong(key, "valid UTF-8");
  return s;
}

std::string JsonObjectReader::StringOr(const char* key, std::string fallback) const {
  auto s = OptString(key);
  return s.ok() && Find(key) ? std::move(s.value()) : fallback;
}

Result<std::string> JsonObjectReader::String(const char* key) const {
  MCK_RETURN_IF_ERROR(status());
  if (!Find(key)) {
    return Status::Error(Code::kInvalidArgument, PathOf(key) + " is missing", PathOf(key) + ": thiếu trường bắt buộc");
  }
  auto s = OptString(key);
  if (!s.ok()) return s.status();
  if (s->empty()) return Status::Error(Code::kInvalidArgument, PathOf(key) + " is empty", PathOf(key) + ": để trống");
  return s;
}

Result<std::optional<int64_t>> JsonObjectReader::OptInt(const char* key) const {
  MCK_RETURN_IF_ERROR(status());
  const json* v = Find(key);
  if (!v) return std::optional<int64_t>();
  if (v->is_number_integer() && !v->is_number_unsigned()) return std::optional<int64_t>(v->get<int64_t>());
  if (v->is_number_unsigned() && v->get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX)) {
    return std::optional<int64_t>(static_cast<int64_t>(v->get<uint64_t>()));
  }
  return Wrong(key, "an integer");
}

Result<int64_t> JsonObjectReader::Int(const char* key) const {
  auto v = OptInt(key);
  if (!v.ok()) return v.status();
  if (!*v) {
    return Status::Error(Code::kInvalidArgument, PathOf(key) + " is missing", PathOf(key) + ": thiếu trường bắt buộc");
  }
  return **v;
}

Result<std::optional<double>> JsonObjectReader::OptNumber(const char* key) const {
  MCK_RETURN_IF_ERROR(status());
  const json* v = Find(key);
  if (!v) return std::optional<double>();
  if (!v->is_number()) return Wrong(key, "a number");
  return std::optional<double>(v->get<double>());
}

Result<bool> JsonObjectReader::OptBool(const char* key, bool fallback) const {
  MCK_RETURN_IF_ERROR(status());
  const json* v = Find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) return Wrong(key, "true or false");
  return v->get<bool>();
}

Result<const json*> JsonObjectReader::OptArray(const char* key) const {
  MCK_RETURN_IF_ERROR(status());
  const json* v = Find(key);
  if (!v) return static_cast<const json*>(nullptr);
  if (!v->is_array()) return Wrong(key, "an array");
  return v;
}

Result<const json*> JsonObjectReader::Array(const char* key) const {
  auto v = OptArray(key);
  if (!v.ok()) return v.status();
  if (!*v) return Wrong(key, "an array");
  return v;
}

Result<const json*> JsonObjectReader::OptObject(const char* key) const {
  MCK_RETURN_IF_ERROR(status());
  const json* v = Find(key);
  if (!v) return static_cast<const json*>(nullptr);
  if (!v->is_object()) return Wrong(key, "an object");
  return v;
}

std::string JsonScalarText(const json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() && !v.is_number_unsigned()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v.get<double>());
    return buf;
  }
  return {};
}

}  // namespace mck
