// Byte strings for the card code: APDUs, TLV, keys. Pure helpers, thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mck::card {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// "0A1b" -> {0x0A, 0x1B}; spaces are ignored. REQUIRES: valid hex (tests and constants only).
Bytes FromHex(std::string_view hex);
std::string ToHex(ByteView b);  // upper case, no spaces
inline Bytes ToBytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}
inline std::string ToString(ByteView b) {
  return std::string(b.begin(), b.end());
}
inline void Append(Bytes& out, ByteView b) {
  out.insert(out.end(), b.begin(), b.end());
}

}  // namespace mck::card
