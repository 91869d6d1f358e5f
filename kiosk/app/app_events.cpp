// The App's reactions to worker events (print, card, QR, portal) and to time (inactivity).
#include "kiosk/app/app.h"

#include <iostream>

#include "drivers/card/qr.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/app/card_messages.h"
#include "kiosk/core/documents.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

namespace mck::app {

using internal::DateDigitsToIso;
using internal::IsoToDateDigits;
using internal::StartsWith;
using nlohmann::json;

void App::ApplyIdentity(const card::Identity& id) {
  citizen_.session.from_card.clear();  // a new card read speaks only for what it filled
  auto set = [&](const char* key, const std::string& v) {
    if (v.empty()) return;
    citizen_.session.values[key] = v;
    citizen_.session.from_card[key] = true;
    citizen_.session.errors.erase(key);
  };
  set("applicant.id_number", id.id_number);
  set("applicant.full_name", id.full_name);
  if (id.date_of_birth) set("applicant.date_of_birth", IsoToDateDigits(*id.date_of_birth));
  if (id.gender) set("applicant.gender", *id.gender);
  if (id.place_of_residence) set("applicant.address", *id.place_of_residence);
  citizen_.session.identity_source = id.source == "chip" ? IdentitySource::kChip : IdentitySource::kQr;
  // The driver's level for a chip; a QR is only ever a QR (anyone can print one).
  citizen_.session.assurance = id.source == "chip" ? id.assurance : Assurance::kQrOnly;
}

void App::DropCardClaim() {
  if (citizen_.session.from_card.empty() && citizen_.session.assurance == Assurance::kTyped) return;
  citizen_.session.from_card.clear();
  citizen_.session.identity_source = IdentitySource::kManual;
  citizen_.session.assurance = Assurance::kTyped;
}

// ---- events and time ------------------------------------------------------------------------

void App::OnEvent(const UiEvent& event) {
  const ScreenId before = citizen_.screen;
  const std::vector<std::string> errors_before = ErrorKeys();
  to_say_.clear();
  OnWorkerEvent(event);
  FinishSpeech(before, errors_before);  // a worker's answer changed the screen: the voice stops
  RefreshCallingBoard();                // a number issued: the calling display shows it waiting
}

void App::OnWorkerEvent(const UiEvent& event) {
  if (const auto* p = std::get_if<PrintFinished>(&event)) {
    if (p->kind == PrintJobKind::kTestPage) {
      if (p->job_id == tech_.print.id) tech_.print.Finish(p->status, "tech.print_failed");
    } else {
      OnPrinted(*p);
    }
  } else if (const auto* sub = std::get_if<SubmitFinished>(&event)) {
    OnSubmitted(*sub);
  } else if (std::holds_alternative<ScannerFound>(event) || std::holds_alternative<ScanProgress>(event) ||
             std::holds_alternative<ScanFinished>(event) || std::holds_alternative<ScanBound>(event)) {
    OnScanEvent(event);
  } else if (const auto* t = std::get_if<TicketReserved>(&event)) {
    OnTicketReserved(*t);
  } else if (std::holds_alternative<TicketPrintRecorded>(event)) {
    --ticket_records_pending_;  // a failure was logged by the worker; staff see what is print_failed
    if (desk_.unlocked && citizen_.screen == ScreenId::kStaff && !desk_.view.print.running()) RefreshStaff();
  } else if (const auto* rs = std::get_if<RatingStored>(&event)) {
    OnRatingStored(*rs);
  } else if (const auto* pin = std::get_if<PinChecked>(&event)) {
    if (pin->role == PinRole::kTechnician) {
      OnTechPinChecked(*pin);
    } else {
      OnPinChecked(*pin);
    }
  } else if (const auto* tech = std::get_if<TechnicianAnswer>(&event)) {
    OnTechnician(*tech);
  } else if (const auto* d = std::get_if<DecisionRecorded>(&event)) {
    OnDecisionRecorded(*d);
  } else if (const auto* c = std::get_if<CardPresence>(&event)) {
    citizen_.card_present = c->present;
    if (c->present && tech_.unlocked && citizen_.screen == ScreenId::kTechDevices) tech_.card_seen = true;
    if (c->present) inactivity_.Touch();
    if (!c->present && citizen_.card_read == JobState::kRunning) citizen_.card_message = "card.removed";
  } else if (const auto* r = std::get_if<CardReadFinished>(&event)) {
    if (desk_.dossier && r->request_id == desk_.dossier->chip.request && r->request_id != 0) return OnStaffChipRead(*r);
    if (r->request_id != citizen_.card_request || citizen_.card_read != JobState::kRunning)
      return;  // an abandoned read
    inactivity_.Touch();
    if (r->identity && r->status.ok()) {
      ApplyIdentity(*r->identity);
      citizen_.card_read = JobState::kDone;
      // "Verified" only for a chip that proved it is genuine (signature and key), never otherwise.
      citizen_.card_message =
          citizen_.session.assurance == Assurance::kChipVerified ? "card.read_ok_verified" : "card.read_ok";
    } else {
      citizen_.card_read = JobState::kFailed;
      citizen_.card_message = CardFailureMessageKey(r->failure);  // the kind, never the Status code, decides
      std::cerr << "kiosk: card read failed (" << card::CardFailureName(r->failure) << "): " << r->status.ToString()
                << "\n";
    }
  } else if (const auto* s = std::get_if<SyncStatus>(&event)) {
    sync_status_ = *s;
  } else if (std::holds_alternative<QueueChanged>(event)) {
    if (desk_.unlocked && citizen_.screen == ScreenId::kStaff && !desk_.view.print.running()) RefreshStaff();
  } else if (const auto* l = std::get_if<PortalLookupFinished>(&event)) {
    if (desk_.fee_lookup != 0 && l->request_id == desk_.fee_lookup) return OnStaffFeeLookup(*l);
    if (l->request_id != citizen_.lookup_request || citizen_.lookup.portal != JobState::kRunning) return;
    if (l->result.ok()) {
      citizen_.lookup.portal = JobState::kDone;
      if (l->status) citizen_.lookup.portal_status = *l->status;
      if (l->status_text) citizen_.lookup.portal_status_text = *l->status_text;  // the portal's own words
      if (l->appointment_date && !l->appointment_date->empty()) citizen_.lookup.appointment_date = *l->appointment_date;
    } else {
      // Portal unreachable or the dossier not there yet: irrelevant to the citizen (it is
      // queued); the screen keeps the local state and says nothing alarming.
      citizen_.lookup.portal = JobState::kFailed;
      std::cerr << "kiosk: portal look-up: " << l->result.ToString() << "\n";
    }
  } else if (const auto* q = std::get_if<QrScanned>(&event)) {
    OnQr(*q);
  } else if (const auto* h = std::get_if<HelpAsked>(&event)) {
    OnHelpAsked(*h);
  } else if (const auto* hd = std::get_if<HelpDismissed>(&event)) {
    OnHelpDismissed(*hd);
  }
}

void App::OnQr(const QrScanned& e) {
  const ScreenId before = citizen_.screen;
  const std::vector<std::string> errors_before = ErrorKeys();
  to_say_.clear();
  TakeQr(e);
  FinishSpeech(before, errors_before);  // a screen changed by the scan silences what was said
}

void App::TakeQr(const QrScanned& e) {
  const auto* q = &e;
  inactivity_.Touch();
  if (citizen_.screen == ScreenId::kTechSetup && tech_.unlocked && tech_.step == 3) {
    citizen_.session.values["tech.token"] = q->payload;  // the enrolment token's QR
    tech_.step_error_vi.clear();
    return;
  }
  if (citizen_.screen == ScreenId::kTechDevices) {
    // The scanner works: say so, never what it read (it may be a citizen's card).
    if (tech_.unlocked) tech_.qr_result_vi = "Đã nhận mã QR (" + std::to_string(q->payload.size()) + " ký tự)";
    return;
  }
  if (citizen_.screen == ScreenId::kAttract || citizen_.screen == ScreenId::kMenu) {
    // A QR held to the scanner on the first screens says what the citizen came for: the chip ID
    // card's starts a submission with the applicant filled in (the attract screen says so; no
    // identify screen, docs/walkthrough.md), anything else is looked up as a receipt's code.
    auto id = card::ParseCccdQr(q->payload);
    if (citizen_.screen == ScreenId::kAttract) On(intent::Start{});
    if (!id.ok()) {
      Go(ScreenId::kLookup);
      citizen_.session.values["lookup"] = q->payload;
      DoLookup();
      return;
    }
    Go(ScreenId::kApplicant);
    ApplyIdentity(*id);
    citizen_.card_read = JobState::kNone;
    // With a reader, the chip button under the filled fields is the next step and says so.
    citizen_.card_message = deps_.card ? "" : "card.qr_ok";
    SecureWipe(id->full_name);
    return;
  }
  if (citizen_.screen == ScreenId::kLookup) {
    citizen_.session.values["lookup"] = q->payload;
    DoLookup();
  } else if (citizen_.screen == ScreenId::kIdentify || citizen_.screen == ScreenId::kApplicant) {
    if (citizen_.session.identity_source == IdentitySource::kChip) return;  // the chip already spoke
    auto id = card::ParseCccdQr(q->payload);
    if (!id.ok()) {
      citizen_.card_read = JobState::kFailed;
      citizen_.card_message = "card.qr_unknown";
      std::cerr << "kiosk: QR not a citizen ID card: " << id.status().message_en() << "\n";
      if (citizen_.screen == ScreenId::kIdentify) Go(ScreenId::kApplicant);
      return;
    }
    if (citizen_.screen == ScreenId::kIdentify) Go(ScreenId::kApplicant);
    ApplyIdentity(*id);
    citizen_.card_read = JobState::kNone;
    // With a reader, the chip button under the filled fields is the next step and says so.
    citizen_.card_message = deps_.card ? "" : "card.qr_ok";
    SecureWipe(id->full_name);
  }
}

void App::OnPrinted(const PrintFinished& p) {
  if (p.job_id == 0) return;
  if (p.job_id == desk_.view.print.id) return OnStaffPrinted(p);
  if (p.kind == PrintJobKind::kTicket && p.job_id == citizen_.ticket_job && citizen_.ticket_record) {
    // Recorded even when the citizen has already left: the ticket's state is the counter's.
    deps_.core->RecordTicketPrint(*citizen_.ticket_record, p.status);
    ++ticket_records_pending_;
    if (!p.status.ok()) std::cerr << "kiosk: ticket print failed: " << p.status.ToString() << "\n";
    if (citizen_.ticket && citizen_.ticket->print.id == p.job_id) {
      citizen_.ticket->print.Finish(p.status, "ticket.print_failed");
    }
    citizen_.ticket_record.reset();
    citizen_.ticket_job = 0;
  } else if (p.kind == PrintJobKind::kReceipt && p.job_id == citizen_.receipt.id) {
    citizen_.receipt.Finish(p.status, "receipt.print_failed");
    if (!p.status.ok()) std::cerr << "kiosk: receipt print failed: " << p.status.ToString() << "\n";
  }
}

void App::OnStaffPrinted(const PrintFinished& p) {
  // A staff print. A reprinted ticket's number now waits in its place; recorded even when staff
  // mode has been locked meanwhile.
  PrintJob& job = desk_.view.print;
  if (desk_.print_ticket) {
    deps_.core->RecordTicketPrint(*desk_.print_ticket, p.status);
    ++ticket_records_pending_;
  } else {
    Status st = core::DossierDocuments(*deps_.store, catalog_, config(), *deps_.clock)
                    .RecordPrint("staff",
                                 job.what == PrintJob::What::kOfficial     ? "official_receipt"
                                 : job.what == PrintJob::What::kFeeReceipt ? "fee_receipt"
                                                                           : "kiosk_slip",
                                 desk_.print_code, p.status);
    if (!st.ok()) std::cerr << "kiosk: print audit: " << st.ToString() << "\n";
  }
  if (!p.status.ok()) std::cerr << "kiosk: staff print failed: " << p.status.ToString() << "\n";
  const bool official = job.what == PrintJob::What::kOfficial;
  const bool ticket = job.what == PrintJob::What::kTicket;
  const bool fee = job.what == PrintJob::What::kFeeReceipt;
  job.Finish(p.status, official ? "staff.official_failed" : fee ? "staff.fee_receipt_failed" : "staff.reprint_failed");
  desk_.print_ticket.reset();
  desk_.print_code.clear();
  if (!desk_.unlocked) return;
  desk_.view.message_key = !p.status.ok() ? job.error_key
                           : ticket       ? "staff.ticket_reprinted"
                           : official     ? "staff.official_printed"
                           : fee          ? "staff.fee_receipt_printed"
                                          : "staff.receipt_reprinted";
  RefreshStaff();
}

void App::Tick() {
  const auto phase = inactivity_.Poll();
  if (phase == InactivityTimer::Phase::kExpired) {
    SignOutOfficer("inactivity");
    return WipeSession();
  }
  // The countdown overlay is read aloud once when it appears, if the citizen turned the voice on
  // (a catalog text: nothing of the session is said). A touch ends it; the next one is said again.
  if (phase != InactivityTimer::Phase::kCountdown) {
    citizen_.countdown_said = false;
  } else if (!citizen_.countdown_said && citizen_.voice_on && deps_.speech && IsCitizenScreen(citizen_.screen)) {
    citizen_.countdown_said = true;
    deps_.speech->Say(Voice(T("speak.still_there")));
  }
  // An officer looking at an unpaid fee (the citizen transferring at the counter): ask again.
  if (fee_ask_at_ && std::chrono::steady_clock::now() >= *fee_ask_at_) {
    fee_ask_at_.reset();
    if (desk_.unlocked && citizen_.screen == ScreenId::kStaffDossier && desk_.fee_lookup == 0) AskFeeNow();
  }
}

void App::WipeSession() {
  StopSpeech();  // nothing of this session is read on (citizen_.voice_on resets below)
  if (deps_.card && citizen_.card_read == JobState::kRunning) deps_.card->Cancel();
  if (deps_.scanner && citizen_.scan.scan_request != 0) deps_.scanner->Cancel();  // its pages are dropped
  for (auto& p : citizen_.scan.pages) WipePage(p);
  Unfocus();
  citizen_.session.Wipe();
  SecureWipe(wedge_);  // a half-scanned QR (app_privacy.cpp)
  lookup_throttle_.NewSession();
  composer_->Clear();
  if (citizen_.slip) core::WipeDocument(*citizen_.slip);
  // What the printer is still doing for the counter survives the wipe: a ticket's number is
  // recorded issued or print_failed when the printer answers, and so is a staff reprint.
  const uint64_t ticket_job = citizen_.ticket_job;
  const std::optional<Ticket> ticket_record = citizen_.ticket_record;
  citizen_ = CitizenFlow{};
  citizen_.ticket_job = ticket_job;
  citizen_.ticket_record = ticket_record;
  large_text_ = deps_.config->large_text;
  high_contrast_ = deps_.config->theme == "high_contrast";
  deps_.strings->SetLanguage(deps_.config->language == "en" ? Language::kEn : Language::kVi);
  method_ = text::InputMethod::kTelex;
  composer_->SetMethod(method_);
  CloseStaffDossier();
  SignOutOfficer("session_end");  // when nobody said why before
  StaffDesk locked;  // staff mode locks with the session
  if (desk_.view.print.running()) {
    locked.view.print = desk_.view.print;
    locked.print_ticket = desk_.print_ticket;
    locked.print_code = desk_.print_code;
  }
  desk_ = std::move(locked);
  // Technician mode locks with the session too (a print or a request still running answers into
  // a locked desk and is ignored); a kiosk not yet provisioned goes back to its first-boot screen.
  TechnicianDesk tech_locked;
  tech_locked.provision_request = tech_.provision_request;
  tech_ = std::move(tech_locked);
  if (deps_.first_boot) citizen_.screen = ScreenId::kTechPin;
  if (inactivity_.in_session()) ++sessions_wiped_;
  inactivity_.EndSession();
}

}  // namespace mck::app
