// Reading an ICAO 9303 eMRTD (the CCCD chip, or a passport) over any APDU transport: select the
// eMRTD application, Basic Access Control (trying each expiry date the renewal ages allow when
// none is given), 3DES secure messaging, EF.COM, DG1 (MRZ), DG13 (Vietnam's citizen data), DG2
// (the face, optional), EF.SOD, passive authentication (sod.h), and the chip's proof that it
// holds its private key (key_proof.h): Chip Authentication when DG14 offers it (done right
// after EF.COM and DG14, so every later file is read under the new session keys), else Active
// Authentication when the card has DG15.
//
// PACE-CAN (generic mapping, ECDH on P-256 or brainpoolP256r1, AES-128; pace_crypto.h) when the
// key has a CAN and EF.CardAccess offers it, then AES secure messaging; BAC when it does not, or
// when PACE breaks down (a refused CAN falls back to BAC too when BAC data is given).
//
// READ BINARY: chunks of `max_chunk` bytes from the start; the first chunk's tag and length say
// how much is left (no separate header read): 0xDF (223) fits a short APDU's 256-byte answer with
// SM; with extended length (the ATR says the card supports it) up to kExtendedChunk.
//
// Not thread-safe: one read at a time on one transport.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "drivers/card/bac_crypto.h"
#include "drivers/card/card_reader.h"
#include "offline/domain/clock.h"

namespace mck::card {

// What the protocol needs from a reader. A failed Transmit says its kind (kCardRemoved,
// kReaderGone, kServiceDown, kCancelled ...); ReadEmrtd passes it on unchanged.
class ApduTransport {
 public:
  virtual ~ApduTransport() = default;
  virtual CardResult<Bytes> Transmit(ByteView command_apdu) = 0;
};

constexpr size_t kShortChunk = 0xDF;
constexpr size_t kExtendedChunk = 0x0800;

// EF.CardAccess as read from one card (`data` nullopt: the card has none). The reader keeps one
// per card presence so that a second read of the same card (a retry with short APDUs, the staff
// screen asking for the face) does not read it again.
struct CardAccessCache {
  bool known = false;
  std::optional<Bytes> data;
};

struct EmrtdOptions {
  size_t max_chunk = kShortChunk;
  bool read_face = false;  // DG2: large; the staff screen asks for it
  std::string csca_file;   // empty: hashes only, sod_signature_valid stays unset, never kChipVerified
  std::string crl_file;    // empty: no revocation check (sod.h)
  CivilDate today;         // for the expiry candidates and the MRZ century
  // Source of RND.IFD and K.IFD; SecureRandom when empty. Tests pin the ICAO example values.
  std::function<void(uint8_t*, size_t)> random;
  // When set: EF.CardAccess comes from here if known, and what the card gives is stored here.
  CardAccessCache* card_access = nullptr;
};

struct EmrtdStats {
  int apdus = 0;
  size_t bytes_sent = 0, bytes_received = 0;
  int bac_attempts = 0;
  int pace_attempts = 0;
  int chip_auth_attempts = 0, active_auth_attempts = 0;
  // Sizes of the files read (EF.COM, DG1, ...), for the benchmark's minimum-APDU figure.
  std::vector<std::pair<std::string, size_t>> files;
};

// Reads and checks the card. Failures: kWrongKey when the chip refuses every BAC key (6300, 63Cx,
// 6982 on EXTERNAL AUTHENTICATE) or the CAN with no BAC data to fall back on; kNotAnIdCard when
// the eMRTD application cannot be selected; kBadKey for malformed access data (before any I/O);
// kReadError for other status words and broken secure messaging; kCorruptData for malformed
// data groups; kSetupError when the configured CSCA or CRL file cannot be used; kNotGenuine
// when the chip fails Chip or Active Authentication (a clone: the files without the key), or,
// with a CSCA configured, the SOD's signature does not verify, chains to no configured CSCA, or
// its signer is revoked; the transport's kinds as they come.
// On success the identity has source "chip", DG13 fields when present (else the MRZ's),
// chip_verified = every data group read (DG1, DG13, DG2, DG14, DG15) hashes to the SOD's value,
// key_proof "ca" | "aa" | "none", and assurance:
//   kChipVerified  hashes match AND the SOD chains to a configured CSCA (not revoked) AND
//                  key_proof is "ca" or "aa";
//   kChipNoCsca    hashes match but no CSCA is configured, or the card offers no key proof;
//   kTyped         the hashes do not match (or there is no SOD): the chip's data proves nothing.
CardResult<Identity> ReadEmrtd(ApduTransport& transport, const AccessKey& key, const EmrtdOptions& options,
                               const ReadProgress& progress, EmrtdStats* stats = nullptr);

// The BAC "MRZ information" strings to try, in order (one when the expiry is known, else the
// renewal-age candidates). CardFailure::kBadKey when the access data is malformed.
CardResult<std::vector<std::string>> BacKeyCandidates(const AccessKey& key, CivilDate today);

// Checks the access data before any I/O: a CAN must be 6 digits; BAC data, when given (or when
// there is no CAN), must be well-formed. CardFailure::kBadKey otherwise.
CardStatus CheckAccessKey(const AccessKey& key, CivilDate today);

// Extended length support from the ATR's historical bytes (ISO 7816-4 §8.1.1.2.7: card
// capabilities, third software function table, bit b7).
bool AtrSupportsExtendedLength(ByteView atr);

// Pulls the image (JPEG 2000 or JPEG) out of DG2's biometric data block; empty when not found.
Bytes ExtractFaceImage(ByteView dg2);

}  // namespace mck::card
