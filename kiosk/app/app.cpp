#include "kiosk/app/app.h"

#include <iostream>

#include "kiosk/app/app_internal.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"
#include "offline/domain/validation.h"

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
    {ScreenId::kAttract, "attract"},     {ScreenId::kMenu, "menu"},
    {ScreenId::kIdentify, "identify"},   {ScreenId::kApplicant, "applicant"},
    {ScreenId::kProcedure, "procedure"}, {ScreenId::kForm, "form"},
    {ScreenId::kDocuments, "documents"}, {ScreenId::kReview, "review"},
    {ScreenId::kSubmitted, "submitted"}, {ScreenId::kLookup, "lookup"},
    {ScreenId::kTicket, "ticket"},       {ScreenId::kRating, "rating"},
    {ScreenId::kThanks, "thanks"},       {ScreenId::kStaffPin, "staff_pin"},
    {ScreenId::kStaff, "staff"},         {ScreenId::kStaffDossier, "staff_dossier"},
};

int MaxDigitsFor(const std::string& key) {
  if (key == "applicant.id_number" || key == "staff.pin") return 12;
  if (key == "applicant.phone") return 11;
  return 20;
}

bool IsApplicantDate(const std::string& key) {
  return key == "applicant.date_of_birth";
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

const std::vector<std::string>& RatingCriteria() {
  // vn-facts.md §7.1, the criteria a citizen can judge at the counter on the day.
  static const std::vector<std::string> kCriteria = {"overall", "convenience", "staff_attitude", "reception",
                                                     "transparency"};
  return kCriteria;
}

App::App(AppDeps deps)
    : deps_(deps),
      inactivity_(*deps.clock, std::chrono::seconds(deps.config->inactivity_timeout_s),
                  std::chrono::seconds(deps.config->inactivity_countdown_s)) {
  const auto style = deps_.config->tone_style == "old" ? text::ToneStyle::kOld : text::ToneStyle::kNew;
  composer_ = std::make_unique<text::Composer>(method_, style);
  large_text_ = deps_.config->large_text;
  deps_.strings->SetLanguage(deps_.config->language == "en" ? Language::kEn : Language::kVi);
}

App::~App() {
  WipeSession();
}

Status App::Init() {
  auto catalog = deps_.store->catalog().Load();
  if (!catalog.ok()) return catalog.status();
  catalog_ = std::move(catalog.value());
  return Status::Ok();
}

// ---- reading --------------------------------------------------------------------------------

std::string App::Value(const std::string& key) const {
  auto it = session_.values.find(key);
  return it == session_.values.end() ? std::string() : it->second;
}

std::string App::DisplayValue(const std::string& key) const {
  std::string v = Value(key);
  if (key == "staff.pin") {
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
  auto it = session_.errors.find(key);
  if (it == session_.errors.end()) return {};
  if (strings().language() != Language::kEn) return it->second.first;
  std::string en = it->second.second;  // the validator's English is written for logs: capitalise
  if (!en.empty() && en[0] >= 'a' && en[0] <= 'z') en[0] = static_cast<char>(en[0] - 'a' + 'A');
  return en;
}

const Procedure* App::procedure() const {
  return catalog_.Find(session_.procedure_code);
}

std::vector<const Procedure*> App::VisibleProcedures() const {
  std::vector<const Procedure*> out;
  for (const Procedure* p : SearchProcedures(catalog_, Value("search"))) {
    if (session_.field_filter.empty() || p->field == session_.field_filter) out.push_back(p);
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
  applicant["identity_source"] = IdentitySourceName(session_.identity_source);
  applicant["chip_verified"] = session_.chip_verified;

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
      auto it = session_.documents_presented.find(d.id);
      documents.push_back(
          {{"id", d.id}, {"presented_at_counter", it != session_.documents_presented.end() && it->second}});
    }
  }
  return json{{"procedure_code", session_.procedure_code},
              {"channel", "kiosk"},
              {"applicant", applicant},
              {"fields", fields},
              {"documents", documents}};
}

// ---- intents --------------------------------------------------------------------------------

void App::Go(ScreenId s) {
  if (s == screen_) return;
  Unfocus();
  history_.push_back(screen_);
  screen_ = s;
  notice_.clear();
}

void App::Apply(const Intent& in) {
  inactivity_.Touch();
  switch (in.kind) {
    case Intent::Kind::kStart:
      WipeSession();  // belt and braces: a session always starts empty
      inactivity_.StartSession();
      Go(ScreenId::kMenu);
      history_.clear();
      break;
    case Intent::Kind::kGo:
      if ((in.screen == ScreenId::kStaff || in.screen == ScreenId::kStaffDossier) && !staff_unlocked_) break;
      if (in.screen == ScreenId::kStaffPin) {
        pin_message_.clear();
        Go(ScreenId::kStaffPin);
        Focus("staff.pin", InputKind::kDigits);
      } else if (in.screen == ScreenId::kRating && session_.rating_done) {
        Go(ScreenId::kThanks);
      } else {
        Go(in.screen);
      }
      break;
    case Intent::Kind::kBack:
      Unfocus();
      if (!history_.empty()) {
        screen_ = history_.back();
        history_.pop_back();
      }
      if (screen_ != ScreenId::kStaffDossier) CloseStaffDossier();
      if (screen_ == ScreenId::kStaff && staff_unlocked_) RefreshStaff();  // back from a dossier
      notice_.clear();
      break;
    case Intent::Kind::kStartOver: WipeSession(); break;
    case Intent::Kind::kStillHere: break;  // the Touch above is the answer
    case Intent::Kind::kFocus:
      if (in.key.empty()) {
        Unfocus();
      } else {
        Focus(in.key, in.input);
      }
      break;
    case Intent::Kind::kKey: TypeKey(in.text); break;
    case Intent::Kind::kBackspace:
      if (focused_key_.empty()) break;
      if (focused_input_ == InputKind::kText) {
        composer_->Backspace();
        session_.values[focused_key_] = composer_->Text();
      } else {
        std::string& v = session_.values[focused_key_];
        // Remove one code point (plain fields may hold letters typed on a physical keyboard).
        while (!v.empty() && (static_cast<unsigned char>(v.back()) & 0xC0) == 0x80) v.pop_back();
        if (!v.empty()) v.pop_back();
      }
      session_.errors.erase(focused_key_);
      break;
    case Intent::Kind::kSetValue:
      Unfocus();
      session_.values[in.key] = in.text;
      ValidateKey(in.key);
      break;
    case Intent::Kind::kToggleDocument:
      session_.documents_presented[in.key] = !session_.documents_presented[in.key];
      break;
    case Intent::Kind::kIdentifyTyped:
    case Intent::Kind::kIdentifyNoCard:
      session_.identity_source = IdentitySource::kManual;
      session_.chip_verified = false;
      Go(ScreenId::kApplicant);
      Focus("applicant.id_number", InputKind::kDigits);
      break;
    case Intent::Kind::kReadChip: {
      Unfocus();
      if (!deps_.card) {
        card_read_ = JobState::kFailed;
        card_message_ = "card.not_configured";
        break;
      }
      const std::string id = Value("applicant.id_number");
      const std::string dob = DateDigitsToIso(Value("applicant.date_of_birth"));
      if (id.size() != 12 || !ParseDate(dob)) {
        card_read_ = JobState::kFailed;
        card_message_ = "card.need_id_and_dob";
        break;
      }
      card::AccessKey key;
      key.can = id.substr(6);
      key.document_number = id.substr(3);
      key.date_of_birth = dob.substr(2, 2) + dob.substr(5, 2) + dob.substr(8, 2);
      card_request_ = deps_.card->Read(key);
      card_read_ = JobState::kRunning;
      card_message_ = "card.reading";
      break;
    }
    case Intent::Kind::kApplicantDone:
      Unfocus();
      if (ValidateApplicant()) Go(ScreenId::kProcedure);
      break;
    case Intent::Kind::kFilterField: session_.field_filter = in.text; break;
    case Intent::Kind::kChooseProcedure:
      if (catalog_.Find(in.key)) {
        if (session_.procedure_code != in.key) {
          // Another procedure: its form starts empty.
          for (auto it = session_.values.begin(); it != session_.values.end();) {
            if (StartsWith(it->first, "fields.")) {
              SecureWipe(it->second);
              it = session_.values.erase(it);
            } else {
              ++it;
            }
          }
          session_.documents_presented.clear();
        }
        session_.procedure_code = in.key;
        Go(ScreenId::kForm);
      }
      break;
    case Intent::Kind::kFormDone:
      Unfocus();
      if (ValidateForm()) Go(ScreenId::kDocuments);
      break;
    case Intent::Kind::kDocumentsDone: Go(ScreenId::kReview); break;
    case Intent::Kind::kSubmit: Submit(); break;
    case Intent::Kind::kReprintReceipt:
      if (session_.submitted && receipt_print_ != JobState::kRunning && deps_.printer) {
        ReceiptData r;
        r.commune_name = config().commune_name;
        r.provisional_code = session_.submitted->provisional_code;
        r.client_id = session_.submitted->client_id;
        if (const Procedure* p = procedure()) internal::FillReceiptProcedure(r, *p);
        r.applicant_name = Value("applicant.full_name");
        r.submitted_at = session_.submitted->submitted_at;
        receipt_job_ = deps_.printer->PrintReceipt(r);
        receipt_print_ = JobState::kRunning;
        receipt_error_.clear();
        receipt_detail_vi_.clear();
        receipt_detail_en_.clear();
      }
      break;
    case Intent::Kind::kLookup: DoLookup(); break;
    case Intent::Kind::kTakeTicket: StartTicket(in.key); break;
    case Intent::Kind::kSetScore: session_.rating_scores[in.key] = in.number; break;
    case Intent::Kind::kSubmitRating: DoRating(); break;
    case Intent::Kind::kSetLanguage: deps_.strings->SetLanguage(in.number == 1 ? Language::kEn : Language::kVi); break;
    case Intent::Kind::kToggleLargeText: large_text_ = !large_text_; break;
    case Intent::Kind::kStaffUnlock: StaffUnlock(); break;
    case Intent::Kind::kCallNext:
      if (staff_unlocked_ && screen_ == ScreenId::kStaff) CallNext(in.key);
      break;
    case Intent::Kind::kStaffReprintReceipt:
      if (staff_unlocked_ && screen_ == ScreenId::kStaff) StaffReprintReceipt(in.key);
      break;
    case Intent::Kind::kStaffReprintTicket:
      if (staff_unlocked_ && screen_ == ScreenId::kStaff) StaffReprintTicket(in.number);
      break;
    case Intent::Kind::kStaffOpenDossier:
      if (staff_unlocked_ && screen_ == ScreenId::kStaff) StaffOpenDossier(in.key);
      break;
    case Intent::Kind::kStaffTogglePaper:
    case Intent::Kind::kStaffPaperForm:
      if (staff_unlocked_ && screen_ == ScreenId::kStaffDossier && staff_dossier_ && staff_dossier_->decided.empty()) {
        for (auto& p : staff_dossier_->papers) {
          if (p.id != in.key) continue;
          if (in.kind == Intent::Kind::kStaffTogglePaper) {
            p.received = !p.received;
          } else {
            p.form = p.form == "original" ? "certified_copy" : p.form == "certified_copy" ? "copy" : "original";
            p.received = true;  // choosing its form means the paper is there
          }
        }
      }
      break;
    case Intent::Kind::kStaffDecide:
      if (staff_unlocked_ && screen_ == ScreenId::kStaffDossier) StaffDecide(in.text);
      break;
    case Intent::Kind::kStaffSyncNow:
      if (staff_unlocked_ && screen_ == ScreenId::kStaff && enrolled()) {
        auto n = deps_.store->outbox().MakeDueNow();
        if (!n.ok()) std::cerr << "kiosk: send now: " << n.status().ToString() << "\n";
        if (deps_.sync_now) deps_.sync_now();
        staff_.called.clear();
        staff_.message_key = "staff.sync_started";
        staff_.message_arg.clear();
        staff_.reprint = JobState::kNone;
      }
      break;
    case Intent::Kind::kStaffPrintOfficial:
      if (staff_unlocked_ && screen_ == ScreenId::kStaffDossier) StaffPrintOfficial();
      break;
    case Intent::Kind::kStaffRequeue:
      if (staff_unlocked_ && screen_ == ScreenId::kStaffDossier) StaffRequeue();
      break;
    case Intent::Kind::kToggleInputMethod:
      method_ = method_ == text::InputMethod::kTelex ? text::InputMethod::kVni : text::InputMethod::kTelex;
      composer_->SetMethod(method_);
      break;
  }
}

void App::Focus(const std::string& key, InputKind kind) {
  if (key == focused_key_) return;
  Unfocus();
  focused_key_ = key;
  focused_input_ = kind;
  std::string& v = session_.values[key];
  v.reserve(128);  // fewer reallocations leaving unwiped copies of the text in freed memory
  if (kind == InputKind::kText) composer_->SetText(v);
}

void App::Unfocus() {
  if (focused_key_.empty()) return;
  const std::string key = focused_key_;
  focused_key_.clear();
  composer_->Clear();
  if (StartsWith(key, "applicant.") || StartsWith(key, "fields.")) ValidateKey(key);
}

void App::TypeKey(const std::string& utf8) {
  if (focused_key_.empty() || utf8.empty()) return;
  std::string& v = session_.values[focused_key_];
  session_.errors.erase(focused_key_);
  switch (focused_input_) {
    case InputKind::kText:
      composer_->Key(utf8);
      v = composer_->Text();
      break;
    case InputKind::kPlain:
      if (Utf8Length(v) < 254) v += utf8;
      break;
    case InputKind::kDigits:
      if (utf8.size() == 1 && utf8[0] >= '0' && utf8[0] <= '9' &&
          static_cast<int>(v.size()) < MaxDigitsFor(focused_key_)) {
        v += utf8;
      }
      break;
    case InputKind::kDate:
      if (utf8.size() == 1 && utf8[0] >= '0' && utf8[0] <= '9' && v.size() < 8) v += utf8;
      break;
  }
}

void App::SetError(const std::string& key, const std::string& vi, const std::string& en) {
  session_.errors[key] = {vi, en};
}

void App::ValidateKey(const std::string& key) {
  // Only judge a field the citizen has started on; the Next button judges the rest.
  session_.errors.erase(key);
  if (Value(key).empty()) return;
  auto v = ValidateDossier(catalog_, BuildDossierBody(), VietnamDate(deps_.clock->Now()));
  for (const auto& e : v.errors) {
    if (e.field == key) SetError(key, e.message_vi, e.message_en);
  }
}

bool App::ValidateApplicant() {
  auto v = ValidateDossier(catalog_, BuildDossierBody(), VietnamDate(deps_.clock->Now()));
  for (auto it = session_.errors.begin(); it != session_.errors.end();) {
    it = StartsWith(it->first, "applicant.") ? session_.errors.erase(it) : std::next(it);
  }
  bool ok = true;
  for (const auto& e : v.errors) {
    if (StartsWith(e.field, "applicant.")) {
      if (!session_.errors.count(e.field)) SetError(e.field, e.message_vi, e.message_en);
      ok = false;
    }
  }
  return ok;
}

bool App::ValidateForm() {
  auto v = ValidateDossier(catalog_, BuildDossierBody(), VietnamDate(deps_.clock->Now()));
  for (auto it = session_.errors.begin(); it != session_.errors.end();) {
    it = StartsWith(it->first, "fields.") ? session_.errors.erase(it) : std::next(it);
  }
  bool ok = true;
  for (const auto& e : v.errors) {
    if (StartsWith(e.field, "fields.")) {
      if (!session_.errors.count(e.field)) SetError(e.field, e.message_vi, e.message_en);
      ok = false;
    }
  }
  return ok;
}

}  // namespace mck::app
