// The App's reactions to worker events (print, card, QR, portal) and to time (inactivity).
#include "kiosk/app/app.h"

#include <iostream>

#include "drivers/card/qr.h"
#include "kiosk/app/app_internal.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"

namespace mck::app {

using internal::DateDigitsToIso;
using internal::IsoToDateDigits;
using internal::StartsWith;
using nlohmann::json;

void App::ApplyIdentity(const card::Identity& id) {
  auto set = [&](const char* key, const std::string& v) {
    if (v.empty()) return;
    session_.values[key] = v;
    session_.from_card[key] = true;
    session_.errors.erase(key);
  };
  set("applicant.id_number", id.id_number);
  set("applicant.full_name", id.full_name);
  if (id.date_of_birth) set("applicant.date_of_birth", IsoToDateDigits(*id.date_of_birth));
  if (id.gender) set("applicant.gender", *id.gender);
  if (id.place_of_residence) set("applicant.address", *id.place_of_residence);
  session_.identity_source = id.source == "chip" ? IdentitySource::kChip : IdentitySource::kQr;
  session_.chip_verified = id.source == "chip" && id.chip_verified;
}

// ---- events and time ------------------------------------------------------------------------

void App::OnEvent(const UiEvent& event) {
  if (const auto* p = std::get_if<PrintFinished>(&event)) {
    if (p->job_id != 0 && p->job_id == staff_job_) {
      // A staff reprint. A reprinted ticket's number now waits in its place; recorded even when
      // staff mode has been locked meanwhile.
      const bool ok = p->status.ok();
      if (staff_ticket_id_ != 0 && ok) {
        Status st = deps_.store->tickets().SetState(staff_ticket_id_, TicketState::kIssued);
        if (!st.ok()) std::cerr << "kiosk: reprinted ticket state: " << st.ToString() << "\n";
      }
      if (!ok) std::cerr << "kiosk: staff reprint failed: " << p->status.ToString() << "\n";
      const bool was_ticket = staff_ticket_id_ != 0;
      const bool was_official = staff_official_;
      staff_job_ = 0;
      staff_ticket_id_ = 0;
      staff_official_ = false;
      if (staff_unlocked_) {
        staff_.reprint = ok ? JobState::kDone : JobState::kFailed;
        staff_.message_key = !ok            ? (was_official ? "staff.official_failed" : "staff.reprint_failed")
                             : was_ticket   ? "staff.ticket_reprinted"
                             : was_official ? "staff.official_printed"
                                            : "staff.receipt_reprinted";
        staff_.detail_vi = ok ? "" : p->status.message_vi();
        staff_.detail_en = ok ? "" : p->status.message_en();
        RefreshStaff();
      }
    } else if (p->kind == PrintJobKind::kTicket && p->job_id == ticket_job_ && ticket_id_ != 0) {
      // Recorded even when the citizen has already left: the ticket's state is the counter's.
      const bool ok = p->status.ok();
      Status st = deps_.store->tickets().SetState(ticket_id_, ok ? TicketState::kIssued : TicketState::kPrintFailed);
      if (!st.ok()) std::cerr << "kiosk: ticket state: " << st.ToString() << "\n";
      if (!ok) std::cerr << "kiosk: ticket print failed: " << p->status.ToString() << "\n";
      if (ticket_) {
        ticket_->print = ok ? JobState::kDone : JobState::kFailed;
        if (!ok) {
          ticket_->error_key = "ticket.print_failed";
          ticket_->detail_vi = p->status.message_vi();
          ticket_->detail_en = p->status.message_en();
        }
      }
      ticket_id_ = 0;
      ticket_job_ = 0;
    } else if (p->kind == PrintJobKind::kReceipt && p->job_id == receipt_job_) {
      receipt_print_ = p->status.ok() ? JobState::kDone : JobState::kFailed;
      receipt_error_ = p->status.ok() ? "" : "receipt.print_failed";
      receipt_detail_vi_ = p->status.ok() ? "" : p->status.message_vi();
      receipt_detail_en_ = p->status.ok() ? "" : p->status.message_en();
      if (!p->status.ok()) std::cerr << "kiosk: receipt print failed: " << p->status.ToString() << "\n";
    }
  } else if (const auto* c = std::get_if<CardPresence>(&event)) {
    card_present_ = c->present;
    if (c->present) inactivity_.Touch();
    if (!c->present && card_read_ == JobState::kRunning) card_message_ = "card.removed";
  } else if (const auto* r = std::get_if<CardReadFinished>(&event)) {
    if (r->request_id != card_request_ || card_read_ != JobState::kRunning) return;  // an abandoned read
    inactivity_.Touch();
    if (r->identity && r->status.ok()) {
      ApplyIdentity(*r->identity);
      card_read_ = JobState::kDone;
      card_message_ = "card.read_ok";
    } else {
      card_read_ = JobState::kFailed;
      card_message_ = r->status.code() == Code::kUnavailable ? "card.removed_mid_read"
                      : r->status.code() == Code::kRejected  ? "card.wrong_key"
                                                             : "card.read_failed";
      std::cerr << "kiosk: card read failed: " << r->status.ToString() << "\n";
    }
  } else if (const auto* s = std::get_if<SyncStatus>(&event)) {
    sync_status_ = *s;
  } else if (std::holds_alternative<QueueChanged>(event)) {
    if (staff_unlocked_ && screen_ == ScreenId::kStaff && staff_job_ == 0) RefreshStaff();
  } else if (const auto* l = std::get_if<PortalLookupFinished>(&event)) {
    if (l->request_id != lookup_request_ || lookup_.portal != JobState::kRunning) return;
    if (l->result.ok()) {
      lookup_.portal = JobState::kDone;
      if (l->status) lookup_.portal_status = *l->status;
      if (l->status_text) lookup_.portal_status_text = *l->status_text;
      if (l->appointment_date && !l->appointment_date->empty()) lookup_.appointment_date = *l->appointment_date;
    } else {
      // Portal unreachable or the dossier not there yet: irrelevant to the citizen (it is
      // queued); the screen keeps the local state and says nothing alarming.
      lookup_.portal = JobState::kFailed;
      std::cerr << "kiosk: portal look-up: " << l->result.ToString() << "\n";
    }
  } else if (const auto* q = std::get_if<QrScanned>(&event)) {
    inactivity_.Touch();
    if (screen_ == ScreenId::kLookup) {
      session_.values["lookup"] = q->payload;
      DoLookup();
    } else if (screen_ == ScreenId::kIdentify || screen_ == ScreenId::kApplicant) {
      if (session_.identity_source == IdentitySource::kChip) return;  // the chip already spoke
      auto id = card::ParseCccdQr(q->payload);
      if (!id.ok()) {
        card_read_ = JobState::kFailed;
        card_message_ = "card.qr_unknown";
        std::cerr << "kiosk: QR not a citizen ID card: " << id.status().message_en() << "\n";
        if (screen_ == ScreenId::kIdentify) Go(ScreenId::kApplicant);
        return;
      }
      if (screen_ == ScreenId::kIdentify) Go(ScreenId::kApplicant);
      ApplyIdentity(*id);
      card_read_ = JobState::kNone;
      card_message_ = deps_.card ? "card.qr_ok_lay_card" : "card.qr_ok";
      SecureWipe(id->full_name);
    }
  }
}

void App::Tick() {
  if (inactivity_.Poll() == InactivityTimer::Phase::kExpired) WipeSession();
}

void App::WipeSession() {
  if (deps_.card && card_read_ == JobState::kRunning) deps_.card->Cancel();
  Unfocus();
  session_.Wipe();
  composer_->Clear();
  lookup_ = LookupView{};
  lookup_request_ = 0;
  ticket_.reset();
  card_read_ = JobState::kNone;
  card_message_.clear();
  card_request_ = 0;
  receipt_print_ = JobState::kNone;
  receipt_job_ = 0;
  receipt_error_.clear();
  receipt_detail_vi_.clear();
  receipt_detail_en_.clear();
  notice_.clear();
  history_.clear();
  screen_ = ScreenId::kAttract;
  large_text_ = deps_.config->large_text;
  deps_.strings->SetLanguage(deps_.config->language == "en" ? Language::kEn : Language::kVi);
  method_ = text::InputMethod::kTelex;
  composer_->SetMethod(method_);
  staff_unlocked_ = false;  // staff mode locks with the session
  staff_ = StaffView{};
  CloseStaffDossier();
  pin_message_.clear();
  if (inactivity_.in_session()) ++sessions_wiped_;
  inactivity_.EndSession();
}

}  // namespace mck::app