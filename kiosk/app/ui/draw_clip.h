// Where a Dear ImGui draw command may draw, in window pixels: its clip rectangle projected and
// cut to the window exactly as the SDL_Renderer backend does before SDL_RenderSetClipRect.
// Shared by the damage tracker (damage.h) and the presenter (presenter.h) so both agree.
#pragma once

#include <imgui.h>

#include "kiosk/app/ui/damage.h"

namespace mck::app::ui {

inline PixelRect CommandClip(const ImDrawData& dd, const ImDrawCmd& cmd, int width, int height) {
  float x0 = (cmd.ClipRect.x - dd.DisplayPos.x) * dd.FramebufferScale.x;
  float y0 = (cmd.ClipRect.y - dd.DisplayPos.y) * dd.FramebufferScale.y;
  float x1 = (cmd.ClipRect.z - dd.DisplayPos.x) * dd.FramebufferScale.x;
  float y1 = (cmd.ClipRect.w - dd.DisplayPos.y) * dd.FramebufferScale.y;
  if (x0 < 0) x0 = 0;
  if (y0 < 0) y0 = 0;
  if (x1 > static_cast<float>(width)) x1 = static_cast<float>(width);
  if (y1 > static_cast<float>(height)) y1 = static_cast<float>(height);
  if (x1 <= x0 || y1 <= y0) return PixelRect{};
  return PixelRect{static_cast<int>(x0), static_cast<int>(y0), static_cast<int>(x1 - x0), static_cast<int>(y1 - y0)};
}

inline PixelRect Intersect(const PixelRect& a, const PixelRect& b) {
  const int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
  const int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
  const int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
  if (x1 <= x0 || y1 <= y0) return PixelRect{};
  return PixelRect{x0, y0, x1 - x0, y1 - y0};
}

}  // namespace mck::app::ui
