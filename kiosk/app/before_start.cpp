#include "kiosk/app/before_start.h"

namespace mck::app {

std::string FormatThousands(int64_t n) {
  const bool negative = n < 0;
  std::string digits = std::to_string(negative ? -n : n);
  std::string out;
  const size_t len = digits.size();
  for (size_t i = 0; i < len; ++i) {
    if (i > 0 && (len - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return negative ? "-" + out : out;
}

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += "; ";
    out += items[i];
  }
  return out;
}

}  // namespace

BeforeStartText DescribeBeforeStart(const Procedure& p, const Strings& strings) {
  BeforeStartText t;
  for (const auto& d : p.documents) (d.required ? t.required : t.optional).push_back(d.name);
  t.fee = p.fee_vnd <= 0 ? strings.Get("before.free") : strings.Format("before.fee_vnd", {FormatThousands(p.fee_vnd)});
  // processing_days is the legal time limit in working days; 0 is "the same day". We never
  // promise sooner than the catalog says.
  t.time = p.processing_days <= 0 ? strings.Get("before.days_0")
           : p.processing_days == 1
               ? strings.Get("before.days_1")
               : strings.Format("before.days_n", {std::to_string(p.processing_days)});
  const std::string papers = t.required.empty() ? strings.Get("before.no_papers_spoken") : Join(t.required);
  t.spoken = strings.Format("speak.before_start", {papers, t.fee, t.time});
  if (!t.optional.empty()) t.spoken += " " + strings.Format("speak.before_start_optional", {Join(t.optional)});
  return t;
}

}  // namespace mck::app
