#include "offline/store/pin_record.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <sstream>
#include <vector>

#include "offline/domain/ids.h"

namespace mck {

namespace {

std::string Derive(const std::string& pin, const std::string& salt, int iterations) {
  unsigned char out[32];
  PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof out, out);
  return HexEncode(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

}  // namespace

std::string MakePinRecord(const std::string& pin, int iterations) {
  unsigned char salt_bytes[16];
  SecureRandom(salt_bytes, sizeof salt_bytes);
  const std::string salt = HexEncode(std::string_view(reinterpret_cast<char*>(salt_bytes), sizeof salt_bytes));
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + salt + "$" + Derive(pin, salt, iterations);
}

Result<bool> PinRecordMatches(const std::string& record, const std::string& pin) {
  std::vector<std::string> parts;
  std::stringstream ss(record);
  for (std::string p; std::getline(ss, p, '$');) parts.push_back(p);
  int iterations = 0;
  if (parts.size() == 4) std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
  if (parts.size() != 4 || parts[0] != "pbkdf2-sha256" || iterations <= 0) {
    return Status::Error(Code::kCorrupt, "stored PIN record is malformed", "Dữ liệu mã PIN bị hỏng");
  }
  const std::string& expect = parts[3];
  const std::string got = Derive(pin, parts[2], iterations);
  return got.size() == expect.size() && CRYPTO_memcmp(got.data(), expect.data(), got.size()) == 0;
}

std::chrono::seconds LockoutLadder(std::chrono::seconds base, int64_t n) {
  static constexpr int64_t kLadder[] = {1, 3, 12};
  return base * kLadder[std::min<int64_t>(std::max<int64_t>(n, 0), 2)];
}

}  // namespace mck
