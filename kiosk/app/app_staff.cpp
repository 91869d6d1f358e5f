// Staff mode: the PIN (checked on the core worker), the counters and dossiers (short reads on the
// UI thread), calling numbers, reprints, one dossier's papers and the counter's decision
// (recorded on the core worker), Mẫu 01. Every staff intent has passed App::Apply's one guard.
#include "kiosk/app/app.h"

#include <algorithm>
#include <iostream>
#include <map>

#include "kiosk/app/app_internal.h"
#include "kiosk/core/counters.h"
#include "kiosk/core/decide.h"
#include "kiosk/core/decision_signer.h"
#include "kiosk/core/documents.h"
#include "kiosk/core/identity_assurance.h"
#include "kiosk/core/lookup.h"
#include "kiosk/core/tickets.h"
#include "offline/domain/decision.h"
#include "offline/domain/ids.h"
#include "offline/domain/json_read.h"
#include "offline/domain/utf8.h"
#include "offline/domain/validation.h"
#include "offline/store/staff_auth.h"
#include "offline/sync/answer.h"

namespace mck::app {

using internal::DateDigitsToIso;
using internal::IsoToDateDigits;
using internal::StartsWith;
using nlohmann::json;

// ---- staff mode -----------------------------------------------------------------------------

void App::On(const intent::StaffUnlock&) {
  if (desk_.pin_request != 0) return;  // one check at a time
  Unfocus();
  std::string pin = Value("staff.pin");
  if (auto it = citizen_.session.values.find("staff.pin"); it != citizen_.session.values.end()) SecureWipe(it->second);
  desk_.pin_message.clear();
  // PBKDF2 (~0.1 s) runs on the core worker; PinChecked follows. With officers, their own PIN.
  if (!desk_.officers.empty()) {
    if (desk_.officer_choice.empty()) {
      SecureWipe(pin);
      desk_.pin_message = "staff.officer_pick_first";
      return;
    }
    desk_.pin_request = deps_.core->CheckOfficerPin(desk_.officer_choice, std::move(pin));
    SecureWipe(pin);
    return;
  }
  desk_.pin_request = deps_.core->CheckPin(std::move(pin));
  SecureWipe(pin);
}

void App::OnPinChecked(const PinChecked& e) {
  if (e.request_id != desk_.pin_request) return;
  desk_.pin_request = 0;
  if (citizen_.screen != ScreenId::kStaffPin) return;  // the session ended meanwhile
  if (e.officer) return OnOfficerPinChecked(e);
  const auto& r = e.result;
  if (!r.ok()) {
    std::cerr << "kiosk: staff PIN check failed: " << r.status().ToString() << "\n";
    desk_.pin_message = "staff.pin_error";
  } else if (r->check == PinCheck::kOk) {
    desk_.unlocked = true;
    desk_.pin_message.clear();
    Go(ScreenId::kStaff);
    citizen_.history.clear();
    RefreshStaff();
    return;
  } else if (r->check == PinCheck::kWrong) {
    desk_.pin_message = "staff.pin_wrong";
    desk_.pin_message_number = r->attempts_left;
  } else if (r->check == PinCheck::kLocked) {
    desk_.pin_message = "staff.pin_locked";
    desk_.pin_message_number = static_cast<int>((r->locked_for_s + 59) / 60);
  } else {
    desk_.pin_message = "staff.pin_not_set";
  }
  Focus("staff.pin", InputKind::kDigits);
}

void App::RefreshStaff() {
  // Only what is read from the store is rebuilt; the last message and reprint state stay.
  desk_.view.counters.clear();
  desk_.view.dossiers.clear();
  desk_.view.failed_tickets.clear();
  desk_.view.help.clear();
  // Citizens waiting for help first: staff mode shows them at the top.
  if (auto help = deps_.store->help().Open(); help.ok()) {
    desk_.view.help = std::move(*help);
  } else {
    std::cerr << "kiosk: staff help list: " << help.status().ToString() << "\n";
  }
  core::TicketDesk desk(*deps_.store, catalog_, config());
  for (const auto& c : core::Counters(catalog_)) {
    // An officer signed in by name sees the counters they serve (none listed: every counter).
    if (desk_.officer && !desk_.officer->counters.empty() &&
        std::find(desk_.officer->counters.begin(), desk_.officer->counters.end(), c.counter) ==
            desk_.officer->counters.end()) {
      continue;
    }
    StaffView::Counter row;
    row.counter = c.counter;
    row.name = c.name;
    auto w = desk.Waiting(c.counter);
    row.waiting = w.ok() ? *w : 0;
    if (auto called = deps_.store->tickets().CalledToday(c.counter); called.ok() && !called->empty())
      row.serving = printer::FormatTicketNumber(c.counter, called->back().number);
    desk_.view.counters.push_back(row);
  }
  const std::string today = FormatDate(VietnamDate(deps_.clock->Now()));
  auto list = deps_.store->dossiers().List();
  if (list.ok()) {
    for (auto& d : *list) {
      const bool pending = d.state != DossierState::kAccepted;
      if (!pending && d.submitted_at.compare(0, today.size(), today) != 0) continue;
      desk_.view.dossiers.push_back(std::move(d));
    }
    std::sort(desk_.view.dossiers.begin(), desk_.view.dossiers.end(),
              [](const DossierSummary& a, const DossierSummary& b) { return a.id > b.id; });
  } else {
    std::cerr << "kiosk: staff list: " << list.status().ToString() << "\n";
  }
  auto failed = desk.FailedToday();
  if (failed.ok()) desk_.view.failed_tickets = std::move(*failed);
}

bool App::StaffMayPrint() {
  if (desk_.view.print.running()) return false;  // one staff print at a time: a second tap does not print twice
  desk_.view.called.clear();
  if (!deps_.printer) {
    desk_.view.message_key = "printer.not_configured";
    desk_.view.print.Fail("printer.not_configured");
    return false;
  }
  return true;
}

void App::On(const intent::StaffReprintReceipt& in) {
  const std::string& client_id = in.client_id;
  if (!StaffMayPrint()) return;
  auto slip = core::DossierDocuments(*deps_.store, catalog_, config(), *deps_.clock).Slip(client_id, /*reprint=*/true);
  if (!slip.ok()) {
    std::cerr << "kiosk: staff reprint: " << slip.status().ToString() << "\n";
    const bool purged = slip.status().code() == Code::kFailedPrecondition;
    desk_.view.message_key = purged ? "staff.reprint_purged" : "staff.reprint_failed";
    desk_.view.message_arg.clear();
    for (const auto& d : desk_.view.dossiers) {
      if (d.client_id == client_id) desk_.view.message_arg = d.provisional_code;
    }
    desk_.view.print.Fail(desk_.view.message_key);
    return;
  }
  desk_.view.message_arg = slip->provisional_code;
  desk_.view.print.Start(deps_.printer->PrintReceipt(*slip), PrintJob::What::kSlip);  // the worker wipes its copy
  desk_.print_code = slip->provisional_code;
  core::WipeDocument(*slip);
  desk_.print_ticket.reset();
  desk_.view.message_key = "staff.reprinting_receipt";
}

namespace {
void WipeView(StaffDossierView& v) {
  for (auto& [k, value] : v.applicant) SecureWipe(value);
  for (auto& [k, value] : v.fields) SecureWipe(value);
  for (auto& [id, paper] : v.scans) WipePaper(paper);  // the counter's scans: memory only
  v = StaffDossierView{};
}

// The pages of a digitised paper (a dossier's documents[i] or a decision's documents_received[i]:
// its "digitised" {sha256, pages}); 0 when it is not digitised. Checked reads, never a throw.
int DigitisedPagesOf(const json& doc) {
  if (!doc.is_object()) return 0;
  const auto g = doc.find("digitised");
  if (g == doc.end() || !g->is_object()) return 0;
  const auto pages = g->find("pages");
  return pages != g->end() && pages->is_number_integer() ? std::clamp(pages->get<int>(), 0, 1000) : 0;
}

std::string JsonText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "Có" : "Không";
  if (v.is_null()) return "";
  return v.dump();
}
}  // namespace

void App::CloseStaffDossier() {
  if (desk_.dossier) WipeChipFace(*desk_.dossier);  // the chip's face: pixels zeroed, read cancelled
  if (desk_.dossier) WipeView(*desk_.dossier);
  WipeTokenPin();
  desk_.dossier.reset();
  desk_.fee_lookup = 0;
  fee_ask_at_.reset();
}

void App::On(const intent::StaffOpenDossier& in) {
  auto rec = deps_.store->dossiers().Get(in.client_id);
  if (!rec.ok()) {
    std::cerr << "kiosk: staff open dossier: " << rec.status().ToString() << "\n";
    desk_.view.message_key = "staff.open_failed";
    desk_.view.message_arg.clear();
    if (!desk_.view.print.running()) desk_.view.print.Fail("staff.open_failed");
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
    const std::string source =
        applicant.is_object() && applicant.contains("identity_source") && applicant["identity_source"].is_string()
            ? applicant["identity_source"].get<std::string>()
            : "manual";
    const core::AssuranceText level = core::DescribeAssurance(ApplicantAssurance(applicant), source);
    v.assurance_key = level.key;
    v.assurance_warning = level.below_verified;
    const json& fields = rec->body.contains("fields") ? rec->body["fields"] : kNone;
    if (p && fields.is_object()) {
      for (const auto& f : p->form) {
        if (fields.contains(f.id)) v.fields.emplace_back(f.label, JsonText(fields[f.id]));
      }
    }
    std::map<std::string, bool> brought;
    std::map<std::string, int> kiosk_pages;  // digitised by the citizen at the kiosk
    if (rec->body.contains("documents") && rec->body["documents"].is_array()) {
      for (const auto& d : rec->body["documents"]) {
        // Checked reads: a stored body is ours, but a bad value must not throw on the UI thread.
        if (!d.is_object()) continue;
        const auto presented = d.find("presented_at_counter");
        const std::string id = JsonObjectReader(d, "document").StringOr("id");
        brought[id] = presented != d.end() && presented->is_boolean() && presented->get<bool>();
        kiosk_pages[id] = DigitisedPagesOf(d);
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
        paper.kiosk_pages = kiosk_pages[d.id];
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
    // Checked: the stored reasons may be an older, unchecked copy of what the portal sent.
    for (const auto& r : ReadAttentionReasons(rec->needs_attention_details)) {
      v.portal_reasons.push_back(r.field.empty() ? r.message : label_of(r.field) + ": " + r.message);
      if (!v.purged) AddFix(v, r.field, label_of(r.field), rec->body, p);
    }
    if (v.portal_reasons.empty() && rec->last_error) v.portal_reasons.push_back(*rec->last_error);
  }
  // The fee: the amount from the stored dossier (as on the slip), paid or not as the portal said.
  if (!v.purged && rec->body.contains("fee_vnd") && rec->body["fee_vnd"].is_number_integer()) {
    v.fee_vnd = rec->body["fee_vnd"].get<int64_t>();
  }
  if (rec->fee) {
    if (v.fee_vnd <= 0) v.fee_vnd = rec->fee->amount_vnd;  // purged: the portal's count
    v.fee_paid = rec->fee->paid;
    v.fee_paid_at = rec->fee->paid_at;
    v.fee_reference = rec->fee->reference;
  }
  core::WipeBody(rec->body);
  if (auto decisions = deps_.store->decisions().For(*rec); decisions.ok()) {
    std::optional<Result<std::string>> officer_ca;  // read once, when a decision is signed
    for (const auto& d : *decisions) {
      // Signed on a token: the signer's name, from a signature that verifies against the
      // officers' CA (a short local read and check, like the store's reads here).
      std::string signer;
      if (d.body.contains("signature")) {
        if (!officer_ca) officer_ca = core::ReadOfficerCa(config());
        if (auto who = officer_ca->ok() ? core::VerifiedSigner(d.body, **officer_ca) : std::nullopt) signer = who->name;
      }
      v.decisions.push_back({d.decision, d.state, d.decided_at, signer});
      // Papers an earlier decision digitised at the counter (a supplement request's scans).
      const auto received = d.body.find("documents_received");
      if (received == d.body.end() || !received->is_array()) continue;
      for (const auto& doc : *received) {
        const std::string id = JsonObjectReader(doc, "document").StringOr("id");
        for (auto& paper : v.papers) {
          if (paper.id == id && DigitisedPagesOf(doc) > 0) paper.counter_pages = DigitisedPagesOf(doc);
        }
      }
    }
  }
  desk_.dossier = std::move(v);
  // The officer's name, as last typed on this kiosk (staff data, not a citizen's).
  if (auto officer = deps_.store->settings().Get("staff.officer"); officer.ok() && *officer) {
    citizen_.session.values["staff.officer"] = **officer;
  }
  citizen_.session.values.erase("staff.reason");
  desk_.view.message_key.clear();
  if (!desk_.view.print.running()) desk_.view.print = PrintJob{};
  AskFeeNow();
  Go(ScreenId::kStaffDossier);
}

void App::AskFeeNow() {
  // An unpaid fee of a dossier the portal has: ask now (the look-up worker, never this thread)
  // rather than wait for the sync engine's next poll. Nothing when the portal is not reachable.
  desk_.fee_lookup = 0;
  if (!desk_.dossier) return;
  StaffDossierView& v = *desk_.dossier;
  const bool unreachable = sync_status_ && !sync_status_->reachable;
  if (v.fee_vnd <= 0 || v.fee_paid || v.dossier_code.empty() || !deps_.portal || unreachable) return;
  desk_.fee_lookup = deps_.portal->Lookup(v.dossier_code);
  v.fee_asking = true;
}

void App::OnStaffFeeLookup(const PortalLookupFinished& l) {
  desk_.fee_lookup = 0;
  if (!desk_.dossier) return;
  StaffDossierView& v = *desk_.dossier;
  v.fee_asking = false;
  if (!l.result.ok()) {
    std::cerr << "kiosk: staff fee look-up: " << l.result.ToString() << "\n";  // the stored state stays
    return;  // not asked again: the portal is not answering (the sync engine's poll goes on)
  }
  if (!l.fee || !l.fee->paid) {
    fee_ask_at_ = std::chrono::steady_clock::now() + kFeeAskEvery;
    return;
  }
  // Recorded as the sync engine's poll would (a short local transaction); paid stays paid.
  auto recorded = deps_.store->dossiers().UpdateFeePayment(v.client_id, *l.fee);
  if (!recorded.ok()) std::cerr << "kiosk: staff fee record: " << recorded.status().ToString() << "\n";
  v.fee_paid = true;
  v.fee_paid_at = l.fee->paid_at;
  v.fee_reference = l.fee->reference;
}

void App::On(const intent::StaffTogglePaper& in) {
  if (!desk_.dossier || !desk_.dossier->decided.empty() || !desk_.dossier->deciding.empty()) return;
  for (auto& p : desk_.dossier->papers) {
    if (p.id == in.document_id) p.received = !p.received;
  }
}

void App::On(const intent::StaffPaperForm& in) {
  if (!desk_.dossier || !desk_.dossier->decided.empty() || !desk_.dossier->deciding.empty()) return;
  for (auto& p : desk_.dossier->papers) {
    if (p.id != in.document_id) continue;
    p.form = p.form == "original" ? "certified_copy" : p.form == "certified_copy" ? "copy" : "original";
    p.received = true;  // choosing its form means the paper is there
  }
}

void App::On(const intent::StaffScanOpen& in) {
  // A paper not yet digitised, before the decision: the counter's scan of it (app_scan.cpp).
  if (!desk_.dossier || !has_scanner() || desk_.dossier->purged || !desk_.dossier->decided.empty() ||
      !desk_.dossier->deciding.empty()) {
    return;
  }
  for (const auto& p : desk_.dossier->papers) {
    if (p.id == in.document_id && p.kiosk_pages == 0 && p.counter_pages == 0) {
      return OpenScan(p.id, p.name, /*counter=*/true, desk_.dossier->scans);
    }
  }
}

void App::PrintOfficial(const printer::OfficialReceipt& receipt) {
  desk_.view.print.Start(deps_.printer->PrintOfficialReceipt(receipt), PrintJob::What::kOfficial);
  desk_.print_code = receipt.provisional_code;
  desk_.print_ticket.reset();
  desk_.view.message_key = "staff.official_printing";
}

void App::On(const intent::StaffPrintOfficial&) {
  if (!desk_.dossier || desk_.dossier->purged) return;
  StaffDossierView& v = *desk_.dossier;
  desk_.view.message_arg = v.provisional_code;
  if (!StaffMayPrint()) return;
  auto receipt = core::DossierDocuments(*deps_.store, catalog_, config(), *deps_.clock).Official(v.client_id);
  if (!receipt.ok()) {
    std::cerr << "kiosk: Mẫu 01: " << receipt.status().ToString() << "\n";
    desk_.view.print.Fail("staff.official_failed");
    desk_.view.message_key = "staff.official_failed";
    return;
  }
  PrintOfficial(*receipt);
  core::WipeDocument(*receipt);
}

void App::On(const intent::StaffPrintFeeReceipt&) {
  if (!desk_.dossier || !desk_.dossier->fee_paid) return;  // printed only once the portal says paid
  StaffDossierView& v = *desk_.dossier;
  desk_.view.message_arg = v.dossier_code;
  if (!StaffMayPrint()) return;
  // Codes, the sum, the times and the bank's reference: nothing personal to wipe.
  printer::FeeReceipt r;
  r.commune_name = config().commune_name;
  r.dossier_code = v.dossier_code;
  r.procedure_name = v.procedure_name;
  r.amount_vnd = v.fee_vnd;
  r.paid_at = v.fee_paid_at;
  r.reference = v.fee_reference;
  r.printed_at = FormatRfc3339Vietnam(deps_.clock->Now());
  desk_.view.print.Start(deps_.printer->PrintFeeReceipt(r), PrintJob::What::kFeeReceipt);
  desk_.print_code = v.provisional_code;
  desk_.print_ticket.reset();
  desk_.view.message_key = "staff.fee_receipt_printing";
}

void App::On(const intent::StaffReprintTicket& in) {
  if (!StaffMayPrint()) return;
  const auto it = std::find_if(desk_.view.failed_tickets.begin(), desk_.view.failed_tickets.end(),
                               [&](const Ticket& t) { return t.id == in.ticket_id; });
  if (it == desk_.view.failed_tickets.end()) return;  // already reprinted, or yesterday's
  auto t = core::TicketDesk(*deps_.store, catalog_, config()).ForReprint(std::to_string(in.ticket_id));
  if (!t.ok()) {
    std::cerr << "kiosk: staff ticket reprint: " << t.status().ToString() << "\n";
    desk_.view.print.Fail("staff.reprint_failed");
    desk_.view.message_key = "staff.reprint_failed";
    return;
  }
  desk_.view.print.Start(deps_.printer->PrintTicket(t->document), PrintJob::What::kTicket);
  desk_.print_ticket = t->ticket;
  desk_.print_code.clear();
  desk_.view.message_key = "staff.reprinting_ticket";
  desk_.view.message_arg = t->display;
}

void App::On(const intent::CallNext& in) {
  auto t = core::TicketDesk(*deps_.store, catalog_, config()).CallNext(in.counter);  // one short transaction
  desk_.view.called.clear();
  desk_.view.message_key.clear();
  if (!desk_.view.print.running()) desk_.view.print = PrintJob{};
  if (t.ok()) {
    desk_.view.called = printer::FormatTicketNumber(t->counter, t->number);
    AnnounceCall(*t);  // the chime and "Mời số …" (app_calling.cpp)
  } else if (t.status().code() == Code::kNotFound) {
    desk_.view.message_key = "staff.none_waiting";
  } else {
    std::cerr << "kiosk: call next: " << t.status().ToString() << "\n";
    desk_.view.message_key = "staff.call_failed";
  }
  RefreshStaff();
}

void App::On(const intent::StaffSyncNow&) {
  if (!enrolled()) return;
  auto n = deps_.store->outbox().MakeDueNow();
  if (!n.ok()) std::cerr << "kiosk: send now: " << n.status().ToString() << "\n";
  if (deps_.sync_now) deps_.sync_now();
  desk_.view.called.clear();
  desk_.view.message_key = "staff.sync_started";
  desk_.view.message_arg.clear();
  if (!desk_.view.print.running()) desk_.view.print = PrintJob{};
}

}  // namespace mck::app
