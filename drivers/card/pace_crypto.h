// The cryptography of PACE v2 (ICAO 9303 part 11 §4.4, §9.7) for the one suite the CCCD is
// believed to offer: id-PACE-ECDH-GM-AES-CBC-CMAC-128 (0.4.0.127.0.7.2.2.4.2.2), generic
// mapping on NIST P-256 (parameterId 12) or brainpoolP256r1 (13); and the AES primitives of AES
// secure messaging (bac_crypto.h's SecureMessaging uses them).
//
// OpenSSL 3: EC_POINT arithmetic for the mapping and the key agreement, EVP for AES and
// EVP_MAC "CMAC". Pure functions and a value class; a PaceCurve is used by one thread at a time.
// Peer points are decoded with an on-curve check; a point off the curve or at infinity is
// kSecurity.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "drivers/card/bytes.h"
#include "offline/domain/status.h"

namespace mck::card {

// 04 00 7F 00 07 02 02 04 02 02, the OID's content bytes.
Bytes PaceEcdhGmAes128Oid();

// KDF of 9303-11 §9.7.1 for AES-128: SHA-1(secret || counter), first 16 bytes.
Bytes KdfAes128(ByteView secret, uint32_t counter);
// K_pi for PACE with the CAN: KDF(CAN as ISO 8859-1 bytes, 3) (9303-11 §9.7.3: for the CAN the
// password is the CAN itself, not hashed).
Bytes PaceCanKey(std::string_view can);

// AES-128 CBC without padding. REQUIRES: key 16 bytes, iv 16 bytes, data a multiple of 16.
Bytes AesCbcEncrypt(ByteView key, ByteView iv, ByteView data);
Bytes AesCbcDecrypt(ByteView key, ByteView iv, ByteView data);
// AES-128 CMAC (NIST SP 800-38B), 16 bytes.
Bytes AesCmac(ByteView key, ByteView data);
// The authentication token (9303-11 §4.4.3.4): CMAC over 7F49 { 06 oid, 86 point }, 8 bytes.
Bytes PaceAuthToken(ByteView ks_mac, ByteView oid, ByteView public_point);

// An elliptic curve of PACE's standardized domain parameters, and the terminal's side of the
// generic mapping. Points are uncompressed (04 || x || y).
class PaceCurve {
 public:
  // kInvalidArgument for a parameterId other than 12 (P-256) or 13 (brainpoolP256r1).
  static Result<PaceCurve> Create(int parameter_id);
  PaceCurve(PaceCurve&&) noexcept;
  PaceCurve& operator=(PaceCurve&&) noexcept;
  ~PaceCurve();

  size_t field_size() const;  // 32
  // A private key in [1, order): `random` fills 32 bytes until one is in range.
  Bytes NewPrivateKey(const std::function<void(uint8_t*, size_t)>& random) const;
  // private * the current generator (the curve's, or the mapped one after MapGenerator).
  Result<Bytes> PublicKey(ByteView private_key) const;
  // Generic mapping: H = sk_map * pk_map_ic, G~ = s * G + H; the generator becomes G~. Returns H.
  Result<Bytes> MapGenerator(ByteView nonce_s, ByteView sk_map, ByteView pk_map_ic);
  Bytes Generator() const;
  // The x-coordinate of private * peer (the shared secret of the key agreement).
  Result<Bytes> SharedSecret(ByteView private_key, ByteView peer_point) const;

 private:
  struct State;
  explicit PaceCurve(std::unique_ptr<State> s);
  std::unique_ptr<State> s_;
};

}  // namespace mck::card
