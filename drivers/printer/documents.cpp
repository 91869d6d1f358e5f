#include "drivers/printer/documents.h"

#include <cstdio>

#include "drivers/printer/amount_words.h"
#include "offline/domain/clock.h"
#include "offline/domain/fee.h"
#include "offline/domain/utf8.h"

namespace mck::printer {
namespace {

TextStyle Style(int size, bool bold = false, Align align = Align::kLeft, int indent = 0) {
  return TextStyle{size, bold, align, indent};
}
const TextStyle kBody = Style(size::kBody);
const TextStyle kBodyBold = Style(size::kBody, true);
const TextStyle kSmallCentre = Style(size::kSmall, false, Align::kCenter);
const TextStyle kSmallLeft = Style(size::kSmall, false, Align::kLeft);

std::string Two(int n) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", n);
  return b;
}

struct LocalTime {
  CivilDate date;
  int hour = 0, minute = 0;
};

std::optional<LocalTime> ToVietnam(const std::string& rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  if (!t) return std::nullopt;
  const int64_t local = UnixSeconds(*t) + kVietnamUtcOffsetSeconds;
  const int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  const int64_t sec = local - day * 86400;
  return LocalTime{CivilFromDays(day), static_cast<int>(sec / 3600), static_cast<int>(sec / 60 % 60)};
}

std::string DateText(const CivilDate& d) {
  return Two(d.day) + "/" + Two(d.month) + "/" + std::to_string(d.year);
}

// Upper case for the Vietnamese letters a heading uses (ASCII and the precomposed Latin
// Extended / Vietnamese ranges); anything else is left as it is.
std::string UpperVi(const std::string& s);

}  // namespace

std::string FormatTicketNumber(const std::string& counter, int number) {
  char b[16];
  std::snprintf(b, sizeof b, "%03d", number);
  return counter.empty() ? std::string(b) : counter + "-" + b;
}

std::string FormatVnDateTime(const std::string& rfc3339) {
  auto t = ToVietnam(rfc3339);
  if (!t) return rfc3339;
  return Two(t->hour) + ":" + Two(t->minute) + " ngày " + DateText(t->date);
}

std::string FormatMau01DateTime(const std::string& rfc3339) {
  auto t = ToVietnam(rfc3339);
  if (!t) return rfc3339;
  return Two(t->hour) + " giờ " + Two(t->minute) + " phút, ngày " + DateText(t->date);
}

std::string FormatVnDate(const std::string& ymd) {
  auto d = ParseDate(ymd);
  return d ? DateText(*d) : ymd;
}

Layout BuildKioskSlip(const KioskSlip& s) {
  Layout l;
  l.Text(s.commune_name, Style(size::kHeading, true, Align::kCenter))
      .Text("Bộ phận một cửa", kSmallCentre)
      .Rule(2)
      .Space(6)
      .Text("PHIẾU XÁC NHẬN NỘP HỒ SƠ", Style(size::kTitle, true, Align::kCenter))
      .Space(8)
      .Text("Mã hồ sơ tạm", Style(size::kBody, false, Align::kCenter))
      .Text(s.provisional_code, Style(size::kCode, true, Align::kCenter))
      .Text("(Mã tạm, chưa phải mã hồ sơ chính thức. Mã chính thức được cấp khi cán bộ tiếp nhận hồ sơ.)", kSmallCentre)
      .Rule(1, true)
      .Row("Người nộp:", s.applicant_name, kBody, kBodyBold)
      .Text("Thủ tục: " + s.procedure_name + (s.procedure_code.empty() ? "" : " (" + s.procedure_code + ")"), kBody);
  if (!s.field.empty()) l.Row("Lĩnh vực:", s.field, kBody, kBody);
  if (!s.counter.empty()) l.Row("Nộp giấy tờ tại quầy:", s.counter, kBody, kBodyBold);
  if (s.fee_vnd >= 0) l.Row("Lệ phí:", FormatVnd(s.fee_vnd), kBody, kBody);
  if (s.payment) {
    // The amount and the purpose are inside the code: the citizen's bank app fills them in.
    const PaymentQr& q = *s.payment;
    l.Rule(1, true)
        .Text("NỘP LỆ PHÍ BẰNG CHUYỂN KHOẢN (VietQR)", Style(size::kBody, true, Align::kCenter))
        .Text("Quét mã bằng ứng dụng ngân hàng. Số tiền và nội dung đã có sẵn trong mã, xin đừng sửa. Cũng có thể "
              "nộp tiền mặt tại quầy.",
              kBody)
        .Qr(q.payload)
        .Row("Số tiền:", FormatVnd(q.amount_vnd), kBody, kBodyBold)
        .Row("Chủ tài khoản:", q.account_name, kBody, kBody)
        .Row("Số tài khoản:", q.account, kBody, kBody)
        .Row("Mã ngân hàng (BIN):", q.bank_bin, kBody, kBody)
        .Row("Nội dung:", q.purpose, kBody, kBodyBold);
  }
  if (s.processing_days > 0) {
    l.Text("Thời gian giải quyết dự kiến: " + std::to_string(s.processing_days) +
               " ngày làm việc, kể từ khi cán bộ tiếp nhận hồ sơ.",
           kBody);
  }
  if (!s.documents_to_bring.empty()) {
    l.Rule(1, true).Text("Giấy tờ cần mang đến quầy:", kBodyBold);
    int i = 1;
    for (const auto& d : s.documents_to_bring) {
      // An optional paper is marked, unless the catalog's own name already says so.
      const bool marked = d.required || d.name.find("(nếu có)") != std::string::npos;
      l.Text(std::to_string(i++) + ". " + d.name + (marked ? "" : " (nếu có)"),
             Style(size::kBody, false, Align::kLeft, 12));
    }
  }
  if (!s.digitised.empty()) {
    // The papers scanned at the kiosk (docs/scanning.md): the citizen sees what went with the dossier.
    l.Rule(1, true).Text("Giấy tờ đã số hoá:", kBodyBold);
    for (const auto& d : s.digitised) {
      l.Text(d.name + " (" + std::to_string(d.pages) + " trang)", Style(size::kBody, false, Align::kLeft, 12));
    }
  }
  l.Rule(1, true).Text(
      "Tra cứu hồ sơ: quét mã QR dưới đây tại máy kiosk, hoặc nhập mã hồ sơ tạm cùng ngày sinh của người nộp ở "
      "mục \"Tra cứu hồ sơ\". Mã QR là chìa khoá tra cứu: xin giữ kín phiếu này.",
      kBody);
  if (!s.lookup_hint.empty()) l.Text(s.lookup_hint, kBody);
  l.Qr(s.client_id)
      .Text(s.client_id, kSmallCentre)
      .Rule(2)
      .Text("Máy kiosk số " + Two(s.kiosk_number) + " - " + FormatVnDateTime(s.submitted_at), kSmallCentre);
  if (!s.reprinted_at.empty())
    l.Text("Bản in lại - " + FormatVnDateTime(s.reprinted_at), Style(size::kSmall, true, Align::kCenter));
  l.Text("Vui lòng giữ phiếu này đến khi nhận kết quả.", kSmallCentre);
  return l;
}

Layout BuildOfficialReceipt(const OfficialReceipt& r) {
  Layout l;
  l.Text(UpperVi(r.agency_name), Style(size::kBody, true, Align::kCenter))
      .Text(UpperVi(r.office_name), Style(size::kSmall, true, Align::kCenter));
  if (!r.receipt_number.empty()) l.Text(r.receipt_number, kSmallCentre);
  l.Space(8)
      .Text("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", Style(size::kSmall, true, Align::kCenter))
      .Text("Độc lập - Tự do - Hạnh phúc", Style(size::kSmall, true, Align::kCenter))
      .Rule(1)
      .Space(6)
      .Text("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Style(size::kTitle, true, Align::kCenter));
  if (r.dossier_code) {
    l.Text("Mã hồ sơ: " + *r.dossier_code, Style(size::kHeading, true, Align::kCenter));
  } else {
    l.Text("Mã hồ sơ tạm: " + r.provisional_code, Style(size::kHeading, true, Align::kCenter))
        .Text("(Mã hồ sơ chính thức sẽ được cấp khi hồ sơ được gửi lên hệ thống.)", kSmallCentre);
  }
  if (!r.copy_label.empty()) l.Text("(" + r.copy_label + ")", kSmallCentre);
  l.Space(8)
      .Text(r.office_name + " " + r.agency_name + " đã tiếp nhận hồ sơ của:", kBody)
      .Text("Ông/Bà: " + r.applicant_name, kBodyBold);
  if (!r.applicant_address.empty()) l.Text("Địa chỉ: " + r.applicant_address, kBody);
  if (!r.applicant_phone.empty() || !r.applicant_email.empty()) {
    std::string contact = "Số điện thoại: " + (r.applicant_phone.empty() ? std::string("-") : r.applicant_phone);
    if (!r.applicant_email.empty()) contact += "; Email: " + r.applicant_email;
    l.Text(contact, kBody);
  }
  l.Text("Nội dung yêu cầu giải quyết: " + r.procedure_name, kBody)
      .Rule(1, true)
      .Text("1. Thành phần hồ sơ nộp gồm:", kBody);
  int i = 1;
  for (const auto& d : r.documents) {
    std::string line = std::to_string(i++) + ") " + d.name;
    std::string detail = (d.form.empty() ? std::string("Số lượng") : d.form) + ": " + std::to_string(d.count);
    l.Row(line, detail, Style(size::kBody, false, Align::kLeft, 16), kBody);
    if (d.digitised_pages > 0) {
      l.Text("(đã số hoá, " + std::to_string(d.digitised_pages) + " trang)", Style(size::kSmall, false, Align::kLeft, 40));
    }
  }
  if (r.documents.empty()) l.Text("(không có giấy tờ kèm theo)", Style(size::kBody, false, Align::kLeft, 16));
  l.Text("2. Số lượng hồ sơ: " + Two(r.sets) + " bộ", kBody);
  if (r.processing_days > 0) {
    l.Text("3. Thời gian giải quyết hồ sơ theo quy định: " + std::to_string(r.processing_days) + " ngày làm việc",
           kBody);
  } else {
    l.Text("3. Thời gian giải quyết hồ sơ theo quy định: theo quy định của thủ tục", kBody);
  }
  l.Text("4. Thời gian nhận hồ sơ: " + FormatMau01DateTime(r.received_at), kBody);
  if (r.appointment_date) {
    std::string when = "ngày " + FormatVnDate(*r.appointment_date);
    if (r.appointment_time.size() == 5) {
      when = r.appointment_time.substr(0, 2) + " giờ " + r.appointment_time.substr(3, 2) + " phút, " + when;
    }
    l.Text("5. Thời gian trả kết quả giải quyết hồ sơ: " + when, kBodyBold);
  } else {
    l.Text("5. Thời gian trả kết quả giải quyết hồ sơ: sẽ được thông báo khi hồ sơ có mã chính thức", kBody);
  }
  l.Text("6. Đăng ký nhận kết quả tại: " + r.result_place, kBody);
  if (!r.ledger_book.empty() || !r.ledger_entry.empty()) {
    l.Text("Vào Sổ theo dõi hồ sơ, Quyển số: " + (r.ledger_book.empty() ? std::string("...") : r.ledger_book) +
               ", Số thứ tự: " + (r.ledger_entry.empty() ? std::string("...") : r.ledger_entry),
           kBody);
  }
  l.Rule(1, true)
      .Text("Tra cứu tình trạng hồ sơ: quét mã QR tại máy kiosk, hoặc nhập mã hồ sơ cùng ngày sinh.",
            Style(size::kSmall, false, Align::kCenter))
      // The client id (a random UUID), not the official code: a code is sequential and guessable,
      // the QR is the receipt-holder's key to the look-up (kiosk/core/lookup.h).
      .Qr(r.client_id)
      .Columns({"NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"}, Style(size::kSmall, true))
      .Columns({"(Ký và ghi rõ họ tên)", r.signed_by.empty() ? "(Ký và ghi rõ họ tên)" : "(Đã ký số)"},
               Style(size::kSmall))
      .Space(120)
      .Columns({r.applicant_name, r.officer_name}, Style(size::kSmall));
  if (!r.signed_by.empty()) {
    // The decision was signed on the officer's token: who (the certificate's name) and when.
    l.Text("Đã ký số: " + r.signed_by + ", " + FormatMau01DateTime(r.signed_at), Style(size::kSmall, false, Align::kRight));
  }
  return l;
}

Layout BuildFeeReceipt(const FeeReceipt& r) {
  Layout l;
  l.Text(UpperVi(r.commune_name), Style(size::kBody, true, Align::kCenter))
      .Text("Bộ phận tiếp nhận và trả kết quả", kSmallCentre)
      .Rule(1)
      .Space(6)
      .Text("BIÊN LAI THU LỆ PHÍ", Style(size::kTitle, true, Align::kCenter))
      .Text("(Biên lai điện tử: đã nộp bằng chuyển khoản)", kSmallCentre)
      .Space(8)
      .Row("Mã hồ sơ:", r.dossier_code, kBody, kBodyBold)
      .Text("Thủ tục: " + r.procedure_name, kBody)
      .Row("Số tiền:", FormatVnd(r.amount_vnd), kBody, kBodyBold)
      .Text("Số tiền bằng chữ: " + VndInWords(r.amount_vnd), kSmallLeft)
      .Row("Hình thức:", "Chuyển khoản (VietQR)", kBody, kBody)
      .Row("Thời gian nộp:", FormatVnDateTime(r.paid_at), kBody, kBody)
      .Row("Mã giao dịch:", r.reference, kBody, kBody)
      .Rule(1, true)
      .Text("In lúc " + FormatVnDateTime(r.printed_at), kSmallCentre);
  return l;
}

Layout BuildQueueTicket(const QueueTicketInfo& t) {
  Layout l;
  l.Text(t.commune_name, Style(size::kHeading, true, Align::kCenter))
      .Text("Bộ phận một cửa", kSmallCentre)
      .Rule(2)
      .Text("SỐ THỨ TỰ CỦA BẠN", Style(size::kHeading, true, Align::kCenter))
      .Text(FormatTicketNumber("", t.number), Style(size::kHuge, true, Align::kCenter))
      .Text("Quầy " + t.counter + (t.counter_label.empty() ? "" : " - " + t.counter_label),
            Style(size::kTitle, true, Align::kCenter));
  if (t.waiting_before >= 0) {
    l.Text(t.waiting_before == 0 ? "Không có ai chờ trước bạn"
                                 : "Trước bạn còn " + std::to_string(t.waiting_before) + " người",
           Style(size::kHeading, true, Align::kCenter));
  }
  // Large and bold: the line an elderly citizen reads again when deciding to step out.
  if (!t.come_back_at.empty()) {
    l.Text("Vui lòng quay lại khoảng " + t.come_back_at, Style(size::kHeading, true, Align::kCenter));
  }
  if (!t.provisional_code.empty()) l.Text("Hồ sơ: " + t.provisional_code, Style(size::kBody, false, Align::kCenter));
  l.Rule(1, true)
      .Text("Lấy số lúc " + FormatVnDateTime(t.issued_at), kSmallCentre)
      .Text("Vui lòng chờ đến khi số của bạn được gọi.", kSmallCentre)
      .Text("Số thứ tự chỉ có giá trị trong ngày.", kSmallCentre);
  return l;
}

Layout BuildTestPage(const TestPage& p) {
  Layout l;
  l.Text("TRANG IN THỬ", Style(size::kTitle, true, Align::kCenter))
      .Text("Một Cửa Kiosk", kSmallCentre)
      .Rule(2)
      .Row("Máy in:", p.uri, kBody, kBody)
      .Row("Khổ in:", std::to_string(p.width_dots) + " điểm (" + (p.width_dots <= 384 ? "58" : "80") + " mm)", kBody,
           kBody)
      .Row("Trạng thái:", p.state_text, kBody, kBody)
      .Row("Thời gian:", FormatVnDateTime(p.printed_at), kBody, kBody)
      .Rule(1, true)
      .Text("a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y", kBody)
      .Text("A Ă Â B C D Đ E Ê G H I K L M N O Ô Ơ P Q R S T U Ư V X Y", kBody)
      .Text("à á ả ã ạ ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ è é ẻ ẽ ẹ ề ế ể ễ ệ", kBody)
      .Text("ì í ỉ ĩ ị ò ó ỏ õ ọ ồ ố ổ ỗ ộ ờ ớ ở ỡ ợ", kBody)
      .Text("ù ú ủ ũ ụ ừ ứ ử ữ ự ỳ ý ỷ ỹ ỵ", kBody)
      .Text("Cỡ chữ nhỏ: Đăng ký khai sinh", Style(size::kSmall))
      .Text("Chữ đậm: Giấy tiếp nhận hồ sơ", kBodyBold)
      .Text("Cỡ lớn: Số 123", Style(size::kCode, true))
      .Text("Căn giữa", Style(size::kBody, false, Align::kCenter))
      .Text("Căn phải", Style(size::kBody, false, Align::kRight))
      .Rule(1)
      .Columns({"Cột trái", "Cột phải"}, kBody)
      .Qr("MCK-TEST " + p.printed_at)
      .Text("Nếu mọi dấu tiếng Việt ở trên rõ ràng, máy in hoạt động tốt.", kSmallCentre);
  return l;
}

namespace {

std::string UpperVi(const std::string& text) {
  const std::string s = ToNfc(text).value_or(text);
  // Vietnamese lower/upper pairs outside ASCII, as UTF-8 (NFC). Kept as a table: the kiosk
  // needs no locale (C.UTF-8 on the kiosk does not upper-case Vietnamese in std::toupper).
  static const char* const kPairs[][2] = {
      {"à", "À"}, {"á", "Á"}, {"ả", "Ả"}, {"ã", "Ã"}, {"ạ", "Ạ"}, {"ă", "Ă"}, {"ằ", "Ằ"}, {"ắ", "Ắ"}, {"ẳ", "Ẳ"},
      {"ẵ", "Ẵ"}, {"ặ", "Ặ"}, {"â", "Â"}, {"ầ", "Ầ"}, {"ấ", "Ấ"}, {"ẩ", "Ẩ"}, {"ẫ", "Ẫ"}, {"ậ", "Ậ"}, {"đ", "Đ"},
      {"è", "È"}, {"é", "É"}, {"ẻ", "Ẻ"}, {"ẽ", "Ẽ"}, {"ẹ", "Ẹ"}, {"ê", "Ê"}, {"ề", "Ề"}, {"ế", "Ế"}, {"ể", "Ể"},
      {"ễ", "Ễ"}, {"ệ", "Ệ"}, {"ì", "Ì"}, {"í", "Í"}, {"ỉ", "Ỉ"}, {"ĩ", "Ĩ"}, {"ị", "Ị"}, {"ò", "Ò"}, {"ó", "Ó"},
      {"ỏ", "Ỏ"}, {"õ", "Õ"}, {"ọ", "Ọ"}, {"ô", "Ô"}, {"ồ", "Ồ"}, {"ố", "Ố"}, {"ổ", "Ổ"}, {"ỗ", "Ỗ"}, {"ộ", "Ộ"},
      {"ơ", "Ơ"}, {"ờ", "Ờ"}, {"ớ", "Ớ"}, {"ở", "Ở"}, {"ỡ", "Ỡ"}, {"ợ", "Ợ"}, {"ù", "Ù"}, {"ú", "Ú"}, {"ủ", "Ủ"},
      {"ũ", "Ũ"}, {"ụ", "Ụ"}, {"ư", "Ư"}, {"ừ", "Ừ"}, {"ứ", "Ứ"}, {"ử", "Ử"}, {"ữ", "Ữ"}, {"ự", "Ự"}, {"ỳ", "Ỳ"},
      {"ý", "Ý"}, {"ỷ", "Ỷ"}, {"ỹ", "Ỹ"}, {"ỵ", "Ỵ"}};
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      ++i;
      continue;
    }
    bool done = false;
    for (const auto& p : kPairs) {
      const std::string_view lo = p[0];
      if (s.compare(i, lo.size(), lo) == 0) {
        out += p[1];
        i += lo.size();
        done = true;
        break;
      }
    }
    if (!done) {
      out += s[i];
      ++i;
    }
  }
  return out;
}

}  // namespace
}  // namespace mck::printer
