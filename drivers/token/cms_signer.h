// The CMS side of a token signature: OpenSSL builds the detached CAdES-BES SignedData, and the
// one private-key operation is handed to a callback (the token). Kept apart from PKCS#11 so the
// structure can be tested with an in-memory key too.
// Thread-safety: pure apart from the callback.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "offline/domain/status.h"

namespace mck::token {

// Signs a PKCS#1 v1.5 DigestInfo (DER, SHA-256) with the private key: returns the signature, or
// false (the callback keeps its own account of why).
using RawRsaSign = std::function<bool(std::string_view digest_info, std::string* signature)>;

// The detached CMS (DER) over `content` by the certificate `signer_der` (its public key must be the
// RSA key `sign` uses), with `chain_der` certificates added, signingTime `now` (Unix seconds).
// kInternal when OpenSSL or the callback fails (the caller knows the callback's reason).
Result<std::string> BuildDetachedCades(std::string_view content, const std::string& signer_der,
                                       const std::vector<std::string>& chain_der, std::int64_t now,
                                       const RawRsaSign& sign);

}  // namespace mck::token
