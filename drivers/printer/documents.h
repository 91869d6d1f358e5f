// What the kiosk prints, as Layouts built from plain structs (no Store, no I/O), rendered
// (layout.h) and printed (printer.h). The structs are filled in one place per document,
// kiosk/core/documents.h and tickets.h (over dossier_documents.h), for the kiosk's screens and
// kioskctl alike.
//
//  - KioskSlip: "Phiếu xác nhận nộp hồ sơ", printed when a citizen submits at the kiosk. It
//    carries the PROVISIONAL code and says so; the official code comes when an officer accepts.
//  - OfficialReceipt: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (Mẫu 01, Circular
//    03/2025/TT-VPCP; see shared/domain/vn-facts.md §4.3), printed when an officer accepts. The
//    A4 form's two-column heading (agency | national motto) is stacked on thermal paper.
//  - QueueTicketInfo: the queue ticket: big number, counter and field, people waiting, time.
//  - TestPage: the technician's test print (every Vietnamese letter, rules, a QR).
// Times are RFC 3339 strings as the store keeps them ("2026-11-22T09:14:03+07:00") and are
// printed in Vietnam time. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drivers/printer/layout.h"

namespace mck::printer {

struct DocumentToBring {
  std::string name;  // "Giấy chứng sinh"
  bool required = true;
};

// A fee to pay by bank transfer: the VietQR built from the stored dossier (offline/domain/vietqr.h)
// and what it says, printed in words beside it.
struct PaymentQr {
  std::string payload;  // the VietQR string
  std::string bank_bin, account, account_name, purpose;
  int64_t amount_vnd = 0;
};

// A paper scanned at the kiosk and sent with the dossier as a PDF (docs/scanning.md).
struct DigitisedDocument {
  std::string name;  // "Giấy chứng sinh"
  int pages = 0;
};

struct KioskSlip {
  std::string commune_name;      // "UBND xã Mẫu"
  std::string provisional_code;  // "K07-261122-0003"
  std::string client_id;         // the QR's content: finds the dossier before and after sync
  std::string applicant_name;
  std::string procedure_name;
  std::string procedure_code;
  std::string field;    // lĩnh vực
  std::string counter;  // queue counter
  std::vector<DocumentToBring> documents_to_bring;
  std::vector<DigitisedDocument> digitised;  // "Giấy tờ đã số hoá: Giấy chứng sinh (2 trang)"
  int processing_days = 0;  // 0: not stated
  int64_t fee_vnd = -1;     // -1: not stated; 0: free
  std::optional<PaymentQr> payment;  // a fee > 0 and the commune's account configured
  std::string lookup_hint;  // an extra look-up line (portal address); may be empty
  int kiosk_number = 0;
  std::string submitted_at;  // RFC 3339
  std::string reprinted_at;  // RFC 3339 when staff reprint it ("Bản in lại - ..."); empty: first print
};

struct ReceivedDocument {
  std::string name;
  std::string form;  // "Bản chính", "Bản sao chứng thực", "Bản chụp"; empty: not recorded
  int count = 1;
  int digitised_pages = 0;  // > 0: scanned at the kiosk, "(đã số hoá, N trang)"; 0: not digitised
};

struct OfficialReceipt {
  std::string agency_name;  // "UBND xã Mẫu" (printed upper-case)
  std::string office_name = "Bộ phận tiếp nhận và trả kết quả";
  std::string receipt_number;               // "Số: 17/TNHS"; empty: line omitted
  std::optional<std::string> dossier_code;  // official, once the portal gave it
  std::string provisional_code;
  std::string client_id;   // the QR's content: the look-up key (a code is guessable)
  std::string copy_label;  // "Liên 2: Giao người nộp hồ sơ"; may be empty
  std::string applicant_name;
  std::string applicant_address, applicant_phone, applicant_email;  // may be empty
  std::string procedure_name;
  std::vector<ReceivedDocument> documents;
  int sets = 1;  // số lượng hồ sơ (bộ)
  int processing_days = 0;
  std::string received_at;                      // RFC 3339
  std::optional<std::string> appointment_date;  // YYYY-MM-DD, once fixed
  std::string appointment_time;                 // "HH:MM"; empty: date only
  std::string result_place;                     // "Bộ phận một cửa UBND xã Mẫu"
  std::string officer_name;                     // under the officer's signature; may be empty
  // The officer's digital signature on the accept (docs/signing.md): the certificate's name and
  // the signing time (RFC 3339); empty: not signed digitally (the officer signs the paper).
  std::string signed_by, signed_at;
  std::string ledger_book, ledger_entry;        // "Vào Sổ theo dõi hồ sơ": empty: line omitted
};

struct QueueTicketInfo {
  std::string commune_name;
  std::string counter;        // "HT"
  std::string counter_label;  // the fields served there, "Hộ tịch"; may be empty
  int number = 0;
  int waiting_before = -1;       // people waiting ahead; -1: not shown
  std::string issued_at;         // RFC 3339
  std::string provisional_code;  // the dossier the ticket is for; may be empty
  std::string come_back_at;      // "10:40", Vietnam time (kiosk/core/tickets.h); empty: not shown
};

// "Biên lai thu lệ phí" (docs/payment.md "The receipt"): printed from staff mode once the portal
// says the fee was paid by transfer, or by `kioskctl print bien-lai`. Codes, the sum (in figures
// and in words, drivers/printer/amount_words.h), the time and the bank's reference only: no name
// (the receipt is the dossier's, whoever paid).
struct FeeReceipt {
  std::string commune_name;  // "UBND xã Mẫu"
  std::string dossier_code;  // official
  std::string procedure_name;
  int64_t amount_vnd = 0;
  std::string paid_at;     // RFC 3339
  std::string reference;   // the bank's transfer reference
  std::string printed_at;  // RFC 3339
};

struct TestPage {
  std::string uri;
  std::string state_text;  // "Máy in sẵn sàng"
  int width_dots = 576;
  std::string printed_at;  // RFC 3339
};

Layout BuildKioskSlip(const KioskSlip& s);
Layout BuildOfficialReceipt(const OfficialReceipt& r);
Layout BuildQueueTicket(const QueueTicketInfo& t);
Layout BuildTestPage(const TestPage& p);
Layout BuildFeeReceipt(const FeeReceipt& r);

// "HT-012": how screens and tickets write a ticket number.
std::string FormatTicketNumber(const std::string& counter, int number);
// "09:14 ngày 22/11/2026" in Vietnam time; the input unchanged when it is not RFC 3339.
std::string FormatVnDateTime(const std::string& rfc3339);
// "09 giờ 14 phút, ngày 22/11/2026" (the wording of Mẫu 01).
std::string FormatMau01DateTime(const std::string& rfc3339);
// "24/11/2026" from "2026-11-24"; the input unchanged when it is not a date.
std::string FormatVnDate(const std::string& yyyy_mm_dd);

}  // namespace mck::printer
