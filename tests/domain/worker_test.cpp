// mck::Worker: order, stop (drop or run what is pending), exceptions, and no lost wake. No
// sleeps: every wait is on a condition the worker's jobs make true.
#include "offline/domain/worker.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace {

// A latch a job blocks on until the test opens it: holds the worker busy while the test posts.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

}  // namespace

TEST_CASE("a worker runs posted jobs one at a time, in the order they were posted") {
  std::vector<int> seen;  // touched only by the worker's thread until the final future
  std::promise<void> all_done;
  {
    mck::Worker w("test");
    for (int i = 0; i < 100; ++i) REQUIRE(w.Post([&seen, i] { seen.push_back(i); }));
    REQUIRE(w.Post([&] { all_done.set_value(); }));
    all_done.get_future().wait();
  }
  REQUIRE(seen.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(seen[static_cast<size_t>(i)] == i);
}

TEST_CASE("stopping a dropping worker finishes the running job and drops the pending ones") {
  Gate gate;
  std::promise<void> started;
  std::atomic<int> ran{0};
  mck::Worker w("test", mck::Worker::AtStop::kDropPending);
  REQUIRE(w.Post([&] {
    started.set_value();
    gate.Wait();
    ++ran;
  }));
  started.get_future().wait();
  for (int i = 0; i < 5; ++i) REQUIRE(w.Post([&] { ran += 100; }));
  auto stopper = std::async(std::launch::async, [&] { w.Stop(); });
  // Stop() has begun once stopping() says so; the running job is still blocked on the gate.
  while (!w.stopping()) std::this_thread::yield();
  CHECK_FALSE(w.Post([&] { ran += 1000; }));  // refused once stopping
  gate.Open();
  stopper.get();
  CHECK(ran == 1);  // the running job finished; the five pending were dropped
}

TEST_CASE("stopping a draining worker runs every job already posted, then refuses new ones") {
  Gate gate;
  std::promise<void> started;
  std::vector<int> seen;
  mck::Worker w("test", mck::Worker::AtStop::kRunPending);
  REQUIRE(w.Post([&] {
    started.set_value();
    gate.Wait();
    seen.push_back(0);
  }));
  started.get_future().wait();
  for (int i = 1; i <= 5; ++i) REQUIRE(w.Post([&seen, i] { seen.push_back(i); }));
  auto stopper = std::async(std::launch::async, [&] { w.Stop(); });
  while (!w.stopping()) std::this_thread::yield();
  CHECK_FALSE(w.Post([&] { seen.push_back(99); }));
  gate.Open();
  stopper.get();
  CHECK(seen == std::vector<int>{0, 1, 2, 3, 4, 5});
  w.Stop();  // idempotent
}

TEST_CASE("a job that throws is counted and the worker goes on with the next") {
  std::promise<int> after;
  mck::Worker w("test");
  REQUIRE(w.Post([] { throw std::runtime_error("a message that is not logged"); }));
  REQUIRE(w.Post([] { throw 42; }));
  REQUIRE(w.Post([&] { after.set_value(7); }));
  CHECK(after.get_future().get() == 7);
  CHECK(w.failed_jobs() == 2);
}

TEST_CASE("a job idling for a long time wakes at once when another job is posted or the worker stops") {
  // The wake must not be lost: the post may land before the job reaches IdleFor (then IdleFor
  // returns at once) or while it waits (then the notify wakes it). Both orders, many times.
  for (int round = 0; round < 200; ++round) {
    std::promise<bool> woke;
    mck::Worker w("test");
    REQUIRE(w.Post([&] { woke.set_value(w.IdleFor(std::chrono::hours(1))); }));
    REQUIRE(w.Post([] {}));
    CHECK(woke.get_future().get());
  }
  std::promise<bool> woke;
  std::promise<void> idling;
  mck::Worker w("test");
  REQUIRE(w.Post([&] {
    idling.set_value();
    woke.set_value(w.IdleFor(std::chrono::hours(1)));
  }));
  idling.get_future().wait();
  w.Stop();  // would hang for an hour if the stop did not wake IdleFor
  CHECK(woke.get_future().get());
}

TEST_CASE("a job may post its successor, and IdleFor times out when nothing comes") {
  // Catch2's assertions are not thread-safe: the jobs record, the test thread checks.
  std::promise<bool> idle_result;
  std::atomic<int> steps{0};
  std::atomic<bool> all_posted{true};
  mck::Worker w("test");
  std::function<void()> step = [&] {
    if (++steps < 10) {
      if (!w.Post(step)) all_posted = false;
    } else {
      idle_result.set_value(w.IdleFor(std::chrono::milliseconds(1)));  // nothing pending, not stopping
    }
  };
  REQUIRE(w.Post(step));
  CHECK_FALSE(idle_result.get_future().get());
  CHECK(steps == 10);
  CHECK(all_posted);
}
