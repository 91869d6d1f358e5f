#include <catch2/catch.hpp>

#include "drivers/card/dg13.h"
#include "drivers/card/tlv.h"

using namespace mck::card;

namespace {
Dg13Fields Sample() {
  return {{1, {"024090000017"}},
          {2, {"Nguyễn Văn Thử"}},
          {3, {"15/03/1990"}},
          {4, {"Nam"}},
          {5, {"Việt Nam"}},
          {6, {"Kinh"}},
          {7, {"Không"}},
          {8, {"Xã Mẫu, Lạng Giang, Bắc Giang"}},
          {9, {"Thôn Ví Dụ, Xã Mẫu, Lạng Giang, Bắc Giang"}},
          {10, {"Nốt ruồi C:1cm trên trước đầu mày phải"}},
          {11, {"10/05/2021"}},
          {12, {"15/03/2030"}},
          {13, {"Nguyễn Văn Cha", "Lê Thị Mẹ"}},
          {14, {"Trần Thị Vợ"}},
          {15, {"121234567"}}};
}
}  // namespace

TEST_CASE("DG13 fields are found by number in the documented wrapper", "[card][dg13]") {
  const Bytes dg13 = BuildDg13(Sample());
  CHECK(dg13[0] == 0x6D);
  auto f = ParseDg13(dg13);
  REQUIRE(f.ok());
  Identity id;
  ApplyDg13(*f, &id);
  CHECK(id.id_number == "024090000017");
  CHECK(id.full_name == "Nguyễn Văn Thử");
  CHECK(id.date_of_birth.value() == "1990-03-15");
  CHECK(id.gender.value() == "Nam");
  CHECK(id.nationality.value() == "Việt Nam");
  CHECK(id.ethnicity.value() == "Kinh");
  CHECK(id.religion.value() == "Không");
  CHECK(id.place_of_origin.value() == "Xã Mẫu, Lạng Giang, Bắc Giang");
  CHECK(id.identifying_marks.value() == "Nốt ruồi C:1cm trên trước đầu mày phải");
  CHECK(id.date_of_issue.value() == "2021-05-10");
  CHECK(id.date_of_expiry.value() == "2030-03-15");
  CHECK(id.father_name.value() == "Nguyễn Văn Cha");
  CHECK(id.mother_name.value() == "Lê Thị Mẹ");
  CHECK(id.spouse_name.value() == "Trần Thị Vợ");
  CHECK(id.old_id_number.value() == "121234567");
}

TEST_CASE("DG13 without the version/OID wrapper, out of order, fields absent", "[card][dg13]") {
  // 6D { SET { field 9, field 2, field 1 (PrintableString), field 13 with the parents inline } }
  auto item = [](int n, uint32_t tag, const std::string& v) {
    Bytes b = EncodeTlv(0x02, Bytes{static_cast<uint8_t>(n)});
    Append(b, EncodeTlv(tag, ToBytes(v)));
    return EncodeTlv(0x30, b);
  };
  Bytes set;
  Append(set, item(9, 0x0C, "Hà Nội"));
  Append(set, item(2, 0x0C, "Trần Thị Mẫu"));
  Append(set, item(1, 0x13, "001195001234"));
  Bytes parents = EncodeTlv(0x02, Bytes{13});
  Append(parents, EncodeTlv(0x0C, ToBytes("Trần Văn Cha")));
  Append(parents, EncodeTlv(0x0C, ToBytes("Phạm Thị Mẹ")));
  Append(set, EncodeTlv(0x30, parents));
  Append(set, item(16, 0x0C, "0123456789ABCDEF"));  // not an old ID
  const Bytes dg13 = EncodeTlv(0x6D, EncodeTlv(0x31, set));
  auto f = ParseDg13(dg13);
  REQUIRE(f.ok());
  Identity id;
  ApplyDg13(*f, &id);
  CHECK(id.id_number == "001195001234");
  CHECK(id.full_name == "Trần Thị Mẫu");
  CHECK(id.place_of_residence.value() == "Hà Nội");
  CHECK(id.father_name.value() == "Trần Văn Cha");
  CHECK(id.mother_name.value() == "Phạm Thị Mẹ");
  CHECK_FALSE(id.spouse_name.has_value());
  CHECK_FALSE(id.ethnicity.has_value());
  CHECK_FALSE(id.old_id_number.has_value());
}

TEST_CASE("a DG13 expiry that is not a date leaves the field absent", "[card][dg13]") {
  auto f = ParseDg13(BuildDg13({{1, {"024090000017"}}, {12, {"Không thời hạn"}}, {11, {"2021-05-10"}}}));
  REQUIRE(f.ok());
  Identity id;
  ApplyDg13(*f, &id);
  CHECK_FALSE(id.date_of_expiry.has_value());
  CHECK(id.date_of_issue.value() == "2021-05-10");
}

TEST_CASE("a truncated DG13 is a clean error", "[card][dg13]") {
  const Bytes dg13 = BuildDg13(Sample());
  for (size_t cut = 1; cut < dg13.size(); cut += 7) {
    auto r = ParseDg13(ByteView(dg13).first(cut));
    CHECK_FALSE(r.ok());
  }
}
