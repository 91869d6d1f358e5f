// Staff mode (civil servants at the counter): unlocked with the staff PIN (offline/store
// StaffAuth: PBKDF2, lock-out after failures that survives restarts, audit rows). Shows each
// counter's waiting tickets with "call the next number", today's numbers whose ticket did not
// print with "reprint" (the number then waits in its place), and today's dossiers plus older ones
// not yet accepted by the portal (codes and states only) with "reprint the slip" for a citizen
// whose receipt did not print. It locks again with the inactivity wipe or "Khoá".
#include "drivers/printer/documents.h"
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {

void DrawStaffPin(Ui& ui) {
  const App& app = ui.app;
  const bool by_name = !app.officers().empty();
  Title(ui, ui.T(by_name ? "staff.officer_title" : "staff.pin_title"));
  const float w = std::min(ImGui::GetContentRegionAvail().x, ui.S(700));
  if (by_name) {
    // Officers sign in by name (docs/officers.md): tap yours, then your own PIN.
    Wrapped(ui, ui.T("staff.officer_pick"), ui.F().body, colors::kText, w);
    for (const auto& o : app.officers()) {
      const bool chosen = app.officer_choice() == o.id;
      const std::string label = o.title.empty() ? o.name : o.name + " — " + o.title;
      if (TouchButton(ui, "staff.officer." + o.id, label, ImVec2(w, ui.S(84)),
                      chosen ? ButtonKind::kSelected : ButtonKind::kSecondary)) {
        ui.Emit(intent::StaffPickOfficer{.officer_id = o.id});
      }
    }
    ImGui::Dummy(ImVec2(0, ui.S(8)));
  }
  if (!by_name || !app.officer_choice().empty()) {
    // An officer who signs in with the signing token types the token's PIN (docs/officers.md).
    bool by_token = false;
    for (const auto& o : app.officers()) by_token = by_token || (o.id == app.officer_choice() && o.sign_in == "token");
    TextField(ui, "staff.pin", ui.T(by_token ? "staff.officer_token_pin" : by_name ? "staff.officer_pin" : "staff.pin"),
              InputKind::kDigits, w);
  }
  if (app.checking_pin()) Wrapped(ui, ui.T("staff.pin_checking"), ui.F().bold, colors::kMuted, w);
  if (!app.pin_message().empty()) {
    Wrapped(ui,
            ui.app.strings().Format(app.pin_message(), {std::to_string(app.pin_message_number()), app.pin_message_arg()}),
            ui.F().bold, colors::kError, w);
  }
  if ((!by_name || !app.officer_choice().empty()) &&
      TouchButton(ui, "staff.unlock", ui.T(by_name ? "staff.sign_in" : "staff.unlock"), ImVec2(w, ui.S(96)),
                  ButtonKind::kPrimary)) {
    ui.Emit(intent::StaffUnlock{});
  }
  // The technician's way in: the same hidden entry, then its own PIN (docs/ui.md).
  if (TouchButton(ui, "staff.technician", ui.T("tech.enter"), ImVec2(w, ui.S(84)))) ui.Go(ScreenId::kTechPin);
  if (app.focused_key().empty()) NavRow(ui, true, "", "");
}

void DrawStaff(Ui& ui) {
  const App& app = ui.app;
  const StaffView& v = app.staff();
  Title(ui, ui.T("staff.title"));
  if (app.officer()) {
    // Who is signed in: every call and decision from here names them.
    const Officer& o = *app.officer();
    Wrapped(ui, app.strings().Format("staff.signed_in_as", {o.title.empty() ? o.name : o.name + " — " + o.title}),
            ui.F().bold, colors::kMuted);
    MarkItem(ui, "staff.signed_in_as");
  }
  if (!v.called.empty()) {
    Centered(ui, ui.app.strings().Format("staff.called", {v.called}), ui.F().title, colors::kPrimary);
  }
  if (!v.message_key.empty()) {
    const ImU32 color = v.print.state == JobState::kFailed ? colors::kError : colors::kMuted;
    Wrapped(ui, ui.app.strings().Format(v.message_key, {v.message_arg}), ui.F().bold, color);
    MarkItem(ui, v.message_key);  // the script waits for "staff.ticket_reprinted" and the like
    if (v.print.state == JobState::kFailed) {
      const std::string& detail = v.print.detail(ui.app.strings().language());
      if (!detail.empty()) Wrapped(ui, detail, ui.F().small, colors::kText);
    }
  }
  // Citizens waiting for help, first and prominent: "Kiosk 07 cần hỗ trợ — từ 10:42 (5 phút)".
  if (!v.help.empty()) {
    const float hw = ImGui::GetContentRegionAvail().x;
    const float hbw = std::min(hw * 0.3f, ui.S(360));
    Wrapped(ui, ui.app.strings().Format("staff.help_title", {std::to_string(v.help.size())}), ui.F().bold,
            colors::kError);
    const int64_t now = UnixSeconds(app.Now());
    int n = 0;  // tapped by position, oldest first: "staff.help_done.1"
    for (const auto& h : v.help) {
      ++n;
      char kiosk[8];
      std::snprintf(kiosk, sizeof kiosk, "%02d", h.kiosk_number);
      const std::string since = h.requested_at.size() >= 16 ? h.requested_at.substr(11, 5) : h.requested_at;
      const int64_t minutes = std::max<int64_t>(0, (now - h.requested_unix) / 60);
      const std::string where = ui.T("help.screen." + h.screen);
      const std::string text =
          ui.app.strings().Format("staff.help_row", {kiosk, since, std::to_string(minutes), where});
      const float y = ImGui::GetCursorPosY();
      const float x = ImGui::GetCursorPosX();
      Wrapped(ui, text, ui.F().bold, colors::kText, hw - hbw - ui.S(24));
      const float after = ImGui::GetCursorPosY();
      ImGui::SetCursorPos(ImVec2(x + hw - hbw, y));
      if (TouchButton(ui, "staff.help_done." + std::to_string(n), ui.T("staff.help_dismiss"),
                      ImVec2(hbw, ui.S(84)), ButtonKind::kPrimary)) {
        ui.Emit(intent::StaffDismissHelp{.help_id = h.id});
      }
      if (ImGui::GetCursorPosY() < after) ImGui::SetCursorPosY(after);
    }
    ImGui::Dummy(ImVec2(0, ui.S(8)));
  }
  float w = 0, bw = 0;  // the column's width and its buttons', set by begin_column
  // A line of text with a button at its right.
  auto row = [&](const std::string& text, ImFont* font, const std::string& id, const std::string& label, bool primary) {
    const float y = ImGui::GetCursorPosY();
    Wrapped(ui, text, font, colors::kText, w - bw - ui.S(24));
    const float after = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + w - bw, y));
    const bool tapped =
        TouchButton(ui, id, label, ImVec2(bw, ui.S(84)), primary ? ButtonKind::kPrimary : ButtonKind::kSecondary);
    if (ImGui::GetCursorPosY() < after) ImGui::SetCursorPosY(after);
    return tapped;
  };
  auto begin_column = [&](const char* id, float width) {
    BeginDragList(ui, id, ImVec2(width, BodyHeight(ui)));
    w = ImGui::GetContentRegionAvail().x - ui.S(24);
    bw = std::min(w * 0.4f, ui.S(480));
  };
  // The counters' queue; then the link to the portal and the dossiers. Side by side on a landscape
  // screen, so the dossiers show without scrolling past the counters; one list on a portrait one.
  auto draw_queue = [&] {
    for (const auto& c : v.counters) {
      const std::string text = ui.app.strings().Format("staff.counter_row", {c.counter, c.name, std::to_string(c.waiting)});
      if (c.serving.empty()) {
        if (row(text, ui.F().body, "staff.call." + c.counter, ui.T("staff.call_next"), c.waiting > 0)) {
          ui.Emit(intent::CallNext{.counter = c.counter});
        }
        continue;
      }
      // A number was called here today: "Gọi lại" (the calling display says it again) beside
      // "Gọi số tiếp theo".
      const float again_w = bw * 0.6f, gap = ui.S(12);
      const float y = ImGui::GetCursorPosY(), x = ImGui::GetCursorPosX();
      Wrapped(ui, text, ui.F().body, colors::kText, w - bw - again_w - gap - ui.S(24));
      const float after = ImGui::GetCursorPosY();
      ImGui::SetCursorPos(ImVec2(x + w - bw - again_w - gap, y));
      if (TouchButton(ui, "staff.call_again." + c.counter, ui.T("staff.call_again"), ImVec2(again_w, ui.S(84)),
                      ButtonKind::kSecondary)) {
        ui.Emit(intent::CallAgain{.counter = c.counter});
      }
      ImGui::SetCursorPos(ImVec2(x + w - bw, y));
      if (TouchButton(ui, "staff.call." + c.counter, ui.T("staff.call_next"), ImVec2(bw, ui.S(84)),
                      c.waiting > 0 ? ButtonKind::kPrimary : ButtonKind::kSecondary)) {
        ui.Emit(intent::CallNext{.counter = c.counter});
      }
      if (ImGui::GetCursorPosY() < after) ImGui::SetCursorPosY(after);
    }
    const bool busy = v.print.running();
    if (!v.failed_tickets.empty()) {
      ImGui::Dummy(ImVec2(0, ui.S(16)));
      ImGui::PushFont(ui.F().bold);
      ImGui::TextUnformatted(
          ui.app.strings().Format("staff.failed_tickets_title", {std::to_string(v.failed_tickets.size())}).c_str());
      ImGui::PopFont();
      for (const auto& t : v.failed_tickets) {
        const std::string label = printer::FormatTicketNumber(t.counter, t.number);
        const std::string time = t.issued_at.size() >= 16 ? t.issued_at.substr(11, 5) : t.issued_at;
        if (row(ui.app.strings().Format("staff.failed_ticket_row", {label, time}), ui.F().body,
                std::string("staff.reprint_ticket.") + label, ui.T("staff.reprint_ticket"), !busy)) {
          ui.Emit(intent::StaffReprintTicket{.ticket_id = t.id});
        }
      }
    }
  };
  auto draw_dossiers = [&] {
    // The link to the portal: what waits, whether the portal answers, and "send now".
    if (!app.enrolled()) {
      Wrapped(ui, ui.T("staff.sync_not_enrolled"), ui.F().body, colors::kMuted, w);
    } else {
      const auto& s = app.sync_status();
      std::string text;
      if (!s) {
        text = ui.T("staff.sync_unknown");
      } else {
        const std::string since = s->since.size() >= 16 ? s->since.substr(11, 5) : s->since;
        text = app.strings().Format(s->reachable ? "staff.sync_ok" : "staff.sync_down",
                                    {std::to_string(s->remaining), since});
        if (!s->reachable) {
          const std::string& why = app.strings().language() == Language::kEn ? s->error_en : s->error_vi;
          if (!why.empty()) text += " " + why;
        }
      }
      if (row(text, ui.F().body, "staff.sync_now", ui.T("staff.sync_now"), s && !s->reachable)) {
        ui.Emit(intent::StaffSyncNow{});
      }
    }
    ImGui::Dummy(ImVec2(0, ui.S(16)));
    ImGui::PushFont(ui.F().bold);
    ImGui::TextUnformatted(
        ui.app.strings()
            .Format("staff.dossiers_title", {std::to_string(v.dossiers.size()), std::to_string(v.Pending())})
            .c_str());
    ImGui::PopFont();
    if (v.dossiers.empty()) Wrapped(ui, ui.T("staff.no_dossiers"), ui.F().small, colors::kMuted);
    int n = 0;  // rows are tapped by position, newest first: "staff.reprint.1"
    for (const auto& d : v.dossiers) {
      std::string line = ui.T(std::string("state.") + DossierStateName(d.state));
      if (d.attempts > 0 && d.state != DossierState::kAccepted) {
        line += "   (" + ui.app.strings().Format("staff.attempts", {std::to_string(d.attempts)}) + ")";
      }
      ++n;
      const bool attention = d.state == DossierState::kNeedsAttention;
      if (TileButton(ui, "staff.open." + std::to_string(n),
                     d.dossier_code.value_or(d.provisional_code) + "   " + d.procedure_code, line,
                     ImVec2(d.purged ? w : w - bw - ui.S(16), ui.S(104)),
                     attention ? ButtonKind::kDanger : ButtonKind::kSecondary)) {
        ui.Emit(intent::StaffOpenDossier{.client_id = d.client_id});
      }
      if (attention) MarkItem(ui, "staff.attention." + std::to_string(n));  // the portal refused it
      if (d.state == DossierState::kAccepted) MarkItem(ui, "staff.accepted." + std::to_string(n));  // has its code
      // The portal's status ("processing" once it has the counter's accept): scripts wait for it.
      if (d.portal_status) MarkItem(ui, "staff.status." + *d.portal_status + "." + std::to_string(n));
      if (!d.purged) {
        ImGui::SameLine();
        if (TouchButton(ui, "staff.reprint." + std::to_string(n), ui.T("staff.reprint_receipt"),
                        ImVec2(bw, ui.S(104)))) {
          ui.Emit(intent::StaffReprintReceipt{.client_id = d.client_id});
        }
      }
    }
  };
  if (ui.portrait()) {
    begin_column("staff.list", 0);
    draw_queue();
    ImGui::Dummy(ImVec2(0, ui.S(16)));
    draw_dossiers();
    EndDragList(ui, "staff.list");
  } else {
    const float gap = ui.S(32);
    const float left = (ImGui::GetContentRegionAvail().x - gap) * 0.45f;
    begin_column("staff.queue", left);
    draw_queue();
    EndDragList(ui, "staff.queue");
    ImGui::SameLine(0, gap);
    begin_column("staff.list", 0);
    draw_dossiers();
    EndDragList(ui, "staff.list");
  }
  if (NavRow(ui, false, "staff.lock", ui.T(app.officer() ? "staff.sign_out" : "staff.lock"))) ui.Emit(intent::StartOver{});
}

}  // namespace mck::app::ui
