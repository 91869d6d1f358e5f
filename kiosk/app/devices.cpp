#include "kiosk/app/devices.h"

#include <iostream>
#include <optional>

#include "drivers/card/face_image.h"
#include "offline/domain/ids.h"

namespace mck::app {

PrinterWorker::PrinterWorker(std::unique_ptr<printer::Printer> printer, std::unique_ptr<PageBuilder> pages,
                             EventQueue& events, std::shared_ptr<DeviceStates> states)
    : printer_(std::move(printer)), pages_(std::move(pages)), events_(events), states_(std::move(states)) {
  if (states_) worker_.Post([this] { PollState(); });
}

void PrinterWorker::RecordState() {
  if (!states_) return;
  auto state = printer_->QueryStatus();
  // No answer at all (switched off, unplugged, a network printer down) is "offline".
  states_->SetPrinter(state.ok() ? printer::PaperStateName(*state) : "offline");
}

void PrinterWorker::PollState() {
  if (worker_.stopping()) return;
  RecordState();
  // Returns early when a job is posted (or at stop): this poll then queues behind that job, so a
  // print never waits for it and the state is asked again right after the job.
  worker_.IdleFor(kStatePoll);
  (void)worker_.Post([this] { PollState(); });  // false only at stop
}

PrinterWorker::~PrinterWorker() {
  worker_.Stop();  // prints what is queued, then joins: before the printer and pages go
}

uint64_t PrinterWorker::Enqueue(PrintJobKind kind, std::function<Result<printer::Raster>()> build) {
  const uint64_t id = next_id_++;
  const bool queued = worker_.Post([this, id, kind, build = std::move(build)]() mutable {
    PrintFinished done{id, kind, Status::Error(Code::kInternal, "print job ended without a result")};
    try {
      // Printer::Print asks the printer's state before (no byte sent when it cannot print: a
      // ticket number is never swallowed, MADO-queue#21) and after the job.
      auto page = build();
      done.status = page.ok() ? printer_->Print(*page) : page.status();
    } catch (...) {
      build = nullptr;
      events_.Push(std::move(done));  // the screen learns the job failed; the worker logs the throw
      throw;
    }
    build = nullptr;  // drops the captured citizen data now
    events_.Push(std::move(done));
  });
  if (!queued) {  // only while the destructor stops the worker: say so rather than leave it waiting
    events_.Push(PrintFinished{id, kind, Status::Error(Code::kUnavailable, "printer worker stopping")});
  }
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

uint64_t PrinterWorker::PrintFeeReceipt(const printer::FeeReceipt& receipt) {
  return Enqueue(PrintJobKind::kReceipt, [this, receipt] { return pages_->Fee(receipt); });
}

uint64_t PrinterWorker::PrintTicket(const printer::QueueTicketInfo& ticket) {
  return Enqueue(PrintJobKind::kTicket, [this, ticket] { return pages_->Ticket(ticket); });
}

uint64_t PrinterWorker::PrintTestPage(const std::string& printed_at) {
  return Enqueue(PrintJobKind::kTestPage, [this, printed_at]() -> Result<printer::Raster> {
    // The state goes on the page; a printer that cannot print fails the job in Print() anyway.
    auto state = printer_->QueryStatus();
    printer::TestPage page;
    page.uri = uri_;
    page.state_text = state.ok() ? printer::PaperStateTextVi(*state) : state.status().message_vi();
    page.printed_at = printed_at;
    return pages_->Test(page);
  });
}

CardWorkerService::CardWorkerService(std::unique_ptr<card::CardReader> reader, EventQueue& events,
                                     std::shared_ptr<DeviceStates> states) {
  // The sink runs on the card worker's thread only: `watch_failure` needs no lock.
  auto sink = [&events, states, watch_failure = std::optional<card::CardFailure>()](card::CardWorkerEvent e) mutable {
    switch (e.kind) {
      case card::CardWorkerEvent::Kind::kDevice:
        watch_failure.reset();
        if (states) states->SetCardReader(e.device.kind == card::CardEventKind::kReaderRemoved ? "no_reader" : "ok");
        if (e.device.kind == card::CardEventKind::kCardInserted) events.Push(CardPresence{true});
        if (e.device.kind == card::CardEventKind::kCardRemoved) events.Push(CardPresence{false});
        break;
      case card::CardWorkerEvent::Kind::kReadFinished: {
        CardReadFinished done;
        done.request_id = e.request;
        if (e.identity) {
          done.identity = std::move(e.identity);
          // The face (asked for by the staff screen only) is decoded here, off the UI thread; its
          // JPEG 2000 bytes are zeroed and never leave the worker.
          if (!done.identity->face_jp2.empty()) {
            auto face = card::DecodeFaceImage(done.identity->face_jp2);
            if (face.ok()) {
              done.face = std::move(*face);
            } else {
              done.face_status = face.status();
            }
            SecureWipe(done.identity->face_jp2);
          }
        } else if (e.error) {
          done.status = e.error->status;
          done.failure = e.error->kind;
        } else {
          done.status = Status::Error(Code::kInternal, "read ended without identity or error");
          done.failure = card::CardFailure::kReadError;
        }
        events.Push(std::move(done));
        break;
      }
      case card::CardWorkerEvent::Kind::kDeviceError:
        // Watching failed (pcscd down, no reader); retried every second. Logged once per kind,
        // for the technician (codes only). A read asked for meanwhile fails with its own kind,
        // which the screen tells the citizen.
        if (states && e.error) {
          const bool none =
              e.error->kind == card::CardFailure::kNoReader || e.error->kind == card::CardFailure::kReaderGone;
          states->SetCardReader(none ? "no_reader" : "error");
        }
        if (e.error && watch_failure != e.error->kind) {
          watch_failure = e.error->kind;
          std::cerr << "kiosk: card reader watch (" << card::CardFailureName(e.error->kind)
                    << "): " << e.error->status.ToString() << "\n";
        }
        break;
      case card::CardWorkerEvent::Kind::kProgress: break;  // the screen shows "reading…" without a bar
    }
  };
  worker_ = std::make_unique<card::CardWorker>(std::move(reader), std::move(sink));
}

CardWorkerService::~CardWorkerService() = default;

uint64_t CardWorkerService::Read(const card::AccessKey& key) {
  return worker_->RequestRead(key);
}

void CardWorkerService::Cancel() {
  worker_->CancelRead();
}

}  // namespace mck::app
