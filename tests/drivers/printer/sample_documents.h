// The sample documents the printer tests and benchmark print: a birth registration's kiosk slip
// and Mẫu 01 receipt (kiosk 7, UBND xã Mẫu), for the applicant each test names.
#pragma once

#include <string>

#include "drivers/printer/documents.h"

namespace mck::printer::testing {

inline KioskSlip SampleSlip(const std::string& applicant_name, const std::string& submitted_at) {
  KioskSlip s;
  s.commune_name = "UBND xã Mẫu";
  s.provisional_code = "K07-261122-0003";
  s.client_id = "6f1c2a4e-8d1b-4c8e-9b7a-1234567890ab";
  s.applicant_name = applicant_name;
  s.procedure_name = "Đăng ký khai sinh";
  s.procedure_code = "1.001193";
  s.field = "Hộ tịch";
  s.counter = "HT";
  s.documents_to_bring = {{"Giấy chứng sinh", true}, {"Giấy chứng nhận kết hôn của cha mẹ", false}};
  s.processing_days = 1;
  s.fee_vnd = 0;
  s.kiosk_number = 7;
  s.submitted_at = submitted_at;
  return s;
}

// Without a phone or an officer's name (tests add them).
inline OfficialReceipt SampleReceipt(const std::string& applicant_name) {
  OfficialReceipt r;
  r.applicant_name = applicant_name;
  r.applicant_address = "Thôn Đông, xã Mẫu";
  r.agency_name = "UBND xã Mẫu";
  r.dossier_code = "000.00.24.H03-261122-0017";
  r.provisional_code = "K07-261122-0003";
  r.client_id = "6f1c2a4e-8d1b-4c8e-9b7a-1234567890ab";
  r.procedure_name = "Đăng ký khai sinh";
  r.documents = {{"Giấy chứng sinh", "Bản chính", 1}};
  r.processing_days = 1;
  r.received_at = "2026-11-22T09:30:00+07:00";
  r.appointment_date = "2026-11-24";
  r.result_place = "Bộ phận một cửa UBND xã Mẫu";
  return r;
}

}  // namespace mck::printer::testing
