// The cryptography of Basic Access Control and its secure messaging (ICAO 9303 part 11 §4.3,
// §9.7 and Appendix D): key derivation from the MRZ information, 2-key 3DES in CBC mode with a
// zero IV, ISO 9797-1 padding method 2 and MAC algorithm 3 ("retail MAC"), the mutual
// authentication messages, and the send-sequence counter (SSC) protected APDUs.
//
// All through OpenSSL's EVP interface. Single DES (for the retail MAC's chained blocks) is done as
// 3DES with K1 = K2, so OpenSSL 3's legacy provider is not needed. Pure functions and a small
// value class; thread-safe as long as one SecureMessaging object is used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "drivers/card/bytes.h"
#include "offline/domain/status.h"

namespace mck::card {

struct KeyPair {
  Bytes enc;  // 16 bytes, DES parity adjusted
  Bytes mac;
};

Bytes Sha1(ByteView data);
// KDF of 9303-11 §9.7.1 for 3DES: SHA-1(seed || counter), first 16 bytes, parity adjusted.
Bytes DeriveKey3Des(ByteView seed, uint32_t counter);
// Kseed = first 16 bytes of SHA-1(MRZ information); Kenc = KDF(Kseed, 1), Kmac = KDF(Kseed, 2).
Bytes BacKeySeed(std::string_view mrz_information);
KeyPair DeriveKeys(ByteView seed);
void AdjustParity(Bytes& key);

// ISO 9797-1 padding method 2 to a multiple of 8: 80 00 ...
Bytes Pad(ByteView data);
// Removes method-2 padding added to a multiple of `block` (8 for 3DES, 16 for AES); nullopt
// when it is malformed.
std::optional<Bytes> Unpad(ByteView data, size_t block = 8);
// 2-key 3DES CBC, IV zero, no padding added. REQUIRES: data.size() % 8 == 0, key.size() == 16.
Bytes TdesEncrypt(ByteView key, ByteView data);
Bytes TdesDecrypt(ByteView key, ByteView data);
// ISO 9797-1 MAC algorithm 3 with DES, over data that is already padded. 8 bytes.
Bytes RetailMac(ByteView key, ByteView padded);

// Mutual authentication (9303-11 §4.3.3.2). The terminal side: builds EXTERNAL AUTHENTICATE's
// data from RND.IC (GET CHALLENGE), RND.IFD and K.IFD (8 + 8 + 16 random bytes).
Bytes BacAuthenticateData(const KeyPair& keys, ByteView rnd_ic, ByteView rnd_ifd, ByteView k_ifd);
// Checks the chip's answer (40 bytes: E_IC || M_IC) and derives the session keys and the SSC.
// kRejected... never: a wrong MAC or nonce here is kSecurity (the chip answered 9000 with data
// that does not authenticate).
struct BacSession {
  KeyPair keys;
  Bytes ssc;  // 8 bytes
};
Result<BacSession> BacCompleteSession(const KeyPair& keys, ByteView response, ByteView rnd_ic, ByteView rnd_ifd,
                                      ByteView k_ifd);

// A command APDU in parts. le: expected response length, 0 = none; 256 (short) or up to 65536
// (extended) encode as ISO 7816-4 says.
struct Apdu {
  uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
  Bytes data;
  size_t le = 0;
  bool has_le = false;
};
// Serialises in short form when it fits (Lc <= 255, Le <= 256), else extended.
Bytes EncodeApdu(const Apdu& a);

struct Response {
  Bytes data;
  uint16_t sw = 0;
};
// Splits "data || SW1 SW2"; kIo for fewer than 2 bytes.
Result<Response> SplitResponse(ByteView raw);

// The cipher suite of a secure-messaging session: after BAC, 2-key 3DES, retail MAC, 8-byte
// SSC, 8-byte blocks; after PACE with AES-128, AES-CBC with IV = E(KS_enc, SSC), AES-CMAC
// truncated to 8 bytes, 16-byte SSC, 16-byte blocks (9303-11 §9.8). The framing (DO87, DO97,
// DO99, DO8E, padding method 2) is the same.
enum class SmCipher { k3Des, kAes128 };

// Pads (ISO 9797-1 method 2) to a multiple of `block` (8 or 16).
Bytes PadTo(ByteView data, size_t block);

// Secure messaging (9303-11 §9.8). Protect() and Unprotect() each increment the SSC once, in
// that order, exactly as the chip does.
class SecureMessaging {
 public:
  SecureMessaging(KeyPair session_keys, Bytes ssc, SmCipher cipher = SmCipher::k3Des)
      : keys_(std::move(session_keys)), ssc_(std::move(ssc)), cipher_(cipher) {}
  Apdu Protect(const Apdu& plain);
  // Verifies DO8E over DO87/DO99, decrypts DO87. A response without DO8E (the chip dropped SM,
  // e.g. 6987/6988) is kIo with the SW named; a MAC mismatch is kSecurity.
  Result<Response> Unprotect(const Response& protected_response);
  const Bytes& ssc() const { return ssc_; }

 private:
  void IncrementSsc();
  size_t block() const { return cipher_ == SmCipher::kAes128 ? 16 : 8; }
  Bytes Encrypt(ByteView padded) const;
  Bytes Decrypt(ByteView data) const;
  Bytes Mac(ByteView padded) const;
  KeyPair keys_;
  Bytes ssc_;
  SmCipher cipher_;
};

}  // namespace mck::card
