// The staff PIN against a passer-by: trivial PINs refused, lock-outs that grow, reported for the
// heartbeat, and a technician's unlock (the second factor) that ends any lock.
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "offline/store/staff_auth.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {
PinPolicy FastPolicy() {
  PinPolicy p;
  p.max_attempts = 2;
  p.lockout = std::chrono::seconds(300);
  p.iterations = 1000;
  return p;
}

// Two wrong PINs: one lock-out. Returns how long it lasts.
int64_t LockOnce(StaffAuth& auth) {
  REQUIRE(auth.Verify("000001").value().check == PinCheck::kWrong);
  auto r = auth.Verify("000002").value();
  REQUIRE(r.check == PinCheck::kLocked);
  return r.locked_for_s;
}
}  // namespace

TEST_CASE("trivial staff PINs are refused with a Vietnamese reason") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  StaffAuth auth(*store, clock, FastPolicy());
  for (const char* pin : {"000000", "111111", "999999999", "123456", "234567", "654321", "987654", "890123", "121212",
                          "123123", "112233", "159753", "0123456789"}) {
    INFO(pin);
    Status st = auth.SetPin(pin);
    CHECK(st.code() == Code::kInvalidArgument);
    CHECK(st.message_vi().find("quá dễ đoán") != std::string::npos);
  }
  CHECK_FALSE(auth.HasPin().value());
  for (const char* pin : {"246810", "135790", "480317", "5092841"}) {
    INFO(pin);
    CHECK_FALSE(IsTrivialPin(pin));
  }
  REQUIRE(auth.SetPin("480317").ok());
}

TEST_CASE("each staff lock-out in a row lasts longer, and a correct PIN starts the ladder again") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  StaffAuth auth(*store, clock, FastPolicy());
  REQUIRE(auth.SetPin("480317").ok());
  CHECK(LockOnce(auth) == 300);
  clock.Advance(std::chrono::seconds(300));
  CHECK(LockOnce(auth) == 900);
  clock.Advance(std::chrono::seconds(900));
  CHECK(LockOnce(auth) == 3600);
  clock.Advance(std::chrono::seconds(3599));
  CHECK(auth.Verify("480317").value().check == PinCheck::kLocked);
  clock.Advance(std::chrono::seconds(1));
  CHECK(LockOnce(auth) == 3600);  // capped
  clock.Advance(std::chrono::seconds(3600));
  CHECK(auth.Verify("480317").value().check == PinCheck::kOk);
  CHECK(LockOnce(auth) == 300);  // a correct PIN reset the ladder
}

TEST_CASE("the day's staff lock-outs are counted for the heartbeat, and a new day starts at zero") {
  TempDir dir;
  ManualClock clock(TestEpoch());  // 09:00 Vietnam time
  auto store = OpenStore(TestOptions(dir, &clock));
  StaffAuth auth(*store, clock, FastPolicy());
  REQUIRE(auth.SetPin("480317").ok());
  CHECK(StaffLockoutsToday(*store, clock.Now()).value() == 0);
  LockOnce(auth);
  clock.Advance(std::chrono::hours(1));
  LockOnce(auth);
  CHECK(StaffLockoutsToday(*store, clock.Now()).value() == 2);
  clock.Advance(std::chrono::hours(16));  // 02:00 the next day
  CHECK(StaffLockoutsToday(*store, clock.Now()).value() == 0);
}

TEST_CASE("a technician's unlock lifts a lock a passer-by made, and the ladder with it") {
  TempDir dir;
  ManualClock clock(TestEpoch());
  auto store = OpenStore(TestOptions(dir, &clock));
  StaffAuth auth(*store, clock, FastPolicy());
  REQUIRE(auth.SetPin("480317").ok());
  LockOnce(auth);
  clock.Advance(std::chrono::seconds(300));
  LockOnce(auth);
  CHECK(auth.Verify("480317").value().check == PinCheck::kLocked);
  REQUIRE(auth.Unlock().ok());
  CHECK(auth.Verify("480317").value().check == PinCheck::kOk);
  CHECK(LockOnce(auth) == 300);
  CHECK(store->Check().value().ok());
}

TEST_CASE("kioskctl refuses a trivial PIN in Vietnamese, and staff unlock ends a lock-out") {
  TempDir dir;
  WriteTestCatalog(dir.path());
  const auto config = dir.path() / "kiosk.toml";
  // One wrong PIN locks, for a day: only the technician's unlock can lift it within the test.
  std::ofstream(config) << "[kiosk]\nnumber = 7\ndata_dir = \"data\"\ncatalog_seed = \"procedures.json\"\n"
                        << "[staff]\npin_max_attempts = 1\npin_lockout_s = 86400\n";
  auto run = [&](const std::string& pin, const std::string& args, std::string* err = nullptr) {
    const auto err_file = dir.path() / "err.txt";
    const std::string cmd = "printf '%s\\n' '" + pin + "' | '" + std::string(KIOSKCTL_PATH) + "' --config '" +
                            config.string() + "' " + args + " >/dev/null 2>'" + err_file.string() + "'";
    const int status = std::system(cmd.c_str());
    if (err) *err = ReadAll(err_file);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  std::string err;
  CHECK(run("123456", "staff set-pin", &err) != 0);
  CHECK(err.find("quá dễ đoán") != std::string::npos);
  REQUIRE(run("480317", "staff set-pin") == 0);
  CHECK(run("000000", "staff check-pin") != 0);  // locks
  CHECK(run("480317", "staff check-pin", &err) != 0);
  CHECK(err.find("khoá") != std::string::npos);
  REQUIRE(run("", "staff unlock") == 0);
  CHECK(run("480317", "staff check-pin") == 0);
}
