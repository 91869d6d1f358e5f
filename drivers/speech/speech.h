// Read-aloud in Vietnamese, offline (issue 14): espeak-ng's Vietnamese voice from Debian
// (libespeak-ng), synthesised on ONE worker thread that owns the library — espeak-ng keeps global
// state and is not thread-safe — and handed, as it is made, to a sink (the kiosk's SDL audio
// player, or a WAV file). Nothing here talks to the network: a peer queue system's online voice
// service failed repeatedly (../shared/domain/peer-lessons.md); ours has no such dependency.
//
//   SpeechWorker::Start(options, sink)   initialises espeak-ng once per process (22,050 Hz mono
//                                        16-bit; never terminated, see speech.cpp), picks
//                                        the voice; fails cleanly when the voice data is missing.
//   Say(text)      cancels what is being said (the sink gets End(cancelled) and Flush()) and
//                  says `text`; returns its id. The UI thread never waits: Say only queues.
//   StopSpeaking() cancels: synthesis stops at its next chunk (buflength 20 ms of audio) and the
//                  sink is told to drop what it still holds (Flush), so a screen change silences
//                  the kiosk at once (the delay is measured by scripts/bench-speech).
//   Synthesize(text)  blocking, on the worker: the whole utterance (kioskctl speak --wav, tests).
//
// Only one SpeechWorker may exist in a process at a time (the library's global state): a second
// Start is kFailedPrecondition. Text is never logged (it may be the citizen's read-back).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "offline/domain/status.h"

namespace mck::speech {

struct SpeechOptions {
  std::string voice = "vi";  // "vi" (Northern), "vi-vn-x-central", "vi-vn-x-south"
  int rate_wpm = 140;        // espeak-ng words per minute (80..450); slower than its 175 default
  int volume = 100;          // 0..200, 100 = normal
  std::string data_path;     // espeak-ng-data's parent; empty: the system's
};

// Receives audio on the speech worker's thread.
class SpeechSink {
 public:
  virtual ~SpeechSink() = default;
  virtual void Begin(uint64_t id, int sample_rate) = 0;
  virtual void Samples(uint64_t id, const int16_t* samples, size_t count) = 0;
  // The utterance is complete, or was cut short (cancelled: by Say or StopSpeaking).
  virtual void End(uint64_t id, bool cancelled) = 0;
  // Drop whatever is queued for playback now (a cancel). Default: nothing queued.
  virtual void Flush() {}
  // A whole call of the calling display (SpeechWorker::Announce), on the worker's thread. A sink
  // that gives calls priority overrides it (the kiosk's SdlAudioSink: calls are never flushed and
  // the read-aloud waits behind them). Default: played like speech.
  virtual void Announce(uint64_t id, const std::vector<int16_t>& samples) {
    Samples(id, samples.data(), samples.size());
    End(id, false);
  }
};

class SpeechWorker {
 public:
  static Result<std::unique_ptr<SpeechWorker>> Start(const SpeechOptions& options, SpeechSink* sink);
  ~SpeechWorker();  // cancels, joins, terminates the library
  SpeechWorker(const SpeechWorker&) = delete;
  SpeechWorker& operator=(const SpeechWorker&) = delete;

  int sample_rate() const;
  uint64_t Say(std::string text);
  // The same with this utterance's voice, rate and volume (options.data_path is ignored): the
  // kiosk speaks English in espeak-ng's "en" voice, the technician changes volume and speed, and
  // the read-back is quieter. The worker switches only when they differ from the last utterance.
  uint64_t Say(std::string text, const SpeechOptions& how);
  void StopSpeaking();
  // A spoken call (issue 12, call.h): queued behind what the worker has queued, never cancelled
  // by Say or StopSpeaking, said in the worker's own settings (the config's voice and rate) and
  // handed whole to the sink's Announce with `lead_in` (the chime) and a pause before it.
  uint64_t Announce(std::string text, std::vector<int16_t> lead_in);
  // Blocking: the whole utterance's samples, made on the worker (any sink is not involved).
  Result<std::vector<int16_t>> Synthesize(const std::string& text);

  struct Impl;

 private:
  explicit SpeechWorker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// 16-bit mono PCM as a RIFF/WAVE file (written to a temporary name, then renamed).
Status WriteWav(const std::filesystem::path& path, const std::vector<int16_t>& samples, int sample_rate);
// The root mean square of the samples (0..32767), for "is it silent?".
double Rms(const std::vector<int16_t>& samples);

}  // namespace mck::speech
