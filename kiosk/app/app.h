// The kiosk's state and its screen machine, without any rendering: reducers over plain
// view-model structs (view_models.h). A screen reads the App and appends Intents (intents.h);
// main.cpp applies them after the frame is drawn; workers answer with UiEvents (event_queue.h).
// Every transition is therefore a plain call a Catch2 test can make and check
// (tests/ui/app_flow_test.cpp, one_core_test.cpp).
//
// Side effects leave through small interfaces: the store writes and the PIN's key derivation
// through the CoreService (core_worker.h: the use cases of kiosk/core on a worker with its own
// Store connection), printing through PrintService, the chip through CardService, the portal
// through PortalLookupService. Each answers with an event. The UI thread keeps only short reads
// of its own Store connection (look-up, staff lists, a reprint's document).
//
// Thread-safety: UI thread only.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/core_worker.h"
#include "kiosk/core/calling_board.h"
#include "kiosk/app/device_states.h"
#include "kiosk/app/event_queue.h"
#include "kiosk/app/i18n.h"
#include "kiosk/app/inactivity.h"
#include "kiosk/app/intents.h"
#include "kiosk/app/scan_service.h"
#include "kiosk/app/services.h"
#include "kiosk/app/session.h"
#include "kiosk/app/technician_worker.h"
#include "kiosk/app/view_models.h"
#include "kiosk/core/lookup.h"
#include "kiosk/core/rating.h"
#include "kiosk/text/ime.h"
#include "offline/domain/catalog.h"
#include "offline/domain/clock.h"
#include "offline/domain/config.h"
#include "offline/store/store.h"

namespace mck::app {

const char* ScreenName(ScreenId s);
bool IsTechnicianScreen(ScreenId s);  // "attract", "menu", ... (the script's `wait` uses these)
// A screen the citizen uses (not staff mode, not technician mode): these show the footer with
// "Gọi cán bộ hỗ trợ" (the attract screen too is one, though it draws no footer).
bool IsCitizenScreen(ScreenId s);
std::optional<ScreenId> ParseScreenName(std::string_view s);

// The rating criteria the kiosk asks (kiosk/core/rating.h); ids are sent to the portal.
using core::RatingCriteria;

struct AppDeps {
  const KioskConfig* config = nullptr;
  Store* store = nullptr;  // the UI thread's connection: short reads only
  const Clock* clock = nullptr;
  Strings* strings = nullptr;
  PrintService* printer = nullptr;              // null: no printer configured (every print fails calmly)
  const DeviceStates* device_states = nullptr;  // live printer/reader states (diagnostics); may be null
  CardService* card = nullptr;                  // null: no card reader (identify by typing only)
  PortalLookupService* portal = nullptr;        // null: not enrolled (local state only)
  // The store writes and the PIN check. Null: App::Init starts its own CoreWorker on
  // `store_options`, posting to `events`, submitting through `submitter` when given (tests put
  // a fake there to make the store refuse).
  CoreService* core = nullptr;
  EventQueue* events = nullptr;
  StoreOptions store_options;
  core::DossierSubmitter* submitter = nullptr;
  std::function<void()> outbox_changed;  // a dossier or rating was queued (wakes the sync worker)
  std::function<void()> sync_now;        // staff's "send now" (a pass at once, no backoff wait)
  // Technician mode (app_technician.cpp). Null: App::Init starts its own TechnicianWorker.
  TechnicianService* technician = nullptr;
  // Where the CA step looks for PEM files (the config's folder, USB mounts); main.cpp fills it.
  std::vector<std::filesystem::path> ca_dirs;
  // Boot into the technician's first-boot screen: the kiosk is not enrolled, and it runs in kiosk
  // mode or a technician PIN is set (main.cpp; docs/ui.md "Technician screens").
  bool first_boot = false;
  std::string version;  // for the diagnostics screen
  // Read-aloud (speech_player.h). Null: no audio device or no voice; the kiosk runs without.
  SpeechService* speech = nullptr;
  // The citizen's scanner (scan_service.h). Null: none configured; the kiosk runs without.
  ScanService* scanner = nullptr;
};

class App {
 public:
  explicit App(AppDeps deps);
  ~App();

  // Loads the catalog from the store (cache or seed) and starts the core worker. Failing here is
  // fatal for the kiosk.
  Status Init();

  void Apply(const Intent& intent);
  void OnEvent(const UiEvent& event);
  // Moves the inactivity machine on: the countdown overlay, then the wipe.
  void Tick();
  // While staff look at an unpaid fee, when the portal is asked again (the loop wakes for it).
  static constexpr std::chrono::seconds kFeeAskEvery{5};
  std::optional<std::chrono::steady_clock::time_point> fee_ask_at() const { return fee_ask_at_; }
  // Any input from the citizen (touch, key, card): resets the inactivity timer.
  void Touched() { inactivity_.Touch(); }
  // A keyboard-wedge QR scanner types its line as text input while no field is focused
  // (app_privacy.cpp). WedgeText collects it (a line over 4 KB is dropped, wiped); WedgeEnter
  // hands a complete line on as QrScanned and wipes it (false when nothing was pending). A wipe
  // of the session zeroes a partial line too: no citizen's half-scanned QR reaches the next one.
  void WedgeText(const char* utf8);
  bool WedgeEnter();
  const std::string& wedge_pending() const { return wedge_; }
  // A request is with the core worker (a submission, a ticket, a decision, a rating, the PIN).
  bool busy() const;

  // ---- what the screens read ----
  const CitizenFlow& citizen() const { return citizen_; }
  const StaffDesk& desk() const { return desk_; }
  ScreenId screen() const { return citizen_.screen; }
  const Session& session() const { return citizen_.session; }
  const Catalog& catalog() const { return catalog_; }
  const KioskConfig& config() const { return *deps_.config; }
  const Strings& strings() const { return *deps_.strings; }
  const std::string& T(const std::string& key) const { return deps_.strings->Get(key); }
  const InactivityTimer& inactivity() const { return inactivity_; }
  bool countdown_showing() const { return inactivity_.Poll() == InactivityTimer::Phase::kCountdown; }
  const std::string& focused_key() const { return citizen_.focused_key; }
  InputKind focused_input() const { return citizen_.focused_input; }
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
  JobState card_read() const { return citizen_.card_read; }
  const std::string& card_message() const { return citizen_.card_message; }
  bool card_present() const { return citizen_.card_present; }
  bool submitting() const { return citizen_.submit_request != 0; }  // "Đang lưu…"
  const PrintJob& receipt() const { return citizen_.receipt; }
  // The submitted dossier's fee to pay by VietQR, built from the stored dossier with its slip
  // (drivers/printer/dossier_documents.h); null when free, not configured, or no slip.
  const printer::PaymentQr* payment() const {
    return citizen_.slip && citizen_.slip->payment ? &*citizen_.slip->payment : nullptr;
  }
  const std::optional<TicketView>& ticket() const { return citizen_.ticket; }
  const LookupView& lookup() const { return citizen_.lookup; }
  bool large_text() const { return large_text_; }
  bool high_contrast() const { return high_contrast_; }
  text::InputMethod input_method() const { return method_; }
  const std::string& notice() const { return citizen_.notice; }
  // "Gọi cán bộ hỗ trợ" in this session: none asked, being recorded, staff told, or failed.
  JobState help() const { return citizen_.help; }
  // The current screen's spoken instruction (speak.<screen> in the catalogs, current language),
  // "" when the screen has none (staff, technician). The "before you start" page's is built from
  // the chosen procedure: its papers, fee and time (before_start.h). For the "Nghe hướng dẫn"
  // button and tests.
  std::string SpokenInstruction() const;
  // The time now (the App's clock), for "since 10:42 (5 phút)" in staff mode.
  TimePoint Now() const { return deps_.clock->Now(); }
  // A dossier body from the session (what would be submitted); used by review and tests.
  nlohmann::json BuildDossierBody() const;
  const StaffView& staff() const { return desk_.view; }
  const std::optional<StaffDossierView>& staff_dossier() const { return desk_.dossier; }
  // The sync worker's last reported state (none yet, or not enrolled: nullopt).
  const std::optional<SyncStatus>& sync_status() const { return sync_status_; }
  bool enrolled() const { return deps_.portal != nullptr; }
  bool checking_pin() const { return desk_.pin_request != 0; }
  const std::string& pin_message() const { return desk_.pin_message; }
  int pin_message_number() const { return desk_.pin_message_number; }
  const std::string& pin_message_arg() const { return desk_.pin_message_arg; }
  // The officers who may sign in (none: the shared staff PIN), the one chosen, the one signed in.
  const std::vector<Officer>& officers() const { return desk_.officers; }
  const std::string& officer_choice() const { return desk_.officer_choice; }
  const std::optional<Officer>& officer() const { return desk_.officer; }
  // ---- technician mode ----
  const TechnicianDesk& tech() const { return tech_; }
  bool first_boot() const { return deps_.first_boot; }
  // Whether a technician PIN is set (read at start and after each check): the first-boot screen
  // says how to set one when none is.
  bool technician_pin_set() const { return technician_pin_set_; }
  // The technician's "Tắt máy" / "Khởi động lại" was confirmed: main.cpp ends the loop through
  // the SessionHost's stop path with StopExitCode (session_host.h).
  std::optional<bool> stop_request() const { return stop_request_; }  // true: restart
  // ---- read-aloud (app_speech.cpp) ----
  bool has_speech() const { return deps_.speech != nullptr; }
  bool voice_on() const { return citizen_.voice_on; }
  // The technician's volume and speed for this run (start: the config's [speech]).
  int speech_volume() const { return speech_volume_; }
  int speech_rate() const { return speech_rate_; }
  // A citizen screen (the footer's listen button shows, the voice may speak).
  static bool IsCitizenScreen(ScreenId s);
  // ---- the scan screen (app_scan.cpp) ----
  // A scanner is configured and answered at start: the documents screen offers "Quét giấy tờ này".
  bool has_scanner() const { return deps_.scanner != nullptr && scanner_found_; }
  bool scanner_has_feeder() const { return scanner_feeder_; }
  const ScanDesk& scan() const { return citizen_.scan; }
  // The paper's scan as kept for submission (null: not scanned).
  const DigitisedPaper* digitised(const std::string& document_id) const;
  // What the scanned papers weigh together (their PDFs; the scan screen's working pages instead
  // of its paper's PDF), against the config's scan_max_dossier_mb.
  size_t ScannedBytes() const;
  // Number of completed citizen sessions (wipes), for tests and diagnostics.
  int sessions_wiped() const { return sessions_wiped_; }
  // The calling display's content (app_calling.cpp, docs/calling-display.md), read again after
  // every intent and worker event while [calling_display] is enabled; the version goes up only
  // when it changed, so the display's window redraws only then.
  const core::CallingBoard& calling_board() const { return calling_board_; }
  uint64_t calling_board_version() const { return calling_board_version_; }

 private:
  // ---- reducers, one per intent (app.cpp: the session; app_citizen.cpp: the citizen's
  // requests; app_staff.cpp: staff mode). Staff intents pass the one staff guard in Apply.
  void On(const intent::Start&);
  void On(const intent::Go&);
  void On(const intent::Back&);
  void On(const intent::StartOver&);
  void On(const intent::StillHere&);  // the Touch in Apply is the answer; the countdown's voice stops
  void On(const intent::Focus&);
  void On(const intent::Unfocus&) { Unfocus(); }
  void On(const intent::Key& in) { TypeKey(in.text); }
  void On(const intent::Backspace&);
  void On(const intent::SetValue&);
  void On(const intent::ToggleDocument&);
  void On(const intent::ScanOpen&);
  void On(const intent::ScanStart&);
  void On(const intent::ScanRescan&);
  void On(const intent::ScanDelete&);
  void On(const intent::ScanMove&);
  void On(const intent::ScanSelect&);
  void On(const intent::ScanDone&);
  void On(const intent::ScanCancel&);
  void OnScanEvent(const UiEvent& e);  // ScannerFound, ScanProgress, ScanFinished, ScanBound
  void LeaveScan();                    // the working pages wiped, back to where the scan began
  // The scan screen on `document_id`, its earlier scan (if any) in `papers` to edit; `counter`: the
  // officer's (papers = the open staff dossier's scans), else the citizen's.
  void OpenScan(const std::string& document_id, const std::string& name, bool counter,
                const std::map<std::string, DigitisedPaper>& papers);
  // Where the scan screen keeps a finished paper: the session's (citizen) or the open staff
  // dossier's (counter); null when that dossier was closed meanwhile.
  std::map<std::string, DigitisedPaper>* ScanPapers();
  const std::map<std::string, DigitisedPaper>* ScanPapers() const;
  std::vector<NewAttachment> ScanAttachments() const;  // one PDF per scanned paper, for Submit
  void On(const intent::IdentifyTyped&);
  void On(const intent::IdentifyNoCard&);
  void On(const intent::ReadChip&);
  void On(const intent::ApplicantDone&);
  void On(const intent::FilterField&);
  void On(const intent::ShowFields&);
  void On(const intent::ChooseProcedure&);
  void On(const intent::BeforeStartDone&);
  void On(const intent::FormDone&);
  void On(const intent::DocumentsDone&);
  void On(const intent::Submit&);
  void On(const intent::ReprintReceipt&);
  void On(const intent::Lookup&);
  void On(const intent::TakeTicket&);
  void On(const intent::SetScore&);
  void On(const intent::SubmitRating&);
  void On(const intent::SetLanguage&);
  void On(const intent::ToggleLargeText&);
  void On(const intent::ToggleContrast&);
  void On(const intent::ToggleInputMethod&);
  void On(const intent::Listen&);
  void On(const intent::VoiceOff&);
  void On(const intent::ReadBack&);
  void On(const intent::TechSpeech&);
  void On(const intent::AskHelp&);
  void On(const intent::StaffUnlock&);
  void On(const intent::StaffPickOfficer&);
  void On(const intent::CallNext&);
  void On(const intent::CallAgain&);  // app_calling.cpp
  void On(const intent::StaffReprintReceipt&);
  void On(const intent::StaffReprintTicket&);
  void On(const intent::StaffOpenDossier&);
  void On(const intent::StaffSyncNow&);
  void On(const intent::StaffDismissHelp&);
  void On(const intent::StaffTogglePaper&);
  void On(const intent::StaffPaperForm&);
  void On(const intent::StaffScanOpen&);
  void On(const intent::StaffDecide&);
  // Signing the decision on the officer's token (app_decide.cpp, docs/signing.md "At the counter").
  void On(const intent::StaffSignDecision&);
  void On(const intent::StaffSignCancel&);
  void On(const intent::StaffDecideAnother&);
  bool SigningRequired() const;  // [signing] module configured: every decision is signed
  CounterDecision DecisionFromDesk(const std::string& word);
  void WipeTokenPin();
  void On(const intent::StaffRequeue&);
  void On(const intent::StaffPrintOfficial&);
  void On(const intent::StaffPrintFeeReceipt&);
  void On(const intent::StaffReadChip&);  // app_chip_face.cpp
  void OnStaffChipRead(const CardReadFinished& e);
  void WipeChipFace(StaffDossierView& v);  // also cancels a read still running
  void On(const intent::TechUnlock&);
  void On(const intent::TechOpen&);
  void On(const intent::TechStep&);
  void On(const intent::TechChooseCa&);
  void On(const intent::TechProvision&);
  void On(const intent::TechPrintTest&);
  void On(const intent::TechRenew&);
  void On(const intent::TechAskStop&);
  void On(const intent::TechConfirmStop&);
  void On(const intent::TechOfficerForm&);  // app_tech_officers.cpp
  void On(const intent::TechOfficerSave&);
  void On(const intent::TechOfficerAct&);
  void OpenTechOfficers();
  void OnTechOfficers(const TechnicianAnswer& e);
  void WipeTechOfficerForm();
  void OnTechnician(const TechnicianAnswer& e);
  void OnTechPinChecked(const PinChecked& e);
  // The technician PIN screen (locked) or `s` (unlocked); loads what `s` shows.
  void GoTechnician(ScreenId s);
  bool TechStepValid();
  void ListCaFiles();

  // ---- worker answers (app_events.cpp, app_citizen.cpp, app_staff.cpp) ----
  void OnWorkerEvent(const UiEvent& event);
  void OnPrinted(const PrintFinished& e);
  void OnStaffPrinted(const PrintFinished& e);
  void OnSubmitted(SubmitFinished e);
  void OnTicketReserved(TicketReserved e);
  void OnRatingStored(const RatingStored& e);
  void OnPinChecked(const PinChecked& e);
  // Officers (app_officer.cpp, docs/officers.md).
  void OnOfficerPinChecked(const PinChecked& e);
  // A refused value the officer may correct on the staff dossier screen (app_correct.cpp): adds
  // it to v.fixes with its current value in the session's "staff.fix.<path>".
  void AddFix(StaffDossierView& v, const std::string& path, const std::string& label, const nlohmann::json& body,
              const Procedure* p);
  // The stored body with the officer's corrections, validated; the paths that changed.
  Result<Outbox::Correction> CorrectedBody(const StaffDossierView& v);
  void LoadOfficers();
  // The signed-in officer leaves staff mode (`why`: button, inactivity, session_end): audited,
  // and this kiosk's staff rows name "staff" again. Nothing when nobody is signed in.
  void SignOutOfficer(const char* why);
  void OnDecisionRecorded(DecisionRecorded e);
  void OnQr(const QrScanned& e);
  void TakeQr(const QrScanned& e);  // OnQr's work; OnQr then stops or starts speech like an intent
  void OnHelpAsked(const HelpAsked& e);
  void OnHelpDismissed(const HelpDismissed& e);

  void Go(ScreenId s);
  void WipeSession();
  void Focus(const std::string& key, InputKind kind);
  void Unfocus();
  void TypeKey(const std::string& utf8);
  void ValidateKey(const std::string& key);
  bool ValidateApplicant();
  bool ValidateForm();
  void PrintSlip();
  void DoLookup();
  void ApplyIdentity(const card::Identity& id);
  // Ends an earlier card read's claim (session.h): typed, manual, no field marked from the card.
  void DropCardClaim();
  void RefreshStaff();
  void CloseStaffDossier();
  void AskFeeNow();  // an open dossier's unpaid fee: the portal is asked on the look-up worker
  void OnStaffFeeLookup(const PortalLookupFinished& l);
  void PrintFeeReceipt();
  void PrintOfficial(const printer::OfficialReceipt& receipt);
  // Before a staff print: false (with the reason on screen) when there is no printer or another
  // staff print is still running.
  bool StaffMayPrint();
  void SetError(const std::string& key, const std::string& vi, const std::string& en);
  // Read-aloud (app_speech.cpp). During an intent, what is to be said is collected (Speak: texts
  // from the catalogs only) and said once at its end (FinishSpeech), or, when nothing is to be
  // said and the screen changed, the voice stops. ReadBack is the only path for personal data.
  void Speak(const std::string& catalog_text);
  void SpeakFieldHelp(const std::string& key);
  void FinishSpeech(ScreenId before, const std::vector<std::string>& errors_before);
  void StopSpeech();
  Utterance Voice(std::string text) const;
  std::vector<std::string> ErrorKeys() const;
  // The calling display (app_calling.cpp): say a number's call; read the board again.
  void AnnounceCall(const Ticket& ticket);
  void RefreshCallingBoard();

  AppDeps deps_;
  Catalog catalog_;
  std::unique_ptr<CoreWorker> own_core_;
  std::unique_ptr<TechnicianWorker> own_technician_;
  TechnicianDesk tech_;
  bool technician_pin_set_ = false;
  std::optional<bool> stop_request_;
  CitizenFlow citizen_;
  StaffDesk desk_;
  InactivityTimer inactivity_;
  std::unique_ptr<text::Composer> composer_;
  text::InputMethod method_ = text::InputMethod::kTelex;
  bool large_text_ = false;
  bool high_contrast_ = false;
  int sessions_wiped_ = 0;
  bool scanner_found_ = false, scanner_feeder_ = false;
  int ticket_records_pending_ = 0;  // tickets' printer answers the core worker is recording
  std::optional<SyncStatus> sync_status_;
  std::string wedge_;                     // the wedge scanner's partial line (citizen data)
  core::LookupThrottle lookup_throttle_;
  std::optional<std::chrono::steady_clock::time_point> fee_ask_at_;  // see fee_ask_at()  // look-ups per session and per minute
  std::vector<std::string> to_say_;       // this intent's utterance (catalog texts only)
  int speech_volume_ = 100, speech_rate_ = 140;
  core::CallingBoard calling_board_;
  uint64_t calling_board_version_ = 0;
  uint64_t chip_faces_ = 0;  // faces shown so far: each its own image_id (the screen's texture)
};

}  // namespace mck::app
