// A sum of money in Vietnamese words, for the fee receipt's "Số tiền bằng chữ" (docs/payment.md,
// "The amount in words"): VndInWords(105000) == "Một trăm linh năm nghìn đồng".
//
// The Northern style used on Vietnamese invoices (hoá đơn, biên lai):
//  - groups of three digits: nghìn, triệu, tỷ; above 999 tỷ the tỷ are read as a number
//    ("một nghìn tỷ"); a group of three zeros is left out ("một triệu đồng", "một tỷ không trăm
//    linh năm nghìn đồng");
//  - a group after another is read whole: "một triệu không trăm linh năm nghìn";
//  - no tens: "linh" (105 = "một trăm linh năm"); tens 1: "mười" (15 = "mười lăm"), else
//    "mươi" (20 = "hai mươi");
//  - units after "mươi": 1 = "mốt", 4 = "tư", 5 = "lăm"; after "mười": 5 = "lăm" (11 = "mười một",
//    14 = "mười bốn"); after "linh" or alone they keep their name ("linh một", "linh bốn",
//    "linh năm");
//  - "nghìn" (not "ngàn"), "bảy", "tỷ"; the first letter capitalised, "đồng" at the end, 0 = "Không
//    đồng".
// Thread-safety: pure.
#pragma once

#include <cstdint>
#include <string>

namespace mck::printer {

// The number in words, lower case, without a unit ("một trăm linh năm nghìn"); 0 = "không".
// Negative numbers are read as "âm " and the absolute value.
std::string NumberInVietnameseWords(int64_t n);
// "Một trăm linh năm nghìn đồng".
std::string VndInWords(int64_t amount_vnd);

}  // namespace mck::printer
