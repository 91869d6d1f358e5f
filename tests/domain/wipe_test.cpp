// SecureWipe zeroes a string's whole buffer: a string that shrank still holds its older, longer
// contents past size(), and those are citizen data too.
#include <catch2/catch.hpp>

#include "offline/domain/ids.h"

using namespace mck;

TEST_CASE("a wipe zeroes the whole buffer of a string, up to its capacity, not just its size") {
  std::string s(200, 'S');  // a long line (a QR payload, an address) ...
  s.resize(10);             // ... cut short: bytes 10..199 still hold it
  const char* kept = s.data();
  const size_t capacity = s.capacity();
  REQUIRE(capacity >= 200);
  REQUIRE(kept[150] == 'S');
  SecureZeroKeep(s);  // SecureWipe is this, then shrink_to_fit (which frees the buffer)
  CHECK(s.empty());
  REQUIRE(s.data() == kept);  // the same buffer, looked at through the pointer kept before
  size_t nonzero = 0;
  for (size_t i = 0; i < capacity; ++i) nonzero += kept[i] != 0;
  CHECK(nonzero == 0);
}

TEST_CASE("a wipe leaves an empty string that is freed") {
  std::string s(500, 'x');
  SecureWipe(s);
  CHECK(s.empty());
  CHECK(s.capacity() < 500);
}
