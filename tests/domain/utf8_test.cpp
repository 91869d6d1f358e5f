#include <catch2/catch.hpp>

#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

using namespace mck;

TEST_CASE("NFC composes decomposed Vietnamese") {
  // "Hoà" with a combining grave (U+0300) after 'a' → precomposed U+00E0.
  const std::string decomposed = "Hoa\xCC\x80";
  CHECK(*ToNfc(decomposed) == "Hoà");
  // ệ as e + circumflex + dot below, in either mark order.
  CHECK(*ToNfc("e\xCC\x82\xCC\xA3") == "ệ");
  CHECK(*ToNfc("e\xCC\xA3\xCC\x82") == "ệ");
  CHECK(*ToNfc("Nguyễn Thị Hoà") == "Nguyễn Thị Hoà");
  CHECK_FALSE(ToNfc("\xC3\x28").has_value());
}

TEST_CASE("UTF-8 validity and length in code points") {
  CHECK(IsValidUtf8("Đăng ký khai sinh"));
  CHECK_FALSE(IsValidUtf8("\xFF"));
  CHECK_FALSE(IsValidUtf8("\xE1\xBB"));  // truncated
  CHECK(Utf8Length("Đăng ký") == 7);
}

TEST_CASE("search folding ignores case, marks and đ") {
  CHECK(FoldForSearch("Đăng ký khai sinh") == "dang ky khai sinh");
  CHECK(FoldForSearch("  CHỨNG   THỰC  bản sao ") == "chung thuc ban sao");
  CHECK(FoldForSearch("Nguyễn Thị Hoà") == "nguyen thi hoa");
  CHECK(FoldForSearch("đồng ₫") == "dong ₫");
}

TEST_CASE("ids: UUID v4 shape and uniqueness, SHA-256 known answer") {
  const std::string a = NewUuidV4(), b = NewUuidV4();
  CHECK(IsUuid(a));
  CHECK(a != b);
  CHECK(a[14] == '4');
  CHECK((a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b'));
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string secret = "Nguyễn";
  SecureWipe(secret);
  CHECK(secret.empty());
}
