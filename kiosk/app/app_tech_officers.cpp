// The technician's officers screen (issue 12; docs/officers.md, docs/ui.md "Technician screens"):
// the officers as the store lists them, "Thêm cán bộ" (staff id, name on the Vietnamese keyboard,
// title, counters, the PIN twice on the numeric pad), and per officer "Khoá tài khoản" / "Mở tài
// khoản", "Đặt lại mã PIN" (the new PIN twice) and "Mở khoá" while locked out. The cheap checks
// run here (the fields, the PIN rules, the two PINs alike); the acts run on the technician worker
// (PBKDF2 for a PIN), which the store audits with the actor "technician". The PINs leave the
// session's values the moment they are handed over, wiped. The staff PIN screen reads the list
// again each time it opens (App::LoadOfficers), so what changed here shows there.
#include <iostream>

#include "kiosk/app/app.h"
#include "kiosk/app/app_internal.h"
#include "offline/domain/ids.h"
#include "offline/store/staff_auth.h"

namespace mck::app {

namespace {

constexpr const char* kTechOfficerFields[] = {"tech.officer.id",       "tech.officer.name", "tech.officer.title",
                                              "tech.officer.counters", "tech.officer.pin",  "tech.officer.pin2"};

void TechOfficerWipeValue(std::map<std::string, std::string>& values, const std::string& key) {
  if (auto it = values.find(key); it != values.end()) {
    SecureWipe(it->second);
    values.erase(it);
  }
}

// "HT, TP" or "HT TP" → {"HT", "TP"}.
std::vector<std::string> TechOfficerCounters(const std::string& typed) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : typed + ",") {
    if (c == ',' || c == ' ' || c == ';') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

// A sentence, then the next: "… chữ số. Xin nhập lại …" (no double full stop).
std::string TechOfficerThen(std::string first, const std::string& next) {
  if (!first.empty() && first.back() != '.') first += '.';
  return first + " " + next;
}

}  // namespace

void App::WipeTechOfficerForm() {
  for (const char* k : kTechOfficerFields) TechOfficerWipeValue(citizen_.session.values, k);
}

void App::OpenTechOfficers() {
  WipeTechOfficerForm();
  tech_.officer_form = TechnicianDesk::OfficerForm::kNone;
  tech_.officer_target.clear();
  tech_.officer_error_vi.clear();
  tech_.officer_refused = false;
  tech_.officer_done.clear();
  if (tech_.officers_request == 0) tech_.officers_request = deps_.technician->Officers(OfficerRequest{});
}

void App::On(const intent::TechOfficerForm& in) {
  Unfocus();
  WipeTechOfficerForm();
  tech_.officer_error_vi.clear();
  tech_.officer_refused = false;
  tech_.officer_done.clear();
  tech_.officer_target.clear();
  tech_.officer_form = TechnicianDesk::OfficerForm::kNone;
  if (in.close) return;
  if (in.officer_id.empty()) {
    tech_.officer_form = TechnicianDesk::OfficerForm::kAdd;
    Focus("tech.officer.id", InputKind::kPlain);
    return;
  }
  for (const auto& o : tech_.officers) {
    if (o.id != in.officer_id) continue;
    tech_.officer_form = TechnicianDesk::OfficerForm::kResetPin;
    tech_.officer_target = o.id;
    Focus("tech.officer.pin", InputKind::kDigits);
    return;
  }
}

void App::On(const intent::TechOfficerSave&) {
  using Form = TechnicianDesk::OfficerForm;
  if (tech_.officers_request != 0 || tech_.officer_form == Form::kNone) return;
  Unfocus();
  tech_.officer_error_vi.clear();
  tech_.officer_refused = false;
  tech_.officer_done.clear();
  OfficerRequest req;
  if (tech_.officer_form == Form::kAdd) {
    req.op = OfficerRequest::Op::kAdd;
    req.officer.id = Value("tech.officer.id");
    req.officer.name = Value("tech.officer.name");
    req.officer.title = Value("tech.officer.title");
    req.officer.counters = TechOfficerCounters(Value("tech.officer.counters"));
    // The store checks again; here the technician hears at once what to correct.
    if (Status st = OfficerBook::CheckOfficer(req.officer); !st.ok()) {
      tech_.officer_error_vi = st.message_vi();
      return;  // the PINs stay: only a field is to be corrected
    }
  } else {
    req.op = OfficerRequest::Op::kResetPin;
    req.officer.id = tech_.officer_target;
  }
  std::string pin = Value("tech.officer.pin");
  const bool same = pin == Value("tech.officer.pin2");
  // Whatever happens next, the typed PINs leave the session's values now.
  TechOfficerWipeValue(citizen_.session.values, "tech.officer.pin");
  TechOfficerWipeValue(citizen_.session.values, "tech.officer.pin2");
  if (Status st = StaffAuth::CheckNewPin(PinRole::kStaff, pin); !st.ok()) {
    tech_.officer_error_vi = TechOfficerThen(st.message_vi(), "Xin nhập lại mã PIN hai lần.");
  } else if (!same) {
    tech_.officer_error_vi = "Hai lần nhập mã PIN không khớp. Xin nhập lại mã PIN hai lần.";
  }
  if (!tech_.officer_error_vi.empty()) {
    SecureWipe(pin);
    return;
  }
  req.pin = std::move(pin);
  SecureWipe(pin);
  // PBKDF2 and the technician-PIN comparison: the technician worker, never this thread.
  tech_.officers_request = deps_.technician->Officers(std::move(req));  // the worker wipes its copy
}

void App::On(const intent::TechOfficerAct& in) {
  if (tech_.officers_request != 0 || tech_.officer_form != TechnicianDesk::OfficerForm::kNone) return;
  OfficerRequest req;
  using Act = intent::TechOfficerAct::Act;
  req.op = in.act == Act::kDisable  ? OfficerRequest::Op::kDisable
           : in.act == Act::kEnable ? OfficerRequest::Op::kEnable
                                    : OfficerRequest::Op::kUnlock;
  req.officer.id = in.officer_id;
  tech_.officer_target = in.officer_id;  // whose name the answer shows
  tech_.officer_error_vi.clear();
  tech_.officer_refused = false;
  tech_.officer_done.clear();
  tech_.officers_request = deps_.technician->Officers(std::move(req));
}

void App::OnTechOfficers(const TechnicianAnswer& e) {
  if (e.request_id != tech_.officers_request) return;
  tech_.officers_request = 0;
  tech_.officers = e.officers;
  if (!e.ok) {
    tech_.officer_error_vi = e.text_vi;
    tech_.officer_refused = true;
    if (tech_.officer_form != TechnicianDesk::OfficerForm::kNone) {
      // The PINs were wiped when handed over: the store's refusal asks for them again.
      tech_.officer_error_vi = TechOfficerThen(tech_.officer_error_vi, "Xin sửa lại rồi nhập mã PIN hai lần.");
    }
    return;  // the form stays open with what was typed (the PINs are to be typed again)
  }
  if (e.step == "list") return;
  tech_.officer_done = "tech.officers.done." + e.step;
  tech_.officer_done_name.clear();
  const std::string id = tech_.officer_form == TechnicianDesk::OfficerForm::kAdd ? Value("tech.officer.id") : "";
  for (const auto& o : tech_.officers) {
    if (o.id == id || o.id == tech_.officer_target) tech_.officer_done_name = o.name;
  }
  WipeTechOfficerForm();
  tech_.officer_form = TechnicianDesk::OfficerForm::kNone;
  tech_.officer_target.clear();
}

}  // namespace mck::app
