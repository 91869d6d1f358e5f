// Screenshots of the rendered frame (SDL_RenderReadPixels → PNG through libpng), for the UI
// tests, the docs and the demo on machines without a display. Call after rendering and before
// SDL_RenderPresent. UI thread only.
#pragma once

#include <SDL.h>

#include <filesystem>

#include "offline/domain/status.h"

namespace mck::app::ui {

Status SaveScreenshot(SDL_Renderer* renderer, const std::filesystem::path& png);

}  // namespace mck::app::ui
