#include "drivers/card/dg13.h"

#include <algorithm>

#include "drivers/card/qr.h"
#include "drivers/card/tlv.h"
#include "offline/domain/clock.h"
#include "offline/domain/utf8.h"

namespace mck::card {
namespace {

bool IsStringTag(uint32_t tag) {
  return tag == 0x0C || tag == 0x13 || tag == 0x16 || tag == 0x14 || tag == 0x1E || tag == 0x04;
}

std::optional<std::string> DecodeString(const Tlv& t) {
  std::string s;
  if (t.tag == 0x1E) {  // BMPString: UCS-2 big-endian
    if (t.value.size() % 2) return std::nullopt;
    for (size_t i = 0; i < t.value.size(); i += 2) {
      const unsigned cp = static_cast<unsigned>(t.value[i] << 8 | t.value[i + 1]);
      if (cp >= 0xD800 && cp <= 0xDFFF) return std::nullopt;
      if (cp < 0x80) {
        s += static_cast<char>(cp);
      } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | cp >> 6);
        s += static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        s += static_cast<char>(0xE0 | cp >> 12);
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
  } else {
    s = ToString(t.value);
  }
  auto nfc = ToNfc(s);
  if (!nfc) return std::nullopt;
  return Trim(*nfc);
}

// A field item: SEQUENCE { INTEGER n (one byte, 1..31), string | SEQUENCE OF string ... }.
bool TryItem(const std::vector<Tlv>& children, Dg13Fields* out) {
  if (children.size() < 2 || children[0].tag != 0x02 || children[0].value.size() != 1) return false;
  const int n = children[0].value[0];
  if (n < 1 || n > 31) return false;
  std::vector<std::string> values;
  for (size_t i = 1; i < children.size(); ++i) {
    const Tlv& c = children[i];
    if (IsStringTag(c.tag)) {
      if (auto s = DecodeString(c)) values.push_back(*s);
    } else if (c.tag == 0x30 || c.tag == 0x31) {
      auto inner = ParseTlvList(c.value);
      if (!inner.ok()) return false;
      for (const Tlv& g : *inner) {
        if (!IsStringTag(g.tag)) return false;
        if (auto s = DecodeString(g)) values.push_back(*s);
      }
    } else {
      return false;  // e.g. the wrapper's "INTEGER 1, OID": a version, not field 1
    }
  }
  out->emplace(n, std::move(values));  // first item of a number wins
  return true;
}

Status Walk(ByteView data, int depth, Dg13Fields* out) {
  if (depth > kMaxTlvDepth) {
    return Status::Error(Code::kCorrupt, "card data: DG13 nested too deep",
                         "Dữ liệu công dân trên thẻ bị hỏng. Vui lòng nhờ cán bộ hỗ trợ.");
  }
  auto list = ParseTlvList(data);
  if (!list.ok()) return list.status();
  for (const Tlv& t : *list) {
    if (!t.constructed) continue;
    if (t.tag == 0x30) {
      auto children = ParseTlvList(t.value);
      if (!children.ok()) return children.status();
      if (TryItem(*children, out)) continue;
    }
    MCK_RETURN_IF_ERROR(Walk(t.value, depth + 1, out));
  }
  return Status::Ok();
}

std::optional<std::string> Dg13Date(const std::string& s) {
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != '/' && c != '-' && c != '.' && c != ' ')
      return std::nullopt;
  }
  if (digits.size() != 8) return std::nullopt;
  if (s.size() == 10 && s[4] == '-') {  // YYYY-MM-DD
    auto d = ParseDate(s);
    if (d) return FormatDate(*d);
    return std::nullopt;
  }
  std::string iso = DdmmyyyyToIso(digits);
  if (iso.empty()) return std::nullopt;
  return iso;
}

std::optional<std::string> First(const Dg13Fields& f, int n, size_t index = 0) {
  auto it = f.find(n);
  if (it == f.end() || it->second.size() <= index || it->second[index].empty()) return std::nullopt;
  return it->second[index];
}

bool IsOldIdShape(const std::string& s) {
  return (s.size() == 9 || s.size() == 12) &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Result<Dg13Fields> ParseDg13(ByteView dg13) {
  Dg13Fields out;
  if (Status st = Walk(dg13, 0, &out); !st.ok()) return st;
  return out;
}

void ApplyDg13(const Dg13Fields& f, Identity* id) {
  if (auto v = First(f, 1)) id->id_number = *v;
  if (auto v = First(f, 2)) id->full_name = *v;
  if (auto v = First(f, 3)) id->date_of_birth = Dg13Date(*v);
  if (auto v = First(f, 4)) id->gender = *v;
  if (auto v = First(f, 5)) id->nationality = *v;
  if (auto v = First(f, 6)) id->ethnicity = *v;
  if (auto v = First(f, 7)) id->religion = *v;
  if (auto v = First(f, 8)) id->place_of_origin = *v;
  if (auto v = First(f, 9)) id->place_of_residence = *v;
  if (auto v = First(f, 10)) id->identifying_marks = *v;
  if (auto v = First(f, 11)) id->date_of_issue = Dg13Date(*v);
  if (auto v = First(f, 12)) id->date_of_expiry = Dg13Date(*v);
  if (auto v = First(f, 13, 0)) id->father_name = *v;
  if (auto v = First(f, 13, 1)) id->mother_name = *v;
  if (auto v = First(f, 14)) id->spouse_name = *v;
  for (int n : {15, 16}) {
    auto v = First(f, n);
    if (v && IsOldIdShape(*v) && !id->old_id_number) id->old_id_number = *v;
  }
}

Bytes BuildDg13(const Dg13Fields& fields) {
  Bytes set;
  for (const auto& [n, values] : fields) {
    Bytes item = EncodeTlv(0x02, Bytes{static_cast<uint8_t>(n)});
    if (n == 13 || n == 14) {
      Bytes inner;
      for (const auto& v : values) Append(inner, EncodeTlv(0x0C, ToBytes(v)));
      Append(item, EncodeTlv(0x30, inner));
    } else {
      for (const auto& v : values) Append(item, EncodeTlv(0x0C, ToBytes(v)));
    }
    Append(set, EncodeTlv(0x30, item));
  }
  Bytes content = EncodeTlv(0x02, Bytes{0x01});
  Append(content, EncodeTlv(0x06, FromHex("28D316010008")));  // 1.0.10646.1.0.8
  Append(content, EncodeTlv(0x31, set));
  return EncodeTlv(0x6D, EncodeTlv(0x30, content));
}

}  // namespace mck::card
