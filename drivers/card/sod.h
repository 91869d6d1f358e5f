// EF.SOD, the document security object (ICAO 9303 part 10 §4.6.2 and part 11 §5.1): a CMS
// SignedData over the LDSSecurityObject, which lists a hash for every data group. Passive
// authentication in two steps:
//   1. integrity: each data group read hashes to the value in the SOD (always checked);
//   2. authenticity: the CMS signature verifies, and the document signer certificate inside the
//      SOD chains to a configured CSCA certificate (only when a CSCA file is configured:
//      Vietnam's CSCA is not in the ICAO directory; technicians install it), and, when a CRL
//      file is configured, the document signer is not revoked.
// The CSCA file (devices.csca_file) is one of: PEM certificates (any number), one DER
// certificate, or an ICAO CSCA master list (DER CMS SignedData whose eContentType is
// id-icao-cscaMasterList 2.23.136.1.1.2; its own signature must verify under a CSCA it lists,
// then every certificate of its certList is a trust anchor, link certificates included).
// The CRL file (devices.crl_file, optional) holds PEM or DER CRLs; when given, the document
// signer must be covered by a CRL of its CSCA (X509_V_FLAG_CRL_CHECK) and not be listed in it.
// Certificate and CRL validity periods are not checked (X509_V_FLAG_NO_CHECK_TIME): the
// signature proves what was issued; the card's own expiry is shown separately, an expired card
// still identifies its holder at the counter, and a kiosk offline for months keeps its CRL.
// Pure functions over bytes and OpenSSL; thread-safe.
#pragma once

#include <openssl/x509.h>

#include <map>
#include <string>

#include "drivers/card/bytes.h"
#include "offline/domain/status.h"

namespace mck::card {

struct SodContent {
  std::string digest_name;         // OpenSSL's name: "SHA256"
  std::map<int, Bytes> dg_hashes;  // data group number -> hash
};

// Parses EF.SOD (tag 77 around a CMS ContentInfo). kCorrupt when malformed.
Result<SodContent> ParseSod(ByteView ef_sod);
// The digest of `data` with the SOD's algorithm.
Result<Bytes> SodDigest(const SodContent& sod, ByteView data);
// Verifies the CMS signature and the signer's chain to a CSCA in `csca_file`, and the signer's
// revocation status against `crl_file` when it is not empty. kSecurity when it does not verify,
// chains to no configured CSCA, or is revoked (the English message names why);
// kNotFound / kInvalidArgument for an unusable CSCA or CRL file (the kiosk's set-up).
Status VerifySodSignature(ByteView ef_sod, const std::string& csca_file, const std::string& crl_file = "");
// Adds the trust anchors of a CSCA file (see above) to `store`; returns how many.
Result<int> LoadCscaSet(const std::string& csca_file, X509_STORE* store);
// Adds the CRLs of a CRL file to `store`; returns how many.
Result<int> LoadCrls(const std::string& crl_file, X509_STORE* store);

}  // namespace mck::card
