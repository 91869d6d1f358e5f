// The citizen's requests: submit, the slip, a queue ticket, a look-up, a rating. The store
// writes go to the core worker (core_worker.h) and come back as events; the screen shows
// "Đang lưu…" meanwhile.
#include <iostream>

#include "kiosk/app/app.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/core/counters.h"
#include "kiosk/core/documents.h"
#include "kiosk/core/lookup.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

namespace mck::app {

using internal::StartsWith;

void App::On(const intent::Submit&) {
  // A second tap never makes a second dossier: not while one is being stored, nor after.
  if (citizen_.session.submitted || citizen_.submit_request != 0) return;
  Unfocus();
  citizen_.notice.clear();
  // Each scanned paper goes with it as "<document id>.pdf" (stored sealed, uploaded resumably).
  citizen_.submit_request = deps_.core->Submit(BuildDossierBody(), ScanAttachments());
}

void App::OnSubmitted(SubmitFinished e) {
  core::SubmitOutcome& outcome = e.outcome;
  if (e.request_id != citizen_.submit_request || citizen_.screen != ScreenId::kReview) {
    // The session ended while the store worked: the dossier is stored and queued (or not), and
    // nothing of it is shown or printed for whoever stands here now.
    core::WipeDocument(outcome.slip);
    if (outcome.stored() && deps_.outbox_changed) deps_.outbox_changed();
    if (e.request_id == citizen_.submit_request) citizen_.submit_request = 0;
    return;
  }
  citizen_.submit_request = 0;
  if (outcome.problem == core::SubmitOutcome::Problem::kInvalid) {
    // Send the citizen back to the first screen with a problem, messages under the fields.
    bool applicant_bad = false;
    for (const auto& err : outcome.errors) applicant_bad = applicant_bad || StartsWith(err.field, "applicant.");
    ValidateApplicant();
    ValidateForm();
    Go(applicant_bad ? ScreenId::kApplicant : ScreenId::kForm);
    citizen_.notice = "review.fix_errors";
    return;
  }
  if (!outcome.stored()) {
    // Nothing was stored: the citizen stays on the review with everything typed, and may try
    // again or ask at the counter.
    std::cerr << "kiosk: submit failed: " << outcome.status.ToString() << "\n";
    citizen_.notice = "submit.failed";
    return;
  }
  // Durable now: only from here may the screen say "Đã nộp hồ sơ".
  citizen_.session.submitted = outcome.dossier;
  if (deps_.outbox_changed) deps_.outbox_changed();
  Go(ScreenId::kSubmitted);
  citizen_.history.clear();  // no way back into an already submitted dossier
  if (!outcome.slip_status.ok()) {
    std::cerr << "kiosk: slip not assembled: " << outcome.slip_status.ToString() << "\n";
    citizen_.receipt.Fail("receipt.print_failed");
    return;
  }
  citizen_.slip = std::move(outcome.slip);
  if (!deps_.printer) {
    citizen_.receipt.Fail("printer.not_configured");
    return;
  }
  PrintSlip();
}

void App::On(const intent::ReprintReceipt&) {
  if (citizen_.session.submitted && citizen_.slip && !citizen_.receipt.running() && deps_.printer) PrintSlip();
}

void App::PrintSlip() {
  citizen_.receipt.Start(deps_.printer->PrintReceipt(*citizen_.slip), PrintJob::What::kSlip);
}

void App::On(const intent::TakeTicket& in) {
  if (citizen_.ticket_request != 0) return;  // one number per tap
  citizen_.ticket.reset();
  TicketView view;
  view.counter = in.counter;
  view.counter_name = core::CounterName(catalog_, in.counter);
  if (!deps_.printer) {
    // A number is issued only when it is printed: without a printer there is none to give.
    view.print.Fail("printer.not_configured");
    citizen_.ticket = view;
    return;
  }
  std::optional<std::string> linked;
  if (citizen_.session.submitted) linked = citizen_.session.submitted->client_id;
  view.reserving = true;
  citizen_.ticket = view;
  citizen_.ticket_request = deps_.core->ReserveTicket(in.counter, linked);
}

void App::OnTicketReserved(TicketReserved e) {
  if (e.request_id != citizen_.ticket_request) return;
  citizen_.ticket_request = 0;
  if (!e.ticket.ok()) {
    std::cerr << "kiosk: ticket reservation failed: " << e.ticket.status().ToString() << "\n";
    if (citizen_.ticket) {
      citizen_.ticket->reserving = false;
      citizen_.ticket->print.Fail("ticket.failed");
    }
    return;
  }
  const core::ReservedTicket& t = *e.ticket;
  if (!citizen_.ticket) {
    // The citizen left while the number was reserved: it stays pending (never issued, never
    // called), and no ticket prints for whoever stands here now.
    std::cerr << "kiosk: ticket " << t.display << " reserved after the session ended; left pending\n";
    return;
  }
  citizen_.ticket_record = t.ticket;
  const uint64_t job = deps_.printer->PrintTicket(t.document);
  citizen_.ticket_job = job;
  TicketView& view = *citizen_.ticket;
  view.reserving = false;
  view.number = t.ticket.number;
  view.counter = t.ticket.counter;
  view.counter_name = t.document.counter_label;
  view.waiting_before = t.document.waiting_before;
  view.come_back_at = t.document.come_back_at;
  view.print.Start(job, PrintJob::What::kTicket);
}

void App::On(const intent::Lookup&) {
  DoLookup();
}

void App::DoLookup() {
  Unfocus();
  LookupView& view = citizen_.lookup;
  view = LookupView{};
  view.searched = true;
  if (Trim(Value("lookup")).empty()) {
    view.error_key = "lookup.empty";
    return;
  }
  // Every attempt counts, per citizen and per kiosk minute (kiosk/core/lookup.h).
  if (Status admitted = lookup_throttle_.Admit(); !admitted.ok()) {
    view.error_key = "lookup.too_many";
    return;
  }
  // A short read on the UI thread's own connection. A code needs the applicant's date of birth;
  // the receipt's QR (its client id) alone is enough.
  auto r = core::DossierLookup(*deps_.store, catalog_)
               .ForCitizen(Value("lookup"), internal::DateDigitsToIso(Value("lookup.dob")));
  if (!r.ok()) {
    const Code code = r.status().code();
    view.error_key = code == Code::kInvalidArgument      ? "lookup.empty"
                     : code == Code::kFailedPrecondition ? "lookup.need_dob"
                     : code == Code::kNotFound           ? "lookup.not_found"
                                                         : "lookup.failed";
    if (code != Code::kNotFound && code != Code::kInvalidArgument && code != Code::kFailedPrecondition)
      std::cerr << "kiosk: lookup: " << r.status().ToString() << "\n";
    return;
  }
  view.found = true;
  view.provisional_code = r->provisional_code;
  view.dossier_code = r->dossier_code;
  view.procedure_name = r->procedure_name;
  view.state = r->state;
  view.portal_status = r->portal_status;
  view.appointment_date = r->appointment_date;
  view.submitted_at = r->submitted_at;
  if (deps_.portal) {
    citizen_.lookup_request = deps_.portal->Lookup(r->portal_key);
    view.portal = JobState::kRunning;
  }
}

void App::On(const intent::SubmitRating&) {
  if (citizen_.rating_request != 0) return;
  if (citizen_.session.rating_scores.empty()) {
    citizen_.notice = "rating.choose_one";
    return;
  }
  core::RatingInput r;
  if (citizen_.session.submitted) r.dossier_code = citizen_.session.submitted->provisional_code;
  if (const Procedure* p = procedure()) r.counter = p->counter;
  r.scores = citizen_.session.rating_scores;
  r.comment = Trim(Value("rating.comment"));
  citizen_.notice.clear();
  citizen_.rating_request = deps_.core->Rate(std::move(r));
}

void App::OnRatingStored(const RatingStored& e) {
  if (e.request_id != citizen_.rating_request) return;
  citizen_.rating_request = 0;
  if (!e.status.ok()) {
    std::cerr << "kiosk: rating not stored: " << e.status.ToString() << "\n";
    citizen_.notice = "rating.failed";
    return;
  }
  if (deps_.outbox_changed) deps_.outbox_changed();
  if (citizen_.screen != ScreenId::kRating) return;  // the session ended meanwhile
  citizen_.session.rating_done = true;
  Go(ScreenId::kThanks);
}

}  // namespace mck::app
