// Personal data at rest: AES-256-GCM (OpenSSL EVP) under a 32-byte key kept outside the database,
// sealed to the TPM or in a 0600 file (offline/store/key_vault.h). Sealed format: 0x01 | 12-byte random nonce |
// ciphertext | 16-byte tag. The associated data binds a ciphertext to its row ("dossier:<client_id>"), so a ciphertext
// copied to another row fails to open.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "offline/domain/status.h"
#include "offline/store/key_vault.h"

namespace mck {

class Sealer {
 public:
  // Loads the key kept for key_file (offline/store/key_vault.h: the plain 0600 file, or sealed to
  // the TPM), or makes one from the CSPRNG when neither exists. A key file readable by group or
  // others, or of the wrong size, is refused; so is a sealed key this TPM cannot unseal.
  static Result<std::unique_ptr<Sealer>> LoadOrCreate(const std::filesystem::path& key_file,
                                                      const KeyProtectionOptions& protection = {});
  explicit Sealer(const std::array<unsigned char, 32>& key) : key_(key) {}
  ~Sealer();

  std::string Seal(std::string_view plaintext, std::string_view associated) const;
  Result<std::string> Open(std::string_view sealed, std::string_view associated) const;

 private:
  std::array<unsigned char, 32> key_;
};

}  // namespace mck
