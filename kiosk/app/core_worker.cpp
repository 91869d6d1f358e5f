#include "kiosk/app/core_worker.h"

#include <iostream>

#include "kiosk/core/decide.h"
#include "kiosk/core/decision_signer.h"
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
    : options_(std::move(options)), catalog_(std::move(catalog)), events_(events) {
  // The store is opened, used and closed on the worker's thread only.
  worker_.Post([this] {
    auto opened = Store::Open(options_.store);
    if (opened.ok()) {
      store_ = std::move(opened.value());
    } else {
      std::cerr << "kiosk: core worker: store: " << opened.status().ToString() << "\n";
    }
  });
}

CoreWorker::~CoreWorker() {
  // Requests already made still run (a dossier the citizen submitted is stored), then the store
  // closes on its own thread.
  worker_.Post([this] { store_.reset(); });
  worker_.Stop();
}

uint64_t CoreWorker::Enqueue(std::function<void(Store*, uint64_t id)> job) {
  const uint64_t id = next_id_++;
  // Post refuses only once Stop() has begun, i.e. in the destructor, after the last request.
  worker_.Post([this, id, job = std::move(job)] { job(store_.get(), id); });
  return id;
}

uint64_t CoreWorker::Submit(nlohmann::json body, std::vector<NewAttachment> attachments) {
  return Enqueue([this, body = std::move(body), attachments = std::move(attachments)](Store* store,
                                                                                         uint64_t id) mutable {
    SubmitFinished done{id, {}};
    if (options_.submitter) {
      done.outcome = options_.submitter->Submit(body, std::move(attachments));
    } else if (!store) {
      done.outcome.problem = core::SubmitOutcome::Problem::kNotStored;
      done.outcome.status = NoStore();
    } else {
      done.outcome = core::DossierSubmission(*store, catalog_, *options_.config, *options_.clock).Submit(body, std::move(attachments));
    }
    for (auto& a : attachments) SecureWipe(a.data);  // not handed on (no store): wiped here
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

uint64_t CoreWorker::Decide(std::string client_id, CounterDecision decision, std::string token_pin,
                            std::string officer_name) {
  return Enqueue([this, client_id, decision = std::move(decision), pin = std::move(token_pin),
                  officer_name = std::move(officer_name)](Store* store, uint64_t id) mutable {
    DecisionRecorded done{id, NoStore(), std::nullopt, std::nullopt};
    if (store && pin.empty()) {
      done.decision =
          core::CounterDecisions(*store, catalog_, *options_.config, *options_.clock).Record(client_id, decision);
    } else if (store) {
      core::DecisionSigner signer(*options_.config, std::move(pin), *options_.clock);
      signer.ExpectSigner(officer_name);
      done.decision = core::CounterDecisions(*store, catalog_, *options_.config, *options_.clock)
                          .Record(client_id, decision, signer.Hook());
      done.refusal = signer.refusal();
      done.signed_by = signer.signed_by();
    }
    SecureWipe(pin);
    SecureWipe(decision.reason);
    for (auto& a : decision.attachments) SecureWipe(a.data);  // the counter's scans: stored now, or not
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

uint64_t CoreWorker::CheckPin(std::string pin, PinRole role) {
  return Enqueue([this, role, pin = std::move(pin)](Store* store, uint64_t id) mutable {
    // PBKDF2 (~0.1 s per try) here, never on the UI thread.
    PinChecked done;
    done.request_id = id;
    done.role = role;
    done.result = NoStore();
    PinPolicy policy = options_.pin;
    policy.max_attempts = options_.config->pin_max_attempts;
    policy.lockout = std::chrono::seconds(options_.config->pin_lockout_s);
    if (store) done.result = StaffAuth(*store, *options_.clock, policy, role).Verify(pin);
    SecureWipe(pin);
    events_.Push(std::move(done));
  });
}

uint64_t CoreWorker::CheckOfficerPin(std::string officer_id, std::string pin) {
  return Enqueue([this, officer_id = std::move(officer_id), pin = std::move(pin)](Store* store, uint64_t id) mutable {
    PinChecked done;
    done.request_id = id;
    done.officer_id = officer_id;
    OfficerPinPolicy policy;
    policy.iterations = options_.pin.iterations;
    policy.max_attempts = options_.config->pin_max_attempts;
    policy.lockout = std::chrono::seconds(options_.config->pin_lockout_s);
    done.officer = store ? store->officers().SignIn(officer_id, pin, policy) : Result<OfficerSignIn>(NoStore());
    if (store && done.officer->ok() && (*done.officer)->check == OfficerCheck::kUseToken) {
      // Signs in with the signing token: the token checks its PIN and proves the key, the
      // certificate must name them (kiosk/core/decision_signer.h).
      core::SigningRefusal why;
      auto proof = core::ProveOfficerToken(*options_.config, std::move(pin), *options_.clock, officer_id,
                                           (*done.officer)->officer.name, &why);
      if (proof.ok()) {
        done.officer = store->officers().SignedInWithToken(officer_id, proof->serial_hex);
      } else {
        why.status = proof.status();
        done.token_refusal = why;
      }
    }
    SecureWipe(pin);
    events_.Push(std::move(done));
  });
}

uint64_t CoreWorker::AskHelp(std::string screen) {
  return Enqueue([this, screen = std::move(screen)](Store* store, uint64_t id) {
    HelpAsked done{id, NoStore()};
    if (store) done.asked = store->help().Ask(screen);
    events_.Push(std::move(done));
  });
}

uint64_t CoreWorker::DismissHelp(int64_t help_id, std::string actor) {
  return Enqueue([this, help_id, actor = std::move(actor)](Store* store, uint64_t id) {
    HelpDismissed done{id, NoStore()};
    if (store) {
      store->SetStaffActor(actor);
      done.dismissed = store->help().Dismiss(help_id);
      store->SetStaffActor("staff");
    }
    events_.Push(std::move(done));
  });
}

}  // namespace mck::app
