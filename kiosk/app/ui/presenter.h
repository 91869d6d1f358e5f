// Draws Dear ImGui's frame into the window and shows it (docs/ui.md "Partial redraw").
//
// Software (the default): a software SDL_Renderer drawing straight into the window's own surface
// (SDL_CreateSoftwareRenderer on SDL_GetWindowSurface), which keeps last frame's pixels. Each
// frame the damage tracker (damage.h) names the rectangles that changed; only those are cleared
// and redrawn (each draw command clipped to them) and only those are handed to the window
// (SDL_UpdateWindowSurfaceRects). A frame in which nothing changed draws and sends nothing.
// Other renderers (SDL_RENDER_DRIVER=opengl, …): a normal window renderer, cleared and redrawn
// whole every frame, then SDL_RenderPresent — as before.
//
// Opaque one-colour rectangles (window backgrounds, panels, plain fills) are filled without
// blending (opaque_fill.h): SDL blends them pixel by pixel although the result is the colour.
// Verification (`kiosk --verify-damage`, development builds; tests/ui's damage test): every frame
// is also drawn whole into a second software surface, by SDL alone (every triangle handed to
// SDL_RenderGeometryRaw, no plain fills), and the two pictures are compared pixel by pixel; the
// first difference fails Draw() with where it is.
//
// Use, on the UI thread: Create after the window; ImGui_ImplSDLRenderer_Init(renderer()) is done
// here (and again if the window's surface has to be rebuilt); each frame Draw(), then Present().
#pragma once

#include <SDL.h>
#include <imgui.h>

#include <memory>
#include <vector>

#include "kiosk/app/ui/damage.h"
#include "offline/domain/status.h"

namespace mck::app::ui {

class Presenter {
 public:
  struct Options {
    bool software = true;  // false: a window renderer (OpenGL…) redrawn whole
    bool damage = true;    // software only; false: clear and redraw all pixels every frame
    bool verify = false;   // software only: compare every frame with a whole redraw
    // software only: opaque one-colour rectangles filled without blending (opaque_fill.h)
    bool opaque_fills = true;
    // software only: hand the whole surface to the window after every drawn frame, damaged or
    // not. Wayland (cage): the surface is a texture uploaded whole anyway, and a compositor that
    // refused a commit must get another one (tests/package/session_test.py saw cage's headless
    // output refuse the first commits and show nothing when no further frame was presented).
    bool present_whole = false;
    ImU32 background = 0;  // the clear colour (RGBA as IM_COL32)
  };
  struct Stats {
    long long drawn_pixels = 0;      // last frame: pixels cleared and redrawn
    size_t rects = 0;                // last frame: rectangles redrawn and presented
    long long verified = 0;          // frames compared with a whole redraw (verify)
    long long verified_partial = 0;  // of those, frames that redrew less than the window
    long long opaque_fills = 0;      // rectangles filled without blending, all frames
  };

  // Creates the renderer and initialises ImGui's SDL_Renderer backend with it.
  static Result<std::unique_ptr<Presenter>> Create(SDL_Window* window, const Options& options);
  ~Presenter();
  Presenter(const Presenter&) = delete;
  Presenter& operator=(const Presenter&) = delete;

  SDL_Renderer* renderer() const { return renderer_; }
  bool software() const { return options_.software; }
  // After ImGui::Render(): clears and draws what changed. Fails only on an SDL error, or when
  // verifying and the partial picture differs from the whole redraw.
  [[nodiscard]] Status Draw(const ImDrawData& draw_data);
  // Shows what Draw drew.
  [[nodiscard]] Status Present();
  // The window's pixels may be lost (exposed, resized): the next frame redraws and shows all.
  void Invalidate() { tracker_.Invalidate(); }
  const Stats& stats() const { return stats_; }

 private:
  Presenter(SDL_Window* window, const Options& options) : window_(window), options_(options) {}
  [[nodiscard]] Status AttachSurface();  // (re)creates the software renderer on the window surface
  [[nodiscard]] Status Verify(const ImDrawData& draw_data);

  SDL_Window* window_;
  Options options_;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Surface* surface_ = nullptr;  // the window's, owned by SDL
  DamageTracker tracker_;
  std::vector<PixelRect> rects_;  // this frame's, for Present
  std::vector<SDL_Rect> sdl_rects_;
  Stats stats_;
  // Verification: a whole redraw into its own surface, with its own copy of the font texture.
  SDL_Surface* check_surface_ = nullptr;
  SDL_Renderer* check_renderer_ = nullptr;
  SDL_Texture* check_font_ = nullptr;
};

}  // namespace mck::app::ui
