// The simulated reader, driven the way the demo and UI tests drive it: through its state file,
// as `kioskctl card sim ...` does from another process.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <thread>

#include "drivers/card/mrz.h"
#include "drivers/card/sim_reader.h"
#include "offline/domain/config.h"

using namespace mck::card;
using namespace std::chrono_literals;

namespace {

struct SimFixture {
  std::filesystem::path dir;
  std::filesystem::path identities, state;
  SimFixture() {
    dir =
        std::filesystem::temp_directory_path() / ("mck-sim-" + std::to_string(getpid()) + "-" + std::to_string(rand()));
    std::filesystem::create_directories(dir);
    identities = std::string(MCK_SOURCE_DIR) + "/config/sim-identities.json";
    state = dir / "state.json";
  }
  ~SimFixture() { std::filesystem::remove_all(dir); }
  std::unique_ptr<SimCardReader> Open() {
    auto r = SimCardReader::Open(identities, state);
    REQUIRE(r.ok());
    return std::move(*r);
  }
  void Set(SimState s) { REQUIRE(WriteSimState(state, s).ok()); }
};

AccessKey KeyFor(const Identity& id) {
  auto k = AccessKeyFromIdNumber(id.id_number, *mck::ParseDate(*id.date_of_birth));
  REQUIRE(k.ok());
  return *k;
}

}  // namespace

TEST_CASE("the shipped simulated identities are valid", "[card][sim]") {
  SimFixture f;
  auto r = f.Open();
  REQUIRE(r->identities().size() >= 4);
  for (const auto& id : r->identities()) {
    INFO(id.id_number);
    // Valid 12-digit numbers consistent with the date of birth and the gender (checked on load).
    CHECK(id.id_number.size() == 12);
    CHECK(id.date_of_birth.has_value());
    CHECK(IdentityToJson(id)["source"] == "chip");
  }
}

TEST_CASE("sim: insert, read, remove, driven from outside through the state file", "[card][sim]") {
  SimFixture f;
  auto r = f.Open();
  auto first = r->WaitForChange(0ms);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 1);
  CHECK((*first)[0].kind == CardEventKind::kReaderAdded);

  auto nocard = r->Read("", KeyFor(r->identities()[0]), nullptr);
  CHECK(nocard.failure() == CardFailure::kNoCard);

  std::thread outside([&] {
    std::this_thread::sleep_for(100ms);
    f.Set({true, 2, ""});
  });
  auto ev = r->WaitForChange(5s);
  outside.join();
  REQUIRE(ev.ok());
  REQUIRE(ev->size() == 1);
  CHECK((*ev)[0].kind == CardEventKind::kCardInserted);

  const Identity& want = r->identities()[1];
  int steps = 0;
  auto id = r->Read("", KeyFor(want), [&](size_t, size_t) { ++steps; });
  REQUIRE(id.ok());
  CHECK(id->id_number == want.id_number);
  CHECK(steps > 0);

  f.Set({true, 0, ""});
  auto gone = r->WaitForChange(5s);
  REQUIRE(gone.ok());
  REQUIRE_FALSE(gone->empty());
  CHECK((*gone)[0].kind == CardEventKind::kCardRemoved);
}

TEST_CASE("sim: the access data must match the card, as on a real chip", "[card][sim]") {
  SimFixture f;
  f.Set({true, 1, ""});
  auto r = f.Open();
  const Identity& id = r->identities()[0];
  AccessKey wrong = KeyFor(id);
  wrong.date_of_birth[5] = wrong.date_of_birth[5] == '1' ? '2' : '1';
  CHECK(r->Read("", wrong, nullptr).failure() == CardFailure::kWrongKey);
  AccessKey can;
  can.can = id.id_number.substr(6);
  CHECK(r->Read("", can, nullptr).ok());
  CHECK(r->Read("", AccessKey{}, nullptr).failure() == CardFailure::kBadKey);
}

TEST_CASE("sim: each fault gives its distinct result", "[card][sim]") {
  SimFixture f;
  auto r = f.Open();
  const AccessKey key = KeyFor(r->identities()[0]);
  struct {
    const char* fault;
    CardFailure want;
  } cases[] = {{"wrong_key", CardFailure::kWrongKey},
               {"not_emrtd", CardFailure::kNotAnIdCard},
               {"card_removed", CardFailure::kCardRemoved},
               {"reader_unplugged", CardFailure::kReaderGone}};
  for (const auto& c : cases) {
    INFO(c.fault);
    f.Set({true, 1, c.fault});
    auto res = r->Read("", key, nullptr);
    REQUIRE_FALSE(res.ok());
    CHECK(res.failure() == c.want);
    CHECK_FALSE(res.status().message_vi().empty());
  }
  f.Set({false, 0, ""});
  CHECK(r->Read("", key, nullptr).failure() == CardFailure::kNoReader);
  auto list = r->ListReaders();
  REQUIRE(list.ok());
  CHECK(list->empty());
}

TEST_CASE("sim: removing the card during a read fails that read as removed", "[card][sim]") {
  SimFixture f;
  f.Set({true, 1, ""});
  auto r = f.Open();
  const AccessKey key = KeyFor(r->identities()[0]);
  std::thread puller([&] {
    std::this_thread::sleep_for(150ms);
    f.Set({true, 0, ""});
  });
  auto res = r->Read("", key, nullptr);  // the shipped file's read takes longer than 150 ms
  puller.join();
  CHECK(res.failure() == CardFailure::kCardRemoved);
}

TEST_CASE("sim: Cancel ends a blocked wait and a read", "[card][sim]") {
  SimFixture f;
  f.Set({true, 1, ""});
  auto r = f.Open();
  REQUIRE(r->WaitForChange(0ms).ok());
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    r->Cancel();
  });
  auto ev = r->WaitForChange(30s);
  canceller.join();
  CHECK(ev.ok());
  std::thread canceller2([&] {
    std::this_thread::sleep_for(100ms);
    r->Cancel();
  });
  auto res = r->Read("", KeyFor(r->identities()[0]), nullptr);
  canceller2.join();
  CHECK(res.failure() == CardFailure::kCancelled);
}

TEST_CASE("MakeCardReader picks the reader from the config", "[card][sim]") {
  mck::KioskConfig c;
  c.card_reader = "sim";
  c.card_sim_file = std::string(MCK_SOURCE_DIR) + "/config/sim-identities.json";
  auto sim = MakeCardReader(c);
  REQUIRE(sim.ok());
  c.card_reader = "pcsc";
  CHECK(MakeCardReader(c).ok());
  c.card_reader = "nfc";
  CHECK(MakeCardReader(c).status().code() == mck::Code::kInvalidArgument);
  c.card_reader = "sim";
  c.card_sim_file = "/nonexistent/identities.json";
  CHECK(MakeCardReader(c).status().code() == mck::Code::kNotFound);
}
