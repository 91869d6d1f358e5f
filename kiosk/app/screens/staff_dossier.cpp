// Staff mode, one dossier (opened from the staff list, behind the PIN): what the citizen
// submitted, the papers the officer checks at the counter (received or not, and in which form),
// the earlier decisions, and the decision: accept (the Mẫu 01 receipt prints), request a
// supplement, or refuse with a reason. The decision is stored and queued for the portal.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"
#include "offline/domain/fee.h"

namespace mck::app::ui {

namespace {
// "2026-11-26T10:42:00+07:00" -> "10:42 26/11/2026"
std::string ShortTime(const std::string& t) {
  if (t.size() < 16) return t;
  return t.substr(11, 5) + " " + t.substr(8, 2) + "/" + t.substr(5, 2) + "/" + t.substr(0, 4);
}

void Section(Ui& ui, const std::string& title) {
  ImGui::Dummy(ImVec2(0, ui.S(8)));
  ImGui::PushFont(ui.F().bold);
  ImGui::TextUnformatted(title.c_str());
  ImGui::PopFont();
}
}  // namespace

void DrawStaffDossier(Ui& ui) {
  const App& app = ui.app;
  if (!app.staff_dossier()) return;
  const StaffDossierView& v = *app.staff_dossier();
  const StaffView& staff = app.staff();
  Title(ui, app.strings().Format("staff_dossier.title", {v.provisional_code}));
  std::string line = v.procedure_name + " (" + v.procedure_code + ") · " + ui.T(v.state_key);
  if (!v.dossier_code.empty()) line += " · " + app.strings().Format("staff_dossier.official_code", {v.dossier_code});
  Wrapped(ui, line, ui.F().body, colors::kText);
  if (!staff.message_key.empty()) {
    const ImU32 color = staff.print.state == JobState::kFailed ? colors::kError : colors::kOk;
    Wrapped(ui, app.strings().Format(staff.message_key, {staff.message_arg}), ui.F().bold, color);
    MarkItem(ui, staff.message_key);
  }
  if (!v.deciding.empty()) Wrapped(ui, ui.T("common.saving"), ui.F().bold, colors::kMuted);  // core worker
  BeginDragList(ui, "staff_dossier.list", ImVec2(0, BodyHeight(ui)));
  const float w = ImGui::GetContentRegionAvail().x - ui.S(24);
  Wrapped(ui, app.strings().Format("staff_dossier.submitted_at", {ShortTime(v.submitted_at)}), ui.F().small,
          colors::kMuted);
  if (v.purged) Wrapped(ui, ui.T("staff_dossier.purged"), ui.F().bold, colors::kMuted, w);
  if (v.needs_attention) {
    // What the portal refused, in its words, and "send again" once the officer has dealt with it.
    Section(ui, ui.T("staff_dossier.portal_refused"));
    for (const auto& r : v.portal_reasons) Wrapped(ui, "• " + r, ui.F().body, colors::kError, w);
    // The refused values the officer can correct with the citizen, prefilled with what was sent.
    for (const auto& f : v.fixes) TextField(ui, "staff.fix." + f.path, f.label, f.kind, std::min(w, ui.S(900)));
    if (!v.fix_error_vi.empty()) {
      Wrapped(ui, app.strings().language() == Language::kEn ? v.fix_error_en : v.fix_error_vi, ui.F().bold,
              colors::kError, w);
      MarkItem(ui, "staff_dossier.fix_error");
    }
    if (TouchButton(ui, "staff_dossier.requeue", ui.T(v.fixes.empty() ? "staff_dossier.requeue" : "staff_dossier.correct"),
                    ImVec2(std::min(w, ui.S(560)), ui.S(96)), ButtonKind::kPrimary)) {
      ui.Emit(intent::StaffRequeue{});
    }
  }
  if (v.fee_vnd > 0) {
    // The fee: paid (the portal learned it from its bank) or not yet; the biên lai once paid.
    Section(ui, ui.T("staff_dossier.fee"));
    const std::string amount = FormatVnd(v.fee_vnd, app.strings().language() == Language::kEn);
    if (v.fee_paid) {
      Wrapped(ui, app.strings().Format("staff_dossier.fee_paid", {amount}), ui.F().bold, colors::kOk, w);
      MarkItem(ui, "staff_dossier.fee_paid");
      Wrapped(ui,
              app.strings().Format("staff_dossier.fee_paid_detail", {ShortTime(v.fee_paid_at), v.fee_reference}),
              ui.F().body, colors::kText, w);
      if (TouchButton(ui, "staff_dossier.print_fee_receipt", ui.T("staff_dossier.print_fee_receipt"),
                      ImVec2(std::min(w, ui.S(560)), ui.S(96)), ButtonKind::kPrimary)) {
        ui.Emit(intent::StaffPrintFeeReceipt{});
      }
    } else {
      Wrapped(ui, app.strings().Format("staff_dossier.fee_unpaid", {amount}), ui.F().bold, colors::kText, w);  // not an error
      MarkItem(ui, "staff_dossier.fee_unpaid");
      Wrapped(ui, ui.T(v.fee_asking ? "staff_dossier.fee_asking" : "staff_dossier.fee_unpaid_hint"), ui.F().small,
              colors::kMuted, w);
    }
  }
  if (!v.applicant.empty()) {
    Section(ui, ui.T("staff_dossier.applicant"));
    // The chip's face, once read at the counter, beside the applicant's lines (staff_face.cpp).
    const bool face = !v.chip.image.rgba.empty();
    const float face_w = std::min(w * 0.2f, ui.S(240)), caption_w = std::min(w * 0.22f, ui.S(380));
    const float text_w = face ? w - face_w - caption_w - ui.S(56) : w;
    ImGui::BeginGroup();
    for (const auto& [key, value] : v.applicant) {
      Wrapped(ui, ui.T(key) + ": " + value, ui.F().body, colors::kText, text_w);
    }
    DrawChipRead(ui, v, text_w);
    ImGui::EndGroup();
    if (face) {
      ImGui::SameLine(0, ui.S(32));
      ImGui::BeginGroup();
      DrawChipFace(ui, v.chip, face_w, caption_w);
      ImGui::EndGroup();
    }
  }
  if (!v.assurance_key.empty()) {
    // How sure the kiosk is of the identity; anything short of a verified chip is a warning.
    Wrapped(ui, ui.T("staff_dossier.assurance") + ": " + ui.T(v.assurance_key), ui.F().bold,
            v.assurance_warning ? colors::kError : colors::kOk, w);
    MarkItem(ui, v.assurance_key);  // scripts wait for "assurance.chip_no_csca" and the like
    if (v.assurance_warning) Wrapped(ui, ui.T("assurance.warning"), ui.F().bold, colors::kError, w);
  }
  if (!v.fields.empty()) {
    Section(ui, ui.T("staff_dossier.fields"));
    for (const auto& [label, value] : v.fields) Wrapped(ui, label + ": " + value, ui.F().body, colors::kText, w);
  }
  if (!v.papers.empty()) {
    Section(ui, ui.T("staff_dossier.papers"));
    // With a scanner (the same ScannerFound as the citizen's documents screen), "Quét" beside each
    // paper not yet digitised, before the decision (docs/scanning.md "At the counter").
    const bool scan = app.has_scanner() && v.decided.empty() && v.deciding.empty() && !v.purged;
    const float fw = std::min(w * (scan ? 0.22f : 0.32f), ui.S(420));
    const float tile_w = w - fw - ui.S(16) - (scan ? fw + ui.S(16) : 0);
    for (const auto& p : v.papers) {
      std::string sub = (p.required ? ui.T("documents.required") : ui.T("documents.optional")) + " · " +
                        (p.brought ? ui.T("staff_dossier.brought") : ui.T("staff_dossier.not_brought")) + " · " +
                        (p.received ? ui.T("staff_dossier.received") : ui.T("staff_dossier.not_received"));
      const auto scanned = v.scans.find(p.id);
      std::string digitised;  // where it was digitised, and its pages
      if (p.kiosk_pages > 0) {
        digitised = app.strings().Format("staff_dossier.digitised_kiosk", {std::to_string(p.kiosk_pages)});
      } else if (p.counter_pages > 0) {
        digitised = app.strings().Format("staff_dossier.digitised_counter", {std::to_string(p.counter_pages)});
      } else if (scanned != v.scans.end()) {
        digitised = app.strings().Format("staff_dossier.scanned", {std::to_string(scanned->second.pages.size())});
      }
      if (!digitised.empty()) sub += "\n" + digitised;
      if (TileButton(ui, "paper." + p.id, p.name, sub, ImVec2(tile_w, ui.S(digitised.empty() ? 120 : 150)),
                     p.received ? ButtonKind::kSelected : ButtonKind::kSecondary)) {
        ui.Emit(intent::StaffTogglePaper{.document_id = p.id});
      }
      if (!digitised.empty()) MarkItem(ui, "paper.digitised." + p.id);
      ImGui::SameLine();
      if (TouchButton(ui, "form." + p.id, ui.T("paper." + p.form), ImVec2(fw, ui.S(digitised.empty() ? 120 : 150)),
                      ButtonKind::kSecondary)) {
        ui.Emit(intent::StaffPaperForm{.document_id = p.id});
      }
      if (scan) {
        ImGui::SameLine();
        const ImVec2 size(fw, ui.S(digitised.empty() ? 120 : 150));
        if (p.kiosk_pages > 0 || p.counter_pages > 0) {
          ImGui::Dummy(size);  // already digitised: nothing to scan
        } else if (TouchButton(ui, "paper.scan." + p.id,
                               ui.T(scanned != v.scans.end() ? "staff_dossier.scan_again" : "staff_dossier.scan"), size,
                               ButtonKind::kPrimary)) {
          ui.Emit(intent::StaffScanOpen{.document_id = p.id});
        }
      }
    }
  }
  if (!v.decisions.empty()) {
    Section(ui, ui.T("staff_dossier.decisions"));
    bool accepted = false;
    for (const auto& d : v.decisions) {
      Wrapped(
          ui,
          ui.T("decision." + d.decision) + " — " + ui.T("decision_state." + d.state) + " — " + ShortTime(d.decided_at),
          ui.F().body, colors::kText, w);
      if (!d.signed_by.empty()) {
        Wrapped(ui, app.strings().Format("staff_dossier.signed_by", {d.signed_by}), ui.F().bold, colors::kText, w);
        MarkItem(ui, "staff_dossier.signed_by");
      }
      accepted = accepted || d.decision == "accept";
    }
    // The Mẫu 01 receipt again (paper ran out, the citizen lost it), from the recorded accept.
    if (accepted && !v.purged &&
        TouchButton(ui, "staff_dossier.print_official", ui.T("staff_dossier.print_official"),
                    ImVec2(std::min(w, ui.S(560)), ui.S(96)), ButtonKind::kSecondary)) {
      ui.Emit(intent::StaffPrintOfficial{});
    }
  }
  if (!v.purged && !v.decided.empty() &&
      TouchButton(ui, "staff_dossier.decide_another", ui.T("staff_dossier.decide_another"),
                  ImVec2(std::min(w, ui.S(560)), ui.S(96)), ButtonKind::kSecondary)) {
    ui.Emit(intent::StaffDecideAnother{});
  }
  if (!v.purged && v.decided.empty()) {
    Section(ui, ui.T("staff_dossier.decide"));
    const float fw = std::min(w, ui.S(900));
    if (app.officer()) {
      // Signed in by name: the decision is theirs, nothing to type (docs/officers.md).
      Wrapped(ui, app.strings().Format("staff_dossier.officer_signed", {app.officer()->name}), ui.F().bold,
              colors::kText, fw);
    } else {
      TextField(ui, "staff.officer", ui.T("staff_dossier.officer"), InputKind::kText, fw);
    }
    if (v.signing.empty()) TextField(ui, "staff.reason", ui.T("staff_dossier.reason"), InputKind::kText, fw);
    const bool new_error = v.error_en != ui.shown_error && !v.error_en.empty();
    if (!v.signing.empty()) {
      // A token's refusal: the signing panel from its heading down, above the numeric pad.
      if (new_error) ImGui::SetScrollHereY(0.0f);
      // Signing on the officer's token (docs/signing.md "At the counter"): the token's PIN on the
      // numeric pad, then "Ký số và lưu"; nothing is recorded until it is signed.
      Wrapped(ui, app.strings().Format("staff_dossier.sign_what", {ui.T("decision." + v.signing)}), ui.F().bold,
              colors::kText, fw);
      Wrapped(ui, ui.T("staff_dossier.sign_help"), ui.F().body, colors::kText, fw);
      TextField(ui, "staff.token_pin", ui.T("staff_dossier.token_pin"), InputKind::kDigits, std::min(fw, ui.S(560)));
    }
    if (!v.error_vi.empty()) {
      Wrapped(ui, app.strings().language() == Language::kEn ? v.error_en : v.error_vi, ui.F().bold, colors::kError, w);
      MarkItem(ui, "staff_dossier.error");
    }
    if (!v.signing.empty()) {
      const float bw = (std::min(w, ui.S(900)) - ui.S(16)) / 2;
      if (TouchButton(ui, "staff_dossier.sign", ui.T(v.deciding.empty() ? "staff_dossier.sign" : "staff_dossier.signing"),
                      ImVec2(bw, ui.S(96)), ButtonKind::kPrimary)) {
        ui.Emit(intent::StaffSignDecision{});
      }
      ImGui::SameLine();
      if (TouchButton(ui, "staff_dossier.sign_cancel", ui.T("staff_dossier.sign_cancel"), ImVec2(bw, ui.S(96)),
                      ButtonKind::kSecondary)) {
        ui.Emit(intent::StaffSignCancel{});
      }
    }
    const float bw = (w - ui.S(32)) / 3;
    const struct {
      const char* word;
      const char* label;
      ButtonKind kind;
    } actions[] = {{"accept", "staff_dossier.accept", ButtonKind::kPrimary},
                   {"request_supplement", "staff_dossier.supplement", ButtonKind::kSecondary},
                   {"refuse", "staff_dossier.refuse", ButtonKind::kDanger}};
    for (int i = 0; i < 3 && v.signing.empty(); ++i) {
      if (i) ImGui::SameLine();
      if (TouchButton(ui, std::string("decide.") + actions[i].word, ui.T(actions[i].label), ImVec2(bw, ui.S(96)),
                      actions[i].kind)) {
        ui.Emit(intent::StaffDecide{.decision = actions[i].word});
      }
    }
    // A new refusal of the decision scrolls the list to its end: the message and the buttons show.
    if (v.error_en != ui.shown_error) {
      ui.shown_error = v.error_en;
      if (!v.error_en.empty() && v.signing.empty()) ImGui::SetScrollHereY(1.0f);
    }
  }
  EndDragList(ui, "staff_dossier.list");
  if (app.focused_key().empty()) NavRow(ui, true, "", "");
}

}  // namespace mck::app::ui
