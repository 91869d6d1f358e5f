#include "offline/domain/ids.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

namespace mck {

void SecureRandom(void* out, size_t n) {
  if (RAND_bytes(static_cast<unsigned char*>(out), static_cast<int>(n)) != 1) {
    std::fputs("fatal: the OpenSSL random generator failed\n", stderr);
    std::abort();
  }
}

void SecureZero(void* p, size_t n) {
  OPENSSL_cleanse(p, n);
}

void SecureZeroKeep(std::string& s) {
  // The whole buffer, not just size(): a string that shrank (resize, erase, a shorter
  // assignment) still holds its older, longer contents past size(). data() points at
  // capacity() + 1 writable bytes (the terminator's place included).
  OPENSSL_cleanse(s.data(), s.capacity());
  s.clear();
}

void SecureWipe(std::string& s) {
  SecureZeroKeep(s);
  s.shrink_to_fit();
}

std::string HexEncode(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string NewUuidV4() {
  unsigned char b[16];
  SecureRandom(b, sizeof b);
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  std::string hex = HexEncode(std::string_view(reinterpret_cast<char*>(b), 16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<char*>(md), len));
}

}  // namespace mck
