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
//   sleep SECONDS             real time (the loop keeps sleeping between its deadlines)
//   screenshot PATH           PNG of the next settled frame (relative to --shots DIR)
//   frames on|off             with --frame-log: record frame times only between these
//   quit
// ${NAME} anywhere in a step is replaced by the environment variable NAME (a run-time port).
// A failed step prints the line and why, and the kiosk exits with status 1.
#pragma once

#include <SDL.h>

#include <chrono>
#include <filesystem>
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
  std::string error_;
  State state_ = State::kRunning;
};

}  // namespace mck::app::ui
