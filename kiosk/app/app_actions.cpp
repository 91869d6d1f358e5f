// The App's actions that reach the Store: submit, queue tickets, look-up, rating, staff mode.
#include "kiosk/app/app.h"

#include <algorithm>
#include <iostream>
#include <map>

#include "drivers/printer/dossier_documents.h"
#include "kiosk/app/app_internal.h"
#include "offline/domain/decision.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"
#include "offline/domain/validation.h"
#include "offline/store/staff_auth.h"

namespace mck::app {

using internal::DateDigitsToIso;
using internal::IsoToDateDigits;
using internal::StartsWith;
using nlohmann::json;

void App::Submit() {
  if (session_.submitted) return;  // a second tap never makes a second dossier
  auto v = ValidateDossier(catalog_, BuildDossierBody(), VietnamDate(deps_.clock->Now()));
  if (!v.ok()) {
    // Send the citizen back to the first screen with a problem, messages under the fields.
    bool applicant_bad = false;
    for (const auto& e : v.errors) applicant_bad = applicant_bad || StartsWith(e.field, "applicant.");
    ValidateApplicant();
    ValidateForm();
    Go(applicant_bad ? ScreenId::kApplicant : ScreenId::kForm);
    notice_ = "review.fix_errors";
    return;
  }
  auto stored = deps_.store->dossiers().Submit(v.body, {}, catalog_.version);
  if (!stored.ok()) {
    std::cerr << "kiosk: submit failed: " << stored.status().ToString() << "\n";
    notice_ = "submit.failed";
    return;
  }
  // Durable now: only from here may the screen say "Đã nộp hồ sơ".
  session_.submitted = stored.value();
  if (deps_.outbox_changed) deps_.outbox_changed();
  Go(ScreenId::kSubmitted);
  history_.clear();  // no way back into an already submitted dossier
  if (!deps_.printer) {
    receipt_print_ = JobState::kFailed;
    receipt_error_ = "printer.not_configured";
    return;
  }
  Apply(Intent{Intent::Kind::kReprintReceipt});
}

void App::StartTicket(const std::string& counter) {
  ticket_.reset();
  TicketView view;
  view.counter = counter;
  for (const auto& p : catalog_.procedures) {
    if (p.counter == counter) {
      view.counter_name = p.field;
      break;
    }
  }
  if (!deps_.printer) {
    // A number is issued only when it is printed: without a printer there is none to give.
    view.print = JobState::kFailed;
    view.error_key = "printer.not_configured";
    ticket_ = view;
    return;
  }
  auto waiting = deps_.store->tickets().Waiting(counter);
  std::optional<std::string> linked;
  if (session_.submitted) linked = session_.submitted->client_id;
  auto t = deps_.store->tickets().Reserve(counter, linked);
  if (!t.ok()) {
    std::cerr << "kiosk: ticket reservation failed: " << t.status().ToString() << "\n";
    view.print = JobState::kFailed;
    view.error_key = "ticket.failed";
    ticket_ = view;
    return;
  }
  view.number = t->number;
  view.waiting_before = waiting.ok() ? *waiting : 0;
  view.print = JobState::kRunning;
  TicketData data;
  data.commune_name = config().commune_name;
  data.counter = counter;
  data.counter_name = view.counter_name;
  data.number = t->number;
  data.waiting_before = view.waiting_before;
  data.issued_at = t->issued_at;
  if (session_.submitted) data.provisional_code = session_.submitted->provisional_code;
  ticket_id_ = t->id;
  ticket_job_ = deps_.printer->PrintTicket(data);
  ticket_ = view;
}

void App::DoLookup() {
  Unfocus();
  lookup_ = LookupView{};
  lookup_.searched = true;
  std::string code = Trim(Value("lookup"));
  for (auto& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (IsUuid(Trim(Value("lookup")))) code = Trim(Value("lookup"));  // a QR carries the client id
  if (code.empty()) {
    lookup_.error_key = "lookup.empty";
    return;
  }
  auto rec = deps_.store->dossiers().Get(code);
  if (!rec.ok()) {
    lookup_.error_key = rec.status().code() == Code::kNotFound ? "lookup.not_found" : "lookup.failed";
    if (rec.status().code() != Code::kNotFound) std::cerr << "kiosk: lookup: " << rec.status().ToString() << "\n";
    return;
  }
  lookup_.found = true;
  lookup_.provisional_code = rec->provisional_code;
  lookup_.dossier_code = rec->dossier_code.value_or("");
  const Procedure* p = catalog_.Find(rec->procedure_code);
  lookup_.procedure_name = p ? p->name : rec->procedure_code;
  lookup_.state = DossierStateName(rec->state);
  lookup_.portal_status = rec->portal_status.value_or("");
  lookup_.appointment_date = rec->appointment_date.value_or("");
  lookup_.submitted_at = rec->submitted_at;
  if (deps_.portal) {
    // The portal knows it by its official code once accepted, and by its client id before.
    lookup_request_ = deps_.portal->Lookup(rec->dossier_code.value_or(rec->client_id));
    lookup_.portal = JobState::kRunning;
  }
}

void App::DoRating() {
  if (session_.rating_scores.empty()) {
    notice_ = "rating.choose_one";
    return;
  }
  Rating r;
  if (session_.submitted) r.dossier_code = session_.submitted->provisional_code;
  if (const Procedure* p = procedure()) r.counter = p->counter;
  r.scores = json::object();
  for (const auto& [k, v] : session_.rating_scores) r.scores[k] = v;
  r.comment = Trim(Value("rating.comment"));
  auto key = deps_.store->ratings().Submit(r);
  SecureWipe(r.comment);
  if (!key.ok()) {
    std::cerr << "kiosk: rating not stored: " << key.status().ToString() << "\n";
    notice_ = "rating.failed";
    return;
  }
  session_.rating_done = true;
  if (deps_.outbox_changed) deps_.outbox_changed();
  Go(ScreenId::kThanks);
}

// ---- staff mode -----------------------------------------------------------------------------

void App::StaffUnlock() {
  Unfocus();
  std::string pin = Value("staff.pin");
  if (auto it = session_.values.find("staff.pin"); it != session_.values.end()) SecureWipe(it->second);
  PinPolicy policy;
  policy.max_attempts = config().pin_max_attempts;
  policy.lockout = std::chrono::seconds(config().pin_lockout_s);
  // PBKDF2 (~0.1 s) on the UI thread: a deliberate pause on a staff action, not a citizen's.
  StaffAuth auth(*deps_.store, *deps_.clock, policy);
  auto r = auth.Verify(pin);
  SecureWipe(pin);
  if (!r.ok()) {
    std::cerr << "kiosk: staff PIN check failed: " << r.status().ToString() << "\n";
    pin_message_ = "staff.pin_error";
  } else if (r->check == PinCheck::kOk) {
    staff_unlocked_ = true;
    pin_message_.clear();
    Go(ScreenId::kStaff);
    history_.clear();
    RefreshStaff();
    return;
  } else if (r->check == PinCheck::kWrong) {
    pin_message_ = "staff.pin_wrong";
    pin_message_number_ = r->attempts_left;
  } else if (r->check == PinCheck::kLocked) {
    pin_message_ = "staff.pin_locked";
    pin_message_number_ = static_cast<int>((r->locked_for_s + 59) / 60);
  } else {
    pin_message_ = "staff.pin_not_set";
  }
  Focus("staff.pin", InputKind::kDigits);
}

void App::RefreshStaff() {
  // Only what is read from the store is rebuilt; the last message and reprint state stay.
  staff_.counters.clear();
  staff_.dossiers.clear();
  staff_.failed_tickets.clear();
  for (const auto& c : catalog_.Counters()) {
    StaffView::Counter row;
    row.counter = c;
    for (const auto& p : catalog_.procedures) {
      if (p.counter == c && row.name.find(p.field) == std::string::npos)
        row.name += (row.name.empty() ? "" : ", ") + p.field;
    }
    auto w = deps_.store->tickets().Waiting(c);
    row.waiting = w.ok() ? *w : 0;
    staff_.counters.push_back(row);
  }
  const std::string today = FormatDate(VietnamDate(deps_.clock->Now()));
  auto list = deps_.store->dossiers().List();
  if (list.ok()) {
    for (auto& d : *list) {
      const bool pending = d.state != DossierState::kAccepted;
      if (!pending && d.submitted_at.compare(0, today.size(), today) != 0) continue;
      staff_.dossiers.push_back(std::move(d));
    }
    std::sort(staff_.dossiers.begin(), staff_.dossiers.end(),
              [](const DossierSummary& a, const DossierSummary& b) { return a.id > b.id; });
  } else {
    std::cerr << "kiosk: staff list: " << list.status().ToString() << "\n";
  }
  auto failed = deps_.store->tickets().Today(TicketState::kPrintFailed);
  if (failed.ok()) staff_.failed_tickets = std::move(*failed);
}

namespace {
// Zeroes every string in a decrypted dossier body before it is freed.
void WipeJson(json& j) {
  if (j.is_string()) {
    SecureWipe(j.get_ref<std::string&>());
  } else if (j.is_structured()) {
    for (auto& v : j) WipeJson(v);
  }
}
}  // namespace

bool App::StaffMayPrint() {
  if (staff_job_ != 0) return false;  // one staff print at a time: a second tap does not print twice
  staff_.called.clear();
  staff_.detail_vi.clear();
  staff_.detail_en.clear();
  if (!deps_.printer) {
    staff_.message_key = "printer.not_configured";
    staff_.reprint = JobState::kFailed;
    return false;
  }
  return true;
}

void App::StaffReprintReceipt(const std::string& client_id) {
  if (!StaffMayPrint()) return;
  auto rec = deps_.store->dossiers().Get(client_id);
  if (!rec.ok()) {
    std::cerr << "kiosk: staff reprint: " << rec.status().ToString() << "\n";
    staff_.message_key = "staff.reprint_failed";
    staff_.reprint = JobState::kFailed;
    return;
  }
  staff_.message_arg = rec->provisional_code;
  if (rec->purged || !rec->body.is_object()) {
    staff_.message_key = "staff.reprint_purged";
    staff_.reprint = JobState::kFailed;
    return;
  }
  ReceiptData r;
  r.commune_name = config().commune_name;
  r.provisional_code = rec->provisional_code;
  r.client_id = rec->client_id;
  r.procedure_code = rec->procedure_code;
  r.submitted_at = rec->submitted_at;
  r.reprinted_at = FormatRfc3339Vietnam(deps_.clock->Now());
  if (const Procedure* p = catalog_.Find(rec->procedure_code)) {
    internal::FillReceiptProcedure(r, *p);
  } else {  // the catalog changed since: print what the dossier itself knows
    r.procedure_name = "Thủ tục " + rec->procedure_code;
  }
  if (rec->body.contains("applicant") && rec->body["applicant"].is_object()) {
    r.applicant_name = rec->body["applicant"].value("full_name", "");
  }
  WipeJson(rec->body);
  staff_job_ = deps_.printer->PrintReceipt(r);  // the worker wipes its copy of the name
  SecureWipe(r.applicant_name);
  staff_ticket_id_ = 0;
  staff_official_ = false;
  staff_.reprint = JobState::kRunning;
  staff_.message_key = "staff.reprinting_receipt";
  (void)deps_.store->Audit("staff", "receipt.reprint", rec->provisional_code, "");
}

namespace {
void WipeView(StaffDossierView& v) {
  for (auto& [k, value] : v.applicant) SecureWipe(value);
  for (auto& [k, value] : v.fields) SecureWipe(value);
  v = StaffDossierView{};
}

std::string JsonText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "Có" : "Không";
  if (v.is_null()) return "";
  return v.dump();
}
}  // namespace

void App::CloseStaffDossier() {
  if (staff_dossier_) WipeView(*staff_dossier_);
  staff_dossier_.reset();
}

void App::StaffOpenDossier(const std::string& client_id) {
  auto rec = deps_.store->dossiers().Get(client_id);
  if (!rec.ok()) {
    std::cerr << "kiosk: staff open dossier: " << rec.status().ToString() << "\n";
    staff_.message_key = "staff.open_failed";
    staff_.message_arg.clear();
    staff_.reprint = JobState::kFailed;
    return;
  }
  CloseStaffDossier();
  StaffDossierView v;
  v.client_id = rec->client_id;
  v.provisional_code = rec->provisional_code;
  v.dossier_code = rec->dossier_code.value_or("");
  v.procedure_code = rec->procedure_code;
  v.state_key = std::string("state.") + DossierStateName(rec->state);
  v.portal_status = rec->portal_status.value_or("");
  v.appointment_date = rec->appointment_date.value_or("");
  v.submitted_at = rec->submitted_at;
  v.purged = rec->purged || !rec->body.is_object();
  const Procedure* p = catalog_.Find(rec->procedure_code);
  v.procedure_name = p ? p->name : "Thủ tục " + rec->procedure_code;
  if (!v.purged) {
    // References into the body (wiped below), never copies of the citizen's data.
    static const json kNone = json::object();
    const json& applicant = rec->body.contains("applicant") ? rec->body["applicant"] : kNone;
    for (const char* k : {"full_name", "id_number", "date_of_birth", "gender", "phone", "email", "address"}) {
      if (!applicant.is_object() || !applicant.contains(k)) continue;
      std::string text = JsonText(applicant[k]);
      if (!text.empty()) v.applicant.emplace_back(std::string("applicant.") + k, std::move(text));
    }
    const json& fields = rec->body.contains("fields") ? rec->body["fields"] : kNone;
    if (p && fields.is_object()) {
      for (const auto& f : p->form) {
        if (fields.contains(f.id)) v.fields.emplace_back(f.label, JsonText(fields[f.id]));
      }
    }
    std::map<std::string, bool> brought;
    if (rec->body.contains("documents") && rec->body["documents"].is_array()) {
      for (const auto& d : rec->body["documents"]) {
        if (d.is_object()) brought[d.value("id", "")] = d.value("presented_at_counter", false);
      }
    }
    if (p) {
      for (const auto& d : p->documents) {
        StaffDossierView::Paper paper;
        paper.id = d.id;
        paper.name = d.name;
        paper.required = d.required;
        paper.brought = brought[d.id];
        paper.received = paper.brought;
        v.papers.push_back(std::move(paper));
      }
    }
  }
  v.needs_attention = rec->state == DossierState::kNeedsAttention;
  if (v.needs_attention) {
    // The portal's reasons name fields by their JSON path: show the form's own labels.
    auto label_of = [&](const std::string& path) -> std::string {
      if (p && path.rfind("fields.", 0) == 0) {
        for (const auto& f : p->form) {
          if ("fields." + f.id == path) return f.label;
        }
      }
      if (path.rfind("applicant.", 0) == 0 && deps_.strings->vi().count(path)) return deps_.strings->Get(path);
      if (path == "procedure_code") return deps_.strings->Get("staff_dossier.procedure");
      return path;
    };
    if (rec->needs_attention_details.is_array()) {
      for (const auto& d : rec->needs_attention_details) {
        if (!d.is_object()) continue;
        const std::string field = d.value("field", "");
        const std::string message = d.value("message", "");
        v.portal_reasons.push_back(field.empty() ? message : label_of(field) + ": " + message);
      }
    }
    if (v.portal_reasons.empty() && rec->last_error) v.portal_reasons.push_back(*rec->last_error);
  }
  WipeJson(rec->body);
  if (auto decisions = deps_.store->decisions().For(*rec); decisions.ok()) {
    for (const auto& d : *decisions) {
      v.decisions.push_back({d.decision, d.state, d.decided_at});
    }
  }
  staff_dossier_ = std::move(v);
  // The officer's name, as last typed on this kiosk (staff data, not a citizen's).
  if (auto officer = deps_.store->settings().Get("staff.officer"); officer.ok() && *officer) {
    session_.values["staff.officer"] = **officer;
  }
  session_.values.erase("staff.reason");
  staff_.message_key.clear();
  staff_.reprint = JobState::kNone;
  Go(ScreenId::kStaffDossier);
}

void App::StaffRequeue() {
  if (!staff_dossier_ || !staff_dossier_->needs_attention) return;
  StaffDossierView& v = *staff_dossier_;
  staff_.message_arg = v.provisional_code;
  Status st = deps_.store->outbox().Requeue(v.client_id);
  if (!st.ok()) {
    std::cerr << "kiosk: staff requeue: " << st.ToString() << "\n";
    staff_.message_key = "staff.requeue_failed";
    staff_.reprint = JobState::kFailed;
    return;
  }
  v.needs_attention = false;
  v.portal_reasons.clear();
  v.state_key = "state.queued";
  staff_.message_key = "staff.requeued";
  staff_.reprint = JobState::kNone;
  if (deps_.outbox_changed) deps_.outbox_changed();
}

void App::StaffDecide(const std::string& word) {
  if (!staff_dossier_ || !staff_dossier_->decided.empty() || staff_dossier_->purged) return;
  Unfocus();
  StaffDossierView& v = *staff_dossier_;
  CounterDecision d;
  d.decision = word;
  d.officer = Value("staff.officer");
  d.reason = Value("staff.reason");
  for (const auto& p : v.papers) {
    if (p.received) {
      d.received.push_back({p.id, p.form, 1});
    } else if (p.required && word == "request_supplement") {
      d.supplement.push_back(p.name);
    }
  }
  const Procedure* procedure = catalog_.Find(v.procedure_code);
  auto body = BuildDecisionBody(d, procedure);
  v.error_vi.clear();
  v.error_en.clear();
  if (!body.ok()) {
    v.error_vi = body.status().message_vi();
    v.error_en = body.status().message_en();
    return;
  }
  const std::string ref = v.dossier_code.empty() ? v.client_id : v.dossier_code;
  auto key = deps_.store->decisions().Submit(ref, *body);
  if (!key.ok()) {
    std::cerr << "kiosk: staff decision: " << key.status().ToString() << "\n";
    v.error_vi = key.status().message_vi();
    v.error_en = key.status().message_en();
    return;
  }
  v.decided = word;
  v.decisions.push_back({word, "queued", FormatRfc3339Vietnam(deps_.clock->Now())});
  (void)deps_.store->settings().Put("staff.officer", (*body)["officer"].get<std::string>());
  if (deps_.outbox_changed) deps_.outbox_changed();
  staff_.message_arg = v.provisional_code;
  staff_.message_key = word == "accept"   ? "staff.decided_accept"
                       : word == "refuse" ? "staff.decided_refuse"
                                          : "staff.decided_supplement";
  staff_.reprint = JobState::kNone;
  if (word != "accept") return;
  // Accepted: the Mẫu 01 receipt for the citizen, with the papers as the officer checked them.
  StaffPrintOfficial();
  if (staff_.reprint == JobState::kRunning) {
    staff_.message_key = "staff.decided_accept";
  } else if (staff_.reprint == JobState::kNone) {  // another staff print is still running
    staff_.message_key = "staff.decided_accept_print_later";
  }
}

void App::StaffPrintOfficial() {
  if (!staff_dossier_ || staff_dossier_->purged) return;
  StaffDossierView& v = *staff_dossier_;
  staff_.message_arg = v.provisional_code;
  if (!StaffMayPrint()) return;
  auto fail = [&] {
    staff_.reprint = JobState::kFailed;
    staff_.message_key = "staff.official_failed";
  };
  const Procedure* procedure = catalog_.Find(v.procedure_code);
  auto rec = deps_.store->dossiers().Get(v.client_id);
  if (!rec.ok() || !procedure) return fail();
  // The latest accept recorded for this dossier: its papers, officer and time.
  auto decisions = deps_.store->decisions().For(*rec);
  const StoredDecision* accept = nullptr;
  if (decisions.ok()) {
    for (const auto& d : *decisions) {
      if (d.decision == "accept" && !d.body.value("purged", false)) accept = &d;
    }
  }
  if (!accept) {
    WipeJson(rec->body);
    return fail();
  }
  printer::DossierPrintContext pc;
  pc.commune_name = config().commune_name;
  pc.kiosk_number = config().kiosk_number;
  pc.officer_name = accept->body.value("officer", "");
  pc.received_at = accept->decided_at;
  pc.copy_label = "Liên 2: Giao người nộp hồ sơ";
  if (rec->body.is_object() && accept->body.contains("documents_received")) {
    rec->body["documents_received"] = accept->body["documents_received"];
  }
  auto receipt = printer::OfficialReceiptFromDossier(*rec, *procedure, pc);
  WipeJson(rec->body);
  if (!receipt.ok()) return fail();
  staff_job_ = deps_.printer->PrintOfficialReceipt(*receipt);
  for (auto* s :
       {&receipt->applicant_name, &receipt->applicant_address, &receipt->applicant_phone, &receipt->applicant_email}) {
    SecureWipe(*s);
  }
  staff_ticket_id_ = 0;
  staff_official_ = true;
  staff_.reprint = JobState::kRunning;
  staff_.message_key = "staff.official_printing";
}

void App::StaffReprintTicket(int64_t ticket_id) {
  if (!StaffMayPrint()) return;
  const auto it = std::find_if(staff_.failed_tickets.begin(), staff_.failed_tickets.end(),
                               [&](const Ticket& t) { return t.id == ticket_id; });
  if (it == staff_.failed_tickets.end()) return;  // already reprinted, or yesterday's
  TicketData data;
  data.commune_name = config().commune_name;
  data.counter = it->counter;
  for (const auto& c : staff_.counters) {
    if (c.counter == it->counter) data.counter_name = c.name;
  }
  data.number = it->number;
  auto waiting = deps_.store->tickets().Waiting(it->counter);
  data.waiting_before = waiting.ok() ? *waiting : 0;
  data.issued_at = it->issued_at;
  if (it->dossier_client_id) {
    if (auto d = deps_.store->dossiers().Get(*it->dossier_client_id); d.ok())
      data.provisional_code = d->provisional_code;
  }
  staff_job_ = deps_.printer->PrintTicket(data);
  staff_ticket_id_ = it->id;
  staff_official_ = false;
  staff_.reprint = JobState::kRunning;
  staff_.message_key = "staff.reprinting_ticket";
  staff_.message_arg = printer::FormatTicketNumber(it->counter, it->number);
}

void App::CallNext(const std::string& counter) {
  auto t = deps_.store->tickets().CallNext(counter);
  staff_.called.clear();
  staff_.message_key.clear();
  staff_.reprint = JobState::kNone;
  if (t.ok()) {
    staff_.called = printer::FormatTicketNumber(t->counter, t->number);
  } else if (t.status().code() == Code::kNotFound) {
    staff_.message_key = "staff.none_waiting";
  } else {
    std::cerr << "kiosk: call next: " << t.status().ToString() << "\n";
    staff_.message_key = "staff.call_failed";
  }
  RefreshStaff();
}

}  // namespace mck::app
