// The App's state as plain structs the screens read: the citizen's flow, the staff desk, and
// one PrintJob shape for every print (the citizen's slip and ticket, staff prints). No pointers
// into worker data; the App's reducers (app*.cpp) are the only writers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "drivers/printer/documents.h"
#include "kiosk/app/event_queue.h"
#include "kiosk/app/i18n.h"
#include "kiosk/app/intents.h"
#include "kiosk/app/session.h"
#include "offline/store/store.h"

namespace mck::app {

// State of a print, a chip read or a store write, for the screens' status lines.
enum class JobState { kNone, kRunning, kDone, kFailed };

// One print job, whatever it prints.
struct PrintJob {
  enum class What { kNone, kSlip, kTicket, kOfficial, kFeeReceipt };
  uint64_t id = 0;  // the printer's job id while it runs; 0 otherwise
  JobState state = JobState::kNone;
  What what = What::kNone;
  std::string error_key;             // i18n key of the calm message, when it failed
  std::string detail_vi, detail_en;  // the device's own words (e.g. "out of paper")

  bool running() const { return state == JobState::kRunning; }
  void Start(uint64_t job_id, What w) {
    *this = PrintJob{};
    id = job_id;
    what = w;
    state = JobState::kRunning;
  }
  // Failed before reaching the printer (none configured, nothing to print).
  void Fail(const std::string& key) {
    id = 0;
    state = JobState::kFailed;
    error_key = key;
    detail_vi.clear();
    detail_en.clear();
  }
  // The printer's answer; `failed_key` is the calm message when it did not print.
  void Finish(const Status& printed, const std::string& failed_key) {
    id = 0;
    state = printed.ok() ? JobState::kDone : JobState::kFailed;
    error_key = printed.ok() ? "" : failed_key;
    detail_vi = printed.ok() ? "" : printed.message_vi();
    detail_en = printed.ok() ? "" : printed.message_en();
  }
  const std::string& detail(Language language) const { return language == Language::kEn ? detail_en : detail_vi; }
};

struct TicketView {
  int number = 0;
  std::string counter, counter_name;
  int waiting_before = 0;
  std::string come_back_at;  // "10:40" (kiosk/core/tickets.h); empty: no time shown
  bool reserving = false;  // the number is being reserved (core worker): "Đang lưu…"
  PrintJob print;
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
    std::string serving;  // "HT-012": the last number called today ("Gọi lại" calls it again)
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
  // Citizens who asked for help ("Gọi cán bộ hỗ trợ") and were not helped yet, oldest first:
  // shown at the top of staff mode with "Đã hỗ trợ".
  std::vector<HelpRequest> help;
  std::vector<Ticket> failed_tickets;  // today's numbers whose ticket did not print
  std::string called;                  // "HT-003" just called, shown large
  std::string message_key;             // i18n key of a calm message ("staff.none_waiting", ...)
  std::string message_arg;             // its {0}: a code or a number
  PrintJob print;                      // the last staff print (reprint, Mẫu 01)
};

// Staff mode's view of one dossier, opened from the list: what the citizen submitted (personal
// data, behind the staff PIN, wiped with the session) and the papers the officer checks.
struct StaffDossierView {
  std::string client_id, provisional_code, dossier_code, procedure_code, procedure_name, state_key, portal_status,
      appointment_date, submitted_at;
  std::vector<std::pair<std::string, std::string>> applicant;  // i18n label key, value
  // The identity's assurance (kiosk/core/identity_assurance.h): the i18n key of its words, and
  // whether it is below chip_verified (then shown as a warning).
  std::string assurance_key;
  bool assurance_warning = false;
  std::vector<std::pair<std::string, std::string>> fields;  // form label, value
  struct Paper {
    std::string id, name;
    bool required = false;
    bool brought = false;   // the citizen ticked it at the kiosk
    bool received = false;  // the officer checked it at the counter
    std::string form = "original";
    int kiosk_pages = 0;    // digitised by the citizen at the kiosk (documents[i].digitised)
    int counter_pages = 0;  // digitised at the counter by an earlier decision, or this visit's once recorded
  };
  std::vector<Paper> papers;
  // Papers scanned at the counter on this visit, by document id: memory only, wiped when the
  // dossier is closed (left, signed out, timed out) and once the decision that carries them is stored.
  std::map<std::string, DigitisedPaper> scans;
  struct Decided {
    std::string decision, state, decided_at;  // accept, sent, RFC 3339
    std::string signed_by;                    // the signer's name when signed on a token; else empty
  };
  std::vector<Decided> decisions;           // earlier decisions on this dossier, oldest first
  bool needs_attention = false;             // the portal refused it (422/409): staff act, then resend
  std::vector<std::string> portal_reasons;  // the portal's reasons, fields named as on the form
  // The values the portal refused that the officer can correct here (docs/officers.md
  // "Correcting a refused dossier"): the JSON path, its label, how it is typed. The value being
  // edited is the session's "staff.fix.<path>" (wiped with the session).
  struct Fix {
    std::string path;  // "fields.pages", "applicant.full_name"
    std::string label;
    InputKind kind = InputKind::kText;
  };
  std::vector<Fix> fixes;
  std::string fix_error_vi, fix_error_en;  // why the corrected dossier was not queued
  bool purged = false;
  std::string error_vi, error_en;  // why the decision was not recorded
  std::string signing;             // the decision waiting for the token's PIN ([signing] configured)
  std::string deciding;            // the decision being recorded (core worker): "Đang lưu…"
  std::string decided;             // the decision recorded in this visit
  // The fee (docs/payment.md "Payment status"): the stored dossier's fee_vnd, and whether the
  // portal said it was paid (its time and the bank's reference then).
  int64_t fee_vnd = 0;  // 0: no fee
  bool fee_paid = false;
  std::string fee_paid_at, fee_reference;
  bool fee_asking = false;  // the portal is being asked now (the look-up worker)
  // The applicant's chip read at the counter, its face beside the applicant for the officer to
  // compare with the person (app_chip_face.cpp, docs/card.md "The face on the staff screen").
  // Memory only: wiped with the dossier (left, signed out, timed out) and before another read.
  struct ChipFace {
    uint64_t request = 0;  // the card read asked for (CardReadFinished.request_id)
    JobState state = JobState::kNone;
    std::string message_key;              // i18n: reading, another person's card, a failed read
    std::string image_error_vi;           // the face was not shown: why (face_image.h's words)
    std::string assurance_key;            // the chip's level ("assurance.chip_verified", ...)
    bool verified = false;                // chip_verified: genuine, signature and key checked
    card::FaceImage image;                // RGBA; empty: no face shown
    uint64_t image_id = 0;                // unique in this run: the screen's texture for it
  };
  ChipFace chip;
};

// The scan screen's state (app_scan.cpp): the paper being scanned and its pages on this visit.
// Personal data: wiped with the session, and when the screen is left.
struct ScanDesk {
  std::string document_id;         // the paper ("" = not scanning)
  std::string paper_name;          // its name in the procedure ("Quét: <paper>")
  bool counter = false;            // the officer's scan (staff dossier), not the citizen's
  std::vector<ScannedPage> pages;  // the working copy: "Xong" keeps it, "Huỷ" drops it
  int selected = -1;               // the page shown large
  uint64_t scan_request = 0;       // a scan running: "Đang quét trang N…"
  int progress = 0;                // pages of the running scan so far
  int rescan = -1;                 // the page the running scan replaces ("Quét lại"); -1 appends
  bool last_feeder = false;        // the source last used ("Quét lại" uses it again)
  uint64_t bind_request = 0;       // "Xong": the PDF being bound
  std::string message_key;         // i18n key of a calm message: a ScanProblem, a bound reached
  int completed = 0;               // scans finished on this visit (the script's `wait_widget scan.completed.N`)
  bool busy() const { return scan_request != 0 || bind_request != 0; }
};

// The citizen's side: one session, where it is, and what its requests are doing.
struct CitizenFlow {
  Session session;
  ScreenId screen = ScreenId::kAttract;
  std::vector<ScreenId> history;
  std::string focused_key;
  InputKind focused_input = InputKind::kText;
  std::string notice;           // a calm one-line message (i18n key)
  ScanDesk scan;
  uint64_t submit_request = 0;  // a submission the core worker is storing: "Đang lưu…"
  PrintJob receipt;
  std::optional<printer::KioskSlip> slip;  // the submitted dossier's slip ("In lại phiếu")
  std::optional<TicketView> ticket;
  uint64_t ticket_request = 0;
  // The reserved number and its print job, until the printer answers; both survive the wipe.
  std::optional<Ticket> ticket_record;
  uint64_t ticket_job = 0;
  LookupView lookup;
  uint64_t lookup_request = 0;
  uint64_t rating_request = 0;
  // "Gọi cán bộ hỗ trợ": kRunning while the core worker records it, kDone once staff are told
  // (the footer shows the calm confirmation), kFailed when it could not be recorded. The request
  // itself outlives the session (the wipe resets only this); staff dismiss it.
  JobState help = JobState::kNone;
  uint64_t help_request = 0;
  JobState card_read = JobState::kNone;
  uint64_t card_request = 0;
  bool card_present = false;
  std::string card_message;
  // The citizen asked for the voice ("Nghe hướng dẫn"): fields are read when focused and errors
  // when they appear, until "Tắt giọng đọc" or the end of the session (docs/speech.md).
  bool voice_on = false;
  bool countdown_said = false;  // this countdown's "Bạn còn ở đó không?" was read aloud
};

// Staff mode: behind the PIN, locked with the session.
struct StaffDesk {
  bool unlocked = false;
  uint64_t pin_request = 0;  // the PIN being checked (PBKDF2 on the core worker)
  std::string pin_message;   // i18n key, and its number (attempts left, minutes locked)
  int pin_message_number = 0;
  std::string pin_message_arg;  // its text: a signing token's refusal (staff sign-in by token)
  StaffView view;
  std::optional<StaffDossierView> dossier;
  uint64_t decide_request = 0;
  uint64_t dismiss_request = 0;  // "Đã hỗ trợ" being recorded (core worker)
  std::optional<Ticket> print_ticket;  // the ticket the staff print reprints (none: a document)
  std::string print_code;              // the dossier the staff print is for (audit)
  uint64_t fee_lookup = 0;             // the portal look-up asked for an open dossier's unpaid fee
  // Officers (docs/officers.md): when any is enabled, staff mode signs in by name and own PIN.
  std::vector<Officer> officers;   // the enabled ones, for the sign-in screen
  std::string officer_choice;      // the one tapped there
  std::optional<Officer> officer;  // who is signed in; none: the shared staff PIN
};

// Technician mode's view (app_technician.cpp). No personal data: codes, dates, counts, the
// portal's address; the typed values (token, PINs) live in the session's values and are wiped
// with it.
struct TechnicianDesk {
  using Rows = std::vector<std::pair<std::string, std::string>>;  // (i18n key of the label, value)
  bool unlocked = false;
  uint64_t pin_request = 0;
  std::string pin_message;  // i18n key, and its number (attempts left, minutes locked)
  int pin_message_number = 0;
  // The wizard: 0 commune, 1 kiosk number, 2 portal URL, 3 token, 4 CA, 5 staff PIN, 6 devices,
  // 7 enrol (kSteps steps).
  static constexpr int kSteps = 8;
  int step = 0;
  std::string step_error_vi;          // why "Tiếp" did not go on (this step's value)
  std::vector<std::string> ca_files;  // PEM files found in the CA folders
  std::string ca_file;                // the one chosen
  Rows ca_rows;                       // its subject and SHA-256 fingerprint
  std::string ca_error_vi;
  uint64_t ca_request = 0;
  uint64_t ca_list_request = 0;  // the worker is listing the CA folders
  uint64_t provision_request = 0;
  struct StepLine {
    std::string step;
    bool ok = true;
    std::string text_vi;
  };
  std::vector<StepLine> steps;  // the StepReports as they come
  bool provisioned = false;     // the last run ended well
  std::string provision_error_vi;
  // Diagnostics and certificate.
  uint64_t diag_request = 0, cert_request = 0;
  Rows diag_rows, cert_rows;
  std::string diag_error_vi, cert_error_vi;
  bool renewing = false;
  // Devices.
  PrintJob print;
  bool card_seen = false;     // a card was put on the reader while this screen showed
  std::string qr_result_vi;   // "Đã nhận mã QR (N ký tự)": never the payload
  bool stop_restart = false;  // the confirmation screen's choice
  // Officers (tech_officers): the list as the technician worker last read it, and the form.
  std::vector<Officer> officers;
  uint64_t officers_request = 0;  // a listing or an act on the worker (one at a time)
  enum class OfficerForm { kNone, kAdd, kResetPin };
  OfficerForm officer_form = OfficerForm::kNone;
  std::string officer_target;     // kResetPin: whose PIN; an act: whose name the answer shows
  std::string officer_error_vi;   // why the last act was refused
  bool officer_refused = false;   // … by the store (a taken id, the technician's PIN), not the screen's checks
  std::string officer_done;       // i18n key of what the last act did ("tech.officers.done.add")
  std::string officer_done_name;  // … and whose name
};

}  // namespace mck::app
