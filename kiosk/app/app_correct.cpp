// Sending a refused dossier again, corrected or not, at the counter (docs/officers.md "Correcting a refused dossier"):
// the portal answered 422 naming fields ("fields.pages", "applicant.full_name"); the staff
// dossier screen shows each such value in a field the officer can edit, prefilled with what was
// sent. "Sửa và gửi lại" checks the corrected dossier against the catalog (the same rules the
// portal uses) and stores it in place of the refused one, queued again under the same client_id
// (Outbox::Requeue with a Correction). Values live in the session ("staff.fix.<path>") and are
// wiped with it; the audit row names the paths, never the values.
#include <iostream>

#include "kiosk/app/app.h"
#include "kiosk/app/app_internal.h"
#include "kiosk/core/documents.h"
#include "offline/domain/ids.h"
#include "offline/domain/validation.h"

namespace mck::app {

using internal::DateDigitsToIso;
using internal::IsoToDateDigits;
using nlohmann::json;

namespace {

// How a value at `path` is typed, or nullopt when it cannot be corrected here (a checkbox, a
// choice, the procedure itself: those need the citizen's own new dossier).
std::optional<InputKind> FixKind(const std::string& path, const Procedure* p) {
  if (path.rfind("applicant.", 0) == 0) {
    const std::string k = path.substr(10);
    if (k == "full_name" || k == "address") return InputKind::kText;
    if (k == "id_number" || k == "phone") return InputKind::kDigits;
    if (k == "date_of_birth") return InputKind::kDate;
    return std::nullopt;
  }
  if (!p || path.rfind("fields.", 0) != 0) return std::nullopt;
  for (const auto& f : p->form) {
    if ("fields." + f.id != path) continue;
    switch (f.type) {
      case FieldType::kText:
      case FieldType::kMultiline: return InputKind::kText;
      case FieldType::kDate: return InputKind::kDate;
      case FieldType::kNumber:
      case FieldType::kPhone:
      case FieldType::kIdNumber: return InputKind::kDigits;
      case FieldType::kEmail: return InputKind::kPlain;
      case FieldType::kSelect:
      case FieldType::kCheckbox: return std::nullopt;
    }
  }
  return std::nullopt;
}

// The body's value at "group.key" (a string, or "" when absent or not a string).
std::string ValueAt(const json& body, const std::string& path) {
  const size_t dot = path.find('.');
  const auto group = body.find(path.substr(0, dot));
  if (group == body.end() || !group->is_object()) return "";
  const auto v = group->find(path.substr(dot + 1));
  return v != group->end() && v->is_string() ? v->get<std::string>() : "";
}

}  // namespace

void App::AddFix(StaffDossierView& v, const std::string& path, const std::string& label, const json& body,
                 const Procedure* p) {
  const auto kind = FixKind(path, p);
  if (!kind || path.find('.') == std::string::npos) return;
  for (const auto& f : v.fixes) {
    if (f.path == path) return;  // the portal may name a field twice
  }
  v.fixes.push_back({path, label, *kind});
  const std::string now = ValueAt(body, path);
  citizen_.session.values["staff.fix." + path] = *kind == InputKind::kDate ? IsoToDateDigits(now) : now;
}

Result<Outbox::Correction> App::CorrectedBody(const StaffDossierView& v) {
  auto rec = deps_.store->dossiers().Get(v.client_id);  // a short local read
  if (!rec.ok()) return rec.status();
  if (rec->purged || !rec->body.is_object()) {
    return Status::Error(Code::kFailedPrecondition, "the dossier's body was purged: nothing to correct",
                         "Nội dung hồ sơ đã được xoá theo thời hạn lưu giữ, không sửa được");
  }
  Outbox::Correction c;
  c.body = std::move(rec->body);
  for (const auto& f : v.fixes) {
    std::string typed = Value("staff.fix." + f.path);
    std::string value = f.kind == InputKind::kDate && !typed.empty() ? DateDigitsToIso(typed) : typed;
    SecureWipe(typed);
    const size_t dot = f.path.find('.');
    json& group = c.body[f.path.substr(0, dot)];
    const std::string key = f.path.substr(dot + 1);
    if (ValueAt(c.body, f.path) == value) {
      SecureWipe(value);
      continue;
    }
    if (value.empty()) {
      group.erase(key);
    } else {
      group[key] = value;
    }
    SecureWipe(value);
    c.fields.push_back(f.path);
  }
  // Nothing changed: sent again as it was (the officer's call: the portal's side was the problem).
  if (c.fields.empty()) return c;
  // The portal's rules are the kiosk's (offline/domain/validation.h), on the body as sent.
  json check = c.body;
  for (const char* k : {"client_id", "provisional_code", "submitted_at"}) check.erase(k);
  auto checked = ValidateDossier(catalog_, check, VietnamDate(deps_.clock->Now()));
  core::WipeBody(check);
  if (!checked.ok()) {
    std::string vi, en;
    for (const auto& e : checked.errors) {
      vi += (vi.empty() ? "" : "\n") + e.message_vi;
      en += (en.empty() ? "" : "; ") + e.field + ": " + e.message_en;
    }
    core::WipeBody(checked.body);
    core::WipeBody(c.body);
    return Status::Error(Code::kInvalidArgument, "the corrected dossier is not valid: " + en, vi);
  }
  core::WipeBody(checked.body);
  return c;
}

void App::On(const intent::StaffRequeue&) {
  if (!desk_.dossier || !desk_.dossier->needs_attention) return;
  StaffDossierView& v = *desk_.dossier;
  desk_.view.message_arg = v.provisional_code;
  std::optional<Outbox::Correction> correction;
  if (!v.fixes.empty()) {
    auto c = CorrectedBody(v);
    if (!c.ok()) {
      // Every problem at once, under the fields: nothing is re-queued.
      v.fix_error_vi = c.status().message_vi();
      v.fix_error_en = c.status().message_en();
      return;
    }
    if (!c->fields.empty()) correction = std::move(*c);
  }
  Status st = deps_.store->outbox().Requeue(v.client_id, correction);  // one short transaction
  if (correction) core::WipeBody(correction->body);
  if (!st.ok()) {
    std::cerr << "kiosk: staff requeue: " << st.ToString() << "\n";
    desk_.view.message_key = "staff.requeue_failed";
    if (!desk_.view.print.running()) desk_.view.print.Fail("staff.requeue_failed");
    return;
  }
  v.needs_attention = false;
  v.portal_reasons.clear();
  v.fix_error_vi.clear();
  v.fix_error_en.clear();
  for (const auto& f : v.fixes) {
    if (auto it = citizen_.session.values.find("staff.fix." + f.path); it != citizen_.session.values.end()) {
      SecureWipe(it->second);
      citizen_.session.values.erase(it);
    }
  }
  v.fixes.clear();
  v.state_key = "state.queued";
  desk_.view.message_key = "staff.requeued";
  if (!desk_.view.print.running()) desk_.view.print = PrintJob{};
  if (deps_.outbox_changed) deps_.outbox_changed();
}

}  // namespace mck::app
