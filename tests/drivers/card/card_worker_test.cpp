// CardWorker over the simulated reader: events from a card inserted from outside, a requested
// read with progress, a cancelled read.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "drivers/card/card_worker.h"
#include "drivers/card/mrz.h"
#include "drivers/card/sim_reader.h"

using namespace mck::card;
using namespace std::chrono_literals;

namespace {
class Inbox {
 public:
  void Push(CardWorkerEvent e) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(e));
    cv_.notify_all();
  }
  // Waits for an event matching `pred`; returns it.
  std::optional<CardWorkerEvent> WaitFor(std::function<bool(const CardWorkerEvent&)> pred) {
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<CardWorkerEvent> found;
    cv_.wait_for(lock, 10s, [&] {
      for (const auto& e : events_) {
        if (pred(e)) {
          found = e;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  int Count(CardWorkerEvent::Kind k) {
    std::lock_guard<std::mutex> lock(mu_);
    int n = 0;
    for (const auto& e : events_) n += e.kind == k;
    return n;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<CardWorkerEvent> events_;
};
}  // namespace

TEST_CASE("CardWorker: device events, a read with progress, a cancelled read", "[card][sim][worker]") {
  const auto state = std::filesystem::temp_directory_path() / ("mck-worker-" + std::to_string(getpid()) + ".json");
  REQUIRE(WriteSimState(state, {true, 0, ""}).ok());
  auto sim = SimCardReader::Open(std::string(MCK_SOURCE_DIR) + "/config/sim-identities.json", state);
  REQUIRE(sim.ok());
  const Identity want = (*sim)->identities()[0];
  auto key = AccessKeyFromIdNumber(want.id_number, *mck::ParseDate(*want.date_of_birth));
  REQUIRE(key.ok());
  Inbox inbox;
  {
    CardWorker worker(std::move(*sim), [&](CardWorkerEvent e) { inbox.Push(std::move(e)); });
    REQUIRE(inbox.WaitFor([](const CardWorkerEvent& e) {
      return e.kind == CardWorkerEvent::Kind::kDevice && e.device.kind == CardEventKind::kReaderAdded;
    }));
    REQUIRE(WriteSimState(state, {true, 1, ""}).ok());
    REQUIRE(inbox.WaitFor([](const CardWorkerEvent& e) {
      return e.kind == CardWorkerEvent::Kind::kDevice && e.device.kind == CardEventKind::kCardInserted;
    }));

    const uint64_t r1 = worker.RequestRead(*key);
    auto done = inbox.WaitFor(
        [&](const CardWorkerEvent& e) { return e.kind == CardWorkerEvent::Kind::kReadFinished && e.request == r1; });
    REQUIRE(done);
    REQUIRE(done->identity);
    CHECK(done->identity->id_number == want.id_number);
    CHECK(inbox.Count(CardWorkerEvent::Kind::kProgress) > 0);

    const uint64_t r2 = worker.RequestRead(*key);
    std::this_thread::sleep_for(150ms);  // the read is under way (the sim's takes 800 ms)
    worker.CancelRead();
    auto cancelled = inbox.WaitFor(
        [&](const CardWorkerEvent& e) { return e.kind == CardWorkerEvent::Kind::kReadFinished && e.request == r2; });
    REQUIRE(cancelled);
    CHECK_FALSE(cancelled->identity);
    REQUIRE(cancelled->error);
    CHECK(cancelled->error->kind == CardFailure::kCancelled);
  }
  std::filesystem::remove(state);
}
