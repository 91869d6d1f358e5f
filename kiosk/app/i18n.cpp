#include "kiosk/app/i18n.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "offline/domain/utf8.h"

namespace mck::app {
namespace {

Status ParseCatalog(const std::string& text, const std::string& name, std::map<std::string, std::string>* out) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Error(Code::kInvalidArgument, name + ": not a JSON object", name + ": không phải đối tượng JSON");
  }
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!it.value().is_string() || !IsValidUtf8(it.value().get<std::string>())) {
      return Status::Error(Code::kInvalidArgument, name + ": value of '" + it.key() + "' is not a UTF-8 string",
                           name + ": giá trị của '" + it.key() + "' không phải chuỗi UTF-8");
    }
    // Dear ImGui does no shaping: only precomposed (NFC) text draws correctly.
    (*out)[it.key()] = ToNfc(it.value().get<std::string>()).value_or(it.value().get<std::string>());
  }
  return Status::Ok();
}

Result<std::string> ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status::Error(Code::kNotFound, p.string() + ": cannot open", p.string() + ": không mở được tệp");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Status Strings::Load(const std::filesystem::path& dir) {
  auto vi = ReadAll(dir / "vi.json");
  if (!vi.ok()) return vi.status();
  auto en = ReadAll(dir / "en.json");
  if (!en.ok()) return en.status();
  return LoadText(*vi, *en);
}

Status Strings::LoadText(const std::string& vi_json, const std::string& en_json) {
  vi_.clear();
  en_.clear();
  MCK_RETURN_IF_ERROR(ParseCatalog(vi_json, "vi.json", &vi_));
  return ParseCatalog(en_json, "en.json", &en_);
}

const std::string& Strings::Get(const std::string& key) const {
  const auto& primary = lang_ == Language::kEn ? en_ : vi_;
  if (auto it = primary.find(key); it != primary.end()) return it->second;
  if (auto it = vi_.find(key); it != vi_.end()) return it->second;
  auto [pos, inserted] = reported_missing_.insert(key);
  if (inserted) std::cerr << "kiosk: i18n: missing string key '" << key << "'\n";
  return *pos;
}

std::string Strings::Format(const std::string& key, const std::vector<std::string>& args) const {
  return FormatPattern(Get(key), args);
}

std::string FormatPattern(const std::string& pattern, const std::vector<std::string>& args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '0' &&
        pattern[i + 1] <= '9') {
      size_t n = static_cast<size_t>(pattern[i + 1] - '0');
      if (n < args.size()) out += args[n];
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

}  // namespace mck::app
