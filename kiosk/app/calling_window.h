// The calling display (issue 12, docs/calling-display.md): a second SDL window of the kiosk
// process — full screen on the display [calling_display] display names (the counter's TV), or a
// window of width x height — showing, for each counter, the number being served and the next few
// waiting, in large type, in Vietnamese, white and yellow on black. The numbers are said aloud by
// the App (app_calling.cpp, SpeechService::Call); this window only shows them.
//
// Drawn on the UI thread with its own Dear ImGui context (1.86's SDL_Renderer backend keeps its
// data per context) and its own software renderer; it takes no input. It redraws only when the
// App's board changed (App::calling_board_version) or its window was exposed, so an idle kiosk
// still sleeps. Ticket numbers and counter names only: no personal data is ever drawn here.
//
// Use, on the UI thread: Open after SDL's video is up and the main ImGui context exists; Draw
// once per main-loop frame, outside the main context's frame (it switches contexts and restores
// the caller's); destroy before SDL_Quit.
#pragma once

#include <SDL.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "kiosk/app/app.h"
#include "kiosk/app/ui/fonts.h"
#include "offline/domain/config.h"
#include "offline/domain/status.h"

struct ImGuiContext;

namespace mck::app {

class CallingWindow {
 public:
  // kUnavailable when the configured display is not there (the TV unplugged): the kiosk runs on
  // without it and logs why.
  static Result<std::unique_ptr<CallingWindow>> Open(const KioskConfig& config, const std::filesystem::path& font_dir);
  // Null unless [calling_display] enabled; logs "calling display on/off: …".
  static std::unique_ptr<CallingWindow> OpenIfEnabled(const KioskConfig& config, const std::filesystem::path& font_dir);
  ~CallingWindow();
  CallingWindow(const CallingWindow&) = delete;
  CallingWindow& operator=(const CallingWindow&) = delete;

  // Redraws when the board changed or the window was exposed; otherwise does nothing.
  void Draw(const App& app);

  SDL_Renderer* renderer() const { return renderer_; }
  uint64_t frames_drawn() const { return frames_; }
  // The window open now (one at most), for the test script's `shot_calling`; null when none.
  static CallingWindow* Current();

 private:
  CallingWindow() = default;
  static int OnSdlEvent(void* self, SDL_Event* event);  // an SDL event watch: exposure
  void DrawBoard(const App& app, float width, float height);

  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  ImGuiContext* context_ = nullptr;
  ui::Fonts fonts_;
  Uint32 window_id_ = 0;
  std::atomic<bool> exposed_{true};
  uint64_t drawn_version_ = 0;
  uint64_t frames_ = 0;
};

}  // namespace mck::app
