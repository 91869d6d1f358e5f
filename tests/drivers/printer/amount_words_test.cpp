// The fee receipt's "Số tiền bằng chữ" (drivers/printer/amount_words.h): the Northern style of
// Vietnamese invoices, checked against hand-read values for every rule.
#include <catch2/catch.hpp>

#include <cstdint>
#include <utility>
#include <vector>

#include "drivers/printer/amount_words.h"

using mck::printer::NumberInVietnameseWords;
using mck::printer::VndInWords;

TEST_CASE("amounts in Vietnamese words, as invoices write them") {
  const std::vector<std::pair<int64_t, const char*>> cases = {
      {0, "Không đồng"},
      {5, "Năm đồng"},
      {10, "Mười đồng"},
      {11, "Mười một đồng"},
      {14, "Mười bốn đồng"},
      {15, "Mười lăm đồng"},
      {20, "Hai mươi đồng"},
      {21, "Hai mươi mốt đồng"},
      {24, "Hai mươi tư đồng"},
      {25, "Hai mươi lăm đồng"},
      {27, "Hai mươi bảy đồng"},
      {100, "Một trăm đồng"},
      {101, "Một trăm linh một đồng"},
      {104, "Một trăm linh bốn đồng"},
      {105, "Một trăm linh năm đồng"},
      {110, "Một trăm mười đồng"},
      {111, "Một trăm mười một đồng"},
      {115, "Một trăm mười lăm đồng"},
      {999, "Chín trăm chín mươi chín đồng"},
      {1000, "Một nghìn đồng"},
      {15000, "Mười lăm nghìn đồng"},
      {21000, "Hai mươi mốt nghìn đồng"},
      {24000, "Hai mươi tư nghìn đồng"},
      {35000, "Ba mươi lăm nghìn đồng"},
      {50000, "Năm mươi nghìn đồng"},
      {100000, "Một trăm nghìn đồng"},
      {105000, "Một trăm linh năm nghìn đồng"},
      {1005, "Một nghìn không trăm linh năm đồng"},
      {1050, "Một nghìn không trăm năm mươi đồng"},
      {1500, "Một nghìn năm trăm đồng"},
      {10010, "Mười nghìn không trăm mười đồng"},
      {200500, "Hai trăm nghìn năm trăm đồng"},
      {1000000, "Một triệu đồng"},
      {1005000, "Một triệu không trăm linh năm nghìn đồng"},
      {1250000, "Một triệu hai trăm năm mươi nghìn đồng"},
      {1000001, "Một triệu không trăm linh một đồng"},
      {2041000, "Hai triệu không trăm bốn mươi mốt nghìn đồng"},
      {12345678, "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng"},
      {1000000000, "Một tỷ đồng"},
      {1000005000, "Một tỷ không trăm linh năm nghìn đồng"},
      {2500000000, "Hai tỷ năm trăm triệu đồng"},
      {1000000000000, "Một nghìn tỷ đồng"},
      {1234567890123, "Một nghìn hai trăm ba mươi tư tỷ năm trăm sáu mươi bảy triệu tám trăm chín mươi nghìn một trăm "
                      "hai mươi ba đồng"},
  };
  for (const auto& [n, words] : cases) {
    INFO(n);
    CHECK(VndInWords(n) == words);
  }
}

TEST_CASE("numbers in words: lower case, no unit, negatives and the extremes") {
  CHECK(NumberInVietnameseWords(0) == "không");
  CHECK(NumberInVietnameseWords(31) == "ba mươi mốt");
  CHECK(NumberInVietnameseWords(-5000) == "âm năm nghìn");
  CHECK(VndInWords(-5000) == "Âm năm nghìn đồng");
  CHECK(NumberInVietnameseWords(INT64_MAX) ==
        "chín tỷ hai trăm hai mươi ba triệu ba trăm bảy mươi hai nghìn không trăm ba mươi sáu tỷ tám trăm năm mươi "
        "tư triệu bảy trăm bảy mươi lăm nghìn tám trăm linh bảy");
  CHECK(NumberInVietnameseWords(INT64_MIN).rfind("âm chín tỷ", 0) == 0);
}
