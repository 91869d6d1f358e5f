// The counter's decision on the open dossier (accept with the papers received, request a
// supplement, refuse), recorded on the core worker; when the kiosk has an officers' signing token
// ([signing] module), signed on it first: the decision waits for the token's PIN, typed on the
// numeric pad, and is recorded only with a signature that verified (docs/signing.md "At the
// counter"). A token problem keeps the decision unsigned and unrecorded, with its own message.
#include "kiosk/app/app.h"

#include <iostream>

#include "kiosk/app/app_internal.h"
#include "kiosk/core/decide.h"
#include "kiosk/core/documents.h"
#include "offline/domain/decision.h"
#include "offline/domain/ids.h"

namespace mck::app {

bool App::SigningRequired() const { return !config().signing_module.empty(); }

CounterDecision App::DecisionFromDesk(const std::string& word) {
  const StaffDossierView& v = *desk_.dossier;
  CounterDecision d;
  d.decision = word;
  // The signed-in officer's staff id (the portal's); with the shared PIN, the name typed.
  d.officer = desk_.officer ? desk_.officer->id : Value("staff.officer");
  d.reason = Value("staff.reason");
  for (const auto& p : v.papers) {
    if (p.received) {
      ReceivedPaper paper;
      paper.id = p.id;
      paper.form = p.form;
      // Scanned at the counter: the PDF goes with the decision (not with a refusal: the papers
      // are handed back), stored as the dossier's attachment "<document id>.pdf".
      const auto scan = v.scans.find(p.id);
      if (scan != v.scans.end() && word != "refuse") {
        paper.digitised_sha256 = scan->second.sha256;
        paper.digitised_pages = static_cast<int>(scan->second.pages.size());
        d.attachments.push_back({p.id + ".pdf", "application/pdf", scan->second.pdf});
      }
      d.received.push_back(std::move(paper));
    } else if (p.required && word == "request_supplement") {
      d.supplement.push_back(p.name);
    }
  }
  return d;
}

void App::WipeTokenPin() {
  if (auto it = citizen_.session.values.find("staff.token_pin"); it != citizen_.session.values.end()) {
    SecureWipe(it->second);
    citizen_.session.values.erase(it);
  }
}

void App::On(const intent::StaffDecide& in) {
  if (!desk_.dossier || !desk_.dossier->decided.empty() || !desk_.dossier->deciding.empty() || desk_.dossier->purged) {
    return;
  }
  Unfocus();
  StaffDossierView& v = *desk_.dossier;
  v.error_vi.clear();
  v.error_en.clear();
  if (SigningRequired()) {
    // First the token's PIN (StaffSignDecision records it); nothing is recorded yet.
    v.signing = in.decision;
    WipeTokenPin();
    Focus("staff.token_pin", InputKind::kDigits);
    return;
  }
  v.deciding = in.decision;  // "Đang lưu…" until DecisionRecorded
  desk_.decide_request = deps_.core->Decide(v.client_id, DecisionFromDesk(in.decision));
}

void App::On(const intent::StaffSignDecision&) {
  if (!desk_.dossier || desk_.dossier->signing.empty() || !desk_.dossier->deciding.empty()) return;
  StaffDossierView& v = *desk_.dossier;
  std::string pin = Value("staff.token_pin");
  WipeTokenPin();  // the worker has its own copy, wiped once used
  Unfocus();
  if (pin.empty()) {
    v.error_vi = "Vui lòng nhập mã PIN của thiết bị ký số.";
    v.error_en = "type the signing token's PIN";
    Focus("staff.token_pin", InputKind::kDigits);
    return;
  }
  v.error_vi.clear();
  v.error_en.clear();
  v.deciding = v.signing;  // "Đang ký số…" until DecisionRecorded
  desk_.decide_request = deps_.core->Decide(v.client_id, DecisionFromDesk(v.signing), std::move(pin),
                                            desk_.officer ? desk_.officer->name : std::string());
  SecureWipe(pin);
}

void App::On(const intent::StaffSignCancel&) {
  if (!desk_.dossier || !desk_.dossier->deciding.empty()) return;
  desk_.dossier->signing.clear();
  desk_.dossier->error_vi.clear();
  desk_.dossier->error_en.clear();
  WipeTokenPin();
  Unfocus();
}

void App::On(const intent::StaffDecideAnother&) {
  // Several decisions in one visit (a supplement requested, the paper brought, then the accept):
  // the buttons again, with an empty reason; the papers stay as checked.
  if (!desk_.dossier || desk_.dossier->decided.empty() || !desk_.dossier->deciding.empty()) return;
  desk_.dossier->decided.clear();
  if (auto it = citizen_.session.values.find("staff.reason"); it != citizen_.session.values.end()) {
    SecureWipe(it->second);
  }
}

void App::OnDecisionRecorded(DecisionRecorded e) {
  if (e.request_id != desk_.decide_request) return;
  desk_.decide_request = 0;
  auto& recorded = e.decision;
  if (!desk_.dossier || !desk_.unlocked) {
    // Staff mode locked meanwhile: the decision is recorded (or not) all the same; Mẫu 01 can
    // be printed again from the dossier.
    if (recorded.ok() && recorded->official) core::WipeDocument(*recorded->official);
    if (recorded.ok() && deps_.outbox_changed) deps_.outbox_changed();
    return;
  }
  StaffDossierView& v = *desk_.dossier;
  const std::string word = v.deciding;
  v.deciding.clear();
  if (!recorded.ok()) {
    if (e.refusal) {
      // The token said no: the decision is neither signed nor recorded. Its own message (with the
      // token's PIN state for a wrong PIN); the PIN pad stays for another try.
      std::cerr << "kiosk: staff decision not signed (" << e.refusal->why << "): " << recorded.status().message_en()
                << "\n";
      if (!v.signing.empty()) Focus("staff.token_pin", InputKind::kDigits);
    } else if (recorded.status().code() != Code::kInvalidArgument) {
      std::cerr << "kiosk: staff decision: " << recorded.status().ToString() << "\n";
    }
    v.error_vi = recorded.status().message_vi();
    v.error_en = recorded.status().message_en();
    return;
  }
  v.signing.clear();
  v.decided = word;
  v.decisions.push_back({word, "queued", recorded->decided_at, e.signed_by ? e.signed_by->name : ""});
  // The counter's scans are stored with the decision (not a refusal's): no copy stays in memory.
  for (auto& paper : v.papers) {
    auto scan = v.scans.find(paper.id);
    if (scan == v.scans.end()) continue;
    if (word != "refuse" && paper.received) paper.counter_pages = static_cast<int>(scan->second.pages.size());
    WipePaper(scan->second);
    v.scans.erase(scan);
  }
  if (deps_.outbox_changed) deps_.outbox_changed();
  desk_.view.message_arg = v.provisional_code;
  desk_.view.message_key = word == "accept"   ? "staff.decided_accept"
                           : word == "refuse" ? "staff.decided_refuse"
                                              : "staff.decided_supplement";
  if (!desk_.view.print.running()) desk_.view.print = PrintJob{};
  if (word != "accept") return;
  // Accepted: the Mẫu 01 receipt the use case assembled from the decision just recorded.
  if (!recorded->official) {
    std::cerr << "kiosk: Mẫu 01 not assembled: " << recorded->official_status.ToString() << "\n";
    desk_.view.print.Fail("staff.official_failed");
    desk_.view.message_key = "staff.official_failed";
    return;
  }
  const bool was_busy = desk_.view.print.running();
  if (!StaffMayPrint()) {
    core::WipeDocument(*recorded->official);
    // Another staff print is still running: the officer prints it again in a moment.
    if (was_busy) desk_.view.message_key = "staff.decided_accept_print_later";
    return;
  }
  PrintOfficial(*recorded->official);
  core::WipeDocument(*recorded->official);
  desk_.view.message_key = "staff.decided_accept";
}

}  // namespace mck::app
