// VietQR: the NAPAS 247 EMVCo merchant-presented QR for a transfer to the commune's account
// (../shared/domain/vn-facts.md §9; NAPAS "QR Switching Part IV" v1.5.2 as quoted by public
// implementations). One small encoder and its parser, so that amounts, codes and the CRC come
// from one place (issue 13):
//
//   00 01 · 01 12 (dynamic: one payment, amount set) or 11 (static, no amount)
//   38 { 00 A000000727 · 01 { 00 bank BIN (6 digits) · 01 account (≤ 19) } · 02 QRIBFTTA }
//   53 704 · 54 amount (VND, integer) · 58 VN · 62 { 08 purpose (ASCII, ≤ 25) } · 63 CRC
//
// CRC-16/CCITT-FALSE over the whole string including the literal "6304", written %04X.
// The purpose is the dossier code; the amount comes from the stored dossier, never from a
// screen's state (the caller's duty: see docs/payment.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "offline/domain/status.h"

namespace mck::vietqr {

struct Transfer {
  std::string bank_bin;   // 6 digits, the bank's NAPAS BIN ("970436")
  std::string account;    // the commune's account number, ≤ 19 letters and digits
  int64_t amount_vnd = 0;  // > 0: a dynamic QR (01 = 12); 0: a static one without amount (11)
  std::string purpose;    // 08 under 62: printable ASCII, ≤ 25 characters; may be empty
};

// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no xor-out). "123456789" → 0x29B1.
uint16_t Crc16CcittFalse(std::string_view data);

// The payload string. kInvalidArgument (with a Vietnamese message) for a malformed BIN, account,
// a negative or too large amount, or a purpose that is not printable ASCII of ≤ 25 characters.
Result<std::string> Encode(const Transfer& t);

// Parses a VietQR string back: its TLV structure, the CRC, and the fields above. kCorrupt when
// the CRC does not match or the structure is broken; kInvalidArgument when it is not a transfer
// to an account (another GUID or service code).
Result<Transfer> Decode(std::string_view payload);

}  // namespace mck::vietqr
