#include "offline/store/staff_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <sstream>
#include <vector>

#include "offline/domain/ids.h"

namespace mck {

namespace {

constexpr const char* kPinKey = "staff.pin";
constexpr const char* kFailuresKey = "staff.pin_failures";
constexpr const char* kLockedUntilKey = "staff.pin_locked_until";

std::string Derive(const std::string& pin, const std::string& salt, int iterations) {
  unsigned char out[32];
  PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof out, out);
  return HexEncode(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

// A read error is passed on, and so is a malformed value (kCorrupt): a lock that cannot be read
// must not read as "not locked". A missing value counts as 0.
Result<int64_t> IntSetting(Store& store, const char* key) {
  auto v = store.settings().Get(key);
  if (!v.ok()) return v.status();
  if (!v->has_value()) return int64_t{0};
  int64_t n = 0;
  const std::string& s = **v;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return Status::Error(Code::kCorrupt, std::string("staff auth: setting ") + key + " is not a number",
                         "Dữ liệu mã PIN của cán bộ bị hỏng. Xin báo kỹ thuật viên để đặt lại mã PIN.");
  }
  return n;
}

}  // namespace

Status StaffAuth::SetPin(const std::string& pin) {
  if (pin.size() < 6 || pin.size() > 12 || pin.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Error(Code::kInvalidArgument, "the staff PIN must be 6 to 12 digits",
                         "Mã PIN cán bộ phải gồm từ 6 đến 12 chữ số");
  }
  unsigned char salt_bytes[16];
  SecureRandom(salt_bytes, sizeof salt_bytes);
  const std::string salt = HexEncode(std::string_view(reinterpret_cast<char*>(salt_bytes), sizeof salt_bytes));
  const std::string record =
      "pbkdf2-sha256$" + std::to_string(policy_.iterations) + "$" + salt + "$" + Derive(pin, salt, policy_.iterations);
  return store_.settings().PutAll({{kPinKey, record}, {kFailuresKey, "0"}, {kLockedUntilKey, "0"}},
                                  {"technician", "staff.pin_set", "staff", ""});
}

Result<bool> StaffAuth::HasPin() {
  auto v = store_.settings().Get(kPinKey);
  if (!v.ok()) return v.status();
  return v->has_value();
}

Result<PinResult> StaffAuth::Verify(const std::string& pin) {
  auto stored = store_.settings().Get(kPinKey);
  if (!stored.ok()) return stored.status();
  PinResult r;
  if (!stored->has_value()) {
    r.check = PinCheck::kNotSet;
    return r;
  }
  const int64_t now = UnixSeconds(clock_.Now());
  auto locked_until = IntSetting(store_, kLockedUntilKey);
  if (!locked_until.ok()) return locked_until.status();
  if (*locked_until > now) {
    r.check = PinCheck::kLocked;
    r.locked_for_s = *locked_until - now;
    return r;
  }
  // "pbkdf2-sha256$<iterations>$<salt>$<hash>"
  std::vector<std::string> parts;
  std::stringstream ss(**stored);
  for (std::string p; std::getline(ss, p, '$');) parts.push_back(p);
  if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") {
    return Status::Error(Code::kCorrupt, "stored staff PIN record is malformed", "Dữ liệu mã PIN bị hỏng");
  }
  const std::string expect = parts[3];
  const std::string got = Derive(pin, parts[2], std::stoi(parts[1]));
  const bool match = got.size() == expect.size() && CRYPTO_memcmp(got.data(), expect.data(), got.size()) == 0;
  if (match) {
    MCK_RETURN_IF_ERROR(store_.settings().PutAll({{kFailuresKey, "0"}}, {"staff", "staff.unlocked", "staff", ""}));
    r.check = PinCheck::kOk;
    return r;
  }
  auto failures_before = IntSetting(store_, kFailuresKey);
  if (!failures_before.ok()) return failures_before.status();
  const int64_t failures = *failures_before + 1;
  if (failures >= policy_.max_attempts) {
    MCK_RETURN_IF_ERROR(store_.settings().PutAll(
        {{kLockedUntilKey, std::to_string(now + policy_.lockout.count())}, {kFailuresKey, "0"}},
        {"staff", "staff.pin_locked", "staff", "failures=" + std::to_string(failures)}));
    r.check = PinCheck::kLocked;
    r.locked_for_s = policy_.lockout.count();
    return r;
  }
  MCK_RETURN_IF_ERROR(
      store_.settings().PutAll({{kFailuresKey, std::to_string(failures)}},
                               {"staff", "staff.pin_wrong", "staff", "failures=" + std::to_string(failures)}));
  r.check = PinCheck::kWrong;
  r.attempts_left = static_cast<int>(policy_.max_attempts - failures);
  return r;
}

}  // namespace mck
