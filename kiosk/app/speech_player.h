// The kiosk's voice (issue 14, docs/speech.md): the SpeechWorker (drivers/speech, one thread that
// owns espeak-ng) playing through SDL audio.
//
//   SdlAudioSink   an SDL audio device at the worker's 22,050 Hz mono S16. Samples() (the speech
//                  worker's thread) appends to a ring buffer allocated once; SDL's callback (its
//                  audio thread) drains it, or plays silence when it is empty. Flush() empties it
//                  at once: a screen change is silent after at most the one buffer SDL is playing
//                  (512 samples, 23 ms; scripts/bench-speech measures it). The callback never
//                  allocates; it holds the ring's mutex only to copy at most 512 samples.
//                  Calls (Announce: the calling display's chime and number) have a ring of
//                  their own that plays first: the read-aloud pauses, and resumes after the
//                  call; Flush (a screen change) never touches it, so "Khoá" right after
//                  "Gọi số tiếp theo" does not cut the call.
//   SpeechPlayer   the App's SpeechService (services.h) over both. Open() fails cleanly when no
//                  audio device opens or the voice is missing: the kiosk runs on without speech
//                  and logs why (never what would have been said).
//
// Thread-safety: SpeechPlayer from the UI thread; the sink from the worker and SDL's audio thread.
#pragma once

#include <SDL.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "drivers/speech/speech.h"
#include "kiosk/app/services.h"
#include "offline/domain/config.h"

namespace mck::app {

class SdlAudioSink : public speech::SpeechSink {
 public:
  static constexpr int kSampleRate = 22050;
  static constexpr int kBufferSamples = 512;           // one SDL buffer: 23 ms
  static constexpr size_t kRingSamples = 22050 * 120;  // two minutes: longer speech is cut
  static constexpr size_t kCallRingSamples = 22050 * 60;  // about ten calls waiting: more are cut

  // Needs SDL's audio subsystem initialised. Null, with the reason in *error, when no device opens.
  static std::unique_ptr<SdlAudioSink> Open(std::string* error);
  ~SdlAudioSink() override;
  SdlAudioSink(const SdlAudioSink&) = delete;
  SdlAudioSink& operator=(const SdlAudioSink&) = delete;

  void Begin(uint64_t, int) override {}
  void Samples(uint64_t id, const int16_t* samples, size_t count) override;
  void End(uint64_t, bool) override {}
  void Flush() override;
  void Announce(uint64_t id, const std::vector<int16_t>& samples) override;

  // For the bench (scripts/bench-speech): steady-clock nanoseconds when the last buffer that held
  // a non-zero sample, handed to SDL, finishes playing; and the samples queued now.
  int64_t audible_until_ns() const { return audible_until_ns_.load(); }
  size_t queued() const;
  size_t calls_queued() const;
  const char* driver() const { return driver_.c_str(); }

 private:
  SdlAudioSink() = default;
  static void Callback(void* self, Uint8* stream, int len);
  void Fill(int16_t* out, size_t n);

  SDL_AudioDeviceID device_ = 0;
  int64_t buffer_ns_ = 0;  // how long one SDL buffer plays
  std::string driver_;
  mutable std::mutex mu_;
  std::vector<int16_t> ring_;  // kRingSamples, allocated in Open
  size_t head_ = 0, size_ = 0;
  size_t written_ = 0;  // samples written since the last Flush (at most the ring): what Flush clears
  std::vector<int16_t> call_ring_;  // kCallRingSamples, allocated in Open; never flushed
  size_t call_head_ = 0, call_size_ = 0;
  std::atomic<int64_t> audible_until_ns_{0};
};

class SpeechPlayer : public SpeechService {
 public:
  // Starts the worker with `options` (the config's [speech]) and the SDL sink. On failure: null
  // and the reason (English, for the log) in *error.
  static std::unique_ptr<SpeechPlayer> Open(const speech::SpeechOptions& options, std::string* error);
  ~SpeechPlayer() override;

  void Say(Utterance u) override;
  void Stop() override;
  void Call(std::string text) override;
  // Joins the worker and closes the device (before SDL_Quit); Say and Stop do nothing after.
  void Close();

  SdlAudioSink& sink() { return *sink_; }
  speech::SpeechWorker& worker() { return *worker_; }

 private:
  SpeechPlayer() = default;
  std::unique_ptr<SdlAudioSink> sink_;                // outlives the worker (it calls the sink)
  std::unique_ptr<speech::SpeechWorker> worker_;
};

// The config's [speech] as the worker's options.
speech::SpeechOptions SpeechOptionsFor(const KioskConfig& config);

}  // namespace mck::app
