#include "drivers/card/card_worker.h"

#include "offline/domain/ids.h"

namespace mck::card {

CardWorker::CardWorker(std::unique_ptr<CardReader> reader, Sink sink)
    : reader_(std::move(reader)), sink_(std::move(sink)) {
  worker_.Post([this] { Watch(); });
}

CardWorker::~CardWorker() {
  closing_ = true;  // a job starting from now on returns at once
  // Wakes a running WaitForChange or Read; the worker then drops what is pending and joins.
  reader_->Cancel();
  worker_.Stop();
  if (pending_) {
    SecureWipe(pending_->key.document_number);
    SecureWipe(pending_->key.date_of_birth);
  }
}

uint64_t CardWorker::RequestRead(AccessKey key, std::string reader) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = next_request_++;
    pending_ = Pending{id, std::move(key), std::move(reader)};
    // Wake a WaitForChange so the read job runs; a running read is left to finish.
    if (!reading_) reader_->Cancel();
  }
  // Refused only while the destructor stops the worker: the read is dropped (and wiped) there.
  worker_.Post([this] { ReadNext(); });
  return id;
}

void CardWorker::CancelRead() {
  std::optional<Pending> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dropped.swap(pending_);
    if (reading_) reader_->Cancel();
  }
  if (dropped) {
    CardWorkerEvent e;
    e.kind = CardWorkerEvent::Kind::kReadFinished;
    e.request = dropped->id;
    e.error = MakeCardError(CardFailure::kCancelled, "cancelled before it started", "Đã huỷ đọc thẻ.");
    SecureWipe(dropped->key.document_number);
    SecureWipe(dropped->key.date_of_birth);
    sink_(std::move(e));
  }
}

void CardWorker::ReadNext() {
  if (closing_) return;
  std::optional<Pending> job;
  {
    std::lock_guard<std::mutex> lock(mu_);
    job.swap(pending_);  // empty when cancelled or taken by an earlier read job
    reading_ = job.has_value();
  }
  if (!job) return;
  const uint64_t id = job->id;
  auto result = reader_->Read(job->reader, job->key, [&](size_t done, size_t total) {
    CardWorkerEvent e;
    e.kind = CardWorkerEvent::Kind::kProgress;
    e.request = id;
    e.done = done;
    e.total = total;
    sink_(std::move(e));
  });
  SecureWipe(job->key.document_number);
  SecureWipe(job->key.date_of_birth);
  {
    std::lock_guard<std::mutex> lock(mu_);
    reading_ = false;
  }
  CardWorkerEvent e;
  e.kind = CardWorkerEvent::Kind::kReadFinished;
  e.request = id;
  if (result.ok()) {
    e.identity = std::move(result.value());
  } else {
    e.error = result.error();
  }
  sink_(std::move(e));
}

void CardWorker::Watch() {
  if (closing_) return;
  bool read_waiting;
  {
    std::lock_guard<std::mutex> lock(mu_);
    read_waiting = pending_.has_value();
  }
  // A read requested before this watch began runs first: its job is already queued behind us.
  if (!read_waiting) {
    auto events = reader_->WaitForChange(std::chrono::milliseconds(250));
    if (!events.ok()) {
      CardWorkerEvent e;
      e.kind = CardWorkerEvent::Kind::kDeviceError;
      e.error = events.error();
      sink_(std::move(e));
      // Retry in a second, or sooner when a read is posted or the worker stops. Whether it woke
      // early does not matter: the next watch (or the read before it) decides.
      worker_.IdleFor(std::chrono::seconds(1));
    } else {
      for (const auto& d : *events) {
        CardWorkerEvent e;
        e.kind = CardWorkerEvent::Kind::kDevice;
        e.device = d;
        sink_(std::move(e));
      }
    }
  }
  // Refused only once the worker stops: then no more watching is right.
  worker_.Post([this] { Watch(); });
}

}  // namespace mck::card
