#include "drivers/speech/speech.h"

#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <future>

#include "drivers/speech/call.h"
#include "offline/domain/worker.h"

namespace mck::speech {
namespace {

std::atomic<bool> g_engine_taken{false};  // espeak-ng's global state: one worker per process
// espeak-ng is initialised once per process and never terminated: 1.51's espeak_Terminate can
// hang joining its internal thread (seen in speech_tests after a few syntheses). Only the worker
// that holds g_engine_taken touches it; the next worker starts after the previous one joined.
int g_rate = 0;

// What the synth callback needs for one espeak_Synth call (passed as its user_data).
struct SynthCall {
  const std::atomic<uint64_t>* generation = nullptr;  // null: not cancellable
  uint64_t my_generation = 0;
  uint64_t id = 0;
  SpeechSink* sink = nullptr;               // either a sink …
  std::vector<int16_t>* collect = nullptr;  // … or a buffer
  bool cancelled = false;
};

int OnSynth(short* wav, int count, espeak_EVENT* events) {
  if (!events) return 0;
  auto* call = static_cast<SynthCall*>(events->user_data);
  if (!call) return 0;
  if (call->generation && call->generation->load() != call->my_generation) {
    call->cancelled = true;
    return 1;  // abort: the screen changed or something else is to be said
  }
  if (wav && count > 0) {
    if (call->collect) call->collect->insert(call->collect->end(), wav, wav + count);
    if (call->sink) call->sink->Samples(call->id, reinterpret_cast<const int16_t*>(wav), static_cast<size_t>(count));
  }
  return 0;
}

Status SynthError(const std::string& what) {
  return Status::Error(Code::kInternal, "espeak-ng: " + what, "Không đọc được hướng dẫn bằng giọng nói");
}

}  // namespace

struct SpeechWorker::Impl {
  SpeechOptions options;
  SpeechSink* sink = nullptr;
  int rate = 0;
  std::atomic<uint64_t> generation{0};
  std::atomic<uint64_t> next_id{1};
  // What espeak-ng is set to now (worker thread only).
  std::string current_voice;
  int current_rate = 0, current_volume = -1;
  // Last: its jobs use the members above.
  Worker worker{"speech", Worker::AtStop::kDropPending};

  Status Init() {  // on the worker
    if (g_rate <= 0) {
      g_rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 20,
                                 options.data_path.empty() ? nullptr : options.data_path.c_str(),
                                 espeakINITIALIZE_DONT_EXIT);
    }
    if (g_rate <= 0) {
      return Status::Error(Code::kUnavailable, "espeak-ng: cannot initialise (espeak-ng-data missing?)",
                           "Không khởi động được giọng đọc (thiếu dữ liệu espeak-ng)");
    }
    rate = g_rate;
    espeak_SetSynthCallback(OnSynth);
    current_voice.clear();
    current_rate = 0;
    current_volume = -1;
    return Apply(options);
  }

  Status Apply(const SpeechOptions& how) {  // on the worker
    if (how.voice != current_voice) {
      if (espeak_SetVoiceByName(how.voice.c_str()) != EE_OK) {
        return Status::Error(Code::kNotFound, "espeak-ng: no voice '" + how.voice + "'",
                             "Không có giọng đọc tiếng Việt '" + how.voice + "'");
      }
      current_voice = how.voice;
      current_rate = 0;  // espeak_SetVoiceByName resets the parameters
      current_volume = -1;
    }
    const int rate = std::clamp(how.rate_wpm, espeakRATE_MINIMUM, espeakRATE_MAXIMUM);
    if (rate != current_rate) espeak_SetParameter(espeakRATE, rate, 0);
    current_rate = rate;
    const int volume = std::clamp(how.volume, 0, 200);
    if (volume != current_volume) espeak_SetParameter(espeakVOLUME, volume, 0);
    current_volume = volume;
    return Status::Ok();
  }

  Status Run(const std::string& text, SynthCall* call) {  // on the worker
    const espeak_ERROR e = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                        espeakCHARS_UTF8 | espeakENDPAUSE, nullptr, call);
    // AUDIO_OUTPUT_SYNCHRONOUS: espeak_Synth returns once the last chunk went through OnSynth
    // (espeak_Synchronize is for the asynchronous modes; here it never returns).
    if (e != EE_OK) return SynthError("synth failed (" + std::to_string(static_cast<int>(e)) + ")");
    return Status::Ok();
  }
};

SpeechWorker::SpeechWorker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<SpeechWorker>> SpeechWorker::Start(const SpeechOptions& options, SpeechSink* sink) {
  if (g_engine_taken.exchange(true)) {
    return Status::Error(Code::kFailedPrecondition, "espeak-ng: a speech worker already runs in this process",
                         "Giọng đọc đã được khởi động");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->sink = sink;
  std::promise<Status> started;
  auto done = started.get_future();
  Impl* raw = impl.get();
  raw->worker.Post([raw, &started] { started.set_value(raw->Init()); });
  Status st = done.get();
  auto worker = std::unique_ptr<SpeechWorker>(new SpeechWorker(std::move(impl)));
  if (!st.ok()) return st;  // the destructor joins the worker and frees the engine
  return worker;
}

SpeechWorker::~SpeechWorker() {
  impl_->generation++;   // a running synthesis stops at its next chunk
  impl_->worker.Stop();  // drops queued speech, joins: the next worker may use the library
  g_engine_taken = false;
}

int SpeechWorker::sample_rate() const {
  return impl_->rate;
}

uint64_t SpeechWorker::Say(std::string text) {
  return Say(std::move(text), impl_->options);
}

uint64_t SpeechWorker::Say(std::string text, const SpeechOptions& how) {
  const uint64_t gen = ++impl_->generation;  // cancels what is being said
  const uint64_t id = impl_->next_id++;
  if (impl_->sink) impl_->sink->Flush();
  impl_->worker.Post([impl = impl_.get(), gen, id, how, text = std::move(text)]() mutable {
    if (impl->generation.load() != gen) {  // already replaced
      std::fill(text.begin(), text.end(), '\0');
      return;
    }
    SynthCall call{&impl->generation, gen, id, impl->sink, nullptr, false};
    if (impl->sink) impl->sink->Begin(id, impl->rate);
    Status st = impl->Apply(how);
    if (st.ok()) st = impl->Run(text, &call);
    std::fill(text.begin(), text.end(), '\0');  // it may be the citizen's read-back
    if (!st.ok()) std::fprintf(stderr, "kiosk: speech: %s\n", st.message_en().c_str());
    if (impl->sink) {
      impl->sink->End(id, call.cancelled || !st.ok());
      if (call.cancelled) impl->sink->Flush();  // a chunk queued while cancelling
    }
  });
  return id;
}

void SpeechWorker::StopSpeaking() {
  ++impl_->generation;
  if (impl_->sink) impl_->sink->Flush();
}

uint64_t SpeechWorker::Announce(std::string text, std::vector<int16_t> lead_in) {
  const uint64_t id = impl_->next_id++;
  impl_->worker.Post([impl = impl_.get(), id, text = std::move(text), lead_in = std::move(lead_in)] {
    std::vector<int16_t> said;
    SynthCall call{nullptr, 0, id, nullptr, &said, false};  // no generation: nothing cancels a call
    Status st = impl->Apply(impl->options);
    if (st.ok()) st = impl->Run(text, &call);
    if (!st.ok()) {
      std::fprintf(stderr, "kiosk: call: %s\n", st.message_en().c_str());
      return;
    }
    if (impl->sink) impl->sink->Announce(id, ComposeCall(lead_in, said, impl->rate));
  });
  return id;
}

Result<std::vector<int16_t>> SpeechWorker::Synthesize(const std::string& text) {
  std::promise<Result<std::vector<int16_t>>> promise;
  auto future = promise.get_future();
  const bool queued = impl_->worker.Post([impl = impl_.get(), &text, &promise] {
    std::vector<int16_t> out;
    SynthCall call{nullptr, 0, 0, nullptr, &out, false};
    Status st = impl->Apply(impl->options);  // the worker's own settings, whatever Say set last
    if (st.ok()) st = impl->Run(text, &call);
    if (st.ok()) {
      promise.set_value(std::move(out));
    } else {
      promise.set_value(st);
    }
  });
  if (!queued) return Status::Error(Code::kUnavailable, "speech worker stopping", "Giọng đọc đang dừng");
  return future.get();
}

Status WriteWav(const std::filesystem::path& path, const std::vector<int16_t>& samples, int sample_rate) {
  auto le32 = [](std::string& s, uint32_t v) {
    for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  auto le16 = [](std::string& s, uint16_t v) {
    s.push_back(static_cast<char>(v & 0xFF));
    s.push_back(static_cast<char>(v >> 8));
  };
  const uint32_t data_bytes = static_cast<uint32_t>(samples.size() * 2);
  std::string h = "RIFF";
  le32(h, 36 + data_bytes);
  h += "WAVEfmt ";
  le32(h, 16);
  le16(h, 1);  // PCM
  le16(h, 1);  // mono
  le32(h, static_cast<uint32_t>(sample_rate));
  le32(h, static_cast<uint32_t>(sample_rate) * 2);
  le16(h, 2);
  le16(h, 16);
  h += "data";
  le32(h, data_bytes);
  for (int16_t v : samples) le16(h, static_cast<uint16_t>(v));
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(h.data(), static_cast<std::streamsize>(h.size()));
    if (!f) {
      return Status::Error(Code::kIo, tmp + ": cannot write", tmp + ": không ghi được tệp âm thanh");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::Error(Code::kIo, path.string() + ": " + ec.message(), path.string() + ": không ghi được");
  return Status::Ok();
}

double Rms(const std::vector<int16_t>& samples) {
  if (samples.empty()) return 0;
  double sum = 0;
  for (int16_t v : samples) sum += static_cast<double>(v) * v;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

}  // namespace mck::speech
