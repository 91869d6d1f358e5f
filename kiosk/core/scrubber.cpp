#include "kiosk/core/scrubber.h"

#include <utf8proc.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

#include "offline/domain/utf8.h"
#include "offline/store/store.h"

namespace mck::core {

namespace {

const char* KindName(Scrubber::Kind kind) {
  switch (kind) {
    case Scrubber::Kind::kName: return "name";
    case Scrubber::Kind::kIdNumber: return "id_number";
    case Scrubber::Kind::kPhone: return "phone";
    case Scrubber::Kind::kDate: return "date";
    case Scrubber::Kind::kText: return "text";
  }
  return "text";
}

// Valid UTF-8 (each bad byte becomes '?'), then NFC.
std::string CleanNfc(std::string_view s) {
  std::string valid;
  valid.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      valid += '?';
      ++p;
      --left;
      continue;
    }
    valid.append(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
    p += n;
    left -= n;
  }
  return ToNfc(valid).value_or(valid);
}

// Upper or lower case, code point by code point (NFC in, NFC out for Vietnamese letters).
std::string MapCase(std::string_view s, bool upper) {
  std::string out;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) break;
    const utf8proc_int32_t mapped = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
    utf8proc_uint8_t buf[4];
    const utf8proc_ssize_t m = utf8proc_encode_char(mapped, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(m));
    p += n;
    left -= n;
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string DigitsOnly(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

// Replaces each match of `re` whose digits are not part of a longer digit or letter run.
std::string ReplacePattern(const std::string& text, const std::regex& re, const std::string& with, int* count,
                           bool keep_uuid_tail) {
  std::string out;
  size_t last = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) {
    const size_t pos = static_cast<size_t>(it->position(0)), len = static_cast<size_t>(it->length(0));
    const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    if ((pos > 0 && alnum(text[pos - 1])) || (pos + len < text.size() && alnum(text[pos + len]))) continue;
    if (keep_uuid_tail && pos >= 24) {
      static const std::regex kUuidHead("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-");
      if (std::regex_match(text.begin() + static_cast<long>(pos) - 24, text.begin() + static_cast<long>(pos),
                           kUuidHead)) {
        continue;
      }
    }
    out.append(text, last, pos - last);
    out += with;
    ++*count;
    last = pos + len;
  }
  out.append(text, last, std::string::npos);
  return out;
}

}  // namespace

std::string RemoveConfigSecrets(const std::string& toml) {
  static const std::regex kSecret(
      R"re(^(\s*"?(?:[A-Za-z0-9.-]*[_.-])?(?:token|secret|password|passphrase|pin|pin_hash|private_key)"?\s*=).*$)re",
      std::regex::icase);
  std::istringstream in(toml);
  std::string out;
  for (std::string line; std::getline(in, line);) out += std::regex_replace(line, kSecret, "$1 \"[removed]\"") + "\n";
  return out;
}

void Scrubber::AddNeedle(std::string text, bool ascii_fold, const std::string& kind) {
  if (text.size() < 3) return;
  for (const auto& n : needles_) {
    if (n.text == text && n.ascii_fold == ascii_fold) return;
  }
  needles_.push_back({std::move(text), ascii_fold, kind});
}

void Scrubber::AddKnown(std::string_view value, Kind kind) {
  const std::string nfc = CleanNfc(Trim(value));
  if (Utf8Length(nfc) < 3) return;
  const std::string kind_name = KindName(kind);
  AddNeedle(nfc, false, kind_name);
  AddNeedle(MapCase(nfc, true), false, kind_name);
  AddNeedle(MapCase(nfc, false), false, kind_name);
  const std::string folded = FoldForSearch(nfc);  // marks removed, đ→d, lower case
  AddNeedle(folded, true, kind_name);
  if (kind == Kind::kName) {
    // Two or more consecutive words of the name ("Xuân Quỳnh", "Phạm Thị"): how people are called.
    std::vector<std::string> words;
    std::istringstream in(nfc);
    for (std::string w; in >> w;) words.push_back(w);
    for (size_t i = 0; i < words.size(); ++i) {
      std::string part = words[i];
      for (size_t j = i + 1; j < words.size(); ++j) {
        part += " " + words[j];
        if (i == 0 && j + 1 == words.size()) break;  // the whole name: added above
        AddNeedle(part, false, kind_name);
        AddNeedle(MapCase(part, true), false, kind_name);
        AddNeedle(MapCase(part, false), false, kind_name);
        AddNeedle(FoldForSearch(part), true, kind_name);
      }
    }
  }
  if (kind == Kind::kIdNumber || kind == Kind::kPhone) {
    const std::string d = DigitsOnly(nfc);
    AddNeedle(d, false, kind_name);
    if (kind == Kind::kPhone && d.size() == 10 && d[0] == '0') {
      AddNeedle("+84" + d.substr(1), false, kind_name);
      AddNeedle("84" + d.substr(1), false, kind_name);
    }
    // Grouped by 3 or 4 with a space, dot or dash.
    for (const char sep : {' ', '.', '-'}) {
      for (const size_t group : {size_t{3}, size_t{4}}) {
        std::string g;
        for (size_t i = 0; i < d.size(); ++i) {
          if (i && i % group == 0) g += sep;
          g += d[i];
        }
        AddNeedle(g, false, kind_name);
      }
    }
  }
  if (kind == Kind::kDate) {
    static const std::regex kIso(R"((\d{4})-(\d{2})-(\d{2}))");
    std::smatch m;
    if (std::regex_match(nfc, m, kIso)) {
      const std::string y = m[1], mo = m[2], d = m[3];
      const std::string d1 = d[0] == '0' ? d.substr(1) : d, m1 = mo[0] == '0' ? mo.substr(1) : mo;
      for (const std::string& s : {d + "/" + mo + "/" + y, d + "-" + mo + "-" + y, d + "." + mo + "." + y,
                                   d1 + "/" + m1 + "/" + y, d + mo + y, y + mo + d, y + "/" + mo + "/" + d}) {
        AddNeedle(s, false, kind_name);
      }
    }
  }
}

Status Scrubber::AddFromStore(Store& store) {
  auto list = store.dossiers().List();
  if (!list.ok()) return list.status();
  for (const auto& summary : *list) {
    if (summary.purged) continue;
    auto d = store.dossiers().Get(summary.client_id);
    if (!d.ok()) return d.status();
    const nlohmann::json& body = d->body;
    if (!body.is_object()) continue;
    const nlohmann::json applicant = body.value("applicant", nlohmann::json::object());
    const std::pair<const char*, Kind> known[] = {{"full_name", Kind::kName},      {"id_number", Kind::kIdNumber},
                                                  {"phone", Kind::kPhone},         {"date_of_birth", Kind::kDate},
                                                  {"address", Kind::kText},        {"email", Kind::kText},
                                                  {"place_of_origin", Kind::kText}};
    for (const auto& [field, kind] : known) {
      if (applicant.contains(field) && applicant[field].is_string())
        AddKnown(applicant[field].get<std::string>(), kind);
    }
    // The form's own text: a child's name, another address, a date of birth.
    static const std::regex kIsoDate(R"(\d{4}-\d{2}-\d{2})");
    const nlohmann::json fields = body.value("fields", nlohmann::json::object());
    if (!fields.is_object()) continue;
    for (const auto& [key, v] : fields.items()) {
      if (!v.is_string()) continue;
      const std::string s = v.get<std::string>();
      if (std::regex_match(s, kIsoDate)) {
        AddKnown(s, Kind::kDate);
      } else if (Utf8Length(s) >= 6) {
        AddKnown(s, Kind::kText);
      }
    }
  }
  return Status::Ok();
}

std::string Scrubber::Scrub(std::string_view input) {
  std::string text = CleanNfc(input);
  // Longest first: an address before the name inside it.
  std::vector<const Needle*> order;
  for (const auto& n : needles_) order.push_back(&n);
  std::stable_sort(order.begin(), order.end(),
                   [](const Needle* a, const Needle* b) { return a->text.size() > b->text.size(); });
  for (const Needle* n : order) {
    const std::string with = "[redacted-" + n->kind + "]";
    std::string haystack = n->ascii_fold ? AsciiLower(text) : text;
    std::string out;
    size_t last = 0;
    const auto alnum = [&](size_t i) { return std::isalnum(static_cast<unsigned char>(text[i])) != 0; };
    for (size_t pos = haystack.find(n->text); pos != std::string::npos; pos = haystack.find(n->text, pos)) {
      // Without marks, a name is a word sequence: "le na" is not inside "file name".
      if (n->ascii_fold &&
          ((pos > 0 && alnum(pos - 1)) || (pos + n->text.size() < text.size() && alnum(pos + n->text.size())))) {
        ++pos;
        continue;
      }
      out.append(text, last, pos - last);
      out += with;
      ++counts_[n->kind];
      pos += n->text.size();
      last = pos;
    }
    if (last == 0 && out.empty()) continue;
    out.append(text, last, std::string::npos);
    text = std::move(out);
  }
  static const std::regex kId(R"(\d{12})");
  static const std::regex kPhone(R"((?:\+84|0)(?:[ .-]?\d){9})");
  text = ReplacePattern(text, kPhone, "[redacted-phone]", &counts_["phone"], false);
  text = ReplacePattern(text, kId, "[redacted-id_number]", &counts_["id_number"], true);
  return text;
}

}  // namespace mck::core
