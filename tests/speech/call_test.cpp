// The calling display's spoken call (drivers/speech/call.h, docs/calling-display.md): the words,
// the chime, and a whole call rendered by espeak-ng's Vietnamese voice to a WAV file and checked:
// the chime's two tones at the start, then speech that is not silent and as long as its words.
#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>

#include "drivers/speech/call.h"
#include "drivers/speech/speech.h"

using namespace mck;
using namespace mck::speech;

namespace {

size_t Words(const std::string& text) {
  size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

std::vector<int16_t> Slice(const std::vector<int16_t>& v, size_t from, size_t count) {
  from = std::min(from, v.size());
  count = std::min(count, v.size() - from);
  return {v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(from + count)};
}

// Records calls handed to Announce, and what came as ordinary speech.
class CallSink final : public SpeechSink {
 public:
  void Begin(uint64_t, int) override {}
  void Samples(uint64_t, const int16_t*, size_t count) override {
    std::lock_guard lock(mu_);
    spoken_ += count;
  }
  void End(uint64_t, bool) override {}
  void Announce(uint64_t id, const std::vector<int16_t>& samples) override {
    {
      std::lock_guard lock(mu_);
      calls_[id] = samples;
    }
    cv_.notify_all();
  }
  std::vector<int16_t> WaitCall(uint64_t id) {
    std::unique_lock lock(mu_);
    REQUIRE(cv_.wait_for(lock, std::chrono::seconds(30), [&] { return calls_.count(id) > 0; }));
    return calls_[id];
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, std::vector<int16_t>> calls_;
  size_t spoken_ = 0;
};

}  // namespace

TEST_CASE("calling display: the call's words read the number digit by digit and name the counter") {
  CHECK(SpokenDigits(12) == "không một hai");
  CHECK(SpokenDigits(7) == "không không bảy");
  CHECK(SpokenDigits(305) == "ba không năm");
  CHECK(SpokenDigits(1024) == "một không hai bốn");
  CHECK(CallSentence(12, "Hộ tịch") == "Mời số không một hai đến quầy Hộ tịch");
  CHECK(CallSentence(3, "") == "Mời số không không ba đến quầy");
}

TEST_CASE("calling display: the chime is two tones, high then low, and not silent") {
  const int rate = 22050;
  const auto chime = Chime(rate);
  const size_t tone = static_cast<size_t>(kChimeToneSeconds * rate);
  REQUIRE(chime.size() == 2 * tone);
  CHECK(Rms(chime) > 2000);
  const size_t window = rate / 5;  // the first 200 ms of each tone
  CHECK(ToneShare(chime, 0, window, rate, kChimeHighHz) > 0.5);
  CHECK(ToneShare(chime, 0, window, rate, kChimeLowHz) < 0.1);
  CHECK(ToneShare(chime, tone, window, rate, kChimeLowHz) > 0.5);
  CHECK(ToneShare(chime, tone, window, rate, kChimeHighHz) < 0.1);
  // A silent window has no tone, so the check above can fail.
  CHECK(ToneShare(std::vector<int16_t>(window, 0), 0, window, rate, kChimeHighHz) == 0);
}

TEST_CASE("calling display: a call rendered to WAV has the chime first, then Vietnamese speech as long as its words") {
  auto worker = SpeechWorker::Start({}, nullptr);
  REQUIRE(worker.ok());
  const int rate = (*worker)->sample_rate();
  REQUIRE(rate == 22050);
  const std::string sentence = CallSentence(12, "Hộ tịch");
  auto call = RenderCall(**worker, sentence);
  REQUIRE(call.ok());
  const auto& samples = *call;
  const auto wav = std::filesystem::temp_directory_path() / "mck-call-test.wav";
  REQUIRE(WriteWav(wav, samples, rate).ok());
  CHECK(std::filesystem::file_size(wav) == 44 + samples.size() * 2);
  std::filesystem::remove(wav);

  const size_t chime = Chime(rate).size();
  const size_t pause = static_cast<size_t>(kCallPauseSeconds * rate);
  REQUIRE(samples.size() > chime + pause);
  // The chime at the start: its high tone dominates the first 200 ms.
  CHECK(ToneShare(samples, 0, rate / 5, rate, kChimeHighHz) > 0.5);
  // The pause is silent; the speech after it is loud and lasts 0.2–0.9 s a word at 140 wpm.
  CHECK(Rms(Slice(samples, chime, pause)) == 0);
  const auto speech = Slice(samples, chime + pause, samples.size());
  CHECK(Rms(speech) > 1000);
  const double seconds = static_cast<double>(speech.size()) / rate;
  const size_t words = Words(sentence);
  REQUIRE(words == 9);
  CHECK(seconds > 0.2 * static_cast<double>(words));
  CHECK(seconds < 0.9 * static_cast<double>(words) + 1.0);
  const double total = static_cast<double>(samples.size()) / rate;
  CHECK(total > 3.0);
  CHECK(total < 10.0);
}

TEST_CASE("calling display: a call is not cancelled by the read-aloud and reaches the sink whole") {
  CallSink sink;
  auto worker = SpeechWorker::Start({}, &sink);
  REQUIRE(worker.ok());
  const uint64_t id = (*worker)->Announce(CallSentence(5, "Hộ tịch"), Chime((*worker)->sample_rate()));
  (*worker)->Say("Bạn muốn làm gì?");  // the citizen's read-aloud, after the call
  (*worker)->StopSpeaking();           // a screen change
  const auto call = sink.WaitCall(id);
  const size_t chime = Chime((*worker)->sample_rate()).size();
  REQUIRE(call.size() > chime + static_cast<size_t>(22050 * 2));
  CHECK(Rms(Slice(call, chime, call.size())) > 1000);
}
