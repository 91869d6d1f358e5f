// Staff PIN for the counter's staff mode: hashed with PBKDF2-HMAC-SHA256 (OpenSSL), a random
// salt, stored in the store's settings; after `max_attempts` wrong PINs in a row the PIN is
// locked for `lockout` (the count and the lock survive a restart: they are in the database).
// Every success, failure and lock-out is an audit row (never the PIN), written in ONE
// transaction with the count or lock it records (Settings::PutAll): a failure of the disk
// leaves neither.
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

enum class PinCheck { kOk, kWrong, kLocked, kNotSet };

struct PinResult {
  PinCheck check = PinCheck::kWrong;
  int attempts_left = 0;     // after a wrong PIN
  int64_t locked_for_s = 0;  // while locked
};

class StaffAuth {
 public:
  StaffAuth(Store& store, const Clock& clock, PinPolicy policy) : store_(store), clock_(clock), policy_(policy) {}

  // Sets (or replaces) the PIN: 6 to 12 digits. Clears failures and any lock.
  Status SetPin(const std::string& pin);
  // Whether a PIN is set; a read error is an error, never "no PIN".
  Result<bool> HasPin();
  // Checks a PIN. While locked, the PIN is not even compared.
  Result<PinResult> Verify(const std::string& pin);

 private:
  Store& store_;
  const Clock& clock_;
  PinPolicy policy_;
};

}  // namespace mck
