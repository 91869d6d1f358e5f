// Staff PIN for the counter's staff mode: hashed with PBKDF2-HMAC-SHA256 (OpenSSL), a random
// salt, stored in the store's settings. A trivial PIN (one digit repeated, a run up or down,
// a repeated pair or triple, a PIN from the common-PIN list) is refused when it is set. After
// `max_attempts` wrong PINs in a row the PIN is locked, and each lock-out in a row lasts longer:
// `lockout` × 1, 3, 12, 12, … (5, 15, 60, 60 minutes with the default 300 s); a correct PIN or a
// technician's Unlock() starts the ladder again. The count, the lock and the ladder survive a
// restart (they are in the database). A passer-by can keep the screen locked, but never beyond
// a technician: `kioskctl staff unlock`, run on the box by root or the kiosk's user (who alone can
// open the store), lifts it — the second factor is the box itself. Lock-outs of the day go to the
// portal in the heartbeat (StaffLockoutsToday).
// Every success, failure and lock-out is an audit row (never the PIN), written in ONE
// transaction with the count or lock it records (Settings::PutAll): a failure of the disk
// leaves neither.
//
// The technician's PIN (PinRole::kTechnician, set at provisioning: kiosk/core/provisioning.h) is
// kept the same way under its own keys ("technician.pin", its own count, lock and ladder; audit
// rows "technician.*"). The two never open each other's mode, and SetPin refuses a PIN equal to
// the other role's, so one PIN can never be both.
//
// Thread-safety: as Store (one thread at a time per Store object).
#pragma once

#include <chrono>
#include <string>

#include "offline/store/store.h"

namespace mck {

struct PinPolicy {
  int max_attempts = 5;
  std::chrono::seconds lockout{300};
  int iterations = 200000;  // PBKDF2 rounds: ~0.1 s on a low-end kiosk board, per try
};

enum class PinRole { kStaff, kTechnician };

enum class PinCheck { kOk, kWrong, kLocked, kNotSet };

struct PinResult {
  PinCheck check = PinCheck::kWrong;
  int attempts_left = 0;     // after a wrong PIN
  int64_t locked_for_s = 0;  // while locked
};

class StaffAuth {
 public:
  StaffAuth(Store& store, const Clock& clock, PinPolicy policy, PinRole role = PinRole::kStaff)
      : store_(store), clock_(clock), policy_(policy), role_(role) {}

  PinRole role() const { return role_; }
  // Whether `pin` passes the rules SetPin applies to it alone (6 to 12 digits, not trivial):
  // kInvalidArgument with the reason in Vietnamese (naming the role's PIN), else Ok.
  static Status CheckNewPin(PinRole role, const std::string& pin);
  // Sets (or replaces) the PIN: CheckNewPin, and not the other role's current PIN
  // (kInvalidArgument). Clears failures, any lock and the lock-out ladder.
  Status SetPin(const std::string& pin);
  // The technician's reset: lifts a lock, clears failures and the ladder. Audited
  // ("staff.pin_unlocked_by_technician"). The PIN itself is unchanged.
  Status Unlock();
  // How long the n-th lock-out in a row lasts (n from 0).
  std::chrono::seconds LockoutFor(int64_t n) const;
  // Whether a PIN is set; a read error is an error, never "no PIN".
  Result<bool> HasPin();
  // Checks a PIN. While locked, the PIN is not even compared.
  Result<PinResult> Verify(const std::string& pin);
  // Whether `pin` is the stored PIN, WITHOUT counting a failure or looking at the lock: for
  // provisioning (is the plan's PIN already set? is it the other role's?), which runs as root or
  // the kiosk's user on the box, never for a PIN typed at the screen (use Verify). false when none.
  Result<bool> Matches(const std::string& pin);

 private:
  Store& store_;
  const Clock& clock_;
  PinPolicy policy_;
  PinRole role_ = PinRole::kStaff;
};

// A PIN anyone would try first: every digit the same, digits running up or down (wrapping
// 9→0 too: "890123"), a repeated pair or triple ("121212", "123123"), or one of the most
// common PINs. Only the digits are looked at.
bool IsTrivialPin(const std::string& pin);

// How many times the staff PIN locked today (Vietnam date of `now`): a small figure for the
// heartbeat (a passer-by trying PINs shows up at the portal). 0 when none.
Result<int> StaffLockoutsToday(Store& store, TimePoint now);

}  // namespace mck
