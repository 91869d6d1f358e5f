// Worker: one thread that runs posted jobs in order — the one skeleton behind the kiosk's device
// and network workers (card reader, printer, portal look-up), instead of a hand-written loop with
// a queue, a condition variable and a stop flag in each.
//
// - Jobs run one at a time, in the order they were posted, on the worker's own thread.
// - Stop() (and the destructor) lets the running job finish, then either drops the jobs not yet
//   started (AtStop::kDropPending, the default: a look-up nobody waits for any more) or runs them
//   all first (AtStop::kRunPending: a print job already promised to the citizen), and joins the
//   thread. After Stop() has begun, Post() refuses new jobs (returns false, the job is destroyed
//   unrun). The caller wakes a job blocked in a device call (CardReader::Cancel, ...) before
//   stopping: the Worker cannot interrupt a job.
// - No exception escapes the thread: a job that throws is logged (the worker's name and the
//   exception's type on stderr, never its message, which may quote data) and the next job runs.
// - IdleFor() lets a job that polls (the card reader's watch) wait without missing a wake: it
//   returns as soon as another job is posted or Stop() begins.
//
// Thread-safety: Post, Stop, stopping and failed_jobs may be called from any thread, jobs
// included (a job may post its successor). REQUIRES: Stop() and the destructor are not called
// from a job of the same worker (a thread cannot join itself); IdleFor only from a job.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace mck {

class Worker {
 public:
  using Job = std::function<void()>;
  enum class AtStop { kDropPending, kRunPending };

  // Starts the thread. `name` names the worker in its log lines ("printer", "card").
  explicit Worker(std::string name, AtStop at_stop = AtStop::kDropPending);
  // Stop().
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues `job` behind every job posted before it. False once Stop() has begun: the job is
  // destroyed unrun. Ignoring false is right for a caller whose work dies with the worker (a
  // job posting its successor, a request racing the owner's destructor).
  bool Post(Job job);
  // Finishes the running job, drops or runs the pending ones (AtStop), joins. Idempotent.
  void Stop();
  // From a job: waits up to `timeout`; returns early when a job is posted or Stop() begins.
  // True when it returned early (there is work or the worker is stopping); a poller may ignore it.
  bool IdleFor(std::chrono::milliseconds timeout);
  // True once Stop() has begun: a long job may end early.
  bool stopping() const;
  // How many jobs threw (for tests and diagnostics).
  uint64_t failed_jobs() const;

 private:
  void Run();

  const std::string name_;
  const AtStop at_stop_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  uint64_t failed_ = 0;
  std::mutex join_mu_;  // one joiner at a time when Stop() races the destructor
  std::thread thread_;  // last: started after every member above exists
};

}  // namespace mck
