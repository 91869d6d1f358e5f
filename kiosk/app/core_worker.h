// The kiosk's store writes and the staff PIN's key derivation, off the UI thread: the App asks
// the CoreService, which runs the use cases (kiosk/core/) and answers with an event on the
// EventQueue (SubmitFinished, TicketReserved, DecisionRecorded, RatingStored, PinChecked,
// HelpAsked, HelpDismissed). The screen meanwhile shows a calm "Đang lưu…".
//
//   CoreWorker  one thread with its OWN Store connection (opened on that thread), running the
//               requests in order. Short reads (look-up, staff lists, a reprint's document) stay
//               on the UI thread's connection, as DESIGN.md allows.
//
// Thread-safety: call from the UI thread; events are posted from the worker thread. The
// destructor finishes the requests already queued, then joins.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "kiosk/app/event_queue.h"
#include "kiosk/core/rating.h"
#include "kiosk/core/submit.h"
#include "offline/domain/config.h"
#include "offline/domain/decision.h"
#include "offline/domain/worker.h"
#include "offline/store/staff_auth.h"

namespace mck::app {

class CoreService {
 public:
  virtual ~CoreService() = default;
  // Each returns a request id; the matching event follows.
  // SubmitFinished. The attachments (scanned papers) are stored with it and wiped.
  virtual uint64_t Submit(nlohmann::json body, std::vector<NewAttachment> attachments = {}) = 0;
  virtual uint64_t ReserveTicket(std::string counter, std::optional<std::string> dossier_client_id) = 0;
  // The printer's answer for a reserved or reprinted ticket: issued or print_failed
  // (TicketPrintRecorded; a failure is logged: the staff screen lists what is still print_failed).
  virtual uint64_t RecordTicketPrint(Ticket ticket, Status printed) = 0;
  // DecisionRecorded. A `token_pin`: signed on the officer's token first (DecisionSigner), the PIN
  // wiped once used; nothing recorded unless signed.
  // `officer_name`: the signed-in officer, whose certificate it must be (DecisionSigner::ExpectSigner).
  virtual uint64_t Decide(std::string client_id, CounterDecision decision, std::string token_pin = {},
                          std::string officer_name = {}) = 0;
  virtual uint64_t Rate(core::RatingInput rating) = 0;                           // RatingStored
  // PinChecked; the technician's PIN (technician mode) has its own count and lock-out.
  virtual uint64_t CheckPin(std::string pin, PinRole role = PinRole::kStaff) = 0;
  // An officer's own PIN (PinChecked with `officer` set): their count and lock-out.
  virtual uint64_t CheckOfficerPin(std::string officer_id, std::string pin) = 0;
  // A citizen's "Gọi cán bộ hỗ trợ" from `screen` (HelpAsked: the open request, new or found).
  virtual uint64_t AskHelp(std::string screen) = 0;
  // Staff have helped (HelpDismissed); the audit row names `actor` (Store::SetStaffActor).
  virtual uint64_t DismissHelp(int64_t help_id, std::string actor) = 0;
};

struct CoreWorkerOptions {
  StoreOptions store;  // the worker opens its own connection on the same directory
  const KioskConfig* config = nullptr;
  const Clock* clock = nullptr;
  PinPolicy pin;  // its attempts and lock-out are read from `config` at each check
  // How dossiers are submitted; null: the use case over the worker's store. Tests put a fake
  // here (the store refusing), which the worker then calls on its thread.
  core::DossierSubmitter* submitter = nullptr;
};

class CoreWorker final : public CoreService {
 public:
  // `catalog` is copied: the worker validates against the same catalog the screens show.
  CoreWorker(CoreWorkerOptions options, Catalog catalog, EventQueue& events);
  ~CoreWorker() override;

  uint64_t Submit(nlohmann::json body, std::vector<NewAttachment> attachments = {}) override;
  uint64_t ReserveTicket(std::string counter, std::optional<std::string> dossier_client_id) override;
  uint64_t RecordTicketPrint(Ticket ticket, Status printed) override;
  uint64_t Decide(std::string client_id, CounterDecision decision, std::string token_pin = {},
                  std::string officer_name = {}) override;
  uint64_t Rate(core::RatingInput rating) override;
  uint64_t CheckPin(std::string pin, PinRole role = PinRole::kStaff) override;
  uint64_t CheckOfficerPin(std::string officer_id, std::string pin) override;
  uint64_t AskHelp(std::string screen) override;
  uint64_t DismissHelp(int64_t help_id, std::string actor) override;

 private:
  uint64_t Enqueue(std::function<void(Store*, uint64_t id)> job);

  CoreWorkerOptions options_;
  Catalog catalog_;
  EventQueue& events_;
  uint64_t next_id_ = 1;                                // UI thread only
  std::unique_ptr<Store> store_;                        // worker thread only; null when it could not be opened
  Worker worker_{"core", Worker::AtStop::kRunPending};  // last: its thread uses the members above
};

}  // namespace mck::app
