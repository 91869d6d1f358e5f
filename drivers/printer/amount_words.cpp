#include "drivers/printer/amount_words.h"

#include <vector>

namespace mck::printer {

namespace {

const char* const kDigit[] = {"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"};

// One group of three digits (1..999). `whole`: a group after another, read with its hundreds and
// "linh" ("không trăm linh năm"); the leading group is read as it is ("năm").
void Group(int g, bool whole, std::vector<std::string>& out) {
  const int h = g / 100, t = g / 10 % 10, u = g % 10;
  if (h > 0 || whole) {
    out.push_back(kDigit[h]);
    out.push_back("trăm");
  }
  if (t == 0) {
    if (u == 0) return;
    if (h > 0 || whole) out.push_back("linh");
    out.push_back(kDigit[u]);
    return;
  }
  if (t == 1) {
    out.push_back("mười");
    if (u == 5) out.push_back("lăm");
    else if (u > 0) out.push_back(kDigit[u]);
    return;
  }
  out.push_back(kDigit[t]);
  out.push_back("mươi");
  if (u == 1) out.push_back("mốt");
  else if (u == 4) out.push_back("tư");
  else if (u == 5) out.push_back("lăm");
  else if (u > 0) out.push_back(kDigit[u]);
}

// n > 0. `whole`: something was read before n (its first group is read whole).
void Read(uint64_t n, bool whole, std::vector<std::string>& out) {
  constexpr uint64_t kTy = 1000000000;
  if (n >= kTy) {
    Read(n / kTy, whole, out);
    out.push_back("tỷ");
    whole = true;
    n %= kTy;
  }
  const uint64_t groups[] = {n / 1000000, n / 1000 % 1000, n % 1000};
  const char* const units[] = {"triệu", "nghìn", nullptr};
  for (int i = 0; i < 3; ++i) {
    if (groups[i] == 0) continue;
    Group(static_cast<int>(groups[i]), whole, out);
    if (units[i]) out.push_back(units[i]);
    whole = true;
  }
}

}  // namespace

std::string NumberInVietnameseWords(int64_t n) {
  if (n == 0) return "không";
  std::vector<std::string> words;
  uint64_t v = static_cast<uint64_t>(n);
  if (n < 0) {
    words.push_back("âm");
    v = ~v + 1;  // |INT64_MIN| too
  }
  Read(v, false, words);
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

std::string VndInWords(int64_t amount_vnd) {
  std::string s = NumberInVietnameseWords(amount_vnd) + " đồng";
  // Every first word starts with an ASCII letter (không, một, …, âm excepted).
  if (s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  else if (s.rfind("âm", 0) == 0) s = "Â" + s.substr(2);  // "â" is two bytes in UTF-8
  return s;
}

}  // namespace mck::printer
