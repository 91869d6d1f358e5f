// A Catch2 test that cannot run on this machine (no root, no mount namespace, no setpriv ...).
// Under MCK_REQUIRE_ALL=1 (scripts/test exports it; CI runs as root) that is a FAILURE: every
// test must run there. Without it a developer sees a visible skip: the reason on stdout after
// "MCK-SKIP:", which ctest turns into "Skipped" (SKIP_REGULAR_EXPRESSION, tests/CMakeLists.txt),
// never a silent pass.
//
//   if (!CanMountTmpfs()) MCK_CANNOT_RUN("needs root and mount namespaces to mount a small tmpfs");
//
// The macro returns from the TEST_CASE body, so call it at the top level of the test, not from a
// helper function.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace mck::test {

// True when MCK_REQUIRE_ALL is set to anything but "" or "0".
inline bool RequireAll() {
  const char* v = std::getenv("MCK_REQUIRE_ALL");
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

}  // namespace mck::test

#define MCK_CANNOT_RUN(reason)                                                                                \
  do {                                                                                                        \
    if (::mck::test::RequireAll()) {                                                                          \
      FAIL("cannot run here, and MCK_REQUIRE_ALL=1 asks every test to run: " << reason);                      \
    }                                                                                                         \
    std::cout << "MCK-SKIP: " << reason << " (not run; MCK_REQUIRE_ALL=1 makes this a failure)" << std::endl; \
    WARN("SKIPPED: " << reason);                                                                              \
    return;                                                                                                   \
  } while (false)
