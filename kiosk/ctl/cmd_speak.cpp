// kioskctl speak "TEXT" [--wav FILE] [--json]: says TEXT with the kiosk's voice settings ([speech]
// in kiosk.toml) into a WAV file, for the technician checking the voice, its speed and volume, and
// prints how long it is and how loud. Never plays through a sound card (run `aplay FILE` for that).
#include <iostream>

#include "drivers/speech/speech.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"

namespace mck::ctl {
namespace {

int Speak(Context& ctx) {
  const auto wav = ctx.TakeOption("--wav");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (ctx.args().empty()) {
    std::cerr << "Cách dùng / usage: kioskctl speak \"TEXT\" [--wav FILE] [--json]\n";
    return kExitBadInput;
  }
  std::string text;
  for (size_t i = 0; i < ctx.args().size(); ++i) text += (i ? " " : "") + ctx.args()[i];
  speech::SpeechOptions options;
  if (auto cfg = ctx.Config(); cfg.ok()) {  // the kiosk's own settings, so it sounds as on screen
    options.voice = (*cfg)->speech_voice;
    options.rate_wpm = (*cfg)->speech_rate_wpm;
    options.volume = (*cfg)->speech_volume;
  }
  auto worker = speech::SpeechWorker::Start(options, nullptr);
  if (!worker.ok()) return ctx.Fail(worker.status());
  auto pcm = (*worker)->Synthesize(text);
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

const CommandRegistration kSpeak({"speak", "\"TEXT\" [--wav FILE] [--json]",
                                  "Say TEXT with the kiosk's voice ([speech] in kiosk.toml) into a WAV file", Speak});

}  // namespace
}  // namespace mck::ctl
