// The technician's "Cán bộ" screen (docs/officers.md, docs/ui.md "Technician screens"): the
// officers with their title, staff id, counters and state, "Thêm cán bộ", and per officer
// "Khoá tài khoản" / "Mở tài khoản", "Đặt lại mã PIN" and, while locked out, "Mở khoá". The form
// (add, or a new PIN) replaces the list; its PINs show as dots (App::DisplayValue). Staff data
// only: never a PIN.
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"
#include "offline/domain/clock.h"

namespace mck::app::ui {

namespace {

void TechOfficerMessages(Ui& ui, const TechnicianDesk& t, float w) {
  if (t.officers_request != 0) Wrapped(ui, ui.T("tech.officers.working"), ui.F().bold, colors::kMuted, w);
  if (!t.officer_error_vi.empty()) {
    Wrapped(ui, t.officer_error_vi, ui.F().bold, colors::kError, w);
    MarkItem(ui, t.officer_refused ? "tech.officers.refused" : "tech.officers.error");
  }
  if (!t.officer_done.empty()) {
    Wrapped(ui, ui.app.strings().Format(t.officer_done, {t.officer_done_name}), ui.F().bold, colors::kOk, w);
    MarkItem(ui, t.officer_done);
  }
}

void TechOfficerFormNav(Ui& ui, bool busy) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float bw = std::min(w * 0.42f, ui.S(520));
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ui.S(96) - ImGui::GetStyle().WindowPadding.y);
  if (TouchButton(ui, "tech.officer.cancel", ui.T("tech.officers.cancel"), ImVec2(bw, ui.S(96)))) {
    ui.Emit(intent::TechOfficerForm{.officer_id = {}, .close = true});
  }
  if (busy) return;
  ImGui::SameLine();
  ImGui::SetCursorPosX(ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x - bw);
  if (TouchButton(ui, "tech.officer.save", ui.T("tech.officers.save"), ImVec2(bw, ui.S(96)), ButtonKind::kPrimary)) {
    ui.Emit(intent::TechOfficerSave{});
  }
}

void DrawTechOfficerForm(Ui& ui, const TechnicianDesk& t, float w) {
  const App& app = ui.app;
  const bool add = t.officer_form == TechnicianDesk::OfficerForm::kAdd;
  if (!add) {
    for (const auto& o : t.officers) {
      if (o.id == t.officer_target) {
        Wrapped(ui, app.strings().Format("tech.officers.reset_for", {o.name, o.id}), ui.F().bold, colors::kText, w);
      }
    }
  }
  TechOfficerMessages(ui, t, w);
  // Two columns side by side (landscape): the form stays above the keyboard.
  const float gap = ui.S(32);
  const int columns = ui.portrait() ? 1 : 2;
  const float fw = (w - gap * (columns - 1)) / columns;
  auto pair = [&](const char* a, InputKind ka, const char* b, InputKind kb) {
    // Each field in its own group: ImGui's new lines then keep to the column.
    ImGui::BeginGroup();
    TextField(ui, a, ui.T(a), ka, fw);
    ImGui::EndGroup();
    if (columns > 1) ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    TextField(ui, b, ui.T(b), kb, fw);
    ImGui::EndGroup();
  };
  if (add) {
    pair("tech.officer.id", InputKind::kPlain, "tech.officer.name", InputKind::kText);
    pair("tech.officer.title", InputKind::kText, "tech.officer.counters", InputKind::kPlain);
  }
  pair("tech.officer.pin", InputKind::kDigits, "tech.officer.pin2", InputKind::kDigits);
  Wrapped(ui, ui.T("tech.officers.pin_help"), ui.F().small, colors::kMuted, w);
  if (!app.focused_key().empty()) return;  // the keyboard is up: "Xong" first
  TechOfficerFormNav(ui, t.officers_request != 0);
}

}  // namespace

void DrawTechOfficers(Ui& ui) {
  const App& app = ui.app;
  const TechnicianDesk& t = app.tech();
  const bool add = t.officer_form == TechnicianDesk::OfficerForm::kAdd;
  Title(ui, ui.T(t.officer_form == TechnicianDesk::OfficerForm::kNone ? "tech.officers_title"
                 : add                                                ? "tech.officers.add"
                                                                      : "tech.officers.reset_title"));
  const float w = ImGui::GetContentRegionAvail().x;
  if (t.officer_form != TechnicianDesk::OfficerForm::kNone) return DrawTechOfficerForm(ui, t, w);

  Wrapped(ui, ui.T("tech.officers.help"), ui.F().small, colors::kMuted, w);
  TechOfficerMessages(ui, t, w);
  if (TouchButton(ui, "tech.officers.add", ui.T("tech.officers.add"), ImVec2(std::min(w * 0.4f, ui.S(520)), ui.S(88)),
                  ButtonKind::kPrimary)) {
    ui.Emit(intent::TechOfficerForm{});
  }
  ImGui::Dummy(ImVec2(0, ui.S(8)));
  BeginDragList(ui, "tech.officers", ImVec2(0, BodyHeight(ui)));
  const float lw = ImGui::GetContentRegionAvail().x - ui.S(24);
  if (t.officers.empty() && t.officers_request == 0)
    Wrapped(ui, ui.T("tech.officers.none"), ui.F().body, colors::kMuted, lw);
  const int64_t now = UnixSeconds(app.Now());
  const float bw = ui.S(300), bh = ui.S(76), bgap = ui.S(12);
  const float text_w = std::max(lw - 3 * (bw + bgap), lw * 0.4f);
  for (const auto& o : t.officers) {
    const bool locked = !o.disabled && o.locked_until > now;
    const float y = ImGui::GetCursorPosY();
    const float x = ImGui::GetCursorPosX();
    Wrapped(ui, o.title.empty() ? o.name : o.name + " — " + o.title, ui.F().bold,
            o.disabled ? colors::kMuted : colors::kText, text_w);
    std::string counters;
    for (const auto& c : o.counters) counters += (counters.empty() ? "" : ", ") + c;
    std::string state = ui.T(o.disabled ? "tech.officers.state_disabled" : "tech.officers.state_active");
    if (locked) {
      state = app.strings().Format("tech.officers.state_locked",
                                   {FormatRfc3339Vietnam(FromUnixSeconds(o.locked_until)).substr(11, 5)});
    }
    std::string line =
        app.strings().Format("tech.officers.line", {o.id, counters.empty() ? ui.T("tech.officers.any_counter") : counters});
    // Signs in with the signing token's PIN (docs/officers.md): no PIN of theirs to reset here.
    const bool by_token = o.sign_in == "token";
    if (by_token) line += " · " + ui.T("tech.officers.by_token");
    Wrapped(ui, line, ui.F().small, colors::kMuted, text_w);
    Wrapped(ui, state, ui.F().bold, o.disabled || locked ? colors::kError : colors::kOk, text_w);
    if (o.disabled) MarkItem(ui, "tech.officer.disabled." + o.id);
    const float after = ImGui::GetCursorPosY();
    // The acts on the right, in a row.
    float bx = x + lw - bw;
    auto act = [&](const std::string& id, const std::string& label, ButtonKind kind) {
      ImGui::SetCursorPos(ImVec2(bx, y));
      bx -= bw + bgap;
      return TouchButton(ui, id, label, ImVec2(bw, bh), kind, ui.F().small);
    };
    if (act("tech.officer.toggle." + o.id, ui.T(o.disabled ? "tech.officers.enable" : "tech.officers.disable"),
            o.disabled ? ButtonKind::kSecondary : ButtonKind::kDanger)) {
      using Act = intent::TechOfficerAct::Act;
      ui.Emit(intent::TechOfficerAct{.act = o.disabled ? Act::kEnable : Act::kDisable, .officer_id = o.id});
    }
    if (!by_token && act("tech.officer.reset." + o.id, ui.T("tech.officers.reset"), ButtonKind::kSecondary)) {
      ui.Emit(intent::TechOfficerForm{.officer_id = o.id});
    }
    if (locked && act("tech.officer.unlock." + o.id, ui.T("tech.officers.unlock"), ButtonKind::kPrimary)) {
      ui.Emit(intent::TechOfficerAct{.act = intent::TechOfficerAct::Act::kUnlock, .officer_id = o.id});
    }
    ImGui::SetCursorPos(ImVec2(x, std::max(after, y + bh) + ui.S(12)));
    // A thin rule between officers, as wide as the row.
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddLine(p, ImVec2(p.x + lw, p.y), colors::kBorder, ui.S(1.5f));
    ImGui::Dummy(ImVec2(0, ui.S(16)));
  }
  EndDragList(ui, "tech.officers");
  NavRow(ui, true, "", "");
}

}  // namespace mck::app::ui
