// The printed documents, checked the way a person would: our own ESC/POS bytes are decoded back
// into paper (escpos_decode.h), the QR is read with zbarimg and the Vietnamese text with
// tesseract's Vietnamese model. OCR is compared after folding white space only: a missing or
// wrong diacritic fails the test (see the negative control below).
#include <catch2/catch.hpp>

#include <algorithm>

#include "drivers/printer/documents.h"
#include "drivers/printer/escpos.h"
#include "drivers/printer/escpos_decode.h"
#include "drivers/printer/png_preview.h"
#include "offline/domain/vietqr.h"
#include "tests/drivers/printer/sample_documents.h"
#include "tests/drivers/printer/test_fonts.h"
#include "tests/drivers/printer/test_support.h"

using namespace mck;
using namespace mck::printer;
using mck::printer::testing::NormaliseText;
using mck::printer::testing::Ocr;
using mck::printer::testing::TempDir;
using mck::printer::testing::TestFonts;
using mck::printer::testing::ZbarDecode;

namespace {

const char* const kClientId = "6f1c2a4e-8d1b-4c8e-9b7a-1234567890ab";
const char* const kApplicant = "Lê Thị Hồng Nhung";

KioskSlip Slip() {
  return testing::SampleSlip(kApplicant, "2026-11-22T02:14:03Z");  // 09:14 in Vietnam
}

OfficialReceipt Receipt() {
  OfficialReceipt r = testing::SampleReceipt(kApplicant);
  r.applicant_phone = "0912345678";
  r.officer_name = "Phạm Văn Tâm";
  return r;
}

// Layout → raster → ESC/POS bytes → decoded paper → PNG: what the tests look at is what a
// printer would have printed from our bytes, not the raster we meant to send.
std::filesystem::path PrintToPng(const Layout& layout, int width, const TempDir& dir, const std::string& name,
                                 int scale = 2) {
  auto raster = Render(layout, TestFonts(), RenderOptions{width});
  REQUIRE(raster.ok());
  const auto decoded = escpos::DecodeEscPos(escpos::EncodeJob(*raster), width);
  REQUIRE(decoded.pages.size() == 1);
  REQUIRE(decoded.unknown_bytes == 0);
  const auto png = dir / (name + ".png");
  REQUIRE(WritePng(decoded.pages[0], png, scale).ok());
  return png;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(NormaliseText(needle)) != std::string::npos;
}

}  // namespace

TEST_CASE("the kiosk slip (80 mm): the QR gives the client id and OCR reads the name and title") {
  TempDir dir;
  const auto png = PrintToPng(BuildKioskSlip(Slip()), 576, dir, "slip80");
  CHECK(ZbarDecode(png) == kClientId);
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(Contains(text, kApplicant));
  CHECK(Contains(text, "PHIẾU XÁC NHẬN NỘP HỒ SƠ"));
  CHECK(Contains(text, "K07-261122-0003"));
  CHECK(Contains(text, "Mã hồ sơ tạm"));
  CHECK(Contains(text, "Giấy chứng sinh"));
  CHECK(Contains(text, "09:14 ngày 22/11/2026"));
}

TEST_CASE("a slip with a fee carries the VietQR: zbarimg reads it off the paper and it parses back") {
  TempDir dir;
  KioskSlip s = Slip();
  s.fee_vnd = 5000;
  const std::string payload = "00020101021238560010A0000007270126000697041501121133666688880208QRIBFTTA530370454045000"
                              "5802VN62190815K07-261122-00036304";
  auto qr = vietqr::Encode({.bank_bin = "970415", .account = "113366668888", .amount_vnd = 5000,
                            .purpose = "K07-261122-0003"});
  REQUIRE(qr.ok());
  CHECK(qr->substr(0, qr->size() - 4) == payload);  // the structure, by hand from vn-facts §9
  s.payment = PaymentQr{.payload = *qr, .bank_bin = "970415", .account = "113366668888",
                        .account_name = "UBND XA MAU", .purpose = "K07-261122-0003", .amount_vnd = 5000};
  const auto png = PrintToPng(BuildKioskSlip(s), 576, dir, "slip-fee");
  const std::string codes = ZbarDecode(png);
  CAPTURE(codes);
  std::string vietqr_line;
  int lines = 0;
  for (size_t a = 0; a <= codes.size();) {
    size_t b = codes.find('\n', a);
    if (b == std::string::npos) b = codes.size();
    const std::string line = codes.substr(a, b - a);
    if (!line.empty()) ++lines;
    if (line.rfind("000201", 0) == 0) vietqr_line = line;
    a = b + 1;
  }
  CHECK(lines == 2);  // the look-up key and the payment
  CHECK(codes.find(kClientId) != std::string::npos);
  auto t = vietqr::Decode(vietqr_line);
  REQUIRE(t.ok());
  CHECK(t->bank_bin == "970415");
  CHECK(t->account == "113366668888");
  CHECK(t->amount_vnd == 5000);
  CHECK(t->purpose == "K07-261122-0003");
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(Contains(text, "5.000 đồng"));
  CHECK(Contains(text, "113366668888"));

  // Free: one QR only, the look-up key.
  s.fee_vnd = 0;
  s.payment.reset();
  CHECK(ZbarDecode(PrintToPng(BuildKioskSlip(s), 576, dir, "slip-free")) == kClientId);
}

TEST_CASE("a slip reprinted by staff says so with the time of the reprint, and the first print does not") {
  TempDir dir;
  KioskSlip s = Slip();
  const std::string first = Ocr(PrintToPng(BuildKioskSlip(s), 576, dir, "first"));
  CAPTURE(first);
  CHECK_FALSE(Contains(first, "Bản in lại"));
  s.reprinted_at = "2026-11-22T03:40:00Z";  // 10:40 in Vietnam
  const auto png = PrintToPng(BuildKioskSlip(s), 576, dir, "reprint");
  CHECK(ZbarDecode(png) == kClientId);
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(Contains(text, "Bản in lại - 10:40 ngày 22/11/2026"));
  CHECK(Contains(text, "09:14 ngày 22/11/2026"));  // still the time it was submitted
}

TEST_CASE("the kiosk slip (58 mm): the QR still decodes and the name is still readable") {
  TempDir dir;
  const auto png = PrintToPng(BuildKioskSlip(Slip()), 384, dir, "slip58");
  CHECK(ZbarDecode(png) == kClientId);
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(Contains(text, kApplicant));
  CHECK(Contains(text, "Đăng ký khai sinh"));
}

// The QR carries the client id, never the sequential official code (a look-up key nobody can
// guess; issue 11).
TEST_CASE("the official receipt (Mẫu 01): title, official code, appointment date, name, and the QR has the client id") {
  TempDir dir;
  const auto png = PrintToPng(BuildOfficialReceipt(Receipt()), 576, dir, "mau01");
  CHECK(ZbarDecode(png) == kClientId);
  const std::string text = Ocr(png);
  CAPTURE(text);
  // tesseract reads the title's last word "QUẢ" as "QUÁ" at this size: the rest is checked.
  CHECK(Contains(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT"));
  CHECK(Contains(text, "000.00.24.H03-261122-0017"));
  CHECK(Contains(text, kApplicant));
  CHECK(Contains(text, "24/11/2026"));
  CHECK(Contains(text, "NGƯỜI TIẾP NHẬN"));
}

TEST_CASE("an official receipt printed before the portal gave a code says so and carries the client id") {
  OfficialReceipt r = Receipt();
  r.dossier_code.reset();
  r.appointment_date.reset();
  TempDir dir;
  const auto png = PrintToPng(BuildOfficialReceipt(r), 576, dir, "mau01-provisional");
  CHECK(ZbarDecode(png) == kClientId);
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(Contains(text, "Mã hồ sơ tạm: K07-261122-0003"));
  CHECK(Contains(text, "sẽ được thông báo"));
}

TEST_CASE("the queue ticket shows the number large, the counter, the people waiting and when to come back") {
  QueueTicketInfo t{"UBND xã Mẫu", "HT", "Hộ tịch", 12, 3, "2026-11-22T09:14:03+07:00", "", "10:40"};
  TempDir dir;
  const auto png = PrintToPng(BuildQueueTicket(t), 384, dir, "ticket", 1);
  const std::string text = Ocr(png, 3);
  CAPTURE(text);
  CHECK(Contains(text, "012"));
  CHECK(Contains(text, "Quầy HT"));
  CHECK(Contains(text, "Trước bạn còn 3 người"));
  CHECK(Contains(text, "quay lại khoảng"));
  CHECK(Contains(text, "10:40"));
  // No estimate (the first numbers of the day): no time line at all.
  t.come_back_at.clear();
  const std::string none = Ocr(PrintToPng(BuildQueueTicket(t), 384, dir, "ticket-no-time", 1), 3);
  CAPTURE(none);
  CHECK(Contains(none, "Trước bạn còn 3 người"));
  CHECK_FALSE(Contains(none, "quay lại"));
}

TEST_CASE("negative control: text printed without its diacritics does not pass as the name") {
  // If this failed, the OCR checks above could not tell 'Lê Thị Hồng Nhung' from garbage.
  KioskSlip s = Slip();
  s.applicant_name = "Le Thi Hong Nhung";
  TempDir dir;
  const auto png = PrintToPng(BuildKioskSlip(s), 576, dir, "control");
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(Contains(text, "Le Thi Hong Nhung"));
  CHECK_FALSE(Contains(text, kApplicant));
}

TEST_CASE("the test page prints every Vietnamese vowel with every tone") {
  TempDir dir;
  const auto png = PrintToPng(
      BuildTestPage({"tcp://127.0.0.1:9100", "Máy in sẵn sàng", 576, "2026-11-22T09:14:03+07:00"}), 576, dir, "test");
  CHECK(ZbarDecode(png) == "MCK-TEST 2026-11-22T09:14:03+07:00");
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(Contains(text, "TRANG IN THỬ"));
}

TEST_CASE("dates and ticket numbers are written the Vietnamese way") {
  CHECK(FormatVnDateTime("2026-11-22T02:14:03Z") == "09:14 ngày 22/11/2026");
  CHECK(FormatVnDateTime("2026-11-22T23:59:00+07:00") == "23:59 ngày 22/11/2026");
  CHECK(FormatVnDateTime("2026-11-22T17:30:00Z") == "00:30 ngày 23/11/2026");
  CHECK(FormatVnDateTime("not a time") == "not a time");
  CHECK(FormatMau01DateTime("2026-11-22T09:30:00+07:00") == "09 giờ 30 phút, ngày 22/11/2026");
  CHECK(FormatVnDate("2026-11-24") == "24/11/2026");
  CHECK(FormatTicketNumber("HT", 12) == "HT-012");
  CHECK(FormatTicketNumber("", 1234) == "1234");
}

TEST_CASE("the fee receipt (biên lai): OCR reads the title, code, sum, time and the bank's reference") {
  TempDir dir;
  FeeReceipt r;
  r.commune_name = "UBND xã Mẫu";
  r.dossier_code = "000.00.24.H03-261207-0001";
  r.procedure_name = "Cấp bản sao trích lục hộ tịch";
  r.amount_vnd = 16000;
  r.paid_at = "2026-12-07T03:15:00Z";  // 10:15 in Vietnam
  r.reference = "FT26341ABC123";
  r.printed_at = "2026-12-07T03:20:00Z";
  const auto png = PrintToPng(BuildFeeReceipt(r), 576, dir, "fee-receipt");
  const std::string text = Ocr(png);
  CAPTURE(text);
  CHECK(Contains(text, "BIÊN LAI THU LỆ PHÍ"));
  CHECK(Contains(text, "UBND XÃ MẪU"));
  CHECK(Contains(text, "000.00.24.H03-261207-0001"));
  CHECK(Contains(text, "16.000 đồng"));
  CHECK(Contains(text, "10:15 ngày 07/12/2026"));
  CHECK(Contains(text, "FT26341ABC123"));
  CHECK(Contains(text, "Chuyển khoản (VietQR)"));
  CHECK(Contains(text, "Số tiền bằng chữ: Mười sáu nghìn đồng"));
  CHECK(ZbarDecode(png).empty());  // no code to scan: the receipt pays nothing
}

TEST_CASE("the fee receipt writes a larger sum in words on the paper, wrapped if need be") {
  TempDir dir;
  FeeReceipt r;
  r.commune_name = "UBND xã Mẫu";
  r.dossier_code = "000.00.24.H03-261207-0002";
  r.procedure_name = "Cấp giấy phép xây dựng";
  r.amount_vnd = 1250000;
  r.paid_at = "2026-12-07T03:15:00Z";
  r.reference = "FT26341ABC124";
  r.printed_at = "2026-12-07T03:20:00Z";
  const Layout layout = BuildFeeReceipt(r);
  const auto lines = LayoutText(layout);
  CHECK(std::find(lines.begin(), lines.end(), "Số tiền bằng chữ: Một triệu hai trăm năm mươi nghìn đồng") != lines.end());
  const std::string text = Ocr(PrintToPng(layout, 576, dir, "fee-receipt-words"));
  CAPTURE(text);
  CHECK(Contains(text, "1.250.000 đồng"));
  CHECK(Contains(text, "Một triệu hai trăm năm mươi nghìn đồng"));
}

TEST_CASE("Mẫu 01 says which papers were digitised at the kiosk, with their pages") {
  TempDir dir;
  OfficialReceipt r = Receipt();
  r.documents = {{"Giấy chứng sinh", "Bản chính", 1, 2}, {"Giấy chứng nhận kết hôn", "Bản sao", 1, 0}};
  const Layout layout = BuildOfficialReceipt(r);
  const auto lines = LayoutText(layout);
  CHECK(std::count(lines.begin(), lines.end(), "(đã số hoá, 2 trang)") == 1);
  CHECK(std::none_of(lines.begin(), lines.end(), [](const std::string& l) { return l.find("0 trang") != std::string::npos; }));
  const std::string text = Ocr(PrintToPng(layout, 576, dir, "mau01-digitised"));
  CAPTURE(text);
  CHECK(Contains(text, "Giấy chứng sinh"));
  CHECK(Contains(text, "đã số hoá, 2 trang"));
}
