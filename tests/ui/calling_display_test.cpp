// The calling display on the REAL kiosk under Xvfb (issue 12, docs/calling-display.md), with
// [calling_display] enabled (a 1280x720 window) and SDL2's "disk" audio driver recording all the
// kiosk plays. tests/ui/calling.script: two HT numbers taken, staff call the next one, then call
// it again and lock staff mode at once. Checked: the display's window before and after the call
// (the served number drawn in yellow in the HT row, and OCR'd there), the store, and the played
// audio: exactly two calls, each starting with the chime's high tone and followed by speech that
// is loud and as long as the call rendered here — the second one whole although staff mode was
// locked (a screen change) right after it.
#include <catch2/catch.hpp>

#include <png.h>

#include <cstring>
#include <fstream>
#include <optional>

#include "drivers/speech/call.h"
#include "drivers/speech/speech.h"
#include "tests/drivers/printer/test_support.h"
#include "tests/ui/kiosk_run.h"

using namespace mck;

namespace {

constexpr int kRate = 22050;

struct Image {
  int w = 0, h = 0;
  std::vector<uint8_t> rgb;
  bool Yellow(int x, int y) const {
    const uint8_t* p = &rgb[(static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)) * 3];
    return p[0] > 200 && p[1] > 160 && p[2] < 80;  // the served number's #FFD600
  }
};

std::optional<Image> ReadPng(const std::filesystem::path& file) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&img, file.c_str())) return std::nullopt;
  img.format = PNG_FORMAT_RGB;
  Image out;
  out.rgb.resize(PNG_IMAGE_SIZE(img));
  if (!png_image_finish_read(&img, nullptr, out.rgb.data(), 0, nullptr)) {
    png_image_free(&img);
    return std::nullopt;
  }
  out.w = static_cast<int>(img.width);
  out.h = static_cast<int>(img.height);
  return out;
}

// Yellow pixels in the rectangle [x0, x1) x [y0, y1) of the image.
int YellowIn(const Image& im, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) n += im.Yellow(x, y) ? 1 : 0;
  }
  return n;
}

std::vector<int16_t> ReadRaw(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<int16_t> pcm(bytes.size() / 2);
  std::memcpy(pcm.data(), bytes.data(), pcm.size() * 2);
  return pcm;
}

// Where a call starts: 50 ms windows whose energy is mostly the chime's high tone, the first of
// each run (runs at least 3 s apart).
std::vector<size_t> ChimeStarts(const std::vector<int16_t>& pcm) {
  std::vector<size_t> starts;
  const size_t win = kRate / 20;
  for (size_t at = 0; at + win <= pcm.size(); at += win) {
    const std::vector<int16_t> w(pcm.begin() + static_cast<long>(at), pcm.begin() + static_cast<long>(at + win));
    if (speech::Rms(w) < 1000 || speech::ToneShare(pcm, at, win, kRate, speech::kChimeHighHz) < 0.5) continue;
    if (starts.empty() || at - starts.back() > 3 * static_cast<size_t>(kRate)) starts.push_back(at);
  }
  return starts;
}

// From `from`, the sound up to the first silence of `gap_s` (|sample| < 64): its end.
size_t SoundEnd(const std::vector<int16_t>& pcm, size_t from, double gap_s) {
  const size_t gap = static_cast<size_t>(gap_s * kRate);
  size_t last = from;
  for (size_t i = from; i < pcm.size() && i - last <= gap; ++i) {
    if (std::abs(static_cast<int>(pcm[i])) >= 64) last = i;
  }
  return last + 1;
}

}  // namespace

TEST_CASE(
    "calling display: 'call next' changes the display and calls the number aloud, 'call again' calls it again whole") {
  const auto out = test::UiRunDir("calling");
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out.parent_path());
  const auto played = out.string() + ".raw";
  std::filesystem::remove(played);
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", played.c_str(), 1);
  const int rc = test::RunKioskScript(
      "calling.script", out, std::string("--calling-display --kioskctl ") + KIOSKCTL_BIN + " --staff-pin 246810");
  unsetenv("SDL_AUDIODRIVER");
  unsetenv("SDL_DISKAUDIOFILE");
  REQUIRE(rc == 0);

  // The store: HT-001 called, HT-002 still waiting.
  {
    auto store = test::OpenRunStore(out);
    auto called = store->tickets().CalledToday("HT");
    REQUIRE(called.ok());
    REQUIRE(called->size() == 1);
    CHECK(called->front().number == 1);
    CHECK(store->tickets().Waiting("HT").value() == 1);
  }

  // The display's window: 1280x720, a header (16 %) and five counter rows in catalog order (HT
  // first in catalog-commune.json); the served number is the only yellow, in the "Đang phục vụ"
  // column (36 %–70 % of the width).
  const auto empty = ReadPng(out / "shots" / "calling-empty.png");
  const auto waiting = ReadPng(out / "shots" / "calling-waiting.png");
  const auto served = ReadPng(out / "shots" / "calling-served.png");
  REQUIRE(empty);
  REQUIRE(waiting);
  REQUIRE(served);
  REQUIRE(served->w == 1280);
  REQUIRE(served->h == 720);
  const int header = static_cast<int>(720 * 0.16f), row = (720 - header) / 5;
  const int ht_top = header, ht_bottom = ht_top + row;
  const int col0 = static_cast<int>(1280 * 0.36f), col1 = static_cast<int>(1280 * 0.70f);
  CHECK(YellowIn(*empty, 0, 0, 1280, 720) == 0);
  CHECK(YellowIn(*waiting, 0, 0, 1280, 720) == 0);
  CHECK(empty->rgb != waiting->rgb);  // the numbers waiting are shown
  const int yellow_ht = YellowIn(*served, col0, ht_top, col1, ht_bottom);
  CAPTURE(yellow_ht);
  CHECK(yellow_ht > 2000);                                 // a large number …
  CHECK(YellowIn(*served, 0, 0, 1280, 720) == yellow_ht);  // … in the HT row only
  // What it says, read back by OCR: the number served, and the one waiting next.
  const std::string text = printer::testing::Ocr(out / "shots" / "calling-served.png", 11);
  CAPTURE(text);
  CHECK(text.find("HT-001") != std::string::npos);
  CHECK(text.find("HT-002") != std::string::npos);

  // The played audio: two calls, each the chime then the words, each as long as a call
  // rendered here by the same voice (the second whole, though staff mode was locked at once).
  auto worker = speech::SpeechWorker::Start(speech::SpeechOptions{}, nullptr);
  REQUIRE(worker.ok());
  // HT's name in catalog-commune.json: every field routed to it (kiosk/core/counters.h).
  auto call = speech::RenderCall(**worker, speech::CallSentence(1, "Hộ tịch, Nuôi con nuôi"));
  REQUIRE(call.ok());
  const double call_s = static_cast<double>(call->size()) / kRate;
  const auto pcm = ReadRaw(played);
  const auto starts = ChimeStarts(pcm);
  CAPTURE(call_s, pcm.size() / kRate, starts.size());
  REQUIRE(starts.size() == 2);
  for (size_t start : starts) {
    const size_t end = SoundEnd(pcm, start, 0.6);  // the chime–words pause is 0.3 s
    const double seconds = static_cast<double>(end - start) / kRate;
    CAPTURE(static_cast<double>(start) / kRate, seconds);
    CHECK(seconds > call_s * 0.85);
    CHECK(seconds < call_s * 1.15);
    const size_t words = start + speech::Chime(kRate).size() + static_cast<size_t>(speech::kCallPauseSeconds * kRate);
    REQUIRE(words < end);
    CHECK(speech::Rms(std::vector<int16_t>(pcm.begin() + static_cast<long>(words),
                                           pcm.begin() + static_cast<long>(end))) > 1000);
  }
  std::filesystem::remove(played);
}

TEST_CASE(
    "calling display: kioskctl speak --call renders a number's call to a WAV file, and refuses what is not a number") {
  const auto dir = test::UiRunDir("calling-kioskctl");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "kiosk.toml") << "[kiosk]\nnumber = 7\ncommune_code = \"000.00.24.H03\"\ndata_dir = \"data\"\n"
                                    << "catalog_seed = \"" << MCK_SOURCE_DIR << "/tests/ui/catalog-commune.json\"\n";
  const std::string ctl = std::string(KIOSKCTL_BIN) + " --config " + (dir / "kiosk.toml").string() + " speak ";
  const auto wav = dir / "call.wav";
  int rc = std::system((ctl + "--call HT-012 --wav " + wav.string() + " >/dev/null").c_str());
  REQUIRE(WIFEXITED(rc));
  REQUIRE(WEXITSTATUS(rc) == 0);
  const std::string bytes = test::ReadAll(wav);
  REQUIRE(bytes.size() > 44);
  std::vector<int16_t> pcm((bytes.size() - 44) / 2);
  std::memcpy(pcm.data(), bytes.data() + 44, pcm.size() * 2);
  CHECK(speech::ToneShare(pcm, 0, kRate / 5, kRate, speech::kChimeHighHz) > 0.5);  // the chime first
  CHECK(speech::Rms(pcm) > 1000);
  const double seconds = static_cast<double>(pcm.size()) / kRate;
  CHECK(seconds > 3.0);
  CHECK(seconds < 10.0);
  for (const char* bad : {"--call HT12", "--call ZZ-001", "--call HT-01a"}) {
    rc = std::system((ctl + bad + " 2>/dev/null").c_str());
    CAPTURE(bad);
    CHECK(WIFEXITED(rc));
    CHECK(WEXITSTATUS(rc) == 2);
  }
  std::filesystem::remove_all(dir);
}
