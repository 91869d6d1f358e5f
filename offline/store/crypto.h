// Personal data at rest: AES-256-GCM (OpenSSL EVP) under a 32-byte key kept in its own file with
// mode 0600, outside the database. Sealed format: 0x01 | 12-byte random nonce | ciphertext |
// 16-byte tag. The associated data binds a ciphertext to its row ("dossier:<client_id>"), so a
// ciphertext copied to another row fails to open.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "offline/domain/status.h"

namespace mck {

class Sealer {
 public:
  // Loads the key file, or makes one (0600, from the CSPRNG) when it does not exist. A key file
  // readable by group or others, or of the wrong size, is refused.
  static Result<std::unique_ptr<Sealer>> LoadOrCreate(const std::filesystem::path& key_file);
  explicit Sealer(const std::array<unsigned char, 32>& key) : key_(key) {}
  ~Sealer();

  std::string Seal(std::string_view plaintext, std::string_view associated) const;
  Result<std::string> Open(std::string_view sealed, std::string_view associated) const;

 private:
  std::array<unsigned char, 32> key_;
};

}  // namespace mck
