#include "offline/domain/utf8.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace mck {

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0 || cp < 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

static std::optional<std::string> Map(std::string_view s, int options) {
  if (!IsValidUtf8(s)) return std::nullopt;
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()), &out,
                   static_cast<utf8proc_option_t>(options));
  if (n < 0) return std::nullopt;
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(out, &std::free);
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n));
}

std::optional<std::string> ToNfc(std::string_view s) {
  return Map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

std::string FoldForSearch(std::string_view s) {
  auto folded = Map(s, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_COMPAT);
  if (!folded) return {};
  std::string out;
  out.reserve(folded->size());
  bool space = false;
  for (size_t i = 0; i < folded->size(); ++i) {
    const unsigned char c = static_cast<unsigned char>((*folded)[i]);
    // đ (U+0111, C4 91) has no decomposition: fold it by hand. Đ was case-folded to đ above.
    if (c == 0xC4 && i + 1 < folded->size() && static_cast<unsigned char>((*folded)[i + 1]) == 0x91) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += 'd';
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace mck
