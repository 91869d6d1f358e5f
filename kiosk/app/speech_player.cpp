#include "kiosk/app/speech_player.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "drivers/speech/call.h"

namespace mck::app {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::unique_ptr<SdlAudioSink> SdlAudioSink::Open(std::string* error) {
  std::unique_ptr<SdlAudioSink> sink(new SdlAudioSink());
  sink->ring_.assign(kRingSamples, 0);
  sink->call_ring_.assign(kCallRingSamples, 0);
  SDL_AudioSpec want{};
  want.freq = kSampleRate;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = kBufferSamples;
  want.callback = &SdlAudioSink::Callback;
  want.userdata = sink.get();
  SDL_AudioSpec have{};
  // No changes allowed: SDL converts to what the device wants, our callback always sees this.
  sink->device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (sink->device_ == 0) {
    if (error) *error = std::string("no audio device: ") + SDL_GetError();
    return nullptr;
  }
  const char* driver = SDL_GetCurrentAudioDriver();
  sink->driver_ = driver ? driver : "?";
  sink->buffer_ns_ = static_cast<int64_t>(have.samples) * 1'000'000'000LL / kSampleRate;
  SDL_PauseAudioDevice(sink->device_, 0);  // plays silence until there is speech
  return sink;
}

SdlAudioSink::~SdlAudioSink() {
  if (device_ != 0) SDL_CloseAudioDevice(device_);  // stops and joins SDL's audio thread
}

void SdlAudioSink::Samples(uint64_t, const int16_t* samples, size_t count) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t room = ring_.size() - size_;
  count = std::min(count, room);  // past two minutes: the rest is dropped
  for (size_t i = 0; i < count; ++i) ring_[(head_ + size_ + i) % ring_.size()] = samples[i];
  size_ += count;
  written_ = std::min(ring_.size(), written_ + count);
}

void SdlAudioSink::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  // What was flushed may be a citizen's details read back: nothing of it stays in memory after
  // the screen changed or the session was wiped. Since the last flush the writes went from the
  // ring's start (head_ was 0), so the first written_ samples are all that can hold any.
  std::fill(ring_.begin(), ring_.begin() + static_cast<std::ptrdiff_t>(written_), int16_t{0});
  written_ = 0;
  head_ = 0;
  size_ = 0;
}

void SdlAudioSink::Announce(uint64_t, const std::vector<int16_t>& samples) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t count = std::min(samples.size(), call_ring_.size() - call_size_);
  for (size_t i = 0; i < count; ++i) call_ring_[(call_head_ + call_size_ + i) % call_ring_.size()] = samples[i];
  call_size_ += count;
}

size_t SdlAudioSink::calls_queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return call_size_;
}

size_t SdlAudioSink::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return size_;
}

namespace {
// Copies up to n samples out of a ring (head, size advance); the rest of `out` is silence.
// Returns whether any sample copied was non-zero.
bool TakeFromRing(const std::vector<int16_t>& ring, size_t& head, size_t& size, int16_t* out, size_t n) {
  bool audible = false;
  const size_t take = std::min(n, size);
  for (size_t i = 0; i < take; ++i) {
    out[i] = ring[(head + i) % ring.size()];
    audible = audible || out[i] != 0;
  }
  head = (head + take) % ring.size();
  size -= take;
  std::memset(out + take, 0, (n - take) * sizeof(int16_t));
  return audible;
}
}  // namespace

void SdlAudioSink::Fill(int16_t* out, size_t n) {
  bool audible = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A call plays first, whole; the read-aloud waits where it was and goes on after it.
    audible = call_size_ > 0 ? TakeFromRing(call_ring_, call_head_, call_size_, out, n)
                             : TakeFromRing(ring_, head_, size_, out, n);
  }
  if (audible) audible_until_ns_.store(NowNs() + buffer_ns_);
}

void SdlAudioSink::Callback(void* self, Uint8* stream, int len) {
  static_cast<SdlAudioSink*>(self)->Fill(reinterpret_cast<int16_t*>(stream), static_cast<size_t>(len) / 2);
}

speech::SpeechOptions SpeechOptionsFor(const KioskConfig& config) {
  speech::SpeechOptions o;
  o.voice = config.speech_voice;
  o.rate_wpm = config.speech_rate_wpm;
  o.volume = config.speech_volume;
  return o;
}

std::unique_ptr<SpeechPlayer> SpeechPlayer::Open(const speech::SpeechOptions& options, std::string* error) {
  std::unique_ptr<SpeechPlayer> p(new SpeechPlayer());
  p->sink_ = SdlAudioSink::Open(error);
  if (!p->sink_) return nullptr;
  auto worker = speech::SpeechWorker::Start(options, p->sink_.get());
  if (!worker.ok()) {
    if (error) *error = worker.status().message_en();
    return nullptr;
  }
  p->worker_ = std::move(worker.value());
  return p;
}

SpeechPlayer::~SpeechPlayer() {
  Close();
}

void SpeechPlayer::Close() {
  worker_.reset();  // joins the worker: nothing calls the sink after this
  sink_.reset();
}

void SpeechPlayer::Say(Utterance u) {
  if (!worker_) return;
  speech::SpeechOptions how;
  how.voice = u.voice;
  how.rate_wpm = u.rate_wpm;
  how.volume = u.volume;
  worker_->Say(std::move(u.text), how);
}

void SpeechPlayer::Call(std::string text) {
  if (worker_) worker_->Announce(std::move(text), speech::Chime(worker_->sample_rate()));
}

void SpeechPlayer::Stop() {
  if (worker_) worker_->StopSpeaking();
}

}  // namespace mck::app
