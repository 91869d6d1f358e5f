#include "offline/store/key_vault.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "offline/domain/ids.h"
#include "offline/store/tpm_seal.h"

namespace mck {

namespace {

constexpr char kMagic[4] = {'M', 'C', 'K', 'V'};
constexpr size_t kKek = 32, kNonce = 12, kTag = 16;

Status FileError(const std::filesystem::path& f, const std::string& en, const std::string& vi) {
  return Status::Error(Code::kSecurity, f.string() + ": " + en, f.string() + ": " + vi);
}

void FsyncDir(const std::filesystem::path& file) {
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

Status WriteDurably(const std::filesystem::path& path, std::string_view data) {
  const std::string tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Error(Code::kIo, tmp + ": cannot create key file: " + std::strerror(errno),
                         path.string() + ": không tạo được tệp khoá");
  }
  ::fchmod(fd, 0600);
  size_t off = 0;
  bool ok = true;
  while (ok && off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    ok = n > 0;
    if (ok) off += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::Error(Code::kIo, path.string() + ": cannot write key file (disk full?)",
                         path.string() + ": không ghi được tệp khoá (đĩa đầy?)");
  }
  FsyncDir(path);
  return Status::Ok();
}

// Reads a whole key file, refusing one readable by group or others.
Result<std::string> ReadPrivate(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    return Status::Error(Code::kNotFound, path.string() + ": no key file", path.string() + ": chưa có tệp khoá");
  }
  if (fd < 0) {
    return FileError(path, std::string("cannot open key file: ") + std::strerror(errno),
                     "không mở được tệp khoá mã hoá");
  }
  struct stat st {};
  ::fstat(fd, &st);
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return FileError(path, "key file is readable by others; run: chmod 600 " + path.string(),
                     "tệp khoá mã hoá đang cho người khác đọc; hãy chạy: chmod 600 " + path.string());
  }
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > (1 << 20)) break;
  }
  SecureZero(buf, sizeof buf);
  ::close(fd);
  return out;
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// magic | u32 big-endian length of the TPM blob | TPM blob | nonce | ciphertext | tag
Result<std::string> SealToTpm(const KeyProtectionOptions& o, std::string_view secret, const std::string& aad) {
  unsigned char kek[kKek];
  SecureRandom(kek, sizeof kek);
  auto blob = TpmSeal(o.tpm_tcti, std::string_view(reinterpret_cast<const char*>(kek), sizeof kek));
  if (!blob.ok()) {
    SecureZero(kek, sizeof kek);
    return blob.status();
  }
  std::string out(kMagic, sizeof kMagic);
  const uint32_t n = static_cast<uint32_t>(blob->size());
  for (int shift : {24, 16, 8, 0}) out.push_back(static_cast<char>((n >> shift) & 0xff));
  out += *blob;
  const size_t at = out.size();
  out.resize(at + kNonce + secret.size() + kTag);
  auto* o8 = reinterpret_cast<unsigned char*>(out.data()) + at;
  SecureRandom(o8, kNonce);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, kek, o8);
  SecureZero(kek, sizeof kek);
  EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                    static_cast<int>(aad.size()));
  EVP_EncryptUpdate(ctx.get(), o8 + kNonce, &len, reinterpret_cast<const unsigned char*>(secret.data()),
                    static_cast<int>(secret.size()));
  EVP_EncryptFinal_ex(ctx.get(), o8 + kNonce + len, &len);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, o8 + kNonce + secret.size());
  return out;
}

Result<std::string> UnsealFromTpm(const KeyProtectionOptions& o, const std::filesystem::path& sealed,
                                  const std::string& aad) {
  auto data = ReadPrivate(sealed);
  if (!data.ok()) return data.status();
  const std::string& d = *data;
  const Status bad = Status::Error(Code::kCorrupt, sealed.string() + ": sealed key file is malformed",
                                   sealed.string() + ": tệp khoá niêm phong bị hỏng");
  if (d.size() < sizeof kMagic + 4 || std::memcmp(d.data(), kMagic, sizeof kMagic) != 0) return bad;
  uint32_t n = 0;
  for (size_t i = 0; i < 4; ++i) n = (n << 8) | static_cast<unsigned char>(d[sizeof kMagic + i]);
  const size_t at = sizeof kMagic + 4 + n;
  if (n > d.size() || at + kNonce + kTag > d.size()) return bad;
  auto kek = TpmUnseal(o.tpm_tcti, std::string_view(d).substr(sizeof kMagic + 4, n));
  if (!kek.ok()) return kek.status().WithContext(sealed.string() + ": ", sealed.string() + ": ");
  if (kek->size() != kKek) {
    SecureWipe(*kek);
    return bad;
  }
  const auto* in = reinterpret_cast<const unsigned char*>(d.data()) + at;
  const size_t m = d.size() - at - kNonce - kTag;
  std::string out(m, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(kek->data()), in);
  SecureWipe(*kek);
  EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                    static_cast<int>(aad.size()));
  EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in + kNonce, static_cast<int>(m));
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, const_cast<unsigned char*>(in + kNonce + m));
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) != 1) {
    SecureWipe(out);
    return Status::Error(Code::kSecurity, sealed.string() + ": sealed key failed authentication (tampered file)",
                         sealed.string() + ": tệp khoá niêm phong đã bị sửa");
  }
  return out;
}

bool Exists(const std::filesystem::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

}  // namespace

const char* KeyProtectionName(KeyProtection mode) {
  return mode == KeyProtection::kTpm ? "tpm" : "file";
}

KeyProtectionOptions KeyProtectionFor(const KioskConfig& config) {
  KeyProtectionOptions o;
  if (!config.tpm_tcti.empty()) o.tpm_tcti = config.tpm_tcti;
  if (config.key_protection == "tpm") {
    o.mode = KeyProtection::kTpm;
  } else if (config.key_protection == "file") {
    o.mode = KeyProtection::kFile;
  } else {
    o.mode = Exists("/dev/tpmrm0") ? KeyProtection::kTpm : KeyProtection::kFile;
  }
  return o;
}

std::filesystem::path SealedKeyPath(const std::filesystem::path& key_file) {
  return key_file.string() + ".sealed";
}

Status ShredFile(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno == ENOENT) return Status::Ok();
  if (fd >= 0) {
    struct stat st {};
    ::fstat(fd, &st);
    const std::vector<char> zeros(static_cast<size_t>(st.st_size), '\0');
    size_t off = 0;
    while (off < zeros.size()) {
      const ssize_t n = ::pwrite(fd, zeros.data() + off, zeros.size() - off, static_cast<off_t>(off));
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
  }
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
    return Status::Error(Code::kIo, file.string() + ": cannot remove the plain key file: " + std::strerror(errno),
                         file.string() + ": không xoá được tệp khoá chưa niêm phong");
  }
  FsyncDir(file);
  return Status::Ok();
}

Status SaveSecret(const KeyProtectionOptions& options, const std::filesystem::path& key_file, std::string_view secret) {
  if (options.mode == KeyProtection::kFile) return WriteDurably(key_file, secret);
  auto sealed = SealToTpm(options, secret, key_file.filename().string());
  if (!sealed.ok()) return sealed.status();
  MCK_RETURN_IF_ERROR(WriteDurably(SealedKeyPath(key_file), *sealed));
  // A plain copy from an earlier "file" run must not outlive the sealed one.
  return ShredFile(key_file);
}

Result<std::string> LoadSecret(const KeyProtectionOptions& options, const std::filesystem::path& key_file) {
  const std::filesystem::path sealed = SealedKeyPath(key_file);
  const std::string aad = key_file.filename().string();
  if (options.mode == KeyProtection::kFile) {
    if (!Exists(key_file) && Exists(sealed)) {
      return Status::Error(
          Code::kSecurity,
          key_file.string() + ": the key is sealed to a TPM but security.key_protection is \"file\"; nothing opened",
          key_file.string() + ": khoá đã được niêm phong vào chip TPM nhưng cấu hình đang là \"file\"; không mở gì");
    }
    return ReadPrivate(key_file);
  }
  if (Exists(sealed)) {
    auto secret = UnsealFromTpm(options, sealed, aad);
    if (!secret.ok()) return secret.status();
    // A migration cut short after the sealed file was made durable: finish it.
    if (Exists(key_file)) MCK_RETURN_IF_ERROR(ShredFile(key_file));
    return secret;
  }
  auto plain = ReadPrivate(key_file);
  if (!plain.ok()) return plain.status();  // kNotFound: neither form
  // Migration: seal, make it durable, prove it unseals, then remove the plain file.
  auto blob = SealToTpm(options, *plain, aad);
  if (!blob.ok()) {
    SecureWipe(*plain);
    return blob.status();
  }
  MCK_RETURN_IF_ERROR(WriteDurably(sealed, *blob));
  auto back = UnsealFromTpm(options, sealed, aad);
  if (!back.ok() || *back != *plain) {
    if (back.ok()) SecureWipe(*back);
    SecureWipe(*plain);
    static_cast<void>(ShredFile(sealed));
    return back.ok() ? Status::Error(Code::kInternal, sealed.string() + ": sealed key does not read back")
                     : back.status();
  }
  SecureWipe(*back);
  MCK_RETURN_IF_ERROR(ShredFile(key_file));
  return plain;
}

}  // namespace mck
