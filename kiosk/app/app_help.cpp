// "Gọi cán bộ hỗ trợ" (the footer on every citizen screen) and staff's "Đã hỗ trợ"; and the
// current screen's spoken instruction. The help request is recorded by the core worker (no store
// write on the UI thread); the citizen stays where they are, with everything typed, and the
// footer says calmly that staff are coming. A second press while one is open makes no second
// request (the App ignores it, and the store finds the open one for a new session). The session
// wipe resets only the footer: the request stays open until staff dismiss it, since the person
// may still be standing there (docs/ui.md "Asking for help").
#include <iostream>

#include "kiosk/app/app.h"
#include "kiosk/app/before_start.h"

namespace mck::app {

bool IsCitizenScreen(ScreenId s) {
  return !IsTechnicianScreen(s) && s != ScreenId::kStaffPin && s != ScreenId::kStaff && s != ScreenId::kStaffDossier;
}

void App::On(const intent::AskHelp&) {
  if (!IsCitizenScreen(citizen_.screen)) return;
  if (citizen_.help == JobState::kRunning || citizen_.help == JobState::kDone) return;  // one is open
  citizen_.help = JobState::kRunning;
  citizen_.help_request = deps_.core->AskHelp(ScreenName(citizen_.screen));
}

void App::OnHelpAsked(const HelpAsked& e) {
  if (e.request_id != citizen_.help_request) return;  // the session ended meanwhile: it stays open for staff
  citizen_.help_request = 0;
  if (!e.asked.ok()) {
    std::cerr << "kiosk: help request not recorded: " << e.asked.status().ToString() << "\n";
    citizen_.help = JobState::kFailed;
    return;
  }
  citizen_.help = JobState::kDone;
}

void App::On(const intent::StaffDismissHelp& in) {
  if (desk_.dismiss_request != 0) return;  // one at a time: a second tap does not dismiss twice
  desk_.dismiss_request = deps_.core->DismissHelp(in.help_id, deps_.store->staff_actor());
}

void App::OnHelpDismissed(const HelpDismissed& e) {
  if (e.request_id != desk_.dismiss_request) return;  // staff mode locked meanwhile: recorded all the same
  desk_.dismiss_request = 0;
  if (!desk_.unlocked) return;
  desk_.view.called.clear();
  if (!desk_.view.print.running()) desk_.view.print = PrintJob{};
  if (e.dismissed.ok()) {
    desk_.view.message_key = "staff.help_dismissed";
    desk_.view.message_arg = std::to_string(e.dismissed->kiosk_number);
  } else if (e.dismissed.status().code() == Code::kNotFound) {
    desk_.view.message_key.clear();  // already dismissed (another tap, another desk): nothing to say
  } else {
    std::cerr << "kiosk: help dismissal not recorded: " << e.dismissed.status().ToString() << "\n";
    desk_.view.message_key = "staff.help_dismiss_failed";
    desk_.view.message_arg.clear();
  }
  if (citizen_.screen == ScreenId::kStaff) RefreshStaff();
}

std::string App::SpokenInstruction() const {
  if (citizen_.screen == ScreenId::kBeforeStart) {
    const Procedure* p = procedure();
    return p ? DescribeBeforeStart(*p, strings()).spoken : std::string();
  }
  if (citizen_.screen == ScreenId::kAttract) {
    // The card's QR starts a submission here only where a scanner is (screens/attract.cpp).
    return config().qr_scanner != "none" ? T("speak.attract") + " " + T("speak.attract_card") : T("speak.attract");
  }
  if (!IsCitizenScreen(citizen_.screen)) return {};
  const std::string key = std::string("speak.") + ScreenName(citizen_.screen);
  if (!deps_.strings->vi().count(key)) return {};
  return T(key);
}

}  // namespace mck::app
