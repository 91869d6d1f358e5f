// EF.SOD, the document security object (ICAO 9303 part 10 §4.6.2 and part 11 §5.1): a CMS
// SignedData over the LDSSecurityObject, which lists a hash for every data group. Passive
// authentication in two steps:
//   1. integrity: each data group read hashes to the value in the SOD (always checked);
//   2. authenticity: the CMS signature verifies, and the document signer certificate inside the
//      SOD chains to a configured CSCA certificate (only when a CSCA file is configured:
//      Vietnam's CSCA is not in the ICAO directory; technicians install it).
// Certificate validity periods are not checked (X509_V_FLAG_NO_CHECK_TIME): the signature proves
// what was issued; the card's own expiry is shown separately, and an expired card still
// identifies its holder at the counter. Master lists (CMS bundles of CSCAs) are not read: the
// CSCA file is one or more PEM or DER certificates.
// Pure functions over bytes and OpenSSL; thread-safe.
#pragma once

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
// Verifies the CMS signature and the signer's chain to a CSCA in `csca_file`. kSecurity when it
// does not verify (message names why); kNotFound / kInvalidArgument for an unusable CSCA file.
Status VerifySodSignature(ByteView ef_sod, const std::string& csca_file);

}  // namespace mck::card
