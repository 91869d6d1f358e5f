// kioskctl speak "TEXT" [--wav FILE] [--json]: says TEXT with the kiosk's voice settings ([speech]
// in kiosk.toml) into a WAV file, for the technician checking the voice, its speed and volume, and
// prints how long it is and how loud. Never plays through a sound card (run `aplay FILE` for that).
// kioskctl speak --call HT-012 [--wav FILE]: the calling display's call of that number instead
// (the chime, then "Mời số không một hai đến quầy Hộ tịch"; docs/calling-display.md).
#include <iostream>

#include "drivers/speech/call.h"
#include "drivers/speech/speech.h"
#include "kiosk/core/calling_board.h"
#include "kiosk/core/counters.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"

namespace mck::ctl {
namespace {

// "HT-012" → the words of its call, with the counter's name from the catalog.
Result<std::string> CallWordsFor(Context& ctx, const std::string& number) {
  const auto dash = number.find('-');
  const std::string digits = dash == std::string::npos ? "" : number.substr(dash + 1);
  const bool ok = !digits.empty() && digits.size() <= 6 && digits.find_first_not_of("0123456789") == std::string::npos;
  if (!ok) {
    return Status::Error(Code::kInvalidArgument, "--call wants a ticket number such as HT-012",
                         "--call cần một số thứ tự, ví dụ HT-012");
  }
  auto records = ctx.OpenRecords();
  if (!records.ok()) return records.status();
  Ticket t;
  t.counter = number.substr(0, dash);
  t.number = std::stoi(digits);
  for (const auto& c : core::Counters(records->catalog)) {
    if (c.counter == t.counter) return core::CallWords(records->catalog, t);
  }
  return Status::Error(Code::kInvalidArgument, "no counter " + t.counter + " in the catalog",
                       "Danh mục không có quầy " + t.counter);
}

int Speak(Context& ctx) {
  const auto wav = ctx.TakeOption("--wav");
  const auto call = ctx.TakeOption("--call");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (ctx.args().empty() == !call) {
    std::cerr << "Cách dùng / usage: kioskctl speak \"TEXT\" | --call HT-012  [--wav FILE] [--json]\n";
    return kExitBadInput;
  }
  std::string text;
  for (size_t i = 0; i < ctx.args().size(); ++i) text += (i ? " " : "") + ctx.args()[i];
  if (call) {
    auto words = CallWordsFor(ctx, *call);
    if (!words.ok()) return ctx.Fail(words.status());
    text = *words;
  }
  speech::SpeechOptions options;
  if (auto cfg = ctx.Config(); cfg.ok()) {  // the kiosk's own settings, so it sounds as on screen
    options.voice = (*cfg)->speech_voice;
    options.rate_wpm = (*cfg)->speech_rate_wpm;
    options.volume = (*cfg)->speech_volume;
  }
  auto worker = speech::SpeechWorker::Start(options, nullptr);
  if (!worker.ok()) return ctx.Fail(worker.status());
  auto pcm = call ? speech::RenderCall(**worker, text) : (*worker)->Synthesize(text);
  if (!pcm.ok()) return ctx.Fail(pcm.status());
  const int rate = (*worker)->sample_rate();
  if (wav) {
    if (Status st = speech::WriteWav(*wav, *pcm, rate); !st.ok()) return ctx.Fail(st);
  }
  const double seconds = static_cast<double>(pcm->size()) / rate;
  const double rms = speech::Rms(*pcm);
  if (ctx.json()) {
    PrintJson({{"voice", options.voice},
               {"rate_wpm", options.rate_wpm},
               {"volume", options.volume},
               {"sample_rate", rate},
               {"seconds", seconds},
               {"rms", rms},
               {"wav", wav.value_or("")}});
  } else {
    std::cout << "Giọng / voice " << options.voice << ", " << options.rate_wpm << " từ/phút, âm lượng "
              << options.volume << ": " << seconds << " s, RMS " << static_cast<int>(rms)
              << (wav ? ", " + *wav : std::string()) << "\n";
  }
  return kExitOk;
}

const CommandRegistration kSpeak({"speak", "\"TEXT\" | --call HT-012  [--wav FILE] [--json]",
                                  "Say TEXT, or the calling display's call of a number, with the kiosk's voice "
                                  "([speech] in kiosk.toml) into a WAV file",
                                  Speak});

}  // namespace
}  // namespace mck::ctl
