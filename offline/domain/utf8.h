// UTF-8 checks and Unicode normalisation (NFC, through Debian's libutf8proc). Text that enters
// the store or goes to the portal is valid UTF-8 in NFC: Dear ImGui does no shaping, the portal
// contract asks for NFC, and two spellings of "Hoà" must compare equal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mck {

bool IsValidUtf8(std::string_view s);
// Number of Unicode code points (what a person counts as characters, near enough for max_len).
// REQUIRES: IsValidUtf8(s).
size_t Utf8Length(std::string_view s);
// NFC form of s; nullopt when s is not valid UTF-8.
std::optional<std::string> ToNfc(std::string_view s);
// Lower case, marks removed, đ→d, spaces collapsed: "Đăng  ký" → "dang ky". For search only.
std::string FoldForSearch(std::string_view s);
// Trims ASCII white space at both ends.
std::string Trim(std::string_view s);

}  // namespace mck
