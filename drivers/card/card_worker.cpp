#include "drivers/card/card_worker.h"

#include "offline/domain/ids.h"

namespace mck::card {

CardWorker::CardWorker(std::unique_ptr<CardReader> reader, Sink sink)
    : reader_(std::move(reader)), sink_(std::move(sink)) {
  thread_ = std::thread([this] { Run(); });
}

CardWorker::~CardWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  reader_->Cancel();
  cv_.notify_all();
  thread_.join();
}

uint64_t CardWorker::RequestRead(AccessKey key, std::string reader) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = next_request_++;
    pending_ = Pending{id, std::move(key), std::move(reader)};
    // Wake a WaitForChange so the loop sees the request; a running read is left to finish.
    if (!reading_) reader_->Cancel();
  }
  cv_.notify_all();
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
    e.status = CardFailure(CardProblem::kCancelled, "cancelled before it started", "Đã huỷ đọc thẻ.");
    SecureWipe(dropped->key.document_number);
    sink_(std::move(e));
  }
}

void CardWorker::Run() {
  for (;;) {
    std::optional<Pending> job;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      if (pending_) {
        job.swap(pending_);
        reading_ = true;
      }
    }
    if (job) {
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
        e.status = result.status();
      }
      sink_(std::move(e));
      continue;
    }
    auto events = reader_->WaitForChange(std::chrono::milliseconds(250));
    if (!events.ok()) {
      CardWorkerEvent e;
      e.kind = CardWorkerEvent::Kind::kDeviceError;
      e.status = events.status();
      sink_(std::move(e));
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_ || pending_.has_value(); });
      continue;
    }
    for (const auto& d : *events) {
      CardWorkerEvent e;
      e.kind = CardWorkerEvent::Kind::kDevice;
      e.device = d;
      sink_(std::move(e));
    }
  }
}

}  // namespace mck::card
