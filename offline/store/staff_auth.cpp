#include "offline/store/staff_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <sstream>
#include <vector>

#include "offline/domain/ids.h"

namespace mck {

namespace {

constexpr const char* kPinKey = "staff.pin";
constexpr const char* kFailuresKey = "staff.pin_failures";
constexpr const char* kLockedUntilKey = "staff.pin_locked_until";
constexpr const char* kLockoutsKey = "staff.pin_lockouts";         // lock-outs in a row (the ladder)
constexpr const char* kLockoutsDayKey = "staff.pin_lockouts_day";  // "YYYY-MM-DD:N", for the heartbeat

// The most common 6-digit PINs (published PIN-frequency studies) beyond what the rules catch.
constexpr const char* kCommonPins[] = {"112233", "123321", "159753", "147258", "147852", "258369", "789456",
                                       "520520", "131420", "654123", "696969", "101010", "100200", "121314",
                                       "111222", "000111", "123654", "102030", "999000", "010203"};

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

bool IsTrivialPin(const std::string& pin) {
  if (pin.empty()) return true;
  const size_t n = pin.size();
  bool up = true, down = true;
  for (size_t i = 1; i < n; ++i) {
    const int a = pin[i - 1] - '0', b = pin[i] - '0';
    up = up && b == (a + 1) % 10;
    down = down && b == (a + 9) % 10;
  }
  if (up || down) return true;
  for (size_t period : {size_t{1}, size_t{2}, size_t{3}}) {
    if (n <= period) continue;
    bool repeats = true;
    for (size_t i = period; i < n && repeats; ++i) repeats = pin[i] == pin[i - period];
    if (repeats) return true;
  }
  for (const char* common : kCommonPins) {
    if (pin == common) return true;
  }
  return false;
}

std::chrono::seconds StaffAuth::LockoutFor(int64_t n) const {
  static constexpr int64_t kLadder[] = {1, 3, 12};
  return policy_.lockout * kLadder[std::min<int64_t>(std::max<int64_t>(n, 0), 2)];
}

Result<int> StaffLockoutsToday(Store& store, TimePoint now) {
  auto v = store.settings().Get(kLockoutsDayKey);
  if (!v.ok()) return v.status();
  const std::string today = FormatDate(VietnamDate(now)) + ":";
  if (!v->has_value() || (*v)->rfind(today, 0) != 0) return 0;
  const std::string n = (*v)->substr(today.size());
  int count = 0;
  const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), count);
  if (ec != std::errc() || end != n.data() + n.size()) return 0;
  return count;
}

Status StaffAuth::Unlock() {
  return store_.settings().PutAll({{kFailuresKey, "0"}, {kLockedUntilKey, "0"}, {kLockoutsKey, "0"}},
                                  {"technician", "staff.pin_unlocked_by_technician", "staff", ""});
}

Status StaffAuth::SetPin(const std::string& pin) {
  if (pin.size() < 6 || pin.size() > 12 || pin.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Error(Code::kInvalidArgument, "the staff PIN must be 6 to 12 digits",
                         "Mã PIN cán bộ phải gồm từ 6 đến 12 chữ số");
  }
  if (IsTrivialPin(pin)) {
    return Status::Error(Code::kInvalidArgument, "the staff PIN is too easy to guess (repeated, sequential or common)",
                         "Mã PIN quá dễ đoán (các chữ số lặp lại, liên tiếp hoặc thường gặp). Xin chọn mã khác.");
  }
  unsigned char salt_bytes[16];
  SecureRandom(salt_bytes, sizeof salt_bytes);
  const std::string salt = HexEncode(std::string_view(reinterpret_cast<char*>(salt_bytes), sizeof salt_bytes));
  const std::string record =
      "pbkdf2-sha256$" + std::to_string(policy_.iterations) + "$" + salt + "$" + Derive(pin, salt, policy_.iterations);
  return store_.settings().PutAll({{kPinKey, record}, {kFailuresKey, "0"}, {kLockedUntilKey, "0"}, {kLockoutsKey, "0"}},
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
    MCK_RETURN_IF_ERROR(
        store_.settings().PutAll({{kFailuresKey, "0"}, {kLockoutsKey, "0"}}, {"staff", "staff.unlocked", "staff", ""}));
    r.check = PinCheck::kOk;
    return r;
  }
  auto failures_before = IntSetting(store_, kFailuresKey);
  if (!failures_before.ok()) return failures_before.status();
  const int64_t failures = *failures_before + 1;
  if (failures >= policy_.max_attempts) {
    auto before = IntSetting(store_, kLockoutsKey);
    if (!before.ok()) return before.status();
    auto today = StaffLockoutsToday(store_, clock_.Now());
    if (!today.ok()) return today.status();
    const int64_t lock_s = LockoutFor(*before).count();
    MCK_RETURN_IF_ERROR(store_.settings().PutAll(
        {{kLockedUntilKey, std::to_string(now + lock_s)},
         {kFailuresKey, "0"},
         {kLockoutsKey, std::to_string(*before + 1)},
         {kLockoutsDayKey, FormatDate(VietnamDate(clock_.Now())) + ":" + std::to_string(*today + 1)}},
        {"staff", "staff.pin_locked", "staff",
         "failures=" + std::to_string(failures) + " lockout_s=" + std::to_string(lock_s)}));
    r.check = PinCheck::kLocked;
    r.locked_for_s = lock_s;
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
