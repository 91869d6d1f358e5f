#include "kiosk/app/app.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "kiosk/app/app_internal.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"
#include "offline/domain/validation.h"
#include "offline/store/staff_auth.h"

namespace mck::app {

using internal::DateDigitsToIso;
using internal::IsoToDateDigits;
using internal::StartsWith;
using nlohmann::json;

namespace {

struct ScreenNameEntry {
  ScreenId id;
  const char* name;
};
constexpr ScreenNameEntry kScreenNames[] = {
    {ScreenId::kAttract, "attract"},
    {ScreenId::kMenu, "menu"},
    {ScreenId::kIdentify, "identify"},
    {ScreenId::kApplicant, "applicant"},
    {ScreenId::kProcedure, "procedure"},
    {ScreenId::kBeforeStart, "before_start"},
    {ScreenId::kForm, "form"},
    {ScreenId::kDocuments, "documents"},
    {ScreenId::kScan, "scan"},
    {ScreenId::kReview, "review"},
    {ScreenId::kSubmitted, "submitted"},
    {ScreenId::kLookup, "lookup"},
    {ScreenId::kTicket, "ticket"},
    {ScreenId::kRating, "rating"},
    {ScreenId::kThanks, "thanks"},
    {ScreenId::kStaffPin, "staff_pin"},
    {ScreenId::kStaff, "staff"},
    {ScreenId::kStaffDossier, "staff_dossier"},
    {ScreenId::kTechPin, "tech_pin"},
    {ScreenId::kTechnician, "technician"},
    {ScreenId::kTechSetup, "tech_setup"},
    {ScreenId::kTechDevices, "tech_devices"},
    {ScreenId::kTechCertificate, "tech_certificate"},
    {ScreenId::kTechDiagnostics, "tech_diagnostics"},
    {ScreenId::kTechStop, "tech_stop"},
    {ScreenId::kTechOfficers, "tech_officers"},
};

bool IsSecretPin(const std::string& key) {
  return key == "tech.pin" || key == "tech.staff_pin" || key == "tech.staff_pin2" || key == "staff.token_pin" ||
         key == "tech.officer.pin" || key == "tech.officer.pin2";
}

int MaxDigitsFor(const std::string& key) {
  if (key == "applicant.id_number" || key == "staff.pin" || IsSecretPin(key)) return 12;
  if (key == "tech.kiosk_number") return 2;
  if (key == "applicant.phone") return 11;
  return 20;
}

bool IsApplicantDate(const std::string& key) {
  return key == "applicant.date_of_birth" || key == "lookup.dob";
}

}  // namespace

const char* ScreenName(ScreenId s) {
  for (const auto& e : kScreenNames) {
    if (e.id == s) return e.name;
  }
  return "?";
}

std::optional<ScreenId> ParseScreenName(std::string_view s) {
  for (const auto& e : kScreenNames) {
    if (s == e.name) return e.id;
  }
  return std::nullopt;
}

App::App(AppDeps deps)
    : deps_(deps),
      inactivity_(*deps.clock, std::chrono::seconds(deps.config->inactivity_timeout_s),
                  std::chrono::seconds(deps.config->inactivity_countdown_s)),
      lookup_throttle_(*deps.clock) {
  const auto style = deps_.config->tone_style == "old" ? text::ToneStyle::kOld : text::ToneStyle::kNew;
  composer_ = std::make_unique<text::Composer>(method_, style);
  large_text_ = deps_.config->large_text;
  speech_volume_ = deps_.config->speech_volume;
  speech_rate_ = deps_.config->speech_rate_wpm;
  // What a technician set last (technician screen, TechnicianWorker::SaveSpeech) wins over the
  // config: two short reads of the UI thread's connection, once at start.
  if (deps_.store) {
    auto setting = [this](const char* key, int lo, int hi, int* out) {
      auto v = deps_.store->settings().Get(key);
      if (!v.ok() || !*v) return;
      char* end = nullptr;
      const long n = std::strtol((*v)->c_str(), &end, 10);
      if (end && *end == '\0' && !(*v)->empty()) *out = static_cast<int>(std::clamp<long>(n, lo, hi));
    };
    setting(kSpeechVolumeSetting, 0, 200, &speech_volume_);
    setting(kSpeechRateSetting, 80, 300, &speech_rate_);
  }
  high_contrast_ = deps_.config->theme == "high_contrast";
  deps_.strings->SetLanguage(deps_.config->language == "en" ? Language::kEn : Language::kVi);
}

App::~App() {
  WipeSession();
  own_technician_.reset();  // finishes what was queued (a provisioning run ends its step)
  own_core_.reset();        // finishes what was queued (a submission is stored or not, never half)
}

Status App::Init() {
  auto catalog = deps_.store->catalog().Load();
  if (!catalog.ok()) return catalog.status();
  catalog_ = std::move(catalog.value());
  if (!deps_.core) {
    if (!deps_.events) return Status::Error(Code::kInternal, "App needs an event queue for its core worker");
    CoreWorkerOptions o;
    o.store = deps_.store_options;
    o.config = deps_.config;
    o.clock = deps_.clock;
    o.submitter = deps_.submitter;
    own_core_ = std::make_unique<CoreWorker>(std::move(o), catalog_, *deps_.events);
    deps_.core = own_core_.get();
  }
  if (!deps_.technician) {
    TechnicianWorkerOptions t;
    t.store = deps_.store_options;
    t.config = deps_.config;
    t.clock = deps_.clock;
    t.version = deps_.version;
    own_technician_ = std::make_unique<TechnicianWorker>(std::move(t), *deps_.events);
    deps_.technician = own_technician_.get();
  }
  auto has_pin = StaffAuth(*deps_.store, *deps_.clock, PinPolicy{}, PinRole::kTechnician).HasPin();
  technician_pin_set_ = has_pin.ok() && *has_pin;
  if (deps_.first_boot) {
    citizen_.screen = ScreenId::kTechPin;  // not provisioned: the technician's first-boot screen
    Focus("tech.pin", InputKind::kDigits);
  }
  RefreshCallingBoard();
  return Status::Ok();
}

// ---- reading --------------------------------------------------------------------------------

std::string App::Value(const std::string& key) const {
  auto it = citizen_.session.values.find(key);
  return it == citizen_.session.values.end() ? std::string() : it->second;
}

std::string App::DisplayValue(const std::string& key) const {
  std::string v = Value(key);
  if (key == "staff.pin" || IsSecretPin(key)) {
    std::string dots;
    for (size_t i = 0; i < v.size(); ++i) dots += "• ";  // never the digits on screen
    return dots;
  }
  bool is_date = IsApplicantDate(key);
  if (const Procedure* p = procedure(); p && StartsWith(key, "fields.")) {
    const FormField* f = p->FindField(key.substr(7));
    is_date = f && f->type == FieldType::kDate;
  }
  if (!is_date) return v;
  // DD/MM/YYYY, slashes appearing as the digits are typed.
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i == 2 || i == 4) out += '/';
    out += v[i];
  }
  return out;
}

std::string App::ErrorFor(const std::string& key) const {
  auto it = citizen_.session.errors.find(key);
  if (it == citizen_.session.errors.end()) return {};
  if (strings().language() != Language::kEn) return it->second.first;
  std::string en = it->second.second;  // the validator's English is written for logs: capitalise
  if (!en.empty() && en[0] >= 'a' && en[0] <= 'z') en[0] = static_cast<char>(en[0] - 'a' + 'A');
  return en;
}

const Procedure* App::procedure() const {
  return catalog_.Find(citizen_.session.procedure_code);
}

std::vector<const Procedure*> App::VisibleProcedures() const {
  std::vector<const Procedure*> out;
  for (const Procedure* p : SearchProcedures(catalog_, Value("search"))) {
    if (citizen_.session.field_filter.empty() || p->field == citizen_.session.field_filter) out.push_back(p);
  }
  return out;
}

std::vector<std::string> App::Fields() const {
  std::vector<std::string> out;
  for (const auto& p : catalog_.procedures) {
    if (std::find(out.begin(), out.end(), p.field) == out.end()) out.push_back(p.field);
  }
  return out;
}

json App::BuildDossierBody() const {
  json applicant = json::object();
  for (const char* k : {"id_number", "full_name", "gender", "address", "phone"}) {
    std::string v = Value(std::string("applicant.") + k);
    if (!v.empty()) applicant[k] = v;
  }
  std::string dob = Value("applicant.date_of_birth");
  if (!dob.empty()) applicant["date_of_birth"] = DateDigitsToIso(dob);
  applicant["identity_source"] = IdentitySourceName(citizen_.session.identity_source);
  applicant["assurance"] = AssuranceName(citizen_.session.assurance);
  // For readers of the contract before `assurance`: true only for a chip verified end to end.
  applicant["chip_verified"] = citizen_.session.assurance == Assurance::kChipVerified;

  json fields = json::object();
  json documents = json::array();
  if (const Procedure* p = procedure()) {
    for (const auto& f : p->form) {
      const std::string v = Value("fields." + f.id);
      switch (f.type) {
        case FieldType::kCheckbox: fields[f.id] = v == "true"; break;
        case FieldType::kDate:
          if (!v.empty()) fields[f.id] = DateDigitsToIso(v);
          break;
        default:
          if (!v.empty()) fields[f.id] = v;
      }
    }
    for (const auto& d : p->documents) {
      auto it = citizen_.session.documents_presented.find(d.id);
      documents.push_back(
          {{"id", d.id}, {"presented_at_counter", it != citizen_.session.documents_presented.end() && it->second}});
      if (const DigitisedPaper* s = digitised(d.id)) documents.back()["digitised"] = {{"sha256", s->sha256}, {"pages", s->pages.size()}};
    }
  }
  return json{{"procedure_code", citizen_.session.procedure_code},
              {"channel", "kiosk"},
              {"applicant", applicant},
              {"fields", fields},
              {"documents", documents}};
}

// ---- intents --------------------------------------------------------------------------------

void App::Go(ScreenId s) {
  if (s == citizen_.screen) return;
  Unfocus();
  citizen_.history.push_back(citizen_.screen);
  citizen_.screen = s;
  citizen_.notice.clear();
}

void App::Apply(const Intent& intent) {
  inactivity_.Touch();
  const ScreenId before = citizen_.screen;
  const std::vector<std::string> errors_before = ErrorKeys();
  const std::string focused_before = citizen_.focused_key;
  to_say_.clear();
  std::visit(
      [this](const auto& in) {
        using T = std::decay_t<decltype(in)>;
        // The one staff guard: a staff intent acts only in unlocked staff mode, on its own screen.
        if constexpr (StaffIntent<T>) {
          if (!desk_.unlocked || citizen_.screen != T::kScreen) return;
        }
        // The one technician guard, likewise.
        if constexpr (TechnicianIntent<T>) {
          if (!tech_.unlocked || citizen_.screen != T::kTechScreen) return;
        }
        On(in);
      },
      intent);
  // A field newly focused (by a tap, or by the screen itself): its label and help, voice on.
  if (!citizen_.focused_key.empty() && citizen_.focused_key != focused_before) SpeakFieldHelp(citizen_.focused_key);
  FinishSpeech(before, errors_before);
  RefreshCallingBoard();
}

bool App::busy() const {
  return citizen_.submit_request != 0 || citizen_.ticket_request != 0 || citizen_.rating_request != 0 ||
         citizen_.help_request != 0 || desk_.dismiss_request != 0 ||
         desk_.pin_request != 0 || tech_.pin_request != 0 || tech_.provision_request != 0 ||
         desk_.decide_request != 0 || ticket_records_pending_ > 0;
}

// ---- the session ----------------------------------------------------------------------------

void App::On(const intent::Start&) {
  WipeSession();  // belt and braces: a session always starts empty
  inactivity_.StartSession();
  Go(ScreenId::kMenu);
  citizen_.history.clear();
}

void App::On(const intent::Go& in) {
  if ((in.screen == ScreenId::kStaff || in.screen == ScreenId::kStaffDossier) && !desk_.unlocked) return;
  if (IsTechnicianScreen(in.screen)) {
    GoTechnician(in.screen);  // the technician PIN screen, or a technician screen when unlocked
  } else if (in.screen == ScreenId::kStaffPin) {
    desk_.pin_message.clear();
    Go(ScreenId::kStaffPin);
    LoadOfficers();
    // With officers, the PIN field waits for a name to be picked (StaffPickOfficer).
    if (desk_.officers.empty()) Focus("staff.pin", InputKind::kDigits);
  } else if (in.screen == ScreenId::kRating && citizen_.session.rating_done) {
    Go(ScreenId::kThanks);
  } else {
    Go(in.screen);
  }
}

void App::On(const intent::Back&) {
  if (citizen_.screen == ScreenId::kScan) return LeaveScan();
  Unfocus();
  if (!citizen_.history.empty()) {
    citizen_.screen = citizen_.history.back();
    citizen_.history.pop_back();
  }
  if (citizen_.screen != ScreenId::kStaffDossier) CloseStaffDossier();
  if (citizen_.screen == ScreenId::kStaff && desk_.unlocked) RefreshStaff();  // back from a dossier
  if (!tech_.unlocked && IsTechnicianScreen(citizen_.screen) && citizen_.screen != ScreenId::kTechPin) {
    citizen_.screen = ScreenId::kAttract;  // never back into technician mode once it locked
    citizen_.history.clear();
  }
  citizen_.notice.clear();
}

void App::On(const intent::StartOver&) {
  SignOutOfficer("button");
  WipeSession();
}

void App::On(const intent::Focus& in) {
  if (in.key.empty()) {
    Unfocus();
  } else {
    // The screen never focuses a field filled from the card; an intent that does is an edit.
    if (citizen_.session.from_card.count(in.key)) DropCardClaim();
    Focus(in.key, in.input);
  }
}

void App::On(const intent::Backspace&) {
  if (citizen_.focused_key.empty()) return;
  if (citizen_.focused_input == InputKind::kText) {
    composer_->Backspace();
    citizen_.session.values[citizen_.focused_key] = composer_->Text();
  } else {
    std::string& v = citizen_.session.values[citizen_.focused_key];
    // Remove one code point (plain fields may hold letters typed on a physical keyboard).
    while (!v.empty() && (static_cast<unsigned char>(v.back()) & 0xC0) == 0x80) v.pop_back();
    if (!v.empty()) v.pop_back();
  }
  citizen_.session.errors.erase(citizen_.focused_key);
}

void App::On(const intent::SetValue& in) {
  Unfocus();
  if (citizen_.session.from_card.count(in.key) && Value(in.key) != in.value) DropCardClaim();
  citizen_.session.values[in.key] = in.value;
  ValidateKey(in.key);
}

void App::On(const intent::ToggleDocument& in) {
  citizen_.session.documents_presented[in.document_id] = !citizen_.session.documents_presented[in.document_id];
}

void App::On(const intent::IdentifyTyped&) {
  DropCardClaim();  // choosing to type (again) ends what an earlier card read claimed
  Go(ScreenId::kApplicant);
  Focus("applicant.id_number", InputKind::kDigits);
}

void App::On(const intent::IdentifyNoCard&) {
  On(intent::IdentifyTyped{});
}

void App::On(const intent::ReadChip&) {
  Unfocus();
  if (!deps_.card) {
    citizen_.card_read = JobState::kFailed;
    citizen_.card_message = "card.not_configured";
    return;
  }
  const std::string id = Value("applicant.id_number");
  const std::string dob = DateDigitsToIso(Value("applicant.date_of_birth"));
  if (id.size() != 12 || !ParseDate(dob)) {
    citizen_.card_read = JobState::kFailed;
    citizen_.card_message = "card.need_id_and_dob";
    return;
  }
  card::AccessKey key;
  key.can = id.substr(6);
  key.document_number = id.substr(3);
  key.date_of_birth = dob.substr(2, 2) + dob.substr(5, 2) + dob.substr(8, 2);
  citizen_.card_request = deps_.card->Read(key);
  citizen_.card_read = JobState::kRunning;
  citizen_.card_message = "card.reading";
}

void App::On(const intent::ApplicantDone&) {
  Unfocus();
  if (ValidateApplicant()) Go(ScreenId::kProcedure);
}

void App::On(const intent::FilterField& in) {
  citizen_.session.field_filter = in.field;
}

void App::On(const intent::ShowFields&) { citizen_.session.show_fields = true; }

void App::On(const intent::ChooseProcedure& in) {
  if (!catalog_.Find(in.code)) return;
  if (citizen_.session.procedure_code != in.code) {
    // Another procedure: its form starts empty.
    for (auto it = citizen_.session.values.begin(); it != citizen_.session.values.end();) {
      if (StartsWith(it->first, "fields.")) {
        SecureWipe(it->second);
        it = citizen_.session.values.erase(it);
      } else {
        ++it;
      }
    }
    citizen_.session.documents_presented.clear();
  }
  citizen_.session.procedure_code = in.code;
  // First what to bring, what it costs and how long it takes: nobody fills a form and then
  // learns they lack a paper.
  Go(ScreenId::kBeforeStart);
}

void App::On(const intent::BeforeStartDone&) {
  if (citizen_.screen == ScreenId::kBeforeStart && procedure()) Go(ScreenId::kForm);
}

void App::On(const intent::FormDone&) {
  Unfocus();
  if (ValidateForm()) Go(ScreenId::kDocuments);
}

void App::On(const intent::DocumentsDone&) {
  Go(ScreenId::kReview);
}

void App::On(const intent::SetScore& in) {
  citizen_.session.rating_scores[in.criterion] = in.score;
}

void App::On(const intent::SetLanguage& in) {
  deps_.strings->SetLanguage(in.language);
}

void App::On(const intent::ToggleLargeText&) {
  large_text_ = !large_text_;
}

void App::On(const intent::ToggleContrast&) {
  high_contrast_ = !high_contrast_;
}

void App::On(const intent::ToggleInputMethod&) {
  method_ = method_ == text::InputMethod::kTelex ? text::InputMethod::kVni : text::InputMethod::kTelex;
  composer_->SetMethod(method_);
}

void App::Focus(const std::string& key, InputKind kind) {
  if (key == citizen_.focused_key) return;
  Unfocus();
  citizen_.focused_key = key;
  citizen_.focused_input = kind;
  std::string& v = citizen_.session.values[key];
  v.reserve(128);  // fewer reallocations leaving unwiped copies of the text in freed memory
  if (kind == InputKind::kText) composer_->SetText(v);
}

void App::Unfocus() {
  if (citizen_.focused_key.empty()) return;
  const std::string key = citizen_.focused_key;
  citizen_.focused_key.clear();
  composer_->Clear();
  if (StartsWith(key, "applicant.") || StartsWith(key, "fields.")) ValidateKey(key);
}

void App::TypeKey(const std::string& utf8) {
  if (citizen_.focused_key.empty() || utf8.empty()) return;
  std::string& v = citizen_.session.values[citizen_.focused_key];
  citizen_.session.errors.erase(citizen_.focused_key);
  switch (citizen_.focused_input) {
    case InputKind::kText:
      composer_->Key(utf8);
      v = composer_->Text();
      break;
    case InputKind::kPlain:
      if (Utf8Length(v) < 254) v += utf8;
      break;
    case InputKind::kDigits:
      if (utf8.size() == 1 && utf8[0] >= '0' && utf8[0] <= '9' &&
          static_cast<int>(v.size()) < MaxDigitsFor(citizen_.focused_key)) {
        v += utf8;
      }
      break;
    case InputKind::kDate:
      if (utf8.size() == 1 && utf8[0] >= '0' && utf8[0] <= '9' && v.size() < 8) v += utf8;
      break;
  }
}

void App::SetError(const std::string& key, const std::string& vi, const std::string& en) {
  citizen_.session.errors[key] = {vi, en};
}

void App::ValidateKey(const std::string& key) {
  // Only judge a field the citizen has started on; the Next button judges the rest.
  citizen_.session.errors.erase(key);
  if (Value(key).empty()) return;
  auto v = ValidateDossier(catalog_, BuildDossierBody(), VietnamDate(deps_.clock->Now()));
  for (const auto& e : v.errors) {
    if (e.field == key) SetError(key, e.message_vi, e.message_en);
  }
}

bool App::ValidateApplicant() {
  auto v = ValidateDossier(catalog_, BuildDossierBody(), VietnamDate(deps_.clock->Now()));
  for (auto it = citizen_.session.errors.begin(); it != citizen_.session.errors.end();) {
    it = StartsWith(it->first, "applicant.") ? citizen_.session.errors.erase(it) : std::next(it);
  }
  bool ok = true;
  for (const auto& e : v.errors) {
    if (StartsWith(e.field, "applicant.")) {
      if (!citizen_.session.errors.count(e.field)) SetError(e.field, e.message_vi, e.message_en);
      ok = false;
    }
  }
  return ok;
}

bool App::ValidateForm() {
  auto v = ValidateDossier(catalog_, BuildDossierBody(), VietnamDate(deps_.clock->Now()));
  for (auto it = citizen_.session.errors.begin(); it != citizen_.session.errors.end();) {
    it = StartsWith(it->first, "fields.") ? citizen_.session.errors.erase(it) : std::next(it);
  }
  bool ok = true;
  for (const auto& e : v.errors) {
    if (StartsWith(e.field, "fields.")) {
      if (!citizen_.session.errors.count(e.field)) SetError(e.field, e.message_vi, e.message_en);
      ok = false;
    }
  }
  return ok;
}

}  // namespace mck::app
