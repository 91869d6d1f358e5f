// Sealing a short secret to this machine's TPM 2.0 (tpm2-tss ESAPI), used by the key vault
// (offline/store/key_vault.h); nothing else calls it.
//
// Each call connects through the TCTI named ("device:/dev/tpmrm0", "swtpm:host=127.0.0.1,port=N"),
// recreates the storage primary key under the owner hierarchy from a fixed template (ECC P-256,
// restricted decrypt, AES-128-CFB: the TCG "SRK" template; the same template on the same TPM
// always yields the same key, so no handle is persisted), and then:
//   TpmSeal   creates a keyedhash sealed-data object holding `secret` (at most 128 bytes) under
//             that primary: fixedTPM | fixedParent | userWithAuth, empty auth, no PCR policy
//             (docs/security.md says why). Returns the marshalled TPM2B_PUBLIC followed by the
//             TPM2B_PRIVATE (libtss2-mu): the private part is encrypted by the TPM with a key
//             derived from its owner seed, so it is useless on another TPM or after a TPM clear.
//   TpmUnseal loads such a blob under the primary and unseals it. Another TPM (or a cleared one)
//             refuses the load: the secret stays sealed.
// Assumes an empty owner-hierarchy authorisation (the default of a new or cleared TPM).
//
// Errors: kUnavailable (no TPM at that TCTI, or it does not answer), kSecurity (the blob does not
// belong to this TPM, or the TPM refused to seal), kCorrupt (malformed blob), kInvalidArgument.
// Thread-safety: each call opens its own ESAPI context; callers may run in parallel, the TPM
// resource manager (or swtpm) serialises commands.
#pragma once

#include <string>
#include <string_view>

#include "offline/domain/status.h"

namespace mck {

inline constexpr size_t kTpmMaxSealedBytes = 128;

Result<std::string> TpmSeal(const std::string& tcti, std::string_view secret);
// The unsealed secret; the caller wipes it (SecureWipe) after use.
Result<std::string> TpmUnseal(const std::string& tcti, std::string_view blob);
// kOk when a TPM answers at `tcti` (its storage primary can be created).
Status TpmProbe(const std::string& tcti);

}  // namespace mck
