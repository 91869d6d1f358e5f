#include "kiosk/app/devices.h"

#include "offline/domain/ids.h"

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

uint64_t PrinterWorker::PrintReceipt(const printer::KioskSlip& slip) {
  return Enqueue(PrintJobKind::kReceipt, [this, s = slip]() mutable {
    auto page = pages_->Receipt(s);
    SecureWipe(s.applicant_name);
    return page;
  });
}

uint64_t PrinterWorker::PrintOfficialReceipt(const printer::OfficialReceipt& receipt) {
  return Enqueue(PrintJobKind::kReceipt, [this, r = receipt]() mutable {
    auto page = pages_->Official(r);
    for (auto* s : {&r.applicant_name, &r.applicant_address, &r.applicant_phone, &r.applicant_email}) SecureWipe(*s);
    return page;
  });
}

uint64_t PrinterWorker::PrintTicket(const printer::QueueTicketInfo& ticket) {
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

CardWorkerService::CardWorkerService(std::unique_ptr<card::CardReader> reader, EventQueue& events) {
  worker_ = std::make_unique<card::CardWorker>(std::move(reader), [&events](card::CardWorkerEvent e) {
    switch (e.kind) {
      case card::CardWorkerEvent::Kind::kDevice:
        if (e.device.kind == card::CardEventKind::kCardInserted) events.Push(CardPresence{true});
        if (e.device.kind == card::CardEventKind::kCardRemoved) events.Push(CardPresence{false});
        break;
      case card::CardWorkerEvent::Kind::kReadFinished: {
        CardReadFinished done;
        done.request_id = e.request;
        if (e.identity) {
          done.identity = std::move(e.identity);
          done.identity->face_jp2.clear();  // not needed on screen; never leaves the worker
        } else {
          done.status = e.status.ok() ? Status::Error(Code::kInternal, "read ended without identity") : e.status;
        }
        events.Push(std::move(done));
        break;
      }
      case card::CardWorkerEvent::Kind::kDeviceError:
      case card::CardWorkerEvent::Kind::kProgress:
        break;
    }
  });
}

CardWorkerService::~CardWorkerService() = default;

uint64_t CardWorkerService::Read(const card::AccessKey& key) {
  return worker_->RequestRead(key);
}

void CardWorkerService::Cancel() {
  worker_->CancelRead();
}

}  // namespace mck::app
