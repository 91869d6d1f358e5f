// Identifiers and digests: UUID v4 client ids, SHA-256 hex, secure random bytes (OpenSSL).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mck {

// Random UUID v4 in canonical lower-case form, from OpenSSL's CSPRNG.
std::string NewUuidV4();
bool IsUuid(std::string_view s);
std::string Sha256Hex(std::string_view data);
std::string HexEncode(std::string_view bytes);
// Fills out with cryptographically secure random bytes; aborts if the CSPRNG fails.
void SecureRandom(void* out, size_t n);
// Zeroes memory in a way the optimiser may not remove (for citizen data being wiped).
void SecureZero(void* p, size_t n);
// Zeroes a string's whole buffer (capacity, not just size: what a shrunk string still holds
// past its end), then empties it and frees the buffer.
void SecureWipe(std::string& s);
// The same, keeping the (zeroed) buffer: for a buffer that is refilled at once, and for tests,
// which may then look at its memory.
void SecureZeroKeep(std::string& s);

}  // namespace mck
