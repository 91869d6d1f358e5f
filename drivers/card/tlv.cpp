#include "drivers/card/tlv.h"

namespace mck::card {
namespace {

Status Corrupt(const char* what) {
  return Status::Error(Code::kCorrupt, std::string("card data: malformed TLV: ") + what,
                       "Dữ liệu trên thẻ bị hỏng hoặc đọc không trọn vẹn. Vui lòng đặt lại thẻ và thử lại.");
}

}  // namespace

Result<TlvHeader> ParseTlvHeader(ByteView in) {
  size_t i = 0;
  if (in.empty()) return Corrupt("empty input");
  uint32_t tag = in[i++];
  if (tag == 0x00 || tag == 0xFF) return Corrupt("padding byte where a tag was expected");
  if ((tag & 0x1F) == 0x1F) {  // multi-byte tag: continuation bytes have bit 8 set
    int extra = 0;
    for (;;) {
      if (i >= in.size()) return Corrupt("truncated tag");
      if (++extra > 3) return Corrupt("tag longer than 4 bytes");
      const uint8_t b = in[i++];
      tag = tag << 8 | b;
      if (!(b & 0x80)) break;
    }
  }
  if (i >= in.size()) return Corrupt("missing length");
  const uint8_t first = in[i++];
  size_t len = 0;
  if (first < 0x80) {
    len = first;
  } else if (first == 0x80) {
    return Corrupt("indefinite length");
  } else {
    const int n = first & 0x7F;
    if (n > 4) return Corrupt("length field longer than 4 bytes");
    if (in.size() - i < static_cast<size_t>(n)) return Corrupt("truncated length");
    for (int k = 0; k < n; ++k) len = len << 8 | in[i++];
  }
  return TlvHeader{tag, i, len};
}

Result<Tlv> ParseTlv(ByteView in) {
  auto h = ParseTlvHeader(in);
  if (!h.ok()) return h.status();
  if (h->value_size > in.size() - h->header_size) return Corrupt("length runs past the data");
  Tlv t;
  t.tag = h->tag;
  // The constructed bit is bit 6 of the first tag byte.
  uint32_t first = h->tag;
  while (first > 0xFF) first >>= 8;
  t.constructed = (first & 0x20) != 0;
  t.value = in.subspan(h->header_size, h->value_size);
  t.size = h->header_size + h->value_size;
  return t;
}

Result<std::vector<Tlv>> ParseTlvList(ByteView in) {
  std::vector<Tlv> out;
  size_t pos = 0;
  while (pos < in.size()) {
    auto t = ParseTlv(in.subspan(pos));
    if (!t.ok()) return t.status();
    pos += t->size;
    out.push_back(*t);
  }
  return out;
}

Result<std::optional<Tlv>> FindChild(ByteView in, uint32_t tag) {
  auto list = ParseTlvList(in);
  if (!list.ok()) return list.status();
  for (const Tlv& t : *list) {
    if (t.tag == tag) return std::optional<Tlv>(t);
  }
  return std::optional<Tlv>();
}

Bytes EncodeLength(size_t n) {
  if (n < 0x80) return {static_cast<uint8_t>(n)};
  Bytes digits;
  for (size_t v = n; v; v >>= 8) digits.insert(digits.begin(), static_cast<uint8_t>(v & 0xFF));
  digits.insert(digits.begin(), static_cast<uint8_t>(0x80 | digits.size()));
  return digits;
}

Bytes EncodeTlv(uint32_t tag, ByteView value) {
  Bytes out;
  bool started = false;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const uint8_t b = static_cast<uint8_t>(tag >> shift);
    if (b || started || shift == 0) {
      out.push_back(b);
      started = true;
    }
  }
  Append(out, EncodeLength(value.size()));
  Append(out, value);
  return out;
}

}  // namespace mck::card
