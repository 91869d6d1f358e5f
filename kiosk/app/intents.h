// What a screen can ask of the App: one small struct per intent, carrying exactly what that
// intent needs (like the worker events in event_queue.h). Screens append them (ui/frame.h
// Ui::Emit); main.cpp hands them to App::Apply after the frame is drawn; tests call Apply with
// them directly.
//
// Staff intents name the screen they belong to (`kScreen`): App::Apply ignores them unless staff
// mode is unlocked and that screen shows — the one staff guard.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "kiosk/app/i18n.h"

namespace mck::app {

enum class ScreenId {
  kAttract,       // "Chạm để bắt đầu"
  kMenu,          // submit / look up / ticket / rate
  kIdentify,      // card, typed ID, or no card
  kApplicant,     // the applicant's details (typed or from the card)
  kProcedure,     // pick a procedure: by field or search
  kBeforeStart,   // before the form: the papers to bring, the fee, how long it takes
  kForm,          // the procedure's form
  kDocuments,     // papers to bring to the counter
  kScan,          // scan one paper of the procedure: pages, preview, rescan/delete/reorder
  kReview,        // everything once more, then "Nộp hồ sơ"
  kSubmitted,     // "Đã nộp hồ sơ": code, QR, receipt printing
  kLookup,        // type or scan a code
  kTicket,        // take a queue number
  kRating,        // rate the service
  kThanks,        // after a rating
  kStaffPin,      // staff: enter the PIN (lock-out after failures)
  kStaff,         // staff: queue per counter, call the next ticket, dossiers waiting to sync
  kStaffDossier,  // staff: one dossier, the papers checked, and the counter's decision
  // Technician mode (technician*.cpp; docs/ui.md "Technician screens"): the technician PIN, also
  // the first-boot screen of a kiosk not yet provisioned; then its own screens.
  kTechPin,          // the technician PIN (first boot: "máy chưa được cài đặt")
  kTechnician,       // the technician's menu
  kTechSetup,        // the provisioning wizard, one step per screen (TechnicianDesk::step)
  kTechDevices,      // test the printer, the card reader, the QR scanner
  kTechCertificate,  // the client certificate: expiry, days left, "Gia hạn"
  kTechDiagnostics,  // the diagnostics report
  kTechStop,         // "Tắt máy" / "Khởi động lại": confirm
  kTechOfficers,     // "Cán bộ": the officers, add one, disable/enable, reset a PIN, unlock
};

// How a field is typed: which keyboard shows and how keys become text.
enum class InputKind {
  kText,    // Vietnamese letters through Telex/VNI
  kPlain,   // letters and digits as typed (e-mail, codes)
  kDigits,  // numeric pad (ID number, phone, number)
  kDate,    // numeric pad, DDMMYYYY shown as DD/MM/YYYY
};

namespace intent {

// ---- the citizen's session ----
struct Start {};  // attract → menu
struct Go {       // menu choices; staff's PIN screen
  ScreenId screen = ScreenId::kAttract;
};
struct Back {};
struct StartOver {};  // wipe the session, attract screen
struct StillHere {};  // answered the inactivity question
struct Focus {        // a field takes the keyboard
  std::string key;
  InputKind input = InputKind::kText;
};
struct Unfocus {};  // "Xong": the keyboard closes
struct Key {        // one character (UTF-8) into the focused field
  std::string text;
};
struct Backspace {};
struct SetValue {  // selects, radio buttons
  std::string key, value;
};
struct ToggleDocument {
  std::string document_id;
};
// The scan screen (app_scan.cpp, docs/scanning.md "The scan screen").
struct ScanOpen {  // "Quét giấy tờ này" on the documents screen
  std::string document_id;
};
struct ScanStart {  // "Quét" (flatbed, one page) or "Quét từ khay" (the feeder, every page)
  bool feeder = false;
};
struct ScanRescan {  // "Quét lại" page `index` (0-based): one page replaces it
  int index = 0;
};
struct ScanDelete {
  int index = 0;
};
struct ScanMove {  // page `index` one place up (-1) or down (+1)
  int index = 0;
  int delta = 0;
};
struct ScanSelect {  // the page shown large
  int index = 0;
};
struct ScanDone {};    // "Xong": the pages bound into one PDF, back to the documents
struct ScanCancel {};  // "Huỷ": what was scanned on this visit is dropped, back to the documents
struct IdentifyTyped {};   // continue from identify with a typed ID
struct IdentifyNoCard {};  // continue with everything typed
struct ReadChip {};        // confirm the typed ID with the chip
struct ApplicantDone {};
struct FilterField {  // lĩnh vực, or "" for all
  std::string field;
};
struct ShowFields {};  // "Lọc theo lĩnh vực": the lĩnh vực buttons shown
struct ChooseProcedure {
  std::string code;
};
struct BeforeStartDone {};  // "before you start" read: on to the form
struct FormDone {};
struct DocumentsDone {};
struct Submit {};
struct ReprintReceipt {};
struct Lookup {};
struct TakeTicket {
  std::string counter;
};
struct SetScore {
  std::string criterion;
  int score = 0;
};
struct SubmitRating {};
struct SetLanguage {
  Language language = Language::kVi;
};
struct ToggleLargeText {};
struct ToggleContrast {};  // the high-contrast theme on/off (until the session ends)
struct ToggleInputMethod {};
// Read-aloud (app_speech.cpp, docs/speech.md).
struct Listen {};    // "Nghe hướng dẫn": reads this screen's instruction, and turns the voice on
struct VoiceOff {};  // "Tắt giọng đọc": silence, and no more reading of fields and errors
struct ReadBack {};  // review: reads the applicant's data quietly, saying so first
struct AskHelp {};  // "Gọi cán bộ hỗ trợ" (the footer, every citizen screen)

// ---- staff mode ----
struct StaffUnlock {};  // check the PIN typed in "staff.pin"
struct StaffPickOfficer {  // the sign-in screen: "this is me"
  std::string officer_id;
};
struct CallNext {
  static constexpr ScreenId kScreen = ScreenId::kStaff;
  std::string counter;
};
struct CallAgain {  // "Gọi lại": the number being served at `counter` is called aloud again
  static constexpr ScreenId kScreen = ScreenId::kStaff;
  std::string counter;
};
struct StaffReprintReceipt {  // the dossier's kiosk slip again
  static constexpr ScreenId kScreen = ScreenId::kStaff;
  std::string client_id;
};
struct StaffReprintTicket {  // a number whose ticket did not print
  static constexpr ScreenId kScreen = ScreenId::kStaff;
  int64_t ticket_id = 0;
};
struct StaffOpenDossier {
  static constexpr ScreenId kScreen = ScreenId::kStaff;
  std::string client_id;
};
struct StaffDismissHelp {  // "Đã hỗ trợ": staff have helped at that kiosk
  static constexpr ScreenId kScreen = ScreenId::kStaff;
  int64_t help_id = 0;
};
struct StaffSyncNow {  // send what waits now, without waiting out a retry
  static constexpr ScreenId kScreen = ScreenId::kStaff;
};
struct StaffTogglePaper {  // received at the counter or not
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
  std::string document_id;
};
struct StaffPaperForm {  // next form: original, certified copy, copy
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
  std::string document_id;
};
struct StaffScanOpen {  // "Quét" beside a paper: the scan screen, for the counter's scan of it
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
  std::string document_id;
};
struct StaffDecide {  // accept | request_supplement | refuse
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
  std::string decision;
};
struct StaffSignDecision {  // "Ký số và lưu": the decision waiting for the token's PIN, signed and recorded
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
};
struct StaffDecideAnother {  // "Ghi quyết định khác": another decision on this dossier in this visit
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
};
struct StaffSignCancel {  // "Huỷ": back to the decision buttons, the PIN wiped
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
};
struct StaffRequeue {  // send the open dossier, which the portal refused, again
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
};
struct StaffPrintOfficial {  // the open dossier's Mẫu 01, from its recorded accept
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
};
struct StaffReadChip {  // read the applicant's chip at the counter: its face beside the applicant
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
};
struct StaffPrintFeeReceipt {  // the open dossier's biên lai, once the portal says its fee is paid
  static constexpr ScreenId kScreen = ScreenId::kStaffDossier;
};

// ---- technician mode (app_technician.cpp). Each names its screen (`kTechScreen`): App::Apply
// ignores it unless technician mode is unlocked and that screen shows — the one technician guard.
struct TechUnlock {};  // check the PIN typed in "tech.pin"
struct TechOpen {      // a technician screen from the menu (loads what it shows)
  static constexpr ScreenId kTechScreen = ScreenId::kTechnician;
  ScreenId screen = ScreenId::kTechnician;
};
struct TechStep {  // the wizard: +1 next (checks this step), -1 back
  static constexpr ScreenId kTechScreen = ScreenId::kTechSetup;
  int delta = 1;
};
struct TechChooseCa {  // one of the PEM files listed on the CA step
  static constexpr ScreenId kTechScreen = ScreenId::kTechSetup;
  std::string file;
};
struct TechProvision {  // enrol, set the first staff PIN, record the devices (technician worker)
  static constexpr ScreenId kTechScreen = ScreenId::kTechSetup;
};
struct TechPrintTest {  // the printer's test page
  static constexpr ScreenId kTechScreen = ScreenId::kTechDevices;
};
struct TechRenew {  // renew the client certificate now
  static constexpr ScreenId kTechScreen = ScreenId::kTechCertificate;
};
struct TechAskStop {  // "Tắt máy" (restart=false) or "Khởi động lại": the confirmation screen
  static constexpr ScreenId kTechScreen = ScreenId::kTechnician;
  bool restart = false;
};
struct TechSpeech {  // the voice's volume and speed (steps of 20), or "Thử giọng đọc"
  static constexpr ScreenId kTechScreen = ScreenId::kTechDevices;
  int volume_step = 0;
  int rate_step = 0;
  bool test = false;
};
struct TechConfirmStop {  // the app ends through the SessionHost's stop path (App::stop_request)
  static constexpr ScreenId kTechScreen = ScreenId::kTechStop;
};
// The officers' screen (app_tech_officers.cpp; docs/officers.md).
struct TechOfficerForm {  // "Thêm cán bộ" (officer_id empty) or "Đặt lại mã PIN" of officer_id
  static constexpr ScreenId kTechScreen = ScreenId::kTechOfficers;
  std::string officer_id;
  bool close = false;  // "Huỷ": back to the list, what was typed wiped
};
struct TechOfficerSave {  // the form's "Lưu": checked here, then the PBKDF2 on the technician worker
  static constexpr ScreenId kTechScreen = ScreenId::kTechOfficers;
};
struct TechOfficerAct {  // "Khoá tài khoản" / "Mở tài khoản" / "Mở khoá" of one officer
  static constexpr ScreenId kTechScreen = ScreenId::kTechOfficers;
  enum class Act { kDisable, kEnable, kUnlock } act = Act::kDisable;
  std::string officer_id;
};

}  // namespace intent

using Intent =
    std::variant<intent::Start, intent::Go, intent::Back, intent::StartOver, intent::StillHere, intent::Focus,
                 intent::Unfocus, intent::Key, intent::Backspace, intent::SetValue, intent::ToggleDocument,
                 intent::ScanOpen, intent::ScanStart, intent::ScanRescan, intent::ScanDelete, intent::ScanMove,
                 intent::ScanSelect, intent::ScanDone, intent::ScanCancel,
                 intent::IdentifyTyped, intent::IdentifyNoCard, intent::ReadChip, intent::ApplicantDone,
                 intent::FilterField, intent::ShowFields, intent::ChooseProcedure, intent::BeforeStartDone, intent::FormDone, intent::DocumentsDone, intent::Submit,
                 intent::ReprintReceipt, intent::Lookup, intent::TakeTicket, intent::SetScore, intent::SubmitRating,
                 intent::SetLanguage, intent::ToggleLargeText, intent::ToggleContrast, intent::ToggleInputMethod,
                 intent::Listen, intent::VoiceOff, intent::ReadBack, intent::AskHelp, intent::StaffUnlock, intent::StaffPickOfficer,
                 intent::CallNext, intent::CallAgain, intent::StaffReprintReceipt, intent::StaffReprintTicket, intent::StaffOpenDossier,
                 intent::StaffSyncNow, intent::StaffDismissHelp, intent::StaffTogglePaper, intent::StaffPaperForm, intent::StaffScanOpen, intent::StaffDecide, intent::StaffSignDecision, intent::StaffSignCancel, intent::StaffDecideAnother,
                 intent::StaffRequeue, intent::StaffPrintOfficial, intent::StaffPrintFeeReceipt, intent::StaffReadChip, intent::TechUnlock, intent::TechOpen,
                 intent::TechStep, intent::TechChooseCa, intent::TechProvision, intent::TechPrintTest,
                 intent::TechRenew, intent::TechAskStop, intent::TechSpeech, intent::TechConfirmStop,
                 intent::TechOfficerForm, intent::TechOfficerSave, intent::TechOfficerAct>;

// True for the intents only staff mode may act on (they name their screen).
template <typename T>
concept StaffIntent = requires {
  T::kScreen;
};

template <typename T>
concept TechnicianIntent = requires {
  T::kTechScreen;
};

}  // namespace mck::app
