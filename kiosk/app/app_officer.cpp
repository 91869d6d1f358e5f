// Officers at the counter (docs/officers.md): when the technician has added officers
// (kioskctl officer add), staff mode signs in by name and the officer's own PIN instead of the
// shared staff PIN. The screen shows who is signed in; every staff row of theirs names them
// (Store::SetStaffActor) and so does every decision; inactivity or "Khoá" signs them out.
#include <iostream>

#include "kiosk/app/app.h"
#include "kiosk/app/app_internal.h"

namespace mck::app {

void App::LoadOfficers() {
  desk_.officers.clear();
  desk_.officer_choice.clear();
  auto list = deps_.store->officers().List();  // a short local read
  if (!list.ok()) {
    // Staff mode stays reachable: with no list, the shared PIN screen shows (and, when officers
    // exist, refuses: the shared PIN no longer opens staff mode — see OnPinChecked).
    std::cerr << "kiosk: officer list: " << list.status().ToString() << "\n";
    return;
  }
  for (auto& o : *list) {
    if (!o.disabled) desk_.officers.push_back(std::move(o));
  }
}

void App::On(const intent::StaffPickOfficer& in) {
  if (citizen_.screen != ScreenId::kStaffPin || desk_.pin_request != 0) return;
  for (const auto& o : desk_.officers) {
    if (o.id != in.officer_id) continue;
    desk_.officer_choice = o.id;
    desk_.pin_message.clear();
    if (auto it = citizen_.session.values.find("staff.pin"); it != citizen_.session.values.end()) {
      SecureWipe(it->second);
      citizen_.session.values.erase(it);
    }
    Focus("staff.pin", InputKind::kDigits);
    return;
  }
}

void App::OnOfficerPinChecked(const PinChecked& e) {
  const auto& r = *e.officer;
  if (!r.ok()) {
    std::cerr << "kiosk: officer PIN check failed: " << r.status().ToString() << "\n";
    desk_.pin_message = "staff.pin_error";
  } else if (r->check == OfficerCheck::kOk) {
    desk_.unlocked = true;
    desk_.officer = r->officer;
    desk_.pin_message.clear();
    deps_.store->SetStaffActor(OfficerBook::Actor(r->officer.id));
    std::cerr << "kiosk: officer " << r->officer.id << " signed in\n";  // the staff id: not a citizen's data
    Go(ScreenId::kStaff);
    citizen_.history.clear();
    RefreshStaff();
    return;
  } else if (r->check == OfficerCheck::kUseToken) {
    // The token said no: its own message (wrong PIN with what it says of its tries, no token, a
    // certificate that is not theirs…); the kind in the log, never the PIN.
    const std::string why = e.token_refusal ? e.token_refusal->why : "unknown";
    std::cerr << "kiosk: officer " << e.officer_id << " token sign-in refused (" << why << ")\n";
    desk_.pin_message = "staff.officer_token_refused";
    desk_.pin_message_arg = e.token_refusal ? e.token_refusal->status.message_vi() : std::string();
  } else if (r->check == OfficerCheck::kWrong) {
    desk_.pin_message = "staff.pin_wrong";
    desk_.pin_message_number = r->attempts_left;
  } else if (r->check == OfficerCheck::kLocked) {
    desk_.pin_message = "staff.pin_locked";
    desk_.pin_message_number = static_cast<int>((r->locked_for_s + 59) / 60);
  } else {
    // Disabled or removed since the list was shown: the list is read again.
    desk_.pin_message = "staff.officer_unavailable";
    LoadOfficers();
    return;
  }
  Focus("staff.pin", InputKind::kDigits);
}

void App::SignOutOfficer(const char* why) {
  if (!desk_.officer) return;
  const std::string id = desk_.officer->id;
  desk_.officer.reset();
  deps_.store->SetStaffActor("staff");
  if (Status st = deps_.store->officers().SignedOut(id, why); !st.ok()) {
    std::cerr << "kiosk: recording the officer's sign-out failed: " << st.ToString() << "\n";
  }
  std::cerr << "kiosk: officer " << id << " signed out (" << why << ")\n";
}

}  // namespace mck::app
