#include "offline/domain/worker.h"

#include <exception>
#include <iostream>
#include <typeinfo>

namespace mck {

Worker::Worker(std::string name, AtStop at_stop)
    : name_(std::move(name)), at_stop_(at_stop), thread_([this] { Run(); }) {}

Worker::~Worker() {
  Stop();
}

bool Worker::Post(Job job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    jobs_.push_back(std::move(job));
  }
  // notify_all: the run loop and a job blocked in IdleFor wait on the same variable.
  cv_.notify_all();
  return true;
}

void Worker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  std::lock_guard<std::mutex> lock(join_mu_);
  if (thread_.joinable()) thread_.join();
}

bool Worker::IdleFor(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return stopping_ || !jobs_.empty(); });
}

bool Worker::stopping() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_;
}

uint64_t Worker::failed_jobs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failed_;
}

void Worker::Run() {
  for (;;) {
    Job job;
    std::deque<Job> dropped;
    bool done = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_ && (at_stop_ == AtStop::kDropPending || jobs_.empty())) {
        dropped.swap(jobs_);  // no Post succeeds any more: nothing else arrives
        done = true;
      } else {
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
    }
    if (done) return;  // `dropped` dies here, outside the lock: a capture's destructor may Post
    bool threw = false;
    try {
      if (job) job();
    } catch (const std::exception& e) {
      threw = true;
      // The type only: an exception's message may quote the data it choked on.
      std::cerr << "worker " << name_ << ": a job threw " << typeid(e).name() << "; continuing\n";
    } catch (...) {
      threw = true;
      std::cerr << "worker " << name_ << ": a job threw a non-standard exception; continuing\n";
    }
    job = nullptr;  // the captures go now, not when the next job arrives
    if (threw) {
      std::lock_guard<std::mutex> lock(mu_);
      ++failed_;
    }
  }
}

}  // namespace mck
