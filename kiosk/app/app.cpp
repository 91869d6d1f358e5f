#include "app.h"

#include <algorithm>
#include <iostream>

#include "ids.h"
#include "qr.h"
#include "store/staff_auth.h"
#include "utf8.h"
#include "validation.h"

namespace mck::app {
namespace {

using nlohmann::json;

struct ScreenNameEntry {
  ScreenId id;
  const char* name;
};
constexpr ScreenNameEntry kScreenNames[] = {
    {ScreenId::kAttract, "attract"},     {ScreenId::kMenu, "menu"},         {ScreenId::kIdentify, "identify"},
    {ScreenId::kApplicant, "applicant"}, {ScreenId::kProcedure, "procedure"}, {ScreenId::kForm, "form"},
    {ScreenId::kDocuments, "documents"}, {ScreenId::kReview, "review"},     {ScreenId::kSubmitted, "submitted"},
    {ScreenId::kLookup, "lookup"},       {ScreenId::kTicket, "ticket"},     {ScreenId::kRating, "rating"},
    {ScreenId::kThanks, "thanks"},       {ScreenId::kStaffPin, "staff_pin"}, {ScreenId::kStaff, "staff"},
};

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// DDMMYYYY (as typed on the pad) → YYYY-MM-DD; anything else is passed on unchanged so that
// validation reports it as an invalid date.
std::string DateDigitsToIso(const std::string& d) {
  if (d.size() != 8 || !std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; })) return d;
  return d.substr(4, 4) + "-" + d.substr(2, 2) + "-" + d.substr(0, 2);
}

std::string IsoToDateDigits(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return {};
  return iso.substr(8, 2) + iso.substr(5, 2) + iso.substr(0, 4);
}

int MaxDigitsFor(const std::string& key) {
  if (key == "applicant.id_number" || key == "staff.pin") return 12;
  if (key == "applicant.phone") return 11;
  return 20;
}

bool IsApplicantDate(const std::string& key) { return key == "applicant.date_of_birth"; }

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

App::~App() { WipeSession(); }

Status App::Init() {
  auto catalog = deps_.store->LoadCatalog();
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

const Procedure* App::procedure() const { return catalog_.Find(session_.procedure_code); }

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
        case FieldType::kCheckbox:
          fields[f.id] = v == "true";
          break;
        case FieldType::kDate:
          if (!v.empty()) fields[f.id] = DateDigitsToIso(v);
          break;
        default:
          if (!v.empty()) fields[f.id] = v;
      }
    }
    for (const auto& d : p->documents) {
      auto it = session_.documents_presented.find(d.id);
      documents.push_back({{"id", d.id}, {"presented_at_counter", it != session_.documents_presented.end() && it->second}});
    }
  }
  return json{{"procedure_code", session_.procedure_code}, {"channel", "kiosk"}, {"applicant", applicant},
              {"fields", fields}, {"documents", documents}};
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
      if (in.screen == ScreenId::kStaff && !staff_unlocked_) break;  // only through the PIN
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
      notice_.clear();
      break;
    case Intent::Kind::kStartOver:
      WipeSession();
      break;
    case Intent::Kind::kStillHere:
      break;  // the Touch above is the answer
    case Intent::Kind::kFocus:
      if (in.key.empty()) {
        Unfocus();
      } else {
        Focus(in.key, in.input);
      }
      break;
    case Intent::Kind::kKey:
      TypeKey(in.text);
      break;
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
    case Intent::Kind::kFilterField:
      session_.field_filter = in.text;
      break;
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
    case Intent::Kind::kDocumentsDone:
      Go(ScreenId::kReview);
      break;
    case Intent::Kind::kSubmit:
      Submit();
      break;
    case Intent::Kind::kReprintReceipt:
      if (session_.submitted && receipt_print_ != JobState::kRunning && deps_.printer) {
        ReceiptData r;
        r.commune_name = config().commune_name;
        r.provisional_code = session_.submitted->provisional_code;
        r.client_id = session_.submitted->client_id;
        if (const Procedure* p = procedure()) {
          r.procedure_code = p->code;
          r.procedure_name = p->name;
          r.processing_days = p->processing_days;
          r.field = p->field;
          r.counter = p->counter;
          r.fee_vnd = p->fee_vnd;
          for (const auto& d : p->documents) {
            if (d.required) r.documents_to_present.push_back(d.name);
          }
        }
        r.applicant_name = Value("applicant.full_name");
        r.submitted_at = session_.submitted->submitted_at;
        receipt_job_ = deps_.printer->PrintReceipt(r);
        receipt_print_ = JobState::kRunning;
        receipt_error_.clear();
        receipt_detail_vi_.clear();
        receipt_detail_en_.clear();
      }
      break;
    case Intent::Kind::kLookup:
      DoLookup();
      break;
    case Intent::Kind::kTakeTicket:
      StartTicket(in.key);
      break;
    case Intent::Kind::kSetScore:
      session_.rating_scores[in.key] = in.number;
      break;
    case Intent::Kind::kSubmitRating:
      DoRating();
      break;
    case Intent::Kind::kSetLanguage:
      deps_.strings->SetLanguage(in.number == 1 ? Language::kEn : Language::kVi);
      break;
    case Intent::Kind::kToggleLargeText:
      large_text_ = !large_text_;
      break;
    case Intent::Kind::kStaffUnlock:
      StaffUnlock();
      break;
    case Intent::Kind::kCallNext:
      if (staff_unlocked_ && screen_ == ScreenId::kStaff) CallNext(in.key);
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
      if (utf8.size() == 1 && utf8[0] >= '0' && utf8[0] <= '9' && static_cast<int>(v.size()) < MaxDigitsFor(focused_key_)) {
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

void App::Submit() {
  if (session_.submitted) return;  // a second tap never makes a second dossier
  auto v = ValidateDossier(catalog_, BuildDossierBody(), VietnamDate(deps_.clock->Now()));
  if (!v.ok()) {
    // Send the citizen back to the first screen with a problem, messages under the fields.
    bool applicant_bad = false;
    for (const auto& e : v.errors) applicant_bad = applicant_bad || StartsWith(e.field, "applicant.");
    ValidateApplicant();
    ValidateForm();
    Go(applicant_bad ? ScreenId::kApplicant : ScreenId::kForm);
    notice_ = "review.fix_errors";
    return;
  }
  auto stored = deps_.store->SubmitDossier(v.body, {}, catalog_.version);
  if (!stored.ok()) {
    std::cerr << "kiosk: submit failed: " << stored.status().ToString() << "\n";
    notice_ = "submit.failed";
    return;
  }
  // Durable now: only from here may the screen say "Đã nộp hồ sơ".
  session_.submitted = stored.value();
  Go(ScreenId::kSubmitted);
  history_.clear();  // no way back into an already submitted dossier
  if (!deps_.printer) {
    receipt_print_ = JobState::kFailed;
    receipt_error_ = "printer.not_configured";
    return;
  }
  Apply(Intent{Intent::Kind::kReprintReceipt});
}

void App::StartTicket(const std::string& counter) {
  ticket_.reset();
  TicketView view;
  view.counter = counter;
  for (const auto& p : catalog_.procedures) {
    if (p.counter == counter) {
      view.counter_name = p.field;
      break;
    }
  }
  if (!deps_.printer) {
    // A number is issued only when it is printed: without a printer there is none to give.
    view.print = JobState::kFailed;
    view.error_key = "printer.not_configured";
    ticket_ = view;
    return;
  }
  auto waiting = deps_.store->WaitingTickets(counter);
  std::optional<std::string> linked;
  if (session_.submitted) linked = session_.submitted->client_id;
  auto t = deps_.store->ReserveTicket(counter, linked);
  if (!t.ok()) {
    std::cerr << "kiosk: ticket reservation failed: " << t.status().ToString() << "\n";
    view.print = JobState::kFailed;
    view.error_key = "ticket.failed";
    ticket_ = view;
    return;
  }
  view.number = t->number;
  view.waiting_before = waiting.ok() ? *waiting : 0;
  view.print = JobState::kRunning;
  TicketData data;
  data.commune_name = config().commune_name;
  data.counter = counter;
  data.counter_name = view.counter_name;
  data.number = t->number;
  data.waiting_before = view.waiting_before;
  data.issued_at = t->issued_at;
  if (session_.submitted) data.provisional_code = session_.submitted->provisional_code;
  ticket_id_ = t->id;
  ticket_job_ = deps_.printer->PrintTicket(data);
  ticket_ = view;
}

void App::DoLookup() {
  Unfocus();
  lookup_ = LookupView{};
  lookup_.searched = true;
  std::string code = Trim(Value("lookup"));
  for (auto& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (IsUuid(Trim(Value("lookup")))) code = Trim(Value("lookup"));  // a QR carries the client id
  if (code.empty()) {
    lookup_.error_key = "lookup.empty";
    return;
  }
  auto rec = deps_.store->GetDossier(code);
  if (!rec.ok()) {
    lookup_.error_key = rec.status().code() == Code::kNotFound ? "lookup.not_found" : "lookup.failed";
    if (rec.status().code() != Code::kNotFound) std::cerr << "kiosk: lookup: " << rec.status().ToString() << "\n";
    return;
  }
  lookup_.found = true;
  lookup_.provisional_code = rec->provisional_code;
  lookup_.dossier_code = rec->dossier_code.value_or("");
  const Procedure* p = catalog_.Find(rec->procedure_code);
  lookup_.procedure_name = p ? p->name : rec->procedure_code;
  lookup_.state = DossierStateName(rec->state);
  lookup_.portal_status = rec->portal_status.value_or("");
  lookup_.appointment_date = rec->appointment_date.value_or("");
  lookup_.submitted_at = rec->submitted_at;
  if (deps_.portal) {
    // The portal knows it by its official code once accepted, and by its client id before.
    lookup_request_ = deps_.portal->Lookup(rec->dossier_code.value_or(rec->client_id));
    lookup_.portal = JobState::kRunning;
  }
}

void App::DoRating() {
  if (session_.rating_scores.empty()) {
    notice_ = "rating.choose_one";
    return;
  }
  Rating r;
  if (session_.submitted) r.dossier_code = session_.submitted->provisional_code;
  if (const Procedure* p = procedure()) r.counter = p->counter;
  r.scores = json::object();
  for (const auto& [k, v] : session_.rating_scores) r.scores[k] = v;
  r.comment = Trim(Value("rating.comment"));
  auto key = deps_.store->SubmitRating(r);
  SecureWipe(r.comment);
  if (!key.ok()) {
    std::cerr << "kiosk: rating not stored: " << key.status().ToString() << "\n";
    notice_ = "rating.failed";
    return;
  }
  session_.rating_done = true;
  Go(ScreenId::kThanks);
}

void App::ApplyIdentity(const card::Identity& id) {
  auto set = [&](const char* key, const std::string& v) {
    if (v.empty()) return;
    session_.values[key] = v;
    session_.from_card[key] = true;
    session_.errors.erase(key);
  };
  set("applicant.id_number", id.id_number);
  set("applicant.full_name", id.full_name);
  if (id.date_of_birth) set("applicant.date_of_birth", IsoToDateDigits(*id.date_of_birth));
  if (id.gender) set("applicant.gender", *id.gender);
  if (id.place_of_residence) set("applicant.address", *id.place_of_residence);
  session_.identity_source = id.source == "chip" ? IdentitySource::kChip : IdentitySource::kQr;
  session_.chip_verified = id.source == "chip" && id.chip_verified;
}

// ---- staff mode -----------------------------------------------------------------------------

void App::StaffUnlock() {
  Unfocus();
  std::string pin = Value("staff.pin");
  if (auto it = session_.values.find("staff.pin"); it != session_.values.end()) SecureWipe(it->second);
  PinPolicy policy;
  policy.max_attempts = config().pin_max_attempts;
  policy.lockout = std::chrono::seconds(config().pin_lockout_s);
  // PBKDF2 (~0.1 s) on the UI thread: a deliberate pause on a staff action, not a citizen's.
  StaffAuth auth(*deps_.store, *deps_.clock, policy);
  auto r = auth.Verify(pin);
  SecureWipe(pin);
  if (!r.ok()) {
    std::cerr << "kiosk: staff PIN check failed: " << r.status().ToString() << "\n";
    pin_message_ = "staff.pin_error";
  } else if (r->check == PinCheck::kOk) {
    staff_unlocked_ = true;
    pin_message_.clear();
    Go(ScreenId::kStaff);
    history_.clear();
    RefreshStaff();
    return;
  } else if (r->check == PinCheck::kWrong) {
    pin_message_ = "staff.pin_wrong";
    pin_message_number_ = r->attempts_left;
  } else if (r->check == PinCheck::kLocked) {
    pin_message_ = "staff.pin_locked";
    pin_message_number_ = static_cast<int>((r->locked_for_s + 59) / 60);
  } else {
    pin_message_ = "staff.pin_not_set";
  }
  Focus("staff.pin", InputKind::kDigits);
}

void App::RefreshStaff() {
  std::string called = staff_.called;
  std::string message = staff_.message_key;
  staff_ = StaffView{};
  staff_.called = called;
  staff_.message_key = message;
  for (const auto& c : catalog_.Counters()) {
    StaffView::Counter row;
    row.counter = c;
    for (const auto& p : catalog_.procedures) {
      if (p.counter == c && row.name.find(p.field) == std::string::npos) row.name += (row.name.empty() ? "" : ", ") + p.field;
    }
    auto w = deps_.store->WaitingTickets(c);
    row.waiting = w.ok() ? *w : 0;
    staff_.counters.push_back(row);
  }
  auto list = deps_.store->ListDossiers();
  if (list.ok()) {
    for (auto& d : *list) {
      if (d.state != DossierState::kAccepted) staff_.dossiers.push_back(std::move(d));
    }
  }
}

void App::CallNext(const std::string& counter) {
  auto t = deps_.store->CallNextTicket(counter);
  staff_.called.clear();
  staff_.message_key.clear();
  if (t.ok()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s-%03d", t->counter.c_str(), t->number);
    staff_.called = buf;
  } else if (t.status().code() == Code::kNotFound) {
    staff_.message_key = "staff.none_waiting";
  } else {
    std::cerr << "kiosk: call next: " << t.status().ToString() << "\n";
    staff_.message_key = "staff.call_failed";
  }
  RefreshStaff();
}

// ---- events and time ------------------------------------------------------------------------

void App::OnEvent(const UiEvent& event) {
  if (const auto* p = std::get_if<PrintFinished>(&event)) {
    if (p->kind == PrintJobKind::kTicket && p->job_id == ticket_job_ && ticket_id_ != 0) {
      // Recorded even when the citizen has already left: the ticket's state is the counter's.
      const bool ok = p->status.ok();
      Status st = deps_.store->SetTicketState(ticket_id_, ok ? "issued" : "print_failed");
      if (!st.ok()) std::cerr << "kiosk: ticket state: " << st.ToString() << "\n";
      if (!ok) std::cerr << "kiosk: ticket print failed: " << p->status.ToString() << "\n";
      if (ticket_) {
        ticket_->print = ok ? JobState::kDone : JobState::kFailed;
        if (!ok) {
          ticket_->error_key = "ticket.print_failed";
          ticket_->detail_vi = p->status.message_vi();
          ticket_->detail_en = p->status.message_en();
        }
      }
      ticket_id_ = 0;
      ticket_job_ = 0;
    } else if (p->kind == PrintJobKind::kReceipt && p->job_id == receipt_job_) {
      receipt_print_ = p->status.ok() ? JobState::kDone : JobState::kFailed;
      receipt_error_ = p->status.ok() ? "" : "receipt.print_failed";
      receipt_detail_vi_ = p->status.ok() ? "" : p->status.message_vi();
      receipt_detail_en_ = p->status.ok() ? "" : p->status.message_en();
      if (!p->status.ok()) std::cerr << "kiosk: receipt print failed: " << p->status.ToString() << "\n";
    }
  } else if (const auto* c = std::get_if<CardPresence>(&event)) {
    card_present_ = c->present;
    if (c->present) inactivity_.Touch();
    if (!c->present && card_read_ == JobState::kRunning) card_message_ = "card.removed";
  } else if (const auto* r = std::get_if<CardReadFinished>(&event)) {
    if (r->request_id != card_request_ || card_read_ != JobState::kRunning) return;  // an abandoned read
    inactivity_.Touch();
    if (r->identity && r->status.ok()) {
      ApplyIdentity(*r->identity);
      card_read_ = JobState::kDone;
      card_message_ = "card.read_ok";
    } else {
      card_read_ = JobState::kFailed;
      card_message_ = r->status.code() == Code::kUnavailable ? "card.removed_mid_read"
                      : r->status.code() == Code::kRejected ? "card.wrong_key"
                                                            : "card.read_failed";
      std::cerr << "kiosk: card read failed: " << r->status.ToString() << "\n";
    }
  } else if (const auto* l = std::get_if<PortalLookupFinished>(&event)) {
    if (l->request_id != lookup_request_ || lookup_.portal != JobState::kRunning) return;
    if (l->result.ok()) {
      lookup_.portal = JobState::kDone;
      if (l->status) lookup_.portal_status = *l->status;
      if (l->status_text) lookup_.portal_status_text = *l->status_text;
      if (l->appointment_date && !l->appointment_date->empty()) lookup_.appointment_date = *l->appointment_date;
    } else {
      // Portal unreachable or the dossier not there yet: irrelevant to the citizen (it is
      // queued); the screen keeps the local state and says nothing alarming.
      lookup_.portal = JobState::kFailed;
      std::cerr << "kiosk: portal look-up: " << l->result.ToString() << "\n";
    }
  } else if (const auto* q = std::get_if<QrScanned>(&event)) {
    inactivity_.Touch();
    if (screen_ == ScreenId::kLookup) {
      session_.values["lookup"] = q->payload;
      DoLookup();
    } else if (screen_ == ScreenId::kIdentify || screen_ == ScreenId::kApplicant) {
      if (session_.identity_source == IdentitySource::kChip) return;  // the chip already spoke
      auto id = card::ParseCccdQr(q->payload);
      if (!id.ok()) {
        card_read_ = JobState::kFailed;
        card_message_ = "card.qr_unknown";
        std::cerr << "kiosk: QR not a citizen ID card: " << id.status().message_en() << "\n";
        if (screen_ == ScreenId::kIdentify) Go(ScreenId::kApplicant);
        return;
      }
      if (screen_ == ScreenId::kIdentify) Go(ScreenId::kApplicant);
      ApplyIdentity(*id);
      card_read_ = JobState::kNone;
      card_message_ = deps_.card ? "card.qr_ok_lay_card" : "card.qr_ok";
      SecureWipe(id->full_name);
    }
  }
}

void App::Tick() {
  if (inactivity_.Poll() == InactivityTimer::Phase::kExpired) WipeSession();
}

void App::WipeSession() {
  if (deps_.card && card_read_ == JobState::kRunning) deps_.card->Cancel();
  Unfocus();
  session_.Wipe();
  composer_->Clear();
  lookup_ = LookupView{};
  lookup_request_ = 0;
  ticket_.reset();
  card_read_ = JobState::kNone;
  card_message_.clear();
  card_request_ = 0;
  receipt_print_ = JobState::kNone;
  receipt_job_ = 0;
  receipt_error_.clear();
  receipt_detail_vi_.clear();
  receipt_detail_en_.clear();
  notice_.clear();
  history_.clear();
  screen_ = ScreenId::kAttract;
  large_text_ = deps_.config->large_text;
  deps_.strings->SetLanguage(deps_.config->language == "en" ? Language::kEn : Language::kVi);
  method_ = text::InputMethod::kTelex;
  composer_->SetMethod(method_);
  staff_unlocked_ = false;  // staff mode locks with the session
  staff_ = StaffView{};
  pin_message_.clear();
  if (inactivity_.in_session()) ++sessions_wiped_;
  inactivity_.EndSession();
}

}  // namespace mck::app
