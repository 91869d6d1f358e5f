// How a PIN is kept and what a run of wrong PINs costs: the one rule for the shared staff and
// technician PINs (staff_auth.h) and the officers' own PINs (officers.h).
//
// A record is "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>": PBKDF2-HMAC-SHA256 (OpenSSL)
// with a random 16-byte salt, 32 bytes out. The comparison is constant-time.
// Thread-safety: pure functions (SecureRandom is thread-safe).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "offline/domain/status.h"

namespace mck {

// A new record for `pin` with a fresh salt.
std::string MakePinRecord(const std::string& pin, int iterations);
// Whether `pin` is the record's PIN; kCorrupt when the record is malformed.
Result<bool> PinRecordMatches(const std::string& record, const std::string& pin);
// How long the n-th lock-out in a row lasts (n from 0): base × 1, 3, 12, 12, …
std::chrono::seconds LockoutLadder(std::chrono::seconds base, int64_t n);

}  // namespace mck
