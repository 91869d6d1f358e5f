// The fee of a submission (offline/domain/fee.h) and the catalog's fee_rule.
#include <catch2/catch.hpp>

#include <map>

#include "offline/domain/fee.h"

using namespace mck;

namespace {

Procedure Certification() {
  // 2.000815, TT 226/2016/TT-BTC: 2,000 đ a page, from the third 1,000 đ, at most 200,000 đ a copy.
  auto c = ParseCatalogText(R"({"version": "t", "procedures": [
    {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực", "processing_days": 1,
     "fee_vnd": 2000, "counter": "CT",
     "fee_rule": {"pages_field": "pages", "copies_field": "copies", "later_from_page": 3, "later_page_vnd": 1000,
                  "max_per_copy_vnd": 200000},
     "form": [{"id": "pages", "label": "Số trang", "type": "number", "required": true, "min": 1, "max": 500},
              {"id": "copies", "label": "Số bản", "type": "number", "required": true, "min": 1, "max": 50}]}]})");
  REQUIRE(c.ok());
  return c->procedures[0];
}

int64_t Fee(const Procedure& p, std::map<std::string, std::string> v) {
  auto f = ComputeFee(p, [&](const std::string& k) { return v.count(k) ? v[k] : std::string(); });
  REQUIRE(f.ok());
  return *f;
}

}  // namespace

TEST_CASE("a certified copy costs 2,000 a page, 1,000 from the third, at most 200,000 a copy, times the copies") {
  const Procedure p = Certification();
  CHECK(Fee(p, {{"pages", "1"}, {"copies", "1"}}) == 2000);
  CHECK(Fee(p, {{"pages", "2"}, {"copies", "1"}}) == 4000);
  CHECK(Fee(p, {{"pages", "3"}, {"copies", "1"}}) == 5000);
  CHECK(Fee(p, {{"pages", "10"}, {"copies", "3"}}) == 3 * (4000 + 8 * 1000));
  CHECK(Fee(p, {{"pages", "500"}, {"copies", "2"}}) == 2 * 200000);  // capped per copy
  auto missing = ComputeFee(p, [](const std::string& k) { return k == "pages" ? std::string("3") : std::string(); });
  CHECK(missing.status().code() == Code::kInvalidArgument);
  CHECK(missing.status().message_vi().find("lệ phí") != std::string::npos);
  auto nonsense = ComputeFee(p, [](const std::string&) { return std::string("3 trang"); });
  CHECK(nonsense.status().code() == Code::kInvalidArgument);
}

TEST_CASE("a procedure without a rule costs its fee_vnd whatever the form says") {
  Procedure p;
  p.fee_vnd = 10000;
  CHECK(Fee(p, {{"copies", "7"}}) == 10000);
  p.fee_vnd = 0;
  CHECK(Fee(p, {}) == 0);
}

TEST_CASE("a rule must name required number fields of the form, and survives the catalog's round trip") {
  auto bad = ParseCatalogText(R"({"version": "t", "procedures": [
    {"code": "2.000635", "name": "Trích lục", "field": "Hộ tịch", "processing_days": 1, "fee_vnd": 8000, "counter": "HT",
     "fee_rule": {"copies_field": "note"},
     "form": [{"id": "note", "label": "Ghi chú", "type": "text", "required": false}]}]})");
  REQUIRE(!bad.ok());
  CHECK(bad.status().message_en().find("fee_rule") != std::string::npos);
  const Procedure p = Certification();
  Catalog c;
  c.version = "t";
  c.procedures.push_back(p);
  auto again = ParseCatalog(CatalogToJson(c));
  REQUIRE(again.ok());
  REQUIRE(again->procedures[0].fee_rule);
  CHECK(again->procedures[0].fee_rule->later_from_page == 3);
  CHECK(again->procedures[0].fee_rule->max_per_copy_vnd == 200000);
}

TEST_CASE("amounts are written the Vietnamese way") {
  CHECK(FormatVnd(0) == "Miễn phí");
  CHECK(FormatVnd(500) == "500 đồng");
  CHECK(FormatVnd(50000) == "50.000 đồng");
  CHECK(FormatVnd(1234567) == "1.234.567 đồng");
  CHECK(FormatVnd(8000, true) == "8,000 VND");
}
