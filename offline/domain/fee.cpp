#include "offline/domain/fee.h"

#include <algorithm>
#include <charconv>

namespace mck {
namespace {

Result<int64_t> WholeNumber(const std::string& field, const std::string& v) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n < 1 || n > 100000) {
    return Status::Error(Code::kInvalidArgument, "fee: field " + field + " is not a whole number >= 1",
                         "Chưa tính được lệ phí: số trang hoặc số bản chưa đúng.");
  }
  return n;
}

}  // namespace

Result<int64_t> ComputeFee(const Procedure& p, const std::function<std::string(const std::string&)>& value) {
  if (!p.fee_rule) return p.fee_vnd;
  const FeeRule& r = *p.fee_rule;
  int64_t copies = 1, pages = 1;
  if (!r.copies_field.empty()) {
    auto c = WholeNumber(r.copies_field, value(r.copies_field));
    if (!c.ok()) return c.status();
    copies = *c;
  }
  int64_t per_copy = p.fee_vnd;
  if (!r.pages_field.empty()) {
    auto n = WholeNumber(r.pages_field, value(r.pages_field));
    if (!n.ok()) return n.status();
    pages = *n;
    if (r.later_from_page > 0 && pages >= r.later_from_page) {
      const int64_t first = r.later_from_page - 1;
      per_copy = first * p.fee_vnd + (pages - first) * r.later_page_vnd;
    } else {
      per_copy = pages * p.fee_vnd;
    }
  }
  if (r.max_per_copy_vnd > 0) per_copy = std::min(per_copy, r.max_per_copy_vnd);
  return per_copy * copies;
}

std::string FormatVnd(int64_t amount_vnd, bool english) {
  if (amount_vnd <= 0) return english ? "Free" : "Miễn phí";
  std::string digits = std::to_string(amount_vnd), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += english ? ',' : '.';
    out += digits[i];
  }
  return out + (english ? " VND" : " đồng");
}

}  // namespace mck
