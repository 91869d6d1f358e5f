// Read-aloud on the REAL kiosk under Xvfb (issue 14, docs/speech.md): SDL2's "disk" audio driver
// writes everything the kiosk plays (22,050 Hz mono S16, at real-time pace) to a file, which is
// read back here. speech.script taps "Nghe hướng dẫn" on the menu, changes screen 1.5 s later,
// and listens to the ticket screen's instruction to the end. Checked: the first burst of speech
// stops well before the menu's instruction would have ended, silence follows the screen change,
// and the second burst is audible and about as long as the ticket's instruction rendered by the
// same espeak-ng voice here.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include "drivers/speech/speech.h"

namespace {

const std::filesystem::path kUi = std::filesystem::path(MCK_SOURCE_DIR) / "tests" / "ui";
constexpr int kRate = 22050;

struct Burst {
  size_t begin = 0, end = 0;  // samples
  double seconds() const { return static_cast<double>(end - begin) / kRate; }
};

// Runs of sound separated by at least `gap_s` of silence (|sample| < 64).
std::vector<Burst> Bursts(const std::vector<int16_t>& pcm, double gap_s) {
  std::vector<Burst> out;
  const size_t gap = static_cast<size_t>(gap_s * kRate);
  size_t last_loud = 0;
  bool in = false;
  for (size_t i = 0; i < pcm.size(); ++i) {
    if (std::abs(static_cast<int>(pcm[i])) < 64) continue;
    if (!in || i - last_loud > gap) {
      out.push_back(Burst{i, i + 1});
      in = true;
    }
    out.back().end = i + 1;
    last_loud = i;
  }
  return out;
}

std::vector<int16_t> ReadRaw(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<int16_t> pcm(bytes.size() / 2);
  std::memcpy(pcm.data(), bytes.data(), pcm.size() * 2);
  return pcm;
}

}  // namespace

TEST_CASE("the kiosk reads a screen's instruction aloud through SDL audio, and a screen change silences it") {
  const auto out = std::filesystem::path(MCK_BINARY_DIR) / "tests" / "ui" / "runs" / "speech";
  std::filesystem::remove_all(out);
  std::filesystem::create_directories(out.parent_path());
  const auto played = out.string() + ".raw";
  std::filesystem::remove(played);
  setenv("SDL_AUDIODRIVER", "disk", 1);
  setenv("SDL_DISKAUDIOFILE", played.c_str(), 1);
  const std::string cmd = (kUi / "run-kiosk-script").string() + " --kiosk " + KIOSK_BIN + " --printer-sim " +
                          PRINTER_SIM_BIN + " --script " + (kUi / "speech.script").string() + " --out " +
                          out.string() + " 2>" + out.string() + ".stderr";
  const int rc = std::system(cmd.c_str());
  unsetenv("SDL_AUDIODRIVER");
  unsetenv("SDL_DISKAUDIOFILE");
  std::ifstream err(out.string() + ".stderr");
  for (std::string line; std::getline(err, line);) UNSCOPED_INFO(line);
  REQUIRE(WIFEXITED(rc));
  REQUIRE(WEXITSTATUS(rc) == 0);
  REQUIRE(std::filesystem::exists(out / "shots" / "ticket-footer.png"));

  // The same instructions, rendered whole by the same voice and settings.
  std::ifstream vi_file(std::filesystem::path(MCK_SOURCE_DIR) / "assets" / "i18n" / "vi.json");
  const auto vi = nlohmann::json::parse(vi_file);
  auto worker = mck::speech::SpeechWorker::Start(mck::speech::SpeechOptions{}, nullptr);
  REQUIRE(worker.ok());
  const auto menu = (*worker)->Synthesize(vi["speak.menu"].get<std::string>());
  const auto ticket = (*worker)->Synthesize(vi["speak.ticket"].get<std::string>());
  REQUIRE(menu.ok());
  REQUIRE(ticket.ok());
  const double menu_s = static_cast<double>(menu->size()) / kRate;
  const double ticket_s = static_cast<double>(ticket->size()) / kRate;

  const auto pcm = ReadRaw(played);
  const double total_s = static_cast<double>(pcm.size()) / kRate;
  const auto bursts = Bursts(pcm, 1.0);
  CAPTURE(total_s, menu_s, ticket_s, bursts.size());
  for (const auto& b : bursts) UNSCOPED_INFO("burst at " << static_cast<double>(b.begin) / kRate << " s, " << b.seconds() << " s");
  REQUIRE(bursts.size() == 2);
  // 1: the menu's instruction, cut by the screen change 1.5 s in (well before its end), then
  // silence until the listen tap on the next screen (the script waits 3 s there).
  CHECK(bursts[0].seconds() > 0.5);
  CHECK(bursts[0].seconds() < menu_s - 2.0);
  CHECK(static_cast<double>(bursts[1].begin - bursts[0].end) / kRate > 2.0);
  // 2: the ticket's instruction, whole: audible, and as long as it is when rendered here.
  const std::vector<int16_t> second(pcm.begin() + static_cast<long>(bursts[1].begin),
                                    pcm.begin() + static_cast<long>(bursts[1].end));
  CHECK(mck::speech::Rms(second) > 1000);
  CHECK(bursts[1].seconds() > ticket_s * 0.8);
  CHECK(bursts[1].seconds() < ticket_s * 1.2);
  // The device kept playing (silence) after it: the file runs on past the speech.
  CHECK(total_s - static_cast<double>(bursts[1].end) / kRate > 0.5);
  std::filesystem::remove(played);
}
