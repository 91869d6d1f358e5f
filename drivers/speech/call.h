// The calling display's spoken call (issue 12, docs/calling-display.md): a two-tone chime, then
// "Mời số không một hai đến quầy Hộ tịch" in espeak-ng's Vietnamese voice. Pure composition here
// (text, chime, joining), so a unit test renders a call to a WAV without SDL; the kiosk plays the
// same samples through its SdlAudioSink (kiosk/app/speech_player.h).
//
//   CallSentence(number, counter_name)  the words said: the number's three digits one by one as
//                                       Vietnamese words (espeak-ng's vi voice reads "012" as
//                                       "không mười hai"), then the counter's name from the catalog.
//                                       Ticket numbers and counter names only: no personal data.
//   Chime(rate)        a synthesised two-tone "ding-dong" (880 Hz, then 659 Hz, each decaying),
//                      0.9 s; no sound file to ship.
//   ComposeCall(...)   chime, a short pause, the speech.
//   RenderCall(worker, sentence)  the whole call's samples (blocking; kioskctl, tests).
//
// Thread-safety: pure functions, except RenderCall (SpeechWorker::Synthesize's rules).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "drivers/speech/speech.h"
#include "offline/domain/status.h"

namespace mck::speech {

inline constexpr int kChimeHighHz = 880;
inline constexpr int kChimeLowHz = 659;
inline constexpr double kChimeToneSeconds = 0.45;  // each of the two tones
inline constexpr double kCallPauseSeconds = 0.3;   // between the chime and the words

// "không một hai" for 12 (three digits, as the ticket prints "HT-012"); more digits when larger.
std::string SpokenDigits(int number);
// "Mời số không một hai đến quầy Hộ tịch". An empty name says "đến quầy".
std::string CallSentence(int number, const std::string& counter_name);

std::vector<int16_t> Chime(int sample_rate);
std::vector<int16_t> ComposeCall(const std::vector<int16_t>& chime, const std::vector<int16_t>& speech,
                                 int sample_rate);
Result<std::vector<int16_t>> RenderCall(SpeechWorker& worker, const std::string& sentence);

// The energy at `hz` in samples [from, from + count) relative to the window's total (0..1), by a
// Goertzel filter: the tests' "is the chime there?".
double ToneShare(const std::vector<int16_t>& samples, size_t from, size_t count, int sample_rate, int hz);

}  // namespace mck::speech
