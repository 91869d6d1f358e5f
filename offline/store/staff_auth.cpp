#include "offline/store/staff_auth.h"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <vector>

#include "offline/domain/ids.h"
#include "offline/store/pin_record.h"

namespace mck {

namespace {

constexpr const char* kLockoutsDayKey = "staff.pin_lockouts_day";  // "YYYY-MM-DD:N", for the heartbeat

// The settings keys and names of one role's PIN.
struct PinKeys {
  const char* pin;
  const char* failures;
  const char* locked_until;
  const char* lockouts;  // lock-outs in a row (the ladder)
  const char* lockouts_day;
  const char* actor;  // audit actor and action prefix: "staff.pin_set", "technician.pin_set"
  const char* name_en;
  const char* name_vi;  // starts with "M" (ASCII): "Mã PIN …"
};
constexpr PinKeys kStaffKeys{"staff.pin",          "staff.pin_failures", "staff.pin_locked_until",
                             "staff.pin_lockouts", kLockoutsDayKey,      "staff",
                             "staff PIN",          "Mã PIN cán bộ"};
constexpr PinKeys kTechnicianKeys{
    "technician.pin",          "technician.pin_failures",     "technician.pin_locked_until",
    "technician.pin_lockouts", "technician.pin_lockouts_day", "technician",
    "technician PIN",          "Mã PIN kỹ thuật viên"};
const PinKeys& KeysFor(PinRole role) {
  return role == PinRole::kTechnician ? kTechnicianKeys : kStaffKeys;
}
std::string Action(const PinKeys& k, const char* what) {
  return std::string(k.actor) + "." + what;
}

// The most common 6-digit PINs (published PIN-frequency studies) beyond what the rules catch.
constexpr const char* kCommonPins[] = {"112233", "123321", "159753", "147258", "147852", "258369", "789456",
                                       "520520", "131420", "654123", "696969", "101010", "100200", "121314",
                                       "111222", "000111", "123654", "102030", "999000", "010203"};

// A read error is passed on, and so is a malformed value (kCorrupt): a lock that cannot be read
// must not read as "not locked". A missing value counts as 0.
Result<int64_t> IntSetting(Store& store, const char* key, const PinKeys& k) {
  auto v = store.settings().Get(key);
  if (!v.ok()) return v.status();
  if (!v->has_value()) return int64_t{0};
  int64_t n = 0;
  const std::string& s = **v;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return Status::Error(
        Code::kCorrupt, std::string("pin auth: setting ") + key + " is not a number",
        std::string("Dữ liệu m") + (k.name_vi + 1) + " bị hỏng. Xin báo kỹ thuật viên để đặt lại mã PIN.");
  }
  return n;
}

// Whether `pin` is `role`'s stored PIN (false when none), counting nothing.
Result<bool> StoredPinMatches(Store& store, PinRole role, const std::string& pin) {
  auto stored = store.settings().Get(KeysFor(role).pin);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return false;
  return PinRecordMatches(**stored, pin);
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
  return LockoutLadder(policy_.lockout, n);
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
  const PinKeys& k = KeysFor(role_);
  return store_.settings().PutAll({{k.failures, "0"}, {k.locked_until, "0"}, {k.lockouts, "0"}},
                                  {"technician", Action(k, "pin_unlocked_by_technician"), k.actor, ""});
}

Status StaffAuth::CheckNewPin(PinRole role, const std::string& pin) {
  const PinKeys& k = KeysFor(role);
  if (pin.size() < 6 || pin.size() > 12 || pin.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Error(Code::kInvalidArgument, std::string("the ") + k.name_en + " must be 6 to 12 digits",
                         std::string(k.name_vi) + " phải gồm từ 6 đến 12 chữ số");
  }
  if (IsTrivialPin(pin)) {
    return Status::Error(
        Code::kInvalidArgument,
        std::string("the ") + k.name_en + " is too easy to guess (repeated, sequential or common)",
        std::string(k.name_vi) + " quá dễ đoán (các chữ số lặp lại, liên tiếp hoặc thường gặp). Xin chọn mã khác.");
  }
  return Status::Ok();
}

Result<bool> StaffAuth::Matches(const std::string& pin) {
  return StoredPinMatches(store_, role_, pin);
}

Status StaffAuth::SetPin(const std::string& pin) {
  MCK_RETURN_IF_ERROR(CheckNewPin(role_, pin));
  const PinKeys& k = KeysFor(role_);
  // One PIN can never open both modes: a staff member who knows their PIN must not hold the
  // technician's, and the reverse.
  auto other = StoredPinMatches(store_, role_ == PinRole::kStaff ? PinRole::kTechnician : PinRole::kStaff, pin);
  if (!other.ok()) return other.status();
  if (*other) {
    return Status::Error(Code::kInvalidArgument, "the staff PIN and the technician PIN must differ",
                         "Mã PIN cán bộ và mã PIN kỹ thuật viên phải khác nhau");
  }
  const std::string record = MakePinRecord(pin, policy_.iterations);
  return store_.settings().PutAll({{k.pin, record}, {k.failures, "0"}, {k.locked_until, "0"}, {k.lockouts, "0"}},
                                  {"technician", Action(k, "pin_set"), k.actor, ""});
}

Result<bool> StaffAuth::HasPin() {
  auto v = store_.settings().Get(KeysFor(role_).pin);
  if (!v.ok()) return v.status();
  return v->has_value();
}

Result<PinResult> StaffAuth::Verify(const std::string& pin) {
  const PinKeys& k = KeysFor(role_);
  auto stored = store_.settings().Get(k.pin);
  if (!stored.ok()) return stored.status();
  PinResult r;
  if (!stored->has_value()) {
    r.check = PinCheck::kNotSet;
    return r;
  }
  const int64_t now = UnixSeconds(clock_.Now());
  auto locked_until = IntSetting(store_, k.locked_until, k);
  if (!locked_until.ok()) return locked_until.status();
  if (*locked_until > now) {
    r.check = PinCheck::kLocked;
    r.locked_for_s = *locked_until - now;
    return r;
  }
  auto match = PinRecordMatches(**stored, pin);
  if (!match.ok()) return match.status();
  if (*match) {
    MCK_RETURN_IF_ERROR(store_.settings().PutAll({{k.failures, "0"}, {k.lockouts, "0"}},
                                                 {k.actor, Action(k, "unlocked"), k.actor, ""}));
    r.check = PinCheck::kOk;
    return r;
  }
  auto failures_before = IntSetting(store_, k.failures, k);
  if (!failures_before.ok()) return failures_before.status();
  const int64_t failures = *failures_before + 1;
  if (failures >= policy_.max_attempts) {
    auto before = IntSetting(store_, k.lockouts, k);
    if (!before.ok()) return before.status();
    auto today = role_ == PinRole::kStaff ? StaffLockoutsToday(store_, clock_.Now()) : Result<int>(0);
    if (!today.ok()) return today.status();
    const int64_t lock_s = LockoutFor(*before).count();
    MCK_RETURN_IF_ERROR(store_.settings().PutAll(
        {{k.locked_until, std::to_string(now + lock_s)},
         {k.failures, "0"},
         {k.lockouts, std::to_string(*before + 1)},
         {k.lockouts_day, FormatDate(VietnamDate(clock_.Now())) + ":" + std::to_string(*today + 1)}},
        {k.actor, Action(k, "pin_locked"), k.actor,
         "failures=" + std::to_string(failures) + " lockout_s=" + std::to_string(lock_s)}));
    r.check = PinCheck::kLocked;
    r.locked_for_s = lock_s;
    return r;
  }
  MCK_RETURN_IF_ERROR(
      store_.settings().PutAll({{k.failures, std::to_string(failures)}},
                               {k.actor, Action(k, "pin_wrong"), k.actor, "failures=" + std::to_string(failures)}));
  r.check = PinCheck::kWrong;
  r.attempts_left = static_cast<int>(policy_.max_attempts - failures);
  return r;
}

}  // namespace mck
