#include "kiosk/app/core_worker.h"

#include <iostream>

#include "kiosk/core/decide.h"
#include "kiosk/core/documents.h"
#include "kiosk/core/tickets.h"
#include "offline/domain/ids.h"

namespace mck::app {
namespace {

Status NoStore() {
  return Status::Error(Code::kUnavailable, "the core worker could not open the store",
                       "Chưa mở được dữ liệu của máy. Xin báo cán bộ tại quầy.");
}

}  // namespace

CoreWorker::CoreWorker(CoreWorkerOptions options, Catalog catalog, EventQueue& events)
    : options_(std::move(options)), catalog_(std::move(catalog)), events_(events), thread_([this] { Run(); }) {}

CoreWorker::~CoreWorker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

uint64_t CoreWorker::Enqueue(std::function<void(Store*, uint64_t id)> job) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = next_id_++;
    jobs_.push_back([id, job = std::move(job)](Store* store) { job(store, id); });
  }
  cv_.notify_all();
  return id;
}

void CoreWorker::Run() {
  auto opened = Store::Open(options_.store);
  std::unique_ptr<Store> store;
  if (opened.ok()) {
    store = std::move(opened.value());
  } else {
    std::cerr << "kiosk: core worker: store: " << opened.status().ToString() << "\n";
  }
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stop requested and nothing left to do
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job(store.get());
  }
}

uint64_t CoreWorker::Submit(nlohmann::json body) {
  return Enqueue([this, body = std::move(body)](Store* store, uint64_t id) mutable {
    SubmitFinished done{id, {}};
    if (options_.submitter) {
      done.outcome = options_.submitter->Submit(body, {});
    } else if (!store) {
      done.outcome.problem = core::SubmitOutcome::Problem::kNotStored;
      done.outcome.status = NoStore();
    } else {
      done.outcome = core::DossierSubmission(*store, catalog_, *options_.config, *options_.clock).Submit(body, {});
    }
    core::WipeBody(body);
    events_.Push(std::move(done));
  });
}

uint64_t CoreWorker::ReserveTicket(std::string counter, std::optional<std::string> dossier_client_id) {
  return Enqueue([this, counter, dossier_client_id](Store* store, uint64_t id) {
    TicketReserved done{id, NoStore()};
    if (store) done.ticket = core::TicketDesk(*store, catalog_, *options_.config).Reserve(counter, dossier_client_id);
    events_.Push(std::move(done));
  });
}

uint64_t CoreWorker::RecordTicketPrint(Ticket ticket, Status printed) {
  return Enqueue([this, ticket, printed](Store* store, uint64_t id) {
    Status st = store ? core::TicketDesk(*store, catalog_, *options_.config).RecordPrint(ticket, printed) : NoStore();
    if (!st.ok()) std::cerr << "kiosk: ticket state: " << st.ToString() << "\n";
    events_.Push(TicketPrintRecorded{id, st});
  });
}

uint64_t CoreWorker::Decide(std::string client_id, CounterDecision decision) {
  return Enqueue([this, client_id, decision = std::move(decision)](Store* store, uint64_t id) mutable {
    DecisionRecorded done{id, NoStore()};
    if (store) {
      done.decision =
          core::CounterDecisions(*store, catalog_, *options_.config, *options_.clock).Record(client_id, decision);
    }
    SecureWipe(decision.reason);
    events_.Push(std::move(done));
  });
}

uint64_t CoreWorker::Rate(core::RatingInput rating) {
  return Enqueue([this, rating = std::move(rating)](Store* store, uint64_t id) mutable {
    RatingStored done{id, NoStore()};
    if (store) {
      auto key = core::SubmitRating(*store, std::move(rating));
      done.status = key.ok() ? Status::Ok() : key.status();
    }
    SecureWipe(rating.comment);
    events_.Push(std::move(done));
  });
}

uint64_t CoreWorker::CheckPin(std::string pin) {
  return Enqueue([this, pin = std::move(pin)](Store* store, uint64_t id) mutable {
    // PBKDF2 (~0.1 s per try) here, never on the UI thread.
    PinChecked done{id, NoStore()};
    PinPolicy policy = options_.pin;
    policy.max_attempts = options_.config->pin_max_attempts;
    policy.lockout = std::chrono::seconds(options_.config->pin_lockout_s);
    if (store) done.result = StaffAuth(*store, *options_.clock, policy).Verify(pin);
    SecureWipe(pin);
    events_.Push(std::move(done));
  });
}

}  // namespace mck::app
