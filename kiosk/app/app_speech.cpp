// Read-aloud in the App (issue 14, docs/speech.md): what the kiosk says, and when it stops.
//
// Privacy, structurally: every utterance but one is built by Speak() from catalog texts (the
// i18n strings, the procedure catalog's labels and help, the validation's fixed messages). The
// one exception is ReadBack, on the review screen and only when the citizen presses "Đọc lại
// thông tin": it is the only code that puts a session value into an Utterance, and it marks it
// kPersonal. tests/ui/speech_flow_test.cpp records every utterance of a whole citizen flow and
// checks that no name, ID number or date of birth is said any other way.
#include <algorithm>

#include "kiosk/app/app.h"
#include "kiosk/app/app_internal.h"

namespace mck::app {

using internal::StartsWith;

namespace {
constexpr int kStep = 20;  // the technician's volume and speed steps
}

bool App::IsCitizenScreen(ScreenId s) {
  return !IsTechnicianScreen(s) && s != ScreenId::kStaffPin && s != ScreenId::kStaff && s != ScreenId::kStaffDossier;
}

Utterance App::Voice(std::string text) const {
  Utterance u;
  u.text = std::move(text);
  u.voice = deps_.strings->language() == Language::kEn ? "en" : deps_.config->speech_voice;
  u.rate_wpm = speech_rate_;
  u.volume = speech_volume_;
  return u;
}

void App::Speak(const std::string& catalog_text) {
  if (!catalog_text.empty()) to_say_.push_back(catalog_text);
}

std::vector<std::string> App::ErrorKeys() const {
  std::vector<std::string> keys;
  for (const auto& [k, e] : citizen_.session.errors) keys.push_back(k);
  return keys;
}

void App::StopSpeech() {
  to_say_.clear();
  if (deps_.speech) deps_.speech->Stop();
}

void App::FinishSpeech(ScreenId before, const std::vector<std::string>& errors_before) {
  // Errors that appeared with this intent, when the citizen turned the voice on: said first.
  std::vector<std::string> errors;
  if (citizen_.voice_on && IsCitizenScreen(citizen_.screen)) {
    for (const auto& [k, e] : citizen_.session.errors) {
      if (std::find(errors_before.begin(), errors_before.end(), k) == errors_before.end()) {
        errors.push_back(deps_.strings->language() == Language::kEn ? e.second : e.first);
      }
    }
  }
  if (!errors.empty()) to_say_.insert(to_say_.begin(), errors.begin(), errors.end());
  if (!to_say_.empty() && deps_.speech && IsCitizenScreen(citizen_.screen)) {
    std::string text;
    for (const auto& t : to_say_) {
      if (!text.empty()) text += (text.back() == '.' || text.back() == '?' || text.back() == '!') ? " " : ". ";
      text += t;
    }
    deps_.speech->Say(Voice(std::move(text)));
  } else if (citizen_.screen != before) {
    StopSpeech();  // every screen change silences what was being said
  }
  to_say_.clear();
}

void App::SpeakFieldHelp(const std::string& key) {
  if (!citizen_.voice_on || !IsCitizenScreen(citizen_.screen)) return;
  if (StartsWith(key, "fields.")) {
    const Procedure* p = procedure();
    const FormField* f = p ? p->FindField(key.substr(7)) : nullptr;
    if (!f) return;
    Speak(f->label);
    Speak(f->help);
    return;
  }
  // applicant.*, lookup.*: the label the screen shows, when the key has one (not the PIN pads').
  if (deps_.strings->vi().count(key)) Speak(T(key));
}

void App::On(const intent::Listen&) {
  if (!IsCitizenScreen(citizen_.screen)) return;
  // On the attract screen there is no session yet to end the voice: it says what the kiosk is
  // for and how to start, and the citizen turns the voice on in the session ("Nghe hướng dẫn").
  if (citizen_.screen == ScreenId::kAttract) return Speak(SpokenInstruction());
  citizen_.voice_on = true;
  Speak(T(std::string("speak.") + ScreenName(citizen_.screen)));
}

void App::On(const intent::StillHere&) {
  if (citizen_.countdown_said) StopSpeech();  // "Bạn còn ở đó không?" answered: no more of it
  citizen_.countdown_said = false;
}

void App::On(const intent::VoiceOff&) {
  citizen_.voice_on = false;
  StopSpeech();
}

// The only utterance with the citizen's data. Quieter, and it says so first.
void App::On(const intent::ReadBack&) {
  if (citizen_.screen != ScreenId::kReview || !deps_.speech) return;
  std::string text = T("speak.read_back_notice");
  auto add = [&text](const std::string& label, const std::string& value) {
    if (value.empty()) return;
    text += " " + label + ": " + value + ".";
  };
  add(T("applicant.full_name"), Value("applicant.full_name"));
  add(T("applicant.date_of_birth"), DisplayValue("applicant.date_of_birth"));
  if (const Procedure* p = procedure()) {
    text += " " + p->name + ".";
    for (const auto& f : p->form) add(f.label, DisplayValue("fields." + f.id));
  }
  Utterance u = Voice(std::move(text));
  u.volume = std::max(10, speech_volume_ / 2);
  u.privacy = SpeechPrivacy::kPersonal;
  to_say_.clear();
  deps_.speech->Say(std::move(u));  // moved: the worker zeroes its copy after speaking
}

void App::On(const intent::TechSpeech& in) {
  const int volume = speech_volume_, rate = speech_rate_;
  speech_volume_ = std::clamp(speech_volume_ + in.volume_step * kStep, 0, 200);
  speech_rate_ = std::clamp(speech_rate_ + in.rate_step * kStep, 80, 300);
  // Kept for the next start (the store's settings, written on the technician worker).
  if ((speech_volume_ != volume || speech_rate_ != rate) && deps_.technician) {
    deps_.technician->SaveSpeech(speech_volume_, speech_rate_);
  }
  // Not a citizen screen: said directly (a catalog text), at the new volume and speed.
  if (in.test && deps_.speech) deps_.speech->Say(Voice(T("speak.test")));
}

}  // namespace mck::app
