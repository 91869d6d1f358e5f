// The kiosk's strings: Vietnamese (default) and English catalogs, assets/i18n/vi.json and
// en.json, flat JSON objects from a string key ("menu.submit") to the text. Screens never hold
// literals a citizen reads; they ask Strings::Get(key).
//
// A key missing from the current language falls back to Vietnamese, then to the key itself
// (and is logged once, in English, so a technician notices). Not thread-safe: load once at
// start-up, then read from the UI thread.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "offline/domain/status.h"

namespace mck::app {

enum class Language { kVi, kEn };

class Strings {
 public:
  // Loads <dir>/vi.json and <dir>/en.json. Both must be valid UTF-8 JSON objects of strings.
  Status Load(const std::filesystem::path& dir);
  // Same from text (tests).
  Status LoadText(const std::string& vi_json, const std::string& en_json);

  void SetLanguage(Language lang) { lang_ = lang; }
  Language language() const { return lang_; }
  const std::string& Get(const std::string& key) const;
  // "{0}" … "{9}" replaced by args (positional, any order).
  std::string Format(const std::string& key, const std::vector<std::string>& args) const;

  const std::map<std::string, std::string>& vi() const { return vi_; }
  const std::map<std::string, std::string>& en() const { return en_; }

 private:
  std::map<std::string, std::string> vi_, en_;
  Language lang_ = Language::kVi;
  mutable std::set<std::string> reported_missing_;
};

// Replaces {0}..{9} in `pattern`.
std::string FormatPattern(const std::string& pattern, const std::vector<std::string>& args);

}  // namespace mck::app
