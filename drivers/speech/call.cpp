#include "drivers/speech/call.h"

#include <algorithm>
#include <cmath>

namespace mck::speech {
namespace {

constexpr const char* kDigitWords[10] = {"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"};
constexpr double kPi = 3.14159265358979323846;

}  // namespace

std::string SpokenDigits(int number) {
  std::string digits = std::to_string(std::max(0, number));
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  std::string out;
  for (char d : digits) {
    if (!out.empty()) out += ' ';
    out += kDigitWords[d - '0'];
  }
  return out;
}

std::string CallSentence(int number, const std::string& counter_name) {
  std::string s = "Mời số " + SpokenDigits(number) + " đến quầy";
  if (!counter_name.empty()) s += " " + counter_name;
  return s;
}

std::vector<int16_t> Chime(int sample_rate) {
  const size_t tone = static_cast<size_t>(kChimeToneSeconds * sample_rate);
  std::vector<int16_t> out(2 * tone);
  const int tones[2] = {kChimeHighHz, kChimeLowHz};
  for (size_t t = 0; t < 2; ++t) {
    for (size_t i = 0; i < tone; ++i) {
      const double s = static_cast<double>(i) / sample_rate;
      const double attack = std::min(1.0, s / 0.01);  // 10 ms: no click at the start
      const double envelope = attack * std::exp(-s * 4.0);
      // The fundamental and a quieter octave: a bell rather than a beep.
      const double v = std::sin(2 * kPi * tones[t] * s) + 0.3 * std::sin(4 * kPi * tones[t] * s);
      out[t * tone + i] = static_cast<int16_t>(std::lround(12000.0 * envelope * v / 1.3));
    }
  }
  return out;
}

std::vector<int16_t> ComposeCall(const std::vector<int16_t>& chime, const std::vector<int16_t>& speech,
                                 int sample_rate) {
  std::vector<int16_t> out;
  const size_t pause = static_cast<size_t>(kCallPauseSeconds * sample_rate);
  out.reserve(chime.size() + pause + speech.size());
  out.insert(out.end(), chime.begin(), chime.end());
  out.insert(out.end(), pause, int16_t{0});
  out.insert(out.end(), speech.begin(), speech.end());
  return out;
}

Result<std::vector<int16_t>> RenderCall(SpeechWorker& worker, const std::string& sentence) {
  auto speech = worker.Synthesize(sentence);
  if (!speech.ok()) return speech.status();
  return ComposeCall(Chime(worker.sample_rate()), *speech, worker.sample_rate());
}

double ToneShare(const std::vector<int16_t>& samples, size_t from, size_t count, int sample_rate, int hz) {
  if (from >= samples.size()) return 0;
  count = std::min(count, samples.size() - from);
  if (count == 0) return 0;
  const double w = 2 * kPi * hz / sample_rate;
  const double coeff = 2 * std::cos(w);
  double s1 = 0, s2 = 0, total = 0;
  for (size_t i = 0; i < count; ++i) {
    const double x = samples[from + i];
    total += x * x;
    const double s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  if (total <= 0) return 0;
  const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;  // |X(hz)|^2
  // A pure tone of amplitude A over N samples: |X|^2 = (A N / 2)^2, energy = A^2 N / 2, so
  // |X|^2 / energy = N / 2: scaled to 1 for a pure tone.
  return std::min(1.0, power / total * 2.0 / static_cast<double>(count));
}

}  // namespace mck::speech
