#include "offline/store/crypto.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "offline/domain/ids.h"

namespace mck {

namespace {
constexpr unsigned char kVersion = 1;
constexpr size_t kNonce = 12, kTag = 16;

Status KeyError(const std::filesystem::path& f, const std::string& en, const std::string& vi) {
  return Status::Error(Code::kSecurity, f.string() + ": " + en, f.string() + ": " + vi);
}
}  // namespace

Result<std::unique_ptr<Sealer>> Sealer::LoadOrCreate(const std::filesystem::path& key_file,
                                                     const KeyProtectionOptions& protection) {
  std::array<unsigned char, 32> key{};
  auto secret = LoadSecret(protection, key_file);
  if (!secret.ok() && secret.status().code() == Code::kNotFound) {
    // A new store: a fresh key, made durable before any data is sealed under it.
    SecureRandom(key.data(), key.size());
    Status st =
        SaveSecret(protection, key_file, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
    if (!st.ok()) {
      SecureZero(key.data(), key.size());
      return st;
    }
    auto sealer = std::make_unique<Sealer>(key);
    SecureZero(key.data(), key.size());
    return sealer;
  }
  if (!secret.ok()) return secret.status();
  if (secret->size() != key.size()) {
    SecureWipe(*secret);
    return KeyError(key_file, "key file must hold exactly 32 bytes", "tệp khoá mã hoá phải dài đúng 32 byte");
  }
  std::memcpy(key.data(), secret->data(), key.size());
  SecureWipe(*secret);
  auto sealer = std::make_unique<Sealer>(key);
  SecureZero(key.data(), key.size());
  return sealer;
}

Sealer::~Sealer() {
  SecureZero(key_.data(), key_.size());
}

std::string Sealer::Seal(std::string_view plaintext, std::string_view associated) const {
  std::string out(1 + kNonce + plaintext.size() + kTag, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  o[0] = kVersion;
  SecureRandom(o + 1, kNonce);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), o + 1);
  EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associated.data()),
                    static_cast<int>(associated.size()));
  EVP_EncryptUpdate(ctx.get(), o + 1 + kNonce, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                    static_cast<int>(plaintext.size()));
  EVP_EncryptFinal_ex(ctx.get(), o + 1 + kNonce + len, &len);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, o + 1 + kNonce + plaintext.size());
  return out;
}

Result<std::string> Sealer::Open(std::string_view sealed, std::string_view associated) const {
  if (sealed.size() < 1 + kNonce + kTag || static_cast<unsigned char>(sealed[0]) != kVersion) {
    return Status::Error(Code::kCorrupt, "sealed data is malformed", "dữ liệu mã hoá bị hỏng");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(sealed.data());
  const size_t n = sealed.size() - 1 - kNonce - kTag;
  std::string out(n, '\0');
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), in + 1);
  EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(associated.data()),
                    static_cast<int>(associated.size()));
  EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in + 1 + kNonce,
                    static_cast<int>(n));
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, const_cast<unsigned char*>(in + 1 + kNonce + n));
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) != 1) {
    SecureWipe(out);
    return Status::Error(Code::kCorrupt, "sealed data failed authentication (wrong key or tampered row)",
                         "dữ liệu mã hoá không khớp khoá (sai khoá hoặc đã bị sửa)");
  }
  return out;
}

}  // namespace mck
