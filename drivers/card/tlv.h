// BER-TLV (ISO 7816-4 / ASN.1 BER subset used by ICAO 9303): a parser that never trusts a length.
// Every tag, length and value is checked against the bytes actually present; a malformed or
// truncated structure is a kCorrupt Status, never a read past the buffer. Indefinite lengths
// (0x80) and lengths over 4 bytes are refused: ICAO data groups never use them.
//
// The parser does not copy: a Tlv's value views the caller's buffer, which must outlive it.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "drivers/card/bytes.h"
#include "offline/domain/status.h"

namespace mck::card {

struct Tlv {
  uint32_t tag = 0;  // the tag bytes as a big-endian number: 0x5F1F, 0x7F61, 0x30
  bool constructed = false;
  ByteView value;
  size_t size = 0;  // header + value: how many bytes this TLV took
};

// Parses the TLV at the start of `in`. Trailing bytes after it are allowed (see size).
Result<Tlv> ParseTlv(ByteView in);
// Parses only tag and length: for reading a file's first bytes to learn its total size.
// Returns the header length and the value length (the value need not be present).
struct TlvHeader {
  uint32_t tag = 0;
  size_t header_size = 0;
  size_t value_size = 0;
};
Result<TlvHeader> ParseTlvHeader(ByteView in);
// Parses consecutive TLVs that exactly fill `in`.
Result<std::vector<Tlv>> ParseTlvList(ByteView in);
// The first child with `tag` among the TLVs that fill `in`; nullopt when absent, an error when
// `in` is malformed.
Result<std::optional<Tlv>> FindChild(ByteView in, uint32_t tag);

// Encoders (for APDUs and tests).
Bytes EncodeLength(size_t n);
Bytes EncodeTlv(uint32_t tag, ByteView value);

// Nesting limit for recursive walkers (DG13, SOD): deeper input is refused as corrupt.
constexpr int kMaxTlvDepth = 16;

}  // namespace mck::card
