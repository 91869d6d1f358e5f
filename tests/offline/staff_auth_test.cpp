#include <catch2/catch.hpp>

#include "offline/store/staff_auth.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {
PinPolicy FastPolicy() {
  PinPolicy p;
  p.max_attempts = 3;
  p.lockout = std::chrono::seconds(300);
  p.iterations = 1000;  // fast for tests; the default is 200,000
  return p;
}
}  // namespace

TEST_CASE("the staff PIN locks after repeated failures, and the lock survives a restart") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  const auto opts = TestOptions(dir, &clock);
  auto store = OpenStore(opts);
  StaffAuth auth(*store, clock, FastPolicy());
  CHECK(auth.Verify("123456").value().check == PinCheck::kNotSet);
  CHECK(auth.SetPin("12ab56").code() == Code::kInvalidArgument);
  CHECK(auth.SetPin("12345").code() == Code::kInvalidArgument);
  REQUIRE(auth.SetPin("246810").ok());
  CHECK(auth.Verify("246810").value().check == PinCheck::kOk);

  auto w1 = auth.Verify("000000").value();
  CHECK(w1.check == PinCheck::kWrong);
  CHECK(w1.attempts_left == 2);
  CHECK(auth.Verify("111111").value().attempts_left == 1);
  auto locked = auth.Verify("222222").value();
  CHECK(locked.check == PinCheck::kLocked);
  CHECK(locked.locked_for_s == 300);
  // Even the right PIN is refused while locked, also after a restart.
  store.reset();
  store = OpenStore(opts);
  StaffAuth again(*store, clock, FastPolicy());
  CHECK(again.Verify("246810").value().check == PinCheck::kLocked);
  clock.Advance(std::chrono::seconds(301));
  CHECK(again.Verify("246810").value().check == PinCheck::kOk);
  // The PIN itself is not stored.
  CHECK(store->settings().Get("staff.pin").value()->find("246810") == std::string::npos);
  CHECK(store->Check().value().ok());
}

TEST_CASE("a right PIN resets the failure count") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  StaffAuth auth(*store, clock, FastPolicy());
  REQUIRE(auth.SetPin("135790").ok());
  CHECK(auth.Verify("000000").value().attempts_left == 2);
  CHECK(auth.Verify("000001").value().attempts_left == 1);
  CHECK(auth.Verify("135790").value().check == PinCheck::kOk);
  CHECK(auth.Verify("000002").value().attempts_left == 2);
}

TEST_CASE("a lock that cannot be read is an error, never 'not locked'") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  StaffAuth auth(*store, clock, FastPolicy());
  REQUIRE(auth.SetPin("135790").ok());
  REQUIRE(store->settings().Put("staff.pin_locked_until", "garbage").ok());
  auto r = auth.Verify("135790");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kCorrupt);
}
