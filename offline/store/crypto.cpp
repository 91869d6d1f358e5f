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

Result<std::unique_ptr<Sealer>> Sealer::LoadOrCreate(const std::filesystem::path& key_file) {
  std::array<unsigned char, 32> key{};
  int fd = ::open(key_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    SecureRandom(key.data(), key.size());
    const std::string tmp = key_file.string() + ".tmp";
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
      return KeyError(key_file, std::string("cannot create key file: ") + std::strerror(errno),
                      "không tạo được tệp khoá mã hoá");
    const bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), key_file.c_str()) != 0) {
      ::unlink(tmp.c_str());
      return KeyError(key_file, "cannot write key file (disk full?)", "không ghi được tệp khoá mã hoá (đĩa đầy?)");
    }
    // Make the rename durable before any data is sealed under this key.
    int dfd = ::open(key_file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
    return std::make_unique<Sealer>(key);
  }
  if (fd < 0)
    return KeyError(key_file, std::string("cannot open key file: ") + std::strerror(errno),
                    "không mở được tệp khoá mã hoá");
  struct stat st {};
  ::fstat(fd, &st);
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return KeyError(key_file, "key file is readable by others; run: chmod 600 " + key_file.string(),
                    "tệp khoá mã hoá đang cho người khác đọc; hãy chạy: chmod 600 " + key_file.string());
  }
  const ssize_t n = ::read(fd, key.data(), key.size());
  char extra;
  const ssize_t more = ::read(fd, &extra, 1);
  ::close(fd);
  if (n != static_cast<ssize_t>(key.size()) || more != 0) {
    SecureZero(key.data(), key.size());
    return KeyError(key_file, "key file must hold exactly 32 bytes", "tệp khoá mã hoá phải dài đúng 32 byte");
  }
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
