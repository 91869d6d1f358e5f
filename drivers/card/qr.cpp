#include "drivers/card/qr.h"

#include <algorithm>
#include <vector>

#include "drivers/card/mrz.h"
#include "offline/domain/id_number.h"
#include "offline/domain/utf8.h"

namespace mck::card {
namespace {

Status BadQr(const std::string& en, const std::string& vi) {
  return Status::Error(Code::kInvalidArgument, "QR: " + en, "Mã QR không hợp lệ: " + vi);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// UTF-8 that a scanner decoded as Latin-1 and re-encoded as UTF-8: every code point <= 0xFF,
// and those code points as bytes form valid UTF-8 again.
std::optional<std::string> RepairLatin1Mojibake(std::string_view s) {
  std::string bytes;
  bool high = false;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      bytes += static_cast<char>(c);
      ++i;
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < s.size()) {
      const auto c2 = static_cast<unsigned char>(s[i + 1]);
      bytes += static_cast<char>(((c & 0x03) << 6) | (c2 & 0x3F));
      high = true;
      i += 2;
    } else {
      return std::nullopt;  // a code point above U+00FF: not Latin-1 mojibake
    }
  }
  if (!high || !IsValidUtf8(bytes)) return std::nullopt;
  return bytes;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}

}  // namespace

std::string DdmmyyyyToIso(std::string_view s) {
  if (s.size() != 8 || !AllDigits(s)) return {};
  const int d = std::stoi(std::string(s.substr(0, 2)));
  const int m = std::stoi(std::string(s.substr(2, 2)));
  const int y = std::stoi(std::string(s.substr(4, 4)));
  if (!IsValidCivilDate(y, m, d)) return {};
  return FormatDate({y, m, d});
}

Result<Identity> ParseCccdQr(std::string_view raw) {
  if (raw.size() > 4096) return BadQr("longer than any CCCD QR", "chuỗi quá dài");
  std::string text = Trim(raw);
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.pop_back();
  if (!IsValidUtf8(text)) {
    return BadQr("not UTF-8 (set the scanner to UTF-8 output)", "không phải UTF-8 (cần đặt máy quét ở chế độ UTF-8)");
  }
  if (auto repaired = RepairLatin1Mojibake(text)) text = *repaired;
  auto nfc = ToNfc(text);
  text = *nfc;
  const auto f = Split(text, '|');
  if (f.size() < 7) {
    return BadQr("has " + std::to_string(f.size()) + " fields, a CCCD QR has at least 7",
                 "không phải mã QR trên thẻ căn cước (thiếu trường)");
  }
  Identity id;
  id.source = "qr";
  id.chip_verified = false;
  id.assurance = Assurance::kQrOnly;
  const std::string number = Trim(f[0]);
  const std::string old_id = Trim(f[1]);
  id.full_name = Trim(f[2]);
  const std::string dob = DdmmyyyyToIso(Trim(f[3]));
  const std::string gender = Trim(f[4]);
  const std::string residence = Trim(f[5]);
  const std::string issue = DdmmyyyyToIso(Trim(f[6]));
  auto info = ParseIdNumber(number);
  if (!info.ok()) return BadQr("field 1 (ID number) is not 12 digits", "số định danh phải gồm đúng 12 chữ số");
  if (!old_id.empty() && !(AllDigits(old_id) && (old_id.size() == 9 || old_id.size() == 12))) {
    return BadQr("field 2 (old ID) is not 9 or 12 digits", "số CMND cũ phải gồm 9 hoặc 12 chữ số");
  }
  if (id.full_name.empty()) return BadQr("field 3 (name) is empty", "thiếu họ và tên");
  if (dob.empty())
    return BadQr("field 4 (date of birth) is not a ddmmyyyy date", "ngày sinh không đúng dạng ngày/tháng/năm");
  auto g = ParseGenderVi(gender);
  if (!g) return BadQr("field 5 (gender) is neither Nam nor Nữ", "giới tính phải là Nam hoặc Nữ");
  if (issue.empty())
    return BadQr("field 7 (issue date) is not a ddmmyyyy date", "ngày cấp không đúng dạng ngày/tháng/năm");
  const CivilDate dob_date = *ParseDate(dob);
  if (Status st = CheckIdNumber(number, dob_date, gender); !st.ok()) {
    return Status::Error(Code::kInvalidArgument, "QR: " + st.message_en(), "Mã QR không hợp lệ: " + st.message_vi());
  }
  if (issue < dob) return BadQr("issue date is before the date of birth", "ngày cấp trước ngày sinh");
  id.id_number = number;
  if (!old_id.empty()) id.old_id_number = old_id;
  id.date_of_birth = dob;
  id.gender = std::string(GenderVi(*g));
  if (!residence.empty()) id.place_of_residence = residence;
  id.date_of_issue = issue;
  return id;
}

Result<AccessKey> AccessKeyFromQr(const Identity& qr) {
  auto dob = ParseDate(qr.date_of_birth.value_or(""));
  if (!dob) return BadQr("no date of birth", "thiếu ngày sinh");
  std::optional<CivilDate> issue;
  if (qr.date_of_issue) issue = ParseDate(*qr.date_of_issue);
  return AccessKeyFromIdNumber(qr.id_number, *dob, std::nullopt, issue);
}

}  // namespace mck::card
