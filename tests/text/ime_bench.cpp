// Composer speed: microseconds per key while typing a long Vietnamese text in Telex, with the
// field growing as it does in the kiosk's multiline fields. Prints figures; asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "kiosk/text/ime.h"

int main() {
  using Clock = std::chrono::steady_clock;
  const std::string sentence =
      "Tooi teen laf Nguyeenx Thij Hoaf, sinh ngayf 15 thangs 3 nawm 1990 taij xax Maaux, "
      "tinhr Bawcs Ninh. DDeef nghij cawps banr sao trichs lucj khai sinh. ";
  for (size_t field_chars : {100, 500, 2000}) {
    std::vector<double> per_key_us;
    for (int run = 0; run < 20; ++run) {
      mck::text::Composer c(mck::text::InputMethod::kTelex, mck::text::ToneStyle::kNew);
      size_t keys = 0;
      const auto t0 = Clock::now();
      while (c.Text().size() < field_chars) {
        for (char k : sentence) {
          c.Key(std::string_view(&k, 1));
          ++keys;
        }
      }
      const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
      per_key_us.push_back(us / static_cast<double>(keys));
    }
    std::sort(per_key_us.begin(), per_key_us.end());
    std::printf("field ~%4zu bytes: per key p50 %.2f us, worst of 20 runs %.2f us\n", field_chars,
                per_key_us[per_key_us.size() / 2], per_key_us.back());
  }
  const auto t0 = Clock::now();
  std::string out;
  for (int i = 0; i < 1000; ++i)
    out = mck::text::Compose(mck::text::InputMethod::kTelex, mck::text::ToneStyle::kNew, sentence);
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::printf("Compose(%zu keys): %.1f us per call\n", sentence.size(), ms);
  return 0;
}
