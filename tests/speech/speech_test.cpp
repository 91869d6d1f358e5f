// Read-aloud (drivers/speech, docs/speech.md): espeak-ng's Vietnamese voice, offline. Every
// screen's instruction (the "speak.*" strings of assets/i18n/vi.json) is rendered to a WAV file
// and checked: not silent, and of a length that fits its text at the configured rate. A cancel
// stops the synthesis and tells the sink to drop what it holds; a second engine in the process
// is refused; a missing voice is a clear error.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "drivers/speech/speech.h"
#include "offline/domain/utf8.h"

using namespace mck;
using namespace mck::speech;

namespace {

std::filesystem::path SourceDir() {
  return MCK_SOURCE_DIR;
}

// Vietnamese is written a syllable a word: the words are what the voice says.
size_t Syllables(const std::string& text) {
  size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

// A sink that records what it is given, and lets a test wait for the end of an utterance.
class RecordingSink final : public SpeechSink {
 public:
  void Begin(uint64_t, int) override {}
  void Samples(uint64_t, const int16_t*, size_t count) override {
    std::lock_guard lock(mu_);
    samples_ += count;
  }
  void End(uint64_t id, bool cancelled) override {
    {
      std::lock_guard lock(mu_);
      ended_[id] = cancelled;
    }
    cv_.notify_all();
  }
  void Flush() override {
    std::lock_guard lock(mu_);
    ++flushes_;
  }
  // Waits for End(id); returns whether it was cancelled.
  bool WaitEnd(uint64_t id) {
    std::unique_lock lock(mu_);
    REQUIRE(cv_.wait_for(lock, std::chrono::seconds(30), [&] { return ended_.count(id) > 0; }));
    return ended_[id];
  }
  size_t samples() const {
    std::lock_guard lock(mu_);
    return samples_;
  }
  int flushes() const {
    std::lock_guard lock(mu_);
    return flushes_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, bool> ended_;
  size_t samples_ = 0;
  int flushes_ = 0;
};

}  // namespace

TEST_CASE("every screen's instruction is spoken in Vietnamese: not silent, and as long as its text") {
  const auto catalog = nlohmann::json::parse(std::ifstream(SourceDir() / "assets" / "i18n" / "vi.json"));
  SpeechOptions options;  // the kiosk's defaults: voice "vi", 140 words a minute
  auto worker = SpeechWorker::Start(options, nullptr);
  INFO(worker.status().ToString());
  REQUIRE(worker.ok());
  const int rate = (*worker)->sample_rate();
  CHECK(rate == 22050);
  const auto out = std::filesystem::temp_directory_path() / ("mck-speech-" + std::to_string(::getpid()));
  std::filesystem::create_directories(out);
  int screens = 0;
  for (const auto& [key, value] : catalog.items()) {
    if (key.rfind("speak.", 0) != 0) continue;
    ++screens;
    const std::string text = value.get<std::string>();
    auto pcm = (*worker)->Synthesize(text);
    REQUIRE(pcm.ok());
    const double seconds = static_cast<double>(pcm->size()) / rate;
    const size_t syllables = Syllables(text);
    const auto wav = out / (key + ".wav");
    REQUIRE(WriteWav(wav, *pcm, rate).ok());
    CAPTURE(key, seconds, syllables, Rms(*pcm));
    CHECK(std::filesystem::file_size(wav) == 44 + pcm->size() * 2);
    CHECK(Rms(*pcm) > 1000);  // speech, not silence (16-bit full scale is 32767)
    // 140 words a minute is 0.43 s a syllable; pauses at commas and full stops add to it.
    CHECK(seconds > 0.2 * static_cast<double>(syllables));
    CHECK(seconds < 0.9 * static_cast<double>(syllables) + 1.0);
  }
  CHECK(screens >= 14);  // every citizen screen has one
  std::filesystem::remove_all(out);
}

TEST_CASE("speech is cancelled by the next utterance and by StopSpeaking, and the sink told to drop what it holds") {
  RecordingSink sink;
  auto worker = SpeechWorker::Start({}, &sink);
  REQUIRE(worker.ok());
  std::string long_text;
  for (int i = 0; i < 40; ++i) long_text += "Hãy đặt thẻ căn cước lên đầu đọc thẻ, rồi chờ máy đọc xong. ";
  auto full = (*worker)->Synthesize(long_text);
  REQUIRE(full.ok());

  const uint64_t first = (*worker)->Say(long_text);
  const uint64_t second = (*worker)->Say("Xin chào.");  // replaces the first
  const int flushes_after_say = sink.flushes();
  CHECK(flushes_after_say >= 2);  // each Say drops what is queued for playback
  CHECK(sink.WaitEnd(second) == false);
  // The first was either never started or stopped part way: never said to the end.
  CHECK(sink.samples() < full->size());

  const uint64_t third = (*worker)->Say(long_text);
  (*worker)->StopSpeaking();
  (void)first;
  (void)third;
  CHECK(sink.flushes() > flushes_after_say);
}

TEST_CASE("one speech engine per process, and a missing voice is a clear error") {
  auto one = SpeechWorker::Start({}, nullptr);
  REQUIRE(one.ok());
  auto two = SpeechWorker::Start({}, nullptr);
  REQUIRE_FALSE(two.ok());
  CHECK(two.status().code() == Code::kFailedPrecondition);
  one->reset();
  SpeechOptions bad;
  bad.voice = "xx-no-such-voice";
  auto none = SpeechWorker::Start(bad, nullptr);
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().code() == Code::kNotFound);
  CHECK(none.status().message_vi().find("giọng đọc") != std::string::npos);
  // The failed start freed the engine: a good one starts again.
  CHECK(SpeechWorker::Start({}, nullptr).ok());
}
