// The test-only scripted-input mode (`kiosk --script FILE`): drives the REAL application with
// synthetic SDL events pushed through SDL_PushEvent, so taps and key presses take the same path
// as a finger or a keyboard, and saves screenshots. One step a line; '#' starts a comment:
//   tap ID                    tap the touch target ID (waits up to 5 s for it to appear)
//   type TEXT                 tap on-screen keys for each character (shift for capitals)
//   keys TEXT                 physical-keyboard text input (SDL_TEXTINPUT)
//   keys_code                 types the provisional code of the last dossier submitted in this run
//   press KEY                 physical key down+up by SDL name: Return, Backspace, Escape
//   drag ID DY [STEPS]        press in ID's centre, move DY pixels in STEPS moves, release
//   wait SCREEN [SECONDS]     wait until the screen is SCREEN (default 10 s)
//   wait_widget ID [SECONDS]  wait until ID is on screen
//   expect_value KEY TEXT     the session value KEY equals TEXT (rest of the line, exactly)
//   wait_value KEY TEXT       wait (up to 15 s) until it does (a card read filling the form)
//   expect_screen SCREEN
//   wait_gone WIDGET [SECONDS]  until that widget is no longer drawn (default 10 s)
//   sleep SECONDS             real time (the loop keeps sleeping between its deadlines)
//   screenshot PATH           PNG of the next settled frame (relative to --shots DIR)
//   frames on|off             with --frame-log: record frame times only between these
//   quit
// The human-timing model (docs/walkthrough.md), for walk-throughs timed as an elderly first-time
// user would take them. Off until a script says `human on`; then every pause is real time:
//   human on                  taps and keys cost human time from here on
//   human wpm|tap|key|notice|scan N   reading speed (words a minute), seconds per tap, per key, and to
//                             notice a mistake (defaults 110, 1, 1, 2; MCK_HUMAN_WPM/_TAP_S/_KEY_S/
//                             _NOTICE_S override the script)
//   read                      read what the screen shows that was not read yet in this run: its
//                             words (drawn this frame, keyboard keys excluded) x 60 / wpm seconds
//   mistake WHY               notice a mistake (the correction's taps and keys follow, costed alike)
//   tap, type                 with `human on`: wait for the target, pause `tap` s (a key of `type`:
//                             `key` s), then press
//   scan TEXT                 a card's QR held to the keyboard-wedge scanner: it types TEXT and
//                             Enter; with `human on`, after a `scan` pause (human scan S, default
//                             3 s, MCK_HUMAN_SCAN_S), counted as a tap
// Every pause is multiplied by MCK_HUMAN_SCALE (default 1; 0.02 for a quick test run). At the end
// (or on failure) the kiosk prints, on stderr, one "walk-row:" line per screen visited (entered at,
// time on it, words shown and read, taps, keys, mistakes, human s, kiosk s) and a "walk-total:".
// ${NAME} anywhere in a step is replaced by the environment variable NAME (a run-time port).
// A failed step prints the line and why, and the kiosk exits with status 1.
#pragma once

#include <SDL.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "kiosk/app/ui/frame.h"
#include "offline/domain/status.h"

namespace mck::app::ui {

class ScriptRunner {
 public:
  enum class State { kRunning, kDone, kFailed };

  static Result<ScriptRunner> Load(const std::filesystem::path& file, std::filesystem::path shots_dir);

  // Called once per frame after rendering, before SDL_RenderPresent. `settled` is true when
  // the frame pacer has no pending frames (the picture is the latest state).
  State AfterFrame(Ui& ui, SDL_Window* window, SDL_Renderer* renderer, bool settled);
  const std::string& error() const { return error_; }

 private:
  struct Step {
    int line = 0;
    std::string verb;
    std::vector<std::string> args;
    std::string rest;  // everything after the verb (and after the first arg for expect_value)
  };
  using Clock = std::chrono::steady_clock;

  bool Fail(const Step& s, const std::string& why);
  void PushMouse(SDL_Window* w, Uint32 type, float x, float y);
  // Starts tapping the widget; false while it is not on screen yet.
  bool BeginTap(Ui& ui, const std::string& id, SDL_Window* window);

  std::vector<Step> steps_;
  std::filesystem::path shots_;
  size_t index_ = 0;
  // Progress through the current step.
  bool started_ = false;
  int phase_ = 0;
  int frames_ = 0;
  Clock::time_point deadline_{};
  std::u32string pending_chars_;
  ImVec2 pos_{};
  std::string tap_id_;     // the key being tapped by `type`
  std::string last_code_;  // the last provisional code on screen (`keys_code`)
  int drag_step_ = 0;

  // The human-timing model.
  struct Visit {
    std::string screen;
    double entered = 0, on = 0;  // s since the script started; s on this screen (wall time)
    int shown = 0, read = 0, taps = 0, keys = 0, mistakes = 0;
    double human = 0;       // modelled human seconds (unscaled)
    double human_real = 0;  // of which slept, scaled (on - human_real = the kiosk's own time)
  };
  void Account(Ui& ui, Clock::time_point now);
  // Starts a pause of `seconds` human time (scaled); true once it is over.
  bool HumanPause(double seconds, Clock::time_point now);
  void PrintWalk() const;
  bool human_ = false;
  double wpm_ = 110, tap_s_ = 1, key_s_ = 1, notice_s_ = 2, scan_s_ = 3, scale_ = 1;
  bool env_wpm_ = false, env_tap_ = false, env_key_ = false, env_notice_ = false, env_scan_ = false;
  bool pausing_ = false;
  bool tap_paused_ = false;  // this tap's human pause is over
  Clock::time_point pause_end_{};
  Clock::time_point start_{}, last_{};
  std::vector<Visit> visits_;
  std::map<uint64_t, int> read_;  // text segments already read in this run, by hash
  mutable bool printed_ = false;  // the walk log is printed once
  std::string error_;
  State state_ = State::kRunning;
};

}  // namespace mck::app::ui
