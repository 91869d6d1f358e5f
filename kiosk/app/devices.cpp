#include "devices.h"

#include "ids.h"

namespace mck::app {

PrinterWorker::PrinterWorker(std::unique_ptr<printer::Printer> printer, std::unique_ptr<PageBuilder> pages,
                             EventQueue& events)
    : printer_(std::move(printer)), pages_(std::move(pages)), events_(events), thread_([this] { Run(); }) {}

PrinterWorker::~PrinterWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

uint64_t PrinterWorker::Enqueue(PrintJobKind kind, std::function<Result<printer::Raster>()> build) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = next_id_++;
    jobs_.push_back(Job{id, kind, std::move(build)});
  }
  cv_.notify_all();
  return id;
}

uint64_t PrinterWorker::PrintReceipt(const ReceiptData& receipt) {
  return Enqueue(PrintJobKind::kReceipt, [this, r = receipt]() mutable {
    auto page = pages_->Receipt(r);
    SecureWipe(r.applicant_name);
    return page;
  });
}

uint64_t PrinterWorker::PrintTicket(const TicketData& ticket) {
  return Enqueue(PrintJobKind::kTicket, [this, ticket] { return pages_->Ticket(ticket); });
}

void PrinterWorker::Run() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stop requested and nothing left to print
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    PrintFinished done{job.id, job.kind, Status::Ok()};
    // Printer::Print asks the printer's state before (no byte sent when it cannot print: a
    // ticket number is never swallowed, MADO-queue#21) and after the job.
    auto page = job.build();
    done.status = page.ok() ? printer_->Print(*page) : page.status();
    job.build = nullptr;  // drops the captured citizen data now
    events_.Push(std::move(done));
  }
}

CardWorker::CardWorker(std::unique_ptr<card::CardReader> reader, EventQueue& events)
    : reader_(std::move(reader)), events_(events), thread_([this] { Run(); }) {}

CardWorker::~CardWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  reader_->Cancel();
  thread_.join();
}

uint64_t CardWorker::Read(const card::AccessKey& key) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = next_id_++;
    pending_ = std::make_pair(id, key);
  }
  reader_->Cancel();  // wakes WaitForChange so the read starts now
  return id;
}

void CardWorker::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.reset();
  }
  reader_->Cancel();
}

void CardWorker::Run() {
  for (;;) {
    std::optional<std::pair<uint64_t, card::AccessKey>> job;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      job.swap(pending_);
    }
    if (job) {
      auto id = reader_->Read("", job->second, nullptr);
      CardReadFinished done;
      done.request_id = job->first;
      if (id.ok()) {
        done.identity = std::move(id.value());
        done.identity->face_jp2.clear();  // never leaves the worker: not needed on screen
      } else {
        done.status = id.status();
      }
      events_.Push(std::move(done));
      continue;
    }
    auto changes = reader_->WaitForChange(std::chrono::milliseconds(500));
    if (!changes.ok()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));  // reader gone: try again later
      continue;
    }
    for (const auto& c : *changes) {
      if (c.kind == card::CardEventKind::kCardInserted) events_.Push(CardPresence{true});
      if (c.kind == card::CardEventKind::kCardRemoved) events_.Push(CardPresence{false});
    }
  }
}

}  // namespace mck::app
