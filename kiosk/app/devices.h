// Device workers: one thread per blocking device, each owning its driver object, taking
// commands from the UI thread and posting results to the EventQueue (DESIGN.md, "Threads").
//
//   PrinterWorker  PrintService over a printer::Printer: asks the printer's state first (DLE
//                  EOT), builds the page, prints, and reports PrintFinished. A printer that is
//                  out of paper or offline fails the job with the driver's Status. Between jobs it
//                  asks the state every kStatePoll and records it in DeviceStates (monitoring).
//   CardWorkerService  CardService over drivers/card's CardWorker: watches for cards
//                  (CardPresence) and runs chip reads (CardReadFinished).
// Both run on an mck::Worker and join it in the destructor (the printer after printing what was
// already queued, the card reader after Cancel()), so no event is posted into a destroyed queue.
// Pages are built on the worker: the UI thread never waits for them.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "drivers/card/card_reader.h"
#include "drivers/card/card_worker.h"
#include "drivers/printer/printer.h"
#include "kiosk/app/device_states.h"
#include "kiosk/app/event_queue.h"
#include "kiosk/app/services.h"
#include "offline/domain/worker.h"

namespace mck::app {

// Turns what a receipt or ticket says into a page for the printer (the printer family's
// document builders). Called on the printer worker thread.
class PageBuilder {
 public:
  virtual ~PageBuilder() = default;
  virtual Result<printer::Raster> Receipt(const printer::KioskSlip& s) = 0;
  virtual Result<printer::Raster> Ticket(const printer::QueueTicketInfo& t) = 0;
  virtual Result<printer::Raster> Official(const printer::OfficialReceipt& r) = 0;
  virtual Result<printer::Raster> Fee(const printer::FeeReceipt& r) = 0;
  virtual Result<printer::Raster> Test(const printer::TestPage& p) = 0;  // p.width_dots is filled in
};

class PrinterWorker final : public PrintService {
 public:
  static constexpr std::chrono::seconds kStatePoll{60};
  // `states` (may be null) gets the printer's state after each job and every kStatePoll between.
  PrinterWorker(std::unique_ptr<printer::Printer> printer, std::unique_ptr<PageBuilder> pages, EventQueue& events,
                std::shared_ptr<DeviceStates> states = nullptr);
  ~PrinterWorker() override;
  uint64_t PrintReceipt(const printer::KioskSlip& slip) override;
  uint64_t PrintTicket(const printer::QueueTicketInfo& ticket) override;
  uint64_t PrintOfficialReceipt(const printer::OfficialReceipt& receipt) override;
  uint64_t PrintFeeReceipt(const printer::FeeReceipt& receipt) override;
  uint64_t PrintTestPage(const std::string& printed_at) override;
  void set_uri(std::string uri) { uri_ = std::move(uri); }  // named on the test page

 private:
  std::string uri_;
  uint64_t Enqueue(PrintJobKind kind, std::function<Result<printer::Raster>()> build);
  void RecordState();  // on the worker
  void PollState();    // on the worker: records, waits kStatePoll or for a job, posts itself again

  std::unique_ptr<printer::Printer> printer_;
  std::unique_ptr<PageBuilder> pages_;
  EventQueue& events_;
  std::shared_ptr<DeviceStates> states_;
  std::atomic<uint64_t> next_id_{1};
  // Last: its jobs use the members above. At stop it prints what was queued (a promised ticket).
  Worker worker_{"printer", Worker::AtStop::kRunPending};
};

// CardService over drivers/card's CardWorker (its own thread per reader): device changes and
// read results become CardPresence / CardReadFinished events on the queue.
class CardWorkerService final : public CardService {
 public:
  // `states` (may be null) gets the reader's state: ok when a reader is there, no_reader, error.
  CardWorkerService(std::unique_ptr<card::CardReader> reader, EventQueue& events,
                    std::shared_ptr<DeviceStates> states = nullptr);
  ~CardWorkerService() override;
  uint64_t Read(const card::AccessKey& key) override;
  void Cancel() override;

 private:
  std::unique_ptr<card::CardWorker> worker_;
};

}  // namespace mck::app
