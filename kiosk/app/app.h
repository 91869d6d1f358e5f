// The kiosk's state and its screen machine, without any rendering: what the citizen has done
// so far (Session), which screen shows, what the devices are doing, and the reactions to every
// intent a screen can express and every event a worker can post. Screens (ui/, screens/) only
// read this object and append Intents; main.cpp applies them after the frame is drawn. Every
// transition is therefore a plain call a Catch2 test can make and check (tests/ui/app_test.cpp).
//
// Thread-safety: UI thread only. The Store is this thread's own connection; its calls are short
// local transactions (SubmitDossier is a few ms, DESIGN.md allows it on the UI thread).
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/event_queue.h"
#include "kiosk/app/i18n.h"
#include "kiosk/app/inactivity.h"
#include "kiosk/app/services.h"
#include "kiosk/app/session.h"
#include "kiosk/text/ime.h"
#include "offline/domain/catalog.h"
#include "offline/domain/clock.h"
#include "offline/domain/config.h"
#include "offline/store/store.h"

namespace mck::app {

enum class ScreenId {
  kAttract,       // "Chạm để bắt đầu"
  kMenu,          // submit / look up / ticket / rate
  kIdentify,      // card, typed ID, or no card
  kApplicant,     // the applicant's details (typed or from the card)
  kProcedure,     // pick a procedure: by field or search
  kForm,          // the procedure's form
  kDocuments,     // papers to bring to the counter
  kReview,        // everything once more, then "Nộp hồ sơ"
  kSubmitted,     // "Đã nộp hồ sơ": code, QR, receipt printing
  kLookup,        // type or scan a code
  kTicket,        // take a queue number
  kRating,        // rate the service
  kThanks,        // after a rating
  kStaffPin,      // staff: enter the PIN (lock-out after failures)
  kStaff,         // staff: queue per counter, call the next ticket, dossiers waiting to sync
  kStaffDossier,  // staff: one dossier, the papers checked, and the counter's decision
};
const char* ScreenName(ScreenId s);  // "attract", "menu", ... (the script's `wait` uses these)
std::optional<ScreenId> ParseScreenName(std::string_view s);

// How a field is typed: which keyboard shows and how keys become text.
enum class InputKind {
  kText,    // Vietnamese letters through Telex/VNI
  kPlain,   // letters and digits as typed (e-mail, codes)
  kDigits,  // numeric pad (ID number, phone, number)
  kDate,    // numeric pad, DDMMYYYY shown as DD/MM/YYYY
};

struct Intent {
  enum class Kind {
    kStart,  // attract → menu
    kGo,     // to `screen` (menu choices, Back buttons)
    kBack,
    kStartOver,  // wipe the session, attract screen
    kStillHere,  // answered the inactivity question
    kFocus,      // key, input
    kKey,        // text: one character (UTF-8)
    kBackspace,
    kSetValue,        // key, text (selects, radio buttons)
    kToggleDocument,  // key = document id
    kIdentifyTyped,   // continue from identify with a typed ID
    kIdentifyNoCard,  // continue with everything typed
    kReadChip,        // confirm the typed ID with the chip
    kApplicantDone,
    kFilterField,      // text = lĩnh vực or ""
    kChooseProcedure,  // key = code
    kFormDone,
    kDocumentsDone,
    kSubmit,
    kReprintReceipt,
    kLookup,
    kTakeTicket,  // key = counter
    kSetScore,    // key = criterion, number = score
    kSubmitRating,
    kSetLanguage,  // number: 0 vi, 1 en
    kToggleLargeText,
    kToggleInputMethod,
    kStaffUnlock,          // check the PIN typed in "staff.pin"
    kCallNext,             // key = counter
    kStaffReprintReceipt,  // key = client id: the dossier's kiosk slip again
    kStaffReprintTicket,   // number = ticket id: a number whose ticket did not print
    kStaffOpenDossier,     // key = client id
    kStaffTogglePaper,     // key = document id: received at the counter or not
    kStaffPaperForm,       // key = document id: next form (original, certified copy, copy)
    kStaffDecide,          // text = accept | request_supplement | refuse
    kStaffRequeue,         // send the open dossier, which the portal refused, again
    kStaffSyncNow,         // send what waits now, without waiting out a retry
    kStaffPrintOfficial,   // the open dossier's Mẫu 01 receipt, from its recorded accept
  };
  explicit Intent(Kind k) : kind(k) {}
  Kind kind;
  std::string key;
  std::string text;
  int number = 0;
  ScreenId screen = ScreenId::kAttract;
  InputKind input = InputKind::kText;
};

// State of the last print or chip read, for the screens' status lines.
enum class JobState { kNone, kRunning, kDone, kFailed };

struct TicketView {
  int number = 0;
  std::string counter, counter_name;
  int waiting_before = 0;
  JobState print = JobState::kNone;
  std::string error_key;             // i18n key of the calm message, when it failed
  std::string detail_vi, detail_en;  // the device's own message (e.g. "out of paper")
};

struct LookupView {
  bool found = false;
  bool searched = false;
  std::string provisional_code, dossier_code, procedure_name, state, portal_status, appointment_date, submitted_at;
  std::string error_key;              // i18n key when not found or failed
  JobState portal = JobState::kNone;  // the portal look-up, when the kiosk is enrolled
  std::string portal_status_text;     // the portal's own words (Vietnamese)
};

// Staff mode's view: built from the store when entering and after each call (no personal data).
struct StaffView {
  struct Counter {
    std::string counter, name;
    int waiting = 0;
  };
  std::vector<Counter> counters;
  // Today's dossiers and older ones the portal has not accepted, newest first: codes, procedure,
  // state; never the applicant's data (a reprint reads it from the store and sends it to the
  // printer worker without showing it).
  std::vector<DossierSummary> dossiers;
  // Of those, how many the portal has not accepted yet.
  int Pending() const {
    return static_cast<int>(std::count_if(dossiers.begin(), dossiers.end(),
                                          [](const DossierSummary& d) { return d.state != DossierState::kAccepted; }));
  }
  std::vector<Ticket> failed_tickets;  // today's numbers whose ticket did not print
  std::string called;                  // "HT-003" just called, shown large
  std::string message_key;             // i18n key of a calm message ("staff.none_waiting", ...)
  std::string message_arg;             // its {0}: a code or a number
  JobState reprint = JobState::kNone;  // the last reprint
  std::string detail_vi, detail_en;    // the printer's own words when it failed
};

// Staff mode's view of one dossier, opened from the list: what the citizen submitted (personal
// data, behind the staff PIN, wiped with the session) and the papers the officer checks.
struct StaffDossierView {
  std::string client_id, provisional_code, dossier_code, procedure_code, procedure_name, state_key, portal_status,
      appointment_date, submitted_at;
  std::vector<std::pair<std::string, std::string>> applicant;  // i18n label key, value
  std::vector<std::pair<std::string, std::string>> fields;     // form label, value
  struct Paper {
    std::string id, name;
    bool required = false;
    bool brought = false;   // the citizen ticked it at the kiosk
    bool received = false;  // the officer checked it at the counter
    std::string form = "original";
  };
  std::vector<Paper> papers;
  struct Decided {
    std::string decision, state, decided_at;  // accept, sent, RFC 3339
  };
  std::vector<Decided> decisions;           // earlier decisions on this dossier, oldest first
  bool needs_attention = false;             // the portal refused it (422/409): staff act, then resend
  std::vector<std::string> portal_reasons;  // the portal's reasons, fields named as on the form
  bool purged = false;
  std::string error_vi, error_en;  // why the decision was not recorded
  std::string decided;             // the decision recorded in this visit
};

// The rating criteria (shared/domain/vn-facts.md §7.1) the kiosk asks; ids are sent to the portal.
const std::vector<std::string>& RatingCriteria();  // "overall", "convenience", ...

struct AppDeps {
  const KioskConfig* config = nullptr;
  Store* store = nullptr;
  const Clock* clock = nullptr;
  Strings* strings = nullptr;
  PrintService* printer = nullptr;        // null: no printer configured (every print fails calmly)
  CardService* card = nullptr;            // null: no card reader (identify by typing only)
  PortalLookupService* portal = nullptr;  // null: not enrolled (local state only)
  std::function<void()> outbox_changed;   // a dossier or rating was queued (wakes the sync worker)
  std::function<void()> sync_now;         // staff's "send now" (a pass at once, no backoff wait)
};

class App {
 public:
  explicit App(AppDeps deps);
  ~App();

  // Loads the catalog from the store (cache or seed). Failing here is fatal for the kiosk.
  Status Init();

  void Apply(const Intent& intent);
  void OnEvent(const UiEvent& event);
  // Moves the inactivity machine on: the countdown overlay, then the wipe.
  void Tick();
  // Any input from the citizen (touch, key, card): resets the inactivity timer.
  void Touched() { inactivity_.Touch(); }

  // ---- what the screens read ----
  ScreenId screen() const { return screen_; }
  const Session& session() const { return session_; }
  const Catalog& catalog() const { return catalog_; }
  const KioskConfig& config() const { return *deps_.config; }
  const Strings& strings() const { return *deps_.strings; }
  const std::string& T(const std::string& key) const { return deps_.strings->Get(key); }
  const InactivityTimer& inactivity() const { return inactivity_; }
  bool countdown_showing() const { return inactivity_.Poll() == InactivityTimer::Phase::kCountdown; }
  const std::string& focused_key() const { return focused_key_; }
  InputKind focused_input() const { return focused_input_; }
  std::string Value(const std::string& key) const;
  // The value as shown: dates as DD/MM/YYYY while typing.
  std::string DisplayValue(const std::string& key) const;
  // The validation message for `key` in the current language ("" when none).
  std::string ErrorFor(const std::string& key) const;
  const Procedure* procedure() const;
  std::vector<const Procedure*> VisibleProcedures() const;
  std::vector<std::string> Fields() const;  // distinct lĩnh vực, catalog order
  bool has_card_reader() const { return deps_.card != nullptr; }
  bool has_printer() const { return deps_.printer != nullptr; }
  JobState card_read() const { return card_read_; }
  const std::string& card_message() const { return card_message_; }
  bool card_present() const { return card_present_; }
  JobState receipt_print() const { return receipt_print_; }
  // i18n key of the calm message when the receipt did not print, and the printer's own words.
  const std::string& receipt_error() const { return receipt_error_; }
  std::string receipt_detail() const {
    return strings().language() == Language::kEn ? receipt_detail_en_ : receipt_detail_vi_;
  }
  const std::optional<TicketView>& ticket() const { return ticket_; }
  const LookupView& lookup() const { return lookup_; }
  bool large_text() const { return large_text_; }
  text::InputMethod input_method() const { return method_; }
  const std::string& notice() const { return notice_; }  // a calm one-line message (key)
  // A dossier body from the session (what would be submitted); used by review and tests.
  nlohmann::json BuildDossierBody() const;
  const StaffView& staff() const { return staff_; }
  const std::optional<StaffDossierView>& staff_dossier() const { return staff_dossier_; }
  // The sync worker's last reported state (none yet, or not enrolled: nullopt).
  const std::optional<SyncStatus>& sync_status() const { return sync_status_; }
  bool enrolled() const { return deps_.portal != nullptr; }
  // The PIN screen's message (i18n key) and its number (attempts left, minutes locked).
  const std::string& pin_message() const { return pin_message_; }
  int pin_message_number() const { return pin_message_number_; }
  // Number of completed citizen sessions (wipes), for tests and diagnostics.
  int sessions_wiped() const { return sessions_wiped_; }

 private:
  void Go(ScreenId s);
  void WipeSession();
  void Focus(const std::string& key, InputKind kind);
  void Unfocus();
  void TypeKey(const std::string& utf8);
  void ValidateKey(const std::string& key);
  bool ValidateApplicant();
  bool ValidateForm();
  void Submit();
  void StartTicket(const std::string& counter);
  void DoLookup();
  void DoRating();
  void ApplyIdentity(const card::Identity& id);
  void StaffUnlock();
  void RefreshStaff();
  void CallNext(const std::string& counter);
  void StaffReprintReceipt(const std::string& client_id);
  void StaffReprintTicket(int64_t ticket_id);
  void StaffOpenDossier(const std::string& client_id);
  void StaffDecide(const std::string& decision);
  void CloseStaffDossier();
  void StaffRequeue();
  void StaffPrintOfficial();
  // Before a staff print: false (with the reason on screen) when there is no printer or another
  // staff print is still running.
  bool StaffMayPrint();
  void SetError(const std::string& key, const std::string& vi, const std::string& en);

  AppDeps deps_;
  Catalog catalog_;
  Session session_;
  ScreenId screen_ = ScreenId::kAttract;
  std::vector<ScreenId> history_;
  InactivityTimer inactivity_;
  std::unique_ptr<text::Composer> composer_;
  text::InputMethod method_ = text::InputMethod::kTelex;
  std::string focused_key_;
  InputKind focused_input_ = InputKind::kText;
  bool large_text_ = false;
  JobState card_read_ = JobState::kNone;
  uint64_t card_request_ = 0;
  bool card_present_ = false;
  std::string card_message_;
  JobState receipt_print_ = JobState::kNone;
  uint64_t receipt_job_ = 0;
  std::string receipt_error_;
  std::string receipt_detail_vi_, receipt_detail_en_;
  std::optional<TicketView> ticket_;
  int64_t ticket_id_ = 0;
  uint64_t ticket_job_ = 0;
  LookupView lookup_;
  uint64_t lookup_request_ = 0;
  std::string notice_;
  int sessions_wiped_ = 0;
  bool staff_unlocked_ = false;
  StaffView staff_;
  uint64_t staff_job_ = 0;       // the staff reprint in the printer's queue
  int64_t staff_ticket_id_ = 0;  // the ticket it reprints (0: a receipt); survives the wipe
  bool staff_official_ = false;  // the job is a Mẫu 01 receipt
  std::optional<StaffDossierView> staff_dossier_;
  std::optional<SyncStatus> sync_status_;
  std::string pin_message_;
  int pin_message_number_ = 0;
};

}  // namespace mck::app
