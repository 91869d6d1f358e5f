#include "drivers/card/mrz.h"

#include <algorithm>

#include "offline/domain/id_number.h"

namespace mck::card {
namespace {

Status BadMrz(const std::string& what) {
  return Status::Error(Code::kCorrupt, "MRZ: " + what,
                       "Vùng đọc máy (MRZ) trên thẻ không hợp lệ. Vui lòng thử lại hoặc nhờ cán bộ hỗ trợ.");
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Fillers(std::string_view s) {  // "NGUYEN<VAN<<" -> "NGUYEN VAN"
  std::string out(s);
  std::replace(out.begin(), out.end(), '<', ' ');
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool CheckField(std::string_view field, char digit) {
  const int cd = MrzCheckDigit(field);
  if (cd < 0) return false;
  // A field made only of fillers may carry '<' as its check digit (ICAO 9303-3 §4.9).
  if (digit == '<') return cd == 0;
  return digit - '0' == cd;
}

void SplitNames(std::string_view names, Mrz* m) {
  const size_t sep = names.find("<<");
  if (sep == std::string_view::npos) {
    m->surname = Fillers(names);
    return;
  }
  m->surname = Fillers(names.substr(0, sep));
  m->given_names = Fillers(names.substr(sep + 2));
}

std::string YymmddToIso(std::string_view s, CivilDate today, bool birth) {
  auto d = ParseYymmdd(s, today, birth);
  return d ? FormatDate(*d) : std::string();
}

CivilDate Birthday(const CivilDate& dob, int age) {
  CivilDate d{dob.year + age, dob.month, dob.day};
  if (!IsValidCivilDate(d.year, d.month, d.day)) d.day = 28;  // 29 Feb in a common year
  return d;
}

CivilDate AddYears(const CivilDate& d, int years) {
  return Birthday(d, years);
}

}  // namespace

int MrzCheckDigit(std::string_view field) {
  static const int kWeights[3] = {7, 3, 1};
  int sum = 0;
  for (size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'A' && c <= 'Z')
      v = c - 'A' + 10;
    else if (c == '<')
      v = 0;
    else
      return -1;
    sum += v * kWeights[i % 3];
  }
  return sum % 10;
}

std::optional<CivilDate> ParseYymmdd(std::string_view s, CivilDate today, bool is_birth_date) {
  if (s.size() != 6 || !IsDigits(s)) return std::nullopt;
  const int yy = (s[0] - '0') * 10 + (s[1] - '0');
  const int mm = (s[2] - '0') * 10 + (s[3] - '0');
  const int dd = (s[4] - '0') * 10 + (s[5] - '0');
  int century = today.year / 100 * 100;
  if (is_birth_date) {
    if (century + yy > today.year) century -= 100;
  } else if (yy >= 70) {
    century = 1900;  // expiry dates of documents still in circulation: 1970-2069
  } else {
    century = 2000;
  }
  if (!IsValidCivilDate(century + yy, mm, dd)) return std::nullopt;
  return CivilDate{century + yy, mm, dd};
}

Result<Mrz> ParseMrz(std::string_view text, CivilDate today) {
  std::string s;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == ' ') continue;
    s += c;
  }
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '<')) return BadMrz("character outside the MRZ set");
  }
  Mrz m;
  std::string_view v = s;
  if (s.size() == 90) {  // TD1: 3 x 30
    std::string_view l1 = v.substr(0, 30), l2 = v.substr(30, 30), l3 = v.substr(60, 30);
    std::string_view docno = l1.substr(5, 9);
    std::string_view optional1 = l1.substr(15, 15);
    std::string docno_full(docno);
    char doc_cd = l1[14];
    if (doc_cd == '<') {  // long document number continues in the optional data (9303-5 §4.2.4)
      const size_t end = optional1.find('<');
      if (end == std::string_view::npos || end < 2) return BadMrz("document number extension");
      docno_full += std::string(optional1.substr(0, end - 1));
      doc_cd = optional1[end - 1];
      if (!CheckField(docno_full, doc_cd)) return BadMrz("document number check digit");
    } else if (!CheckField(docno, doc_cd)) {
      return BadMrz("document number check digit");
    }
    if (!CheckField(l2.substr(0, 6), l2[6])) return BadMrz("date of birth check digit");
    if (!CheckField(l2.substr(8, 6), l2[14])) return BadMrz("date of expiry check digit");
    std::string composite = std::string(l1.substr(5, 25)) + std::string(l2.substr(0, 7)) +
                            std::string(l2.substr(8, 7)) + std::string(l2.substr(18, 11));
    if (!CheckField(composite, l2[29])) return BadMrz("composite check digit");
    m.document_code = Fillers(l1.substr(0, 2));
    m.issuing_state = Fillers(l1.substr(2, 3));
    m.document_number = Fillers(docno_full);
    m.optional_data = Fillers(optional1);
    m.date_of_birth = YymmddToIso(l2.substr(0, 6), today, true);
    m.sex = std::string(1, l2[7]);
    m.date_of_expiry = YymmddToIso(l2.substr(8, 6), today, false);
    m.nationality = Fillers(l2.substr(15, 3));
    SplitNames(l3, &m);
  } else if (s.size() == 88) {  // TD3: 2 x 44
    std::string_view l1 = v.substr(0, 44), l2 = v.substr(44, 44);
    if (!CheckField(l2.substr(0, 9), l2[9])) return BadMrz("document number check digit");
    if (!CheckField(l2.substr(13, 6), l2[19])) return BadMrz("date of birth check digit");
    if (!CheckField(l2.substr(21, 6), l2[27])) return BadMrz("date of expiry check digit");
    if (l2[42] != '<' || l2.substr(28, 14).find_first_not_of('<') != std::string_view::npos) {
      if (!CheckField(l2.substr(28, 14), l2[42])) return BadMrz("personal number check digit");
    }
    std::string composite =
        std::string(l2.substr(0, 10)) + std::string(l2.substr(13, 7)) + std::string(l2.substr(21, 22));
    if (!CheckField(composite, l2[43])) return BadMrz("composite check digit");
    m.document_code = Fillers(l1.substr(0, 2));
    m.issuing_state = Fillers(l1.substr(2, 3));
    SplitNames(l1.substr(5), &m);
    m.document_number = Fillers(l2.substr(0, 9));
    m.nationality = Fillers(l2.substr(10, 3));
    m.date_of_birth = YymmddToIso(l2.substr(13, 6), today, true);
    m.sex = std::string(1, l2[20]);
    m.date_of_expiry = YymmddToIso(l2.substr(21, 6), today, false);
    m.optional_data = Fillers(l2.substr(28, 14));
  } else {
    return BadMrz("length is neither TD1 (90) nor TD3 (88)");
  }
  if (m.date_of_birth.empty()) return BadMrz("date of birth is not a date");
  return m;
}

Result<std::string> BacMrzInformation(std::string_view document_number, std::string_view dob, std::string_view expiry) {
  std::string doc(document_number);
  while (doc.size() < 9) doc += '<';
  const bool doc_ok = MrzCheckDigit(doc) >= 0;
  if (!doc_ok || document_number.empty()) {
    return Status::Error(Code::kInvalidArgument, "document number has characters outside A-Z, 0-9",
                         "Số giấy tờ chỉ gồm chữ in hoa không dấu và chữ số");
  }
  const bool expiry_ok = (expiry.size() == 6 && IsDigits(expiry)) || expiry == "<<<<<<";
  if (dob.size() != 6 || !IsDigits(dob) || !expiry_ok) {
    return Status::Error(Code::kInvalidArgument, "dates must be YYMMDD",
                         "Ngày tháng phải có dạng YYMMDD (năm, tháng, ngày, mỗi phần 2 chữ số)");
  }
  std::string out = doc + char('0' + MrzCheckDigit(doc));
  out += std::string(dob) + char('0' + MrzCheckDigit(dob));
  out += std::string(expiry) + char('0' + MrzCheckDigit(expiry));
  return out;
}

Result<AccessKey> AccessKeyFromIdNumber(std::string_view id_number, const CivilDate& dob,
                                        std::optional<CivilDate> expiry, std::optional<CivilDate> issue) {
  if (Status st = CheckIdNumber(id_number, dob); !st.ok()) return st;
  AccessKey key;
  key.id_number = std::string(id_number);
  key.can = std::string(id_number.substr(6));  // PACE CAN convention: last 6 digits (UNCONFIRMED)
  key.document_number = std::string(id_number.substr(3));
  key.date_of_birth = FormatYymmdd(dob);
  if (expiry) key.date_of_expiry = FormatYymmdd(*expiry);
  if (issue) key.date_of_issue = FormatDate(*issue);
  return key;
}

std::vector<std::string> ExpiryCandidates(const CivilDate& dob, std::optional<CivilDate> issue, CivilDate today) {
  static const int kAges[] = {14, 25, 40, 60};
  std::vector<CivilDate> dates;
  auto add = [&](CivilDate d) {
    if (std::find(dates.begin(), dates.end(), d) == dates.end()) dates.push_back(d);
  };
  auto milestone_after = [&](const CivilDate& when) -> std::optional<size_t> {
    for (size_t i = 0; i < std::size(kAges); ++i) {
      if (Birthday(dob, kAges[i]) > when) return i;
    }
    return std::nullopt;
  };
  if (issue) {
    if (auto i = milestone_after(*issue)) {
      const CivilDate m = Birthday(dob, kAges[*i]);
      const bool within_two_years = AddYears(*issue, 2) >= m;
      if (within_two_years && *i + 1 < std::size(kAges)) add(Birthday(dob, kAges[*i + 1]));
      add(m);
      if (!within_two_years && *i + 1 < std::size(kAges)) add(Birthday(dob, kAges[*i + 1]));
    }
  }
  if (auto i = milestone_after(today)) {
    add(Birthday(dob, kAges[*i]));                                     // current card
    if (*i + 1 < std::size(kAges)) add(Birthday(dob, kAges[*i + 1]));  // renewed early
    if (*i > 0) add(Birthday(dob, kAges[*i - 1]));                     // expired card
  } else {
    add(Birthday(dob, kAges[std::size(kAges) - 1]));
  }
  std::vector<std::string> out;
  for (const auto& d : dates) {
    if (out.size() == 4) break;
    out.push_back(FormatYymmdd(d));
  }
  return out;
}

}  // namespace mck::card
