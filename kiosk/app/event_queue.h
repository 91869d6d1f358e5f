// The one thread-safe queue through which workers (printer, card reader, sync) hand results to
// the UI thread. Workers Push(); the UI thread Drain()s after being woken. The wake callback is
// set once by the UI (it pushes an SDL user event so SDL_WaitEventTimeout returns at once).
//
// Thread-safety: Push from any thread; Drain and SetWake from the UI thread only. Events are
// copies: workers never hold pointers into UI state, and the UI never into worker state.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "drivers/card/card_reader.h"
#include "drivers/card/face_image.h"
#include "drivers/scanner/scanner.h"
#include "kiosk/app/scanned_page.h"
#include "kiosk/core/decide.h"
#include "kiosk/core/decision_signer.h"
#include "kiosk/core/submit.h"
#include "kiosk/core/tickets.h"
#include "offline/domain/dossier.h"
#include "offline/domain/status.h"
#include "offline/store/help_requests.h"
#include "offline/store/officers.h"
#include "offline/store/staff_auth.h"

namespace mck::app {

enum class PrintJobKind { kReceipt, kTicket, kTestPage };

// A print job finished (or could not start). status.ok() only when the printer confirmed.
struct PrintFinished {
  uint64_t job_id = 0;
  PrintJobKind kind = PrintJobKind::kReceipt;
  Status status;
};

// A card appeared on or left the reader.
struct CardPresence {
  bool present = false;
};

// A chip read finished: the identity, or why not: `failure` is the kind (the screen's message
// follows it, card_messages.h), `status` the details for the log.
struct CardReadFinished {
  uint64_t request_id = 0;
  std::optional<card::Identity> identity;  // its face_jp2 always empty: decoded below, then wiped
  Status status;
  card::CardFailure failure = card::CardFailure::kReadError;  // meaningful only without identity
  // The chip's face, decoded on the card worker when the read asked for it (AccessKey::read_face)
  // and the chip had one; `face_status` says why not when it did not decode. Memory only: the
  // event's copy is wiped (WipeEvent) after the App took its own.
  std::optional<card::FaceImage> face;
  Status face_status;
};

// A line from the QR scanner (keyboard wedge or serial): the raw payload.
struct QrScanned {
  std::string payload;
};

// The portal's view of a dossier, for look-up (from the sync engine when it provides one).
struct PortalLookupFinished {
  uint64_t request_id = 0;
  std::optional<std::string> status, status_text, appointment_date;
  std::optional<FeePayment> fee;  // the fee as the portal knows it (docs/payment.md); none: no fee
  Status result;
};

// The sync worker changed what the store says about the queue (a dossier accepted or refused, a
// decision delivered, a portal status): staff mode's list refreshes. Codes only, no data.
struct QueueChanged {};

// The sync worker's state, posted when it changes (not every pass, so an idle kiosk sleeps):
// how many dossiers wait, whether the portal answered, and why not.
struct SyncStatus {
  int64_t remaining = 0;
  bool reachable = true;
  std::string error_vi, error_en;  // the last pass's problem, when there was one
  std::string since;               // RFC 3339: when this state began
};

// ---- the core worker's answers (core_worker.h) ----
// A submission was stored, or why not (nothing stored then).
struct SubmitFinished {
  uint64_t request_id = 0;
  core::SubmitOutcome outcome;
};
// A queue number was reserved (pending until the printer answers), or why not.
struct TicketReserved {
  uint64_t request_id = 0;
  Result<core::ReservedTicket> ticket = Status::Error(Code::kInternal, "no answer");
};
// A counter decision was recorded (with the Mẫu 01 to print for an accept), or why not.
struct DecisionRecorded {
  uint64_t request_id = 0;
  Result<core::RecordedDecision> decision = Status::Error(Code::kInternal, "no answer");
  std::optional<core::SigningRefusal> refusal;  // the token's reason when it was not signed
  std::optional<core::SignedBy> signed_by;      // signed on the officer's token
};
// A ticket's printer answer was recorded (issued or print_failed), or why not.
struct TicketPrintRecorded {
  uint64_t request_id = 0;
  Status status;
};
struct RatingStored {
  uint64_t request_id = 0;
  Status status;
};
// A citizen's "Gọi cán bộ hỗ trợ" was recorded (or the open one found: created false), or why not.
struct HelpAsked {
  uint64_t request_id = 0;
  Result<HelpDesk::Asked> asked = Status::Error(Code::kInternal, "no answer");
};
// Staff dismissed a help request (recorded with the time and an audit row), or why not.
struct HelpDismissed {
  uint64_t request_id = 0;
  Result<HelpRequest> dismissed = Status::Error(Code::kInternal, "no answer");
};
// The staff PIN was checked (PBKDF2 on the worker).
struct PinChecked {
  uint64_t request_id = 0;
  PinRole role = PinRole::kStaff;  // whose PIN was checked (staff mode or technician mode)
  Result<PinResult> result = Status::Error(Code::kInternal, "no answer");
  // An officer's sign-in (CheckOfficerPin): their id, and the answer instead of `result`.
  std::string officer_id;
  std::optional<Result<OfficerSignIn>> officer;
  // An officer who signs in with the token: why the token said no (the PIN was wrong, no token…).
  std::optional<core::SigningRefusal> token_refusal;
};

// The technician worker's answers (technician_worker.h): one shape for all its requests, plain
// formatted values (codes, dates, counts: never personal data, never a secret).
struct TechnicianAnswer {
  enum class Kind { kCaFiles, kCaFile, kStep, kDone, kDiagnostics, kCertificate, kOfficers };
  uint64_t request_id = 0;
  Kind kind = Kind::kDone;
  bool ok = true;
  std::string step;              // kStep: "enrol", "staff_pin", "devices"
  std::string text_vi, text_en;  // the step's summary, or what went wrong
  // kCaFile, kDiagnostics, kCertificate: (i18n key of the label, value) rows.
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<std::string> files;  // kCaFiles: the PEM files found, sorted
  // kOfficers: the list after the request (read again even when it failed); `step` names the act.
  std::vector<Officer> officers;
};

// The scanner service looked for its device (at start): whether one answers, and its sources.
struct ScannerFound {
  bool found = false;
  bool feeder = false;  // a document feeder
};
// A page was scanned (Đang quét trang N…).
struct ScanProgress {
  uint64_t request_id = 0;
  int pages = 0;
};
// A scan ended: the pages scanned (kept even when it failed) and how it ended.
struct ScanFinished {
  uint64_t request_id = 0;
  std::vector<ScannedPage> pages;
  scanner::ScanProblem problem = scanner::ScanProblem::kNone;
  Status status;
};
// The pages bound into one PDF ("Xong").
struct ScanBound {
  uint64_t request_id = 0;
  std::string pdf;
  Status status;
};

using UiEvent = std::variant<PrintFinished, CardPresence, CardReadFinished, QrScanned, PortalLookupFinished,
                             QueueChanged, SyncStatus, SubmitFinished, TicketReserved, TicketPrintRecorded,
                             DecisionRecorded, RatingStored, PinChecked, TechnicianAnswer, HelpAsked, HelpDismissed,
                             ScannerFound, ScanProgress, ScanFinished, ScanBound>;

class EventQueue {
 public:
  // `wake` runs on the pushing thread after each Push; it must be thread-safe (SDL_PushEvent is).
  void SetWake(std::function<void()> wake) {
    std::lock_guard<std::mutex> lock(mu_);
    wake_ = std::move(wake);
  }
  void Push(UiEvent e) {
    std::function<void()> wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(std::move(e));
      wake = wake_;
    }
    arrived_.notify_all();
    if (wake) wake();
  }
  // Waits until an event is queued or `timeout` passes; true when one is. For tests and tools
  // without an SDL loop (the kiosk waits in SDL_WaitEventTimeout, woken by SetWake's callback).
  bool Wait(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return arrived_.wait_for(lock, timeout, [this] { return !events_.empty(); });
  }
  std::vector<UiEvent> Drain() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<UiEvent> out(std::make_move_iterator(events_.begin()), std::make_move_iterator(events_.end()));
    events_.clear();
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  std::deque<UiEvent> events_;
  std::function<void()> wake_;
};

// Zeroes what an event carries of a citizen (a card's identity, a QR's payload; the face image
// never leaves the card worker and is zeroed there) before the event is freed: the UI thread
// calls it after App::OnEvent (app_privacy.cpp).
void WipeIdentity(card::Identity& id);
void WipeEvent(UiEvent& event);

}  // namespace mck::app
