#include "offline/domain/vietqr.h"

#include <charconv>
#include <cstdio>
#include <map>

namespace mck::vietqr {
namespace {

constexpr std::string_view kNapasGuid = "A000000727";
constexpr std::string_view kToAccount = "QRIBFTTA";
constexpr int64_t kMaxAmount = 9'999'999'999'999;  // 13 digits: the field holds at most 13

// One TLV: a 2-digit ID, a 2-digit decimal length, the value.
std::string Tlv(std::string_view id, std::string_view value) {
  char len[3];
  std::snprintf(len, sizeof len, "%02zu", value.size());
  std::string out(id);
  out += len;
  out += value;
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

bool AllAlnum(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return !s.empty();
}

Status Invalid(std::string en, std::string vi) {
  return Status::Error(Code::kInvalidArgument, std::move(en), std::move(vi));
}
Status Corrupt(std::string en) {
  return Status::Error(Code::kCorrupt, "VietQR: " + en, "Mã VietQR không đọc được (sai cấu trúc hoặc mã kiểm tra).");
}

// Splits a TLV sequence into id → value; false when the lengths do not add up or an ID repeats.
bool Split(std::string_view s, std::map<std::string, std::string>& out) {
  while (!s.empty()) {
    if (s.size() < 4 || !AllDigits(s.substr(0, 4))) return false;
    const std::string id(s.substr(0, 2));
    const size_t len = static_cast<size_t>((s[2] - '0') * 10 + (s[3] - '0'));
    if (s.size() < 4 + len) return false;
    if (!out.emplace(id, std::string(s.substr(4, len))).second) return false;
    s.remove_prefix(4 + len);
  }
  return true;
}

}  // namespace

uint16_t Crc16CcittFalse(std::string_view data) {
  uint16_t crc = 0xFFFF;
  for (unsigned char b : data) {
    crc ^= static_cast<uint16_t>(b << 8);
    for (int i = 0; i < 8; ++i) crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021) : static_cast<uint16_t>(crc << 1);
  }
  return crc;
}

Result<std::string> Encode(const Transfer& t) {
  if (t.bank_bin.size() != 6 || !AllDigits(t.bank_bin))
    return Invalid("VietQR: the bank BIN must be 6 digits", "Mã BIN ngân hàng phải gồm 6 chữ số.");
  if (t.account.size() > 19 || !AllAlnum(t.account))
    return Invalid("VietQR: the account number must be 1-19 letters or digits",
                   "Số tài khoản phải gồm 1 đến 19 chữ số hoặc chữ cái.");
  if (t.amount_vnd < 0 || t.amount_vnd > kMaxAmount)
    return Invalid("VietQR: the amount is out of range", "Số tiền không hợp lệ.");
  if (t.purpose.size() > 25) return Invalid("VietQR: the purpose is over 25 characters", "Nội dung chuyển khoản quá dài.");
  for (char c : t.purpose) {
    if (c < 0x20 || c > 0x7E)
      return Invalid("VietQR: the purpose must be printable ASCII", "Nội dung chuyển khoản chỉ được dùng chữ không dấu.");
  }
  std::string s = Tlv("00", "01");
  s += Tlv("01", t.amount_vnd > 0 ? "12" : "11");
  s += Tlv("38", Tlv("00", kNapasGuid) + Tlv("01", Tlv("00", t.bank_bin) + Tlv("01", t.account)) + Tlv("02", kToAccount));
  s += Tlv("53", "704");
  if (t.amount_vnd > 0) s += Tlv("54", std::to_string(t.amount_vnd));
  s += Tlv("58", "VN");
  if (!t.purpose.empty()) s += Tlv("62", Tlv("08", t.purpose));
  s += "6304";
  char crc[5];
  std::snprintf(crc, sizeof crc, "%04X", Crc16CcittFalse(s));
  s += crc;
  return s;
}

Result<Transfer> Decode(std::string_view payload) {
  if (payload.size() < 8 || payload.substr(payload.size() - 8, 4) != "6304") return Corrupt("no CRC field at the end");
  unsigned crc = 0;
  const std::string_view hex = payload.substr(payload.size() - 4);
  auto [p, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), crc, 16);
  if (ec != std::errc() || p != hex.data() + hex.size()) return Corrupt("the CRC is not hexadecimal");
  if (Crc16CcittFalse(payload.substr(0, payload.size() - 4)) != crc) return Corrupt("the CRC does not match");

  std::map<std::string, std::string> root, merchant, bank, extra;
  if (!Split(payload, root)) return Corrupt("broken TLV structure");
  if (root["00"] != "01") return Corrupt("payload format is not 01");
  if (root["53"] != "704") return Invalid("VietQR: the currency is not VND", "Mã QR không phải bằng đồng Việt Nam.");
  if (!root.count("38") || !Split(root["38"], merchant)) return Corrupt("no NAPAS merchant account (38)");
  if (merchant["00"] != kNapasGuid || merchant["02"] != kToAccount)
    return Invalid("VietQR: not a NAPAS transfer to an account", "Mã QR không phải chuyển khoản đến tài khoản.");
  if (!Split(merchant["01"], bank)) return Corrupt("broken bank information (38.01)");
  Transfer t;
  t.bank_bin = bank["00"];
  t.account = bank["01"];
  if (root.count("54")) {
    const std::string& a = root["54"];
    if (!AllDigits(a) || a.size() > 13) return Corrupt("the amount is not an integer");
    t.amount_vnd = std::stoll(a);
  }
  const bool dynamic = root["01"] == "12";
  if (dynamic != (t.amount_vnd > 0) && root.count("01")) return Corrupt("point of initiation disagrees with the amount");
  if (root.count("62")) {
    if (!Split(root["62"], extra)) return Corrupt("broken additional data (62)");
    t.purpose = extra["08"];
  }
  if (t.bank_bin.size() != 6 || !AllDigits(t.bank_bin)) return Corrupt("the bank BIN is not 6 digits");
  return t;
}

}  // namespace mck::vietqr
