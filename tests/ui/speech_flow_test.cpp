// Read-aloud in the App (issue 14, docs/speech.md; kiosk/app/app_speech.cpp): what the kiosk says
// and when it stops, through a whole citizen flow. The SpeechService here records every
// utterance and every stop, and passes them on to the REAL SpeechWorker (espeak-ng) with a sink
// that keeps the samples, so what the App asks is also synthesised. Checked: the instruction of
// the screen on "Nghe hướng dẫn", field labels and errors once the voice is on, a stop on every
// screen change, StartOver and the inactivity wipe, and the citizen's name, ID number and date of
// birth never given to the worker except by the review screen's read back.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>

#include "drivers/speech/speech.h"
#include "kiosk/app/app.h"
#include "offline/store/staff_auth.h"
#include "tests/ui/app_fixture.h"

using namespace mck;
using namespace mck::app;
using namespace std::chrono_literals;

namespace {

// Keeps what the worker makes, utterance by utterance.
class KeepSink : public speech::SpeechSink {
 public:
  void Begin(uint64_t id, int) override {
    std::lock_guard<std::mutex> lock(mu_);
    samples_[id];
  }
  void Samples(uint64_t id, const int16_t* s, size_t n) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto& v = samples_[id];
    v.insert(v.end(), s, s + n);
  }
  void End(uint64_t id, bool cancelled) override {
    std::lock_guard<std::mutex> lock(mu_);
    ended_[id] = cancelled;
    cv_.notify_all();
  }
  void Flush() override {
    std::lock_guard<std::mutex> lock(mu_);
    ++flushes_;
  }
  // Waits for the worker to finish `id` (no time is asserted: a generous bound against a hang).
  bool WaitEnd(uint64_t id, bool* cancelled) {
    std::unique_lock<std::mutex> lock(mu_);
    const bool ended = cv_.wait_for(lock, 60s, [&] { return ended_.count(id) > 0; });
    if (ended) *cancelled = ended_[id];
    return ended;
  }
  // After the worker is idle: whether `id` was said to its end (never started counts as not).
  bool Completed(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = ended_.find(id);
    return it != ended_.end() && !it->second;
  }
  std::vector<int16_t> SamplesOf(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    return samples_[id];
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, std::vector<int16_t>> samples_;
  std::map<uint64_t, bool> ended_;
  int flushes_ = 0;
};

struct Said {
  bool stop = false;
  Utterance u;
  uint64_t id = 0;
};

class RecordingSpeech : public SpeechService {
 public:
  RecordingSpeech() {
    auto w = speech::SpeechWorker::Start(speech::SpeechOptions{}, &sink);
    REQUIRE(w.ok());
    worker = std::move(w.value());
  }
  void Say(Utterance u) override {
    speech::SpeechOptions how;
    how.voice = u.voice;
    how.rate_wpm = u.rate_wpm;
    how.volume = u.volume;
    Said s{false, u, worker->Say(u.text, how)};
    log.push_back(std::move(s));
  }
  void Stop() override {
    worker->StopSpeaking();
    log.push_back(Said{true, {}, 0});
  }
  void Call(std::string text) override { calls.push_back(std::move(text)); }
  // The utterances since `from` (not the stops).
  std::vector<Said> SaysSince(size_t from) const {
    std::vector<Said> out;
    for (size_t i = from; i < log.size(); ++i) {
      if (!log[i].stop) out.push_back(log[i]);
    }
    return out;
  }
  bool LastIsStop() const { return !log.empty() && log.back().stop; }
  // Returns once the worker has done everything queued before (it runs one job at a time).
  void WaitIdle() { REQUIRE(worker->Synthesize("a").ok()); }

  KeepSink sink;  // before the worker: outlives it
  std::unique_ptr<speech::SpeechWorker> worker;
  std::vector<Said> log;
  std::vector<std::string> calls;  // the calling display's calls (their words)
};

struct SpeechFixture : uitest::AppDriver {
  std::filesystem::path dir = uitest::MakeTempDir("mck-speech-ui");
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  std::unique_ptr<Store> store;
  Strings strings;
  RecordingSpeech voice;

  explicit SpeechFixture(const std::string& technician_pin = "") {
    uitest::SetTestConfig(config, dir);
    const StoreOptions so = uitest::TestStoreOptions(config, clock);
    store = uitest::OpenTestStore(so);
    if (!technician_pin.empty()) {
      REQUIRE(StaffAuth(*store, clock, PinPolicy{}, PinRole::kTechnician).SetPin(technician_pin).ok());
    }
    uitest::LoadTestStrings(strings);
    AppDeps deps = uitest::TestAppDeps(config, *store, clock, strings, events, so);
    deps.speech = &voice;
    StartApp(deps);
  }
  ~SpeechFixture() {
    app.reset();
    std::filesystem::remove_all(dir);
  }
  std::string Vi(const std::string& key) const { return strings.vi().at(key); }
  // The worker played utterance `id` to its end, audibly, and at least `min_samples` long (0: any
  // length). Returns its samples.
  std::vector<int16_t> PlayedWhole(uint64_t id, size_t min_samples = 0) {
    bool cancelled = true;
    REQUIRE(voice.sink.WaitEnd(id, &cancelled));
    CHECK_FALSE(cancelled);
    auto pcm = voice.sink.SamplesOf(id);
    CHECK(speech::Rms(pcm) > 1000);
    CHECK(pcm.size() > min_samples);
    return pcm;
  }
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("listen reads the screen's instruction with the real worker, and the voice stops on a screen change") {
  SpeechFixture f;
  f.Do(intent::Start{});
  REQUIRE(f.app->screen() == ScreenId::kMenu);
  CHECK_FALSE(f.app->voice_on());
  f.Do(intent::Listen{});
  CHECK(f.app->voice_on());
  auto says = f.voice.SaysSince(0);
  REQUIRE(says.size() == 1);
  CHECK(says[0].u.text == f.Vi("speak.menu"));
  CHECK(says[0].u.voice == "vi");
  CHECK(says[0].u.privacy == SpeechPrivacy::kPublic);
  // The worker said it to the end: audible, about as long as its text.
  f.PlayedWhole(says[0].id, 22050 * 3);  // 27 syllables: several seconds, not a click

  // Listen again, then a screen change: the App stops the voice (and the worker cuts it short).
  f.Do(intent::Listen{});
  const uint64_t second = f.voice.log.back().id;
  f.Go(ScreenId::kIdentify);
  CHECK(f.voice.LastIsStop());
  f.voice.WaitIdle();
  CHECK_FALSE(f.voice.sink.Completed(second));  // cut short, or never started
  // Back is a screen change too.
  f.Do(intent::Listen{});
  CHECK(f.voice.log.back().u.text == f.Vi("speak.identify"));
  f.Do(intent::Back{});
  CHECK(f.voice.LastIsStop());
  // English: the instruction in English, espeak-ng's English voice.
  f.Do(intent::SetLanguage{Language::kEn});
  f.Do(intent::Listen{});
  CHECK(f.voice.log.back().u.text == f.strings.en().at("speak.menu"));
  CHECK(f.voice.log.back().u.voice == "en");
  const uint64_t english = f.voice.log.back().id;
  f.voice.WaitIdle();
  CHECK(f.voice.sink.Completed(english));  // the voice exists and said it
  CHECK(speech::Rms(f.voice.sink.SamplesOf(english)) > 1000);
}

TEST_CASE("listen on the attract screen says what the kiosk is for and how to start, without turning the voice on") {
  SpeechFixture f;
  REQUIRE(f.app->screen() == ScreenId::kAttract);
  f.Do(intent::Listen{});
  auto says = f.voice.SaysSince(0);
  REQUIRE(says.size() == 1);
  // The test config's QR scanner is the keyboard wedge: the card's QR is said to start a submission.
  CHECK(says[0].u.text == f.Vi("speak.attract") + " " + f.Vi("speak.attract_card"));
  CHECK(Contains(says[0].u.text, "nộp hồ sơ"));
  CHECK(Contains(says[0].u.text, "chạm vào màn hình"));
  CHECK(says[0].u.privacy == SpeechPrivacy::kPublic);
  f.PlayedWhole(says[0].id, 22050 * 5);  // 38 syllables
  // No session to end it: the voice is not left on for whoever comes next.
  CHECK_FALSE(f.app->voice_on());
  // Starting is a screen change: the voice stops.
  f.Do(intent::Listen{});
  f.Do(intent::Start{});
  REQUIRE(f.app->screen() == ScreenId::kMenu);
  CHECK(f.voice.LastIsStop());
  CHECK_FALSE(f.app->voice_on());
}

TEST_CASE("the inactivity countdown is read aloud once when the citizen turned the voice on, and not otherwise") {
  SpeechFixture f;
  f.Do(intent::Start{});
  f.Go(ScreenId::kIdentify);
  f.Do(intent::Listen{});
  REQUIRE(f.app->voice_on());
  f.voice.WaitIdle();
  const size_t before = f.voice.log.size();
  // Idle past the timeout: the "are you still there?" overlay, and its words said (a catalog text).
  f.clock.Advance(std::chrono::seconds(f.config.inactivity_timeout_s + 1));
  f.app->Tick();
  REQUIRE(f.app->countdown_showing());
  auto says = f.voice.SaysSince(before);
  REQUIRE(says.size() == 1);
  CHECK(says[0].u.text == f.Vi("speak.still_there"));
  CHECK(says[0].u.privacy == SpeechPrivacy::kPublic);
  f.PlayedWhole(says[0].id, 22050 * 3);  // 23 syllables: seconds of speech, not a click
  // Once per countdown: the frames that tick its number do not repeat it.
  f.clock.Advance(1s);
  f.app->Tick();
  f.app->Tick();
  CHECK(f.voice.SaysSince(before).size() == 1);
  // A touch keeps the session and silences it; the next countdown is said again.
  f.Do(intent::StillHere{});
  REQUIRE_FALSE(f.app->countdown_showing());
  CHECK(f.voice.LastIsStop());
  f.app->Tick();
  f.clock.Advance(std::chrono::seconds(f.config.inactivity_timeout_s + 1));
  f.app->Tick();
  REQUIRE(f.app->countdown_showing());
  CHECK(f.voice.SaysSince(before).size() == 2);
  CHECK(f.voice.log.back().u.text == f.Vi("speak.still_there"));
  // At zero the session is wiped and the voice stops.
  f.clock.Advance(std::chrono::seconds(f.config.inactivity_countdown_s + 1));
  f.app->Tick();
  REQUIRE(f.app->screen() == ScreenId::kAttract);
  CHECK(f.voice.LastIsStop());

  // Without the voice turned on, the countdown is silent.
  f.Do(intent::Start{});
  REQUIRE_FALSE(f.app->voice_on());
  const size_t quiet = f.voice.log.size();
  f.clock.Advance(std::chrono::seconds(f.config.inactivity_timeout_s + 1));
  f.app->Tick();
  REQUIRE(f.app->countdown_showing());
  CHECK(f.voice.SaysSince(quiet).empty());
}

TEST_CASE("the voice stops and turns off on StartOver, on the inactivity wipe, and in staff mode") {
  SpeechFixture f;
  f.Do(intent::Start{});
  f.Do(intent::Listen{});
  f.Do(intent::StartOver{});
  CHECK(f.voice.LastIsStop());
  CHECK_FALSE(f.app->voice_on());  // the next citizen starts without the voice

  f.Do(intent::Start{});
  f.Go(ScreenId::kIdentify);
  f.Do(intent::Listen{});
  REQUIRE(f.app->voice_on());
  REQUIRE_FALSE(f.voice.LastIsStop());
  f.clock.Advance(std::chrono::seconds(f.config.inactivity_timeout_s + f.config.inactivity_countdown_s + 1));
  f.app->Tick();
  REQUIRE(f.app->screen() == ScreenId::kAttract);
  CHECK(f.voice.LastIsStop());
  CHECK_FALSE(f.app->voice_on());

  // Staff mode: entering it stops the voice, and nothing is read there.
  f.Do(intent::Start{});
  f.Do(intent::Listen{});
  f.Do(intent::Go{.screen = ScreenId::kStaffPin});
  REQUIRE(f.app->screen() == ScreenId::kStaffPin);
  CHECK(f.voice.LastIsStop());
  const size_t n = f.voice.log.size();
  f.Do(intent::Listen{});
  f.Do(intent::Key{.text = "1"});
  CHECK(f.voice.log.size() == n);
  // "Tắt giọng đọc": silence, and fields are no longer read.
  f.Do(intent::StartOver{});
  f.Do(intent::Start{});
  f.Go(ScreenId::kIdentify);
  f.Do(intent::IdentifyNoCard{});
  f.Do(intent::Listen{});
  f.Do(intent::VoiceOff{});
  CHECK(f.voice.LastIsStop());
  const size_t m = f.voice.log.size();
  f.Do(intent::Focus{.key = "applicant.full_name", .input = InputKind::kText});
  CHECK(f.voice.log.size() == m);
}

TEST_CASE("a whole citizen flow with the voice on: labels and errors are read, personal data only on read back") {
  SpeechFixture f;
  const std::string id_number = "024190001234";
  const std::string name = "Nguyễn Thị Hoà";
  f.Do(intent::Start{});
  f.Go(ScreenId::kIdentify);
  f.Do(intent::Listen{});
  size_t mark = f.voice.log.size();
  f.Do(intent::IdentifyTyped{});
  REQUIRE(f.app->screen() == ScreenId::kApplicant);
  // The new screen focuses the ID number: its label replaces the identify instruction.
  REQUIRE(f.app->focused_key() == "applicant.id_number");
  auto says = f.voice.SaysSince(mark);
  REQUIRE(says.size() == 1);
  CHECK(says[0].u.text == f.Vi("applicant.id_number"));
  // Focusing a field reads its label.
  mark = f.voice.log.size();
  f.Do(intent::Focus{.key = "applicant.full_name", .input = InputKind::kText});
  says = f.voice.SaysSince(mark);
  REQUIRE(says.size() == 1);
  CHECK(says[0].u.text == f.Vi("applicant.full_name"));
  f.Do(intent::Focus{.key = "applicant.id_number", .input = InputKind::kDigits});
  for (char c : id_number) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::Unfocus{});
  f.Type("applicant.date_of_birth", InputKind::kDate, "15031990");
  f.Type("applicant.full_name", InputKind::kText, "Nguyeenx Thij Hoaf");
  REQUIRE(f.app->Value("applicant.full_name") == name);
  // "Tiếp tục" without the gender: the error is read.
  mark = f.voice.log.size();
  f.Do(intent::ApplicantDone{});
  REQUIRE(f.app->screen() == ScreenId::kApplicant);
  says = f.voice.SaysSince(mark);
  REQUIRE(says.size() == 1);
  CHECK(Contains(says[0].u.text, "Vui lòng chọn giới tính"));
  f.Do(intent::SetValue{.key = "applicant.gender", .value = "Nữ"});
  f.Do(intent::ApplicantDone{});
  REQUIRE(f.app->screen() == ScreenId::kProcedure);
  f.Do(intent::Listen{});
  f.Do(intent::ChooseProcedure{.code = "1.001193"});
  REQUIRE(f.app->screen() == ScreenId::kBeforeStart);
  f.Do(intent::BeforeStartDone{});
  REQUIRE(f.app->screen() == ScreenId::kForm);
  // A form field: its catalog label (and help).
  mark = f.voice.log.size();
  f.Type("fields.child_name", InputKind::kText, "Nguyeenx Vawn An");
  says = f.voice.SaysSince(mark);
  REQUIRE_FALSE(says.empty());
  CHECK(Contains(says[0].u.text, f.app->procedure()->FindField("child_name")->label));
  f.Type("fields.child_dob", InputKind::kDate, "01092025");
  f.Do(intent::SetValue{.key = "fields.child_gender", .value = "Nam"});
  f.Type("fields.birth_place", InputKind::kText, "Tramj y tees xax Maaux");
  f.Do(intent::SetValue{.key = "fields.relationship", .value = "Mẹ"});
  f.Do(intent::FormDone{});
  REQUIRE(f.app->screen() == ScreenId::kDocuments);
  f.Do(intent::Listen{});
  f.Do(intent::ToggleDocument{.document_id = "birth_certificate"});
  f.Do(intent::DocumentsDone{});
  REQUIRE(f.app->screen() == ScreenId::kReview);
  f.Do(intent::Listen{});
  CHECK(f.voice.log.back().u.text == f.Vi("speak.review"));

  // Until now: nothing personal given to the worker, in any form.
  const std::vector<std::string> personal = {id_number, name, "Hoà", "15/03/1990", "15031990", "1990-03-15",
                                             "Nguyễn Văn An", "Trạm y tế"};
  const auto before_read_back = f.voice.SaysSince(0);
  CHECK(before_read_back.size() >= 8);
  for (const auto& s : before_read_back) {
    CAPTURE(s.u.text);
    CHECK(s.u.privacy == SpeechPrivacy::kPublic);
    for (const auto& p : personal) CHECK_FALSE(Contains(s.u.text, p));
  }

  // ReadBack elsewhere does nothing; on review: one quiet utterance, the notice first.
  mark = f.voice.log.size();
  f.Do(intent::ReadBack{});
  says = f.voice.SaysSince(mark);
  REQUIRE(says.size() == 1);
  const Utterance& rb = says[0].u;
  CHECK(rb.privacy == SpeechPrivacy::kPersonal);
  CHECK(rb.text.rfind(f.Vi("speak.read_back_notice"), 0) == 0);
  CHECK(rb.volume < f.app->speech_volume());
  CHECK(Contains(rb.text, name));
  CHECK(Contains(rb.text, "15/03/1990"));
  CHECK(Contains(rb.text, "Nguyễn Văn An"));
  // Submitting changes the screen: the read back stops there.
  f.Do(intent::Submit{});
  REQUIRE(f.app->screen() == ScreenId::kSubmitted);
  CHECK(f.voice.LastIsStop());
  // And nothing personal after it either.
  for (const auto& s : f.voice.SaysSince(mark + 1)) {
    for (const auto& p : personal) CHECK_FALSE(Contains(s.u.text, p));
  }
  f.Do(intent::StartOver{});
  f.Do(intent::Start{});
  mark = f.voice.log.size();
  f.Do(intent::ReadBack{});  // not on review: nothing
  CHECK(f.voice.SaysSince(mark).empty());
}

TEST_CASE("technician: volume and speed change the voice for the run, and the test sentence is said") {
  SpeechFixture f("593017");
  CHECK(f.app->speech_volume() == f.config.speech_volume);
  CHECK(f.app->speech_rate() == f.config.speech_rate_wpm);
  // Locked: the technician guard ignores it.
  f.Do(intent::TechSpeech{.volume_step = 1});
  CHECK(f.app->speech_volume() == f.config.speech_volume);
  f.Do(intent::Go{.screen = ScreenId::kTechPin});
  f.Type("tech.pin", InputKind::kDigits, "593017");
  f.Do(intent::TechUnlock{});
  REQUIRE(f.app->tech().unlocked);
  f.Do(intent::TechOpen{.screen = ScreenId::kTechDevices});
  REQUIRE(f.app->screen() == ScreenId::kTechDevices);
  const size_t mark = f.voice.log.size();
  f.Do(intent::TechSpeech{.volume_step = 1});
  f.Do(intent::TechSpeech{.rate_step = -1});
  CHECK(f.app->speech_volume() == f.config.speech_volume + 20);
  CHECK(f.app->speech_rate() == f.config.speech_rate_wpm - 20);
  CHECK(f.voice.SaysSince(mark).empty());  // steps alone say nothing
  f.Do(intent::TechSpeech{.test = true});
  auto says = f.voice.SaysSince(mark);
  REQUIRE(says.size() == 1);
  CHECK(says[0].u.text == f.Vi("speak.test"));
  CHECK(says[0].u.volume == f.config.speech_volume + 20);
  CHECK(says[0].u.rate_wpm == f.config.speech_rate_wpm - 20);
  f.PlayedWhole(says[0].id);
  // Limits: never past 200 or below 0 (volume), 80..300 (speed).
  for (int i = 0; i < 20; ++i) f.Do(intent::TechSpeech{.volume_step = 1, .rate_step = -1});
  CHECK(f.app->speech_volume() == 200);
  CHECK(f.app->speech_rate() == 80);
}

TEST_CASE("technician: the volume and speed set are kept across a restart on the same data directory") {
  SpeechFixture f("593017");
  f.Do(intent::Go{.screen = ScreenId::kTechPin});
  f.Type("tech.pin", InputKind::kDigits, "593017");
  f.Do(intent::TechUnlock{});
  REQUIRE(f.app->tech().unlocked);
  f.Do(intent::TechOpen{.screen = ScreenId::kTechDevices});
  f.Do(intent::TechSpeech{.volume_step = 1});
  f.Do(intent::TechSpeech{.rate_step = -1});
  f.Do(intent::TechSpeech{.rate_step = -1});
  const int volume = f.config.speech_volume + 20, rate = f.config.speech_rate_wpm - 40;
  REQUIRE(f.app->speech_volume() == volume);
  REQUIRE(f.app->speech_rate() == rate);
  // The kiosk restarts: the App stops (its technician worker finishes what it was given) and a
  // new one starts on the same data directory, with the same config.
  f.app.reset();
  AppDeps deps =
      uitest::TestAppDeps(f.config, *f.store, f.clock, f.strings, f.events, uitest::TestStoreOptions(f.config, f.clock));
  deps.speech = &f.voice;
  f.StartApp(deps);
  CHECK(f.app->speech_volume() == volume);
  CHECK(f.app->speech_rate() == rate);
  // And the voice speaks with them.
  f.Do(intent::Start{});
  f.Do(intent::Listen{});
  REQUIRE_FALSE(f.voice.log.back().stop);
  CHECK(f.voice.log.back().u.volume == volume);
  CHECK(f.voice.log.back().u.rate_wpm == rate);
}

TEST_CASE("calling display: call next and call again say the number and the counter, the board follows, only in staff mode") {
  SpeechFixture f;
  f.config.calling_display_enabled = true;  // the App reads it at every refresh
  REQUIRE(StaffAuth(*f.store, f.clock, PinPolicy{}).SetPin("246810").ok());
  for (int i = 0; i < 2; ++i) {
    auto t = f.store->tickets().Reserve("HT", std::nullopt);
    REQUIRE(t.ok());
    REQUIRE(f.store->tickets().SetState(t->id, TicketState::kIssued).ok());
  }
  f.Do(intent::Start{});
  f.Go(ScreenId::kStaffPin);
  for (char c : std::string("246810")) f.Do(intent::Key{.text = std::string(1, c)});
  f.Do(intent::StaffUnlock{});
  REQUIRE(f.app->screen() == ScreenId::kStaff);
  REQUIRE_FALSE(f.app->calling_board().counters.empty());
  const auto& ht = f.app->calling_board().counters.front();
  REQUIRE(ht.counter == "HT");
  CHECK(ht.serving.empty());
  CHECK(ht.next == std::vector<std::string>{"HT-001", "HT-002"});
  CHECK(f.app->staff().counters.front().serving.empty());
  const uint64_t before = f.app->calling_board_version();

  f.Do(intent::CallAgain{.counter = "HT"});  // nobody called yet: nothing to say again
  CHECK(f.voice.calls.empty());
  f.Do(intent::CallNext{.counter = "HT"});
  REQUIRE(f.voice.calls.size() == 1);
  CHECK(f.voice.calls[0] == "Mời số không không một đến quầy Hộ tịch, Nuôi con nuôi");
  CHECK(f.app->calling_board_version() > before);
  CHECK(f.app->calling_board().counters.front().serving == "HT-001");
  CHECK(f.app->calling_board().counters.front().next == std::vector<std::string>{"HT-002"});
  CHECK(f.app->staff().counters.front().serving == "HT-001");

  const uint64_t after_call = f.app->calling_board_version();
  f.Do(intent::CallAgain{.counter = "HT"});
  REQUIRE(f.voice.calls.size() == 2);
  CHECK(f.voice.calls[1] == f.voice.calls[0]);
  CHECK(f.app->staff().called == "HT-001");
  CHECK(f.app->calling_board_version() == after_call);  // nothing changed: the display does not redraw

  f.Do(intent::StartOver{});  // "Khoá"
  f.Do(intent::CallAgain{.counter = "HT"});
  f.Do(intent::CallNext{.counter = "HT"});
  CHECK(f.voice.calls.size() == 2);  // staff intents act only in staff mode
}
