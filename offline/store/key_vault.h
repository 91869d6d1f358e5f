// Keys at rest: where the kiosk's secrets (the store's data key store.key, the mTLS client key
// portal/kiosk.key) are kept, chosen by config ([security] key_protection, docs/configuration.md).
//
//   tpm   the secret is sealed to this machine's TPM 2.0 (offline/store/tpm_seal.h) and only the
//         sealed form lies on disk, in `<key_file>.sealed` (0600): a random 32-byte wrapping key
//         sealed in the TPM (its TPM2B_PUBLIC and TPM2B_PRIVATE) and the secret under it with
//         AES-256-GCM (associated data: the key file's name). A copy of the disk without this
//         TPM opens nothing. The plain `<key_file>` never exists.
//   file  the secret in the plain `<key_file>` (0600), as before: weaker (a disk thief reads it);
//         diagnostics and the heartbeat say so.
//
// Migration: in tpm mode a plain key file found where no sealed one is (a kiosk that ran with
// "file", or before this existed) is sealed, the sealed file made durable (temp, fsync, rename,
// fsync of the directory), read back through the TPM, and only then the plain file overwritten,
// fsynced and unlinked (and the directory fsynced). A power cut at any point leaves either the
// plain file, or both (the next open finishes the job), or the sealed one: never neither.
//
// Never a silent fallback: tpm mode with no TPM reachable is kUnavailable; file mode on a
// directory that holds only a sealed key is kSecurity (nothing created, nothing overwritten).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "offline/domain/config.h"
#include "offline/domain/status.h"

namespace mck {

enum class KeyProtection { kFile, kTpm };

struct KeyProtectionOptions {
  KeyProtection mode = KeyProtection::kFile;
  std::string tpm_tcti = "device:/dev/tpmrm0";  // a tpm2-tss TCTI: "device:…", "swtpm:host=…,port=…"
};

// "tpm" or "file" (the words of the config, the heartbeat and kioskctl).
const char* KeyProtectionName(KeyProtection mode);
// From the config: security.key_protection "tpm" | "file"; empty (not configured) means "tpm"
// when a TPM device node (/dev/tpmrm0) exists, else "file".
KeyProtectionOptions KeyProtectionFor(const KioskConfig& config);

// `key_file` + ".sealed".
std::filesystem::path SealedKeyPath(const std::filesystem::path& key_file);

// The secret kept for `key_file` (see above; migrates a plain file in tpm mode). kNotFound when
// neither form exists. In file mode the plain file must be 0600 (else kSecurity). The caller wipes
// the result (SecureWipe).
Result<std::string> LoadSecret(const KeyProtectionOptions& options, const std::filesystem::path& key_file);
// Stores `secret` for `key_file` in the configured form, durably (temp + fsync + rename + fsync of
// the directory), replacing what was there.
Status SaveSecret(const KeyProtectionOptions& options, const std::filesystem::path& key_file, std::string_view secret);
// Overwrites a file with zeros, fsyncs, unlinks it and fsyncs its directory. kOk when it is gone
// (or was never there).
Status ShredFile(const std::filesystem::path& file);

}  // namespace mck
