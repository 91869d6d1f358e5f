// The chip's proof that it holds its private key (ICAO 9303-11 §6): the pure parts.
//
// - DG14 (tag 6E, SecurityInfos): ChipAuthenticationInfo (the CA protocol OID, version, keyId),
//   ChipAuthenticationPublicKeyInfo (id-PK-ECDH / id-PK-DH with a SubjectPublicKeyInfo) and
//   ActiveAuthenticationInfo (id-AA with the ECDSA signature algorithm).
// - DG15 (tag 6F): the Active Authentication public key, a SubjectPublicKeyInfo (RSA or EC).
// - Chip Authentication (§6.2), terminal side: an ephemeral key on the chip key's curve, the
//   ECDH shared secret (x-coordinate) and the new session keys (KDF counters 1 and 2).
// - Active Authentication (§6.1): verifies the chip's signature over the terminal's 8-byte
//   nonce: RSA with ISO/IEC 9796-2 digital signature scheme 1 (SHA-1 trailer BC, or the
//   explicit trailers 33CC/34CC/35CC/36CC for SHA-1/256/512/384), or ECDSA with the plain (r||s)
//   signature format of BSI TR-03111 and the hash named by DG14's ActiveAuthenticationInfo.
//
// Supported CA protocol: id-CA-ECDH-AES-CBC-CMAC-128 (0.4.0.127.0.7.2.2.3.2.2), the one whose
// command sequence is MSE:Set AT + GENERAL AUTHENTICATE. DH (non-EC) CA, the 3DES variant
// (MSE:Set KAT) and AES-192/256 are recognised and reported as unsupported (never as a success).
// Pure functions over bytes and OpenSSL 3; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "drivers/card/bac_crypto.h"
#include "drivers/card/bytes.h"
#include "offline/domain/status.h"

namespace mck::card {

// What DG14 offers.
struct ChipAuthOffer {
  Bytes protocol_oid;           // content bytes of the CA protocol OID (ChipAuthenticationInfo)
  std::optional<Bytes> key_id;  // keyId (INTEGER content bytes) when the chip has several keys
  Bytes public_key_spki;        // the chip's static key: DER SubjectPublicKeyInfo
  bool supported = false;       // id-CA-ECDH-AES-CBC-CMAC-128 with an EC key
  std::string protocol_name;    // "id-CA-ECDH-AES-CBC-CMAC-128", or the dotted OID when unknown
};
struct Dg14 {
  std::optional<ChipAuthOffer> chip_auth;  // absent: DG14 offers no Chip Authentication
  std::optional<Bytes> aa_signature_oid;   // ActiveAuthenticationInfo's signatureAlgorithm (ECDSA AA)
};

// Content bytes of the OIDs used here (tests and the virtual card use the same values).
Bytes CaEcdhAes128Oid();  // 0.4.0.127.0.7.2.2.3.2.2
Bytes PkEcdhOid();        // 0.4.0.127.0.7.2.2.1.2
Bytes ActiveAuthOid();    // 2.23.136.1.1.5

// Parses DG14. kCorrupt when malformed; unknown SecurityInfos are ignored.
Result<Dg14> ParseDg14(ByteView dg14);
// The SubjectPublicKeyInfo DER inside DG15. kCorrupt when malformed.
Result<Bytes> ParseDg15(ByteView dg15);

// The terminal's side of Chip Authentication with an EC static key.
struct ChipAuthAgreement {
  Bytes ephemeral_public;  // uncompressed point (04 || x || y) to send in 7C { 80 ... }
  KeyPair session_keys;    // KS_enc = KDF(K, 1), KS_mac = KDF(K, 2), AES-128
};
// kFailedPrecondition when the key is not EC; kSecurity when it is unusable.
Result<ChipAuthAgreement> ChipAuthenticationAgree(ByteView chip_public_key_spki);
// Same with a given ephemeral private key (big-endian scalar), for tests.
Result<ChipAuthAgreement> ChipAuthenticationAgreeWith(ByteView chip_public_key_spki, ByteView ephemeral_private);

// Verifies INTERNAL AUTHENTICATE's answer. Ok: the chip signed `nonce` with the key of DG15.
// kSecurity: the signature does not verify (a clone); kFailedPrecondition: an algorithm this reader
// does not know (never counted as a proof); kCorrupt: the key is malformed.
Status VerifyActiveAuthentication(ByteView dg15_spki, const std::optional<Bytes>& aa_signature_oid, ByteView nonce,
                                  ByteView signature);

}  // namespace mck::card
