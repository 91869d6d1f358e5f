#include "kiosk/app/ui/presenter.h"

#include <imgui_impl_sdlrenderer.h>

#include <string>

#include "kiosk/app/ui/draw_clip.h"
#include "kiosk/app/ui/opaque_fill.h"

namespace mck::app::ui {
namespace {

Status SdlError(const std::string& what) {
  return Status::Error(Code::kInternal, what + ": " + SDL_GetError());
}

void SetColor(SDL_Renderer* r, ImU32 c) {
  SDL_SetRenderDrawColor(r, static_cast<Uint8>(c >> IM_COL32_R_SHIFT), static_cast<Uint8>(c >> IM_COL32_G_SHIFT),
                         static_cast<Uint8>(c >> IM_COL32_B_SHIFT), static_cast<Uint8>(c >> IM_COL32_A_SHIFT));
}

// Draws every command of `dd` that meets `area`, clipped to it, in ImGui's order. Commands are
// kept whole (SDL's software path pairs consecutive triangles into rectangles, so dropping some
// could change how the others are drawn). `font` replaces ImGui's texture id when not null
// (the verification renderer has its own copy of the atlas). Returns the number of plain fills.
long long DrawArea(SDL_Renderer* r, const ImDrawData& dd, const PixelRect& area, int width, int height,
                   SDL_Texture* font, bool opaque_fills) {
  long long fills = 0;
  for (int n = 0; n < dd.CmdListsCount; ++n) {
    const ImDrawList* list = dd.CmdLists[n];
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const PixelRect clip = Intersect(CommandClip(dd, cmd, width, height), area);
      if (clip.empty()) continue;
      const SDL_Rect sr{clip.x, clip.y, clip.w, clip.h};
      SDL_RenderSetClipRect(r, &sr);
      SDL_Texture* tex = font ? font : static_cast<SDL_Texture*>(cmd.GetTexID());
      const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
      const int vertices = list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset);
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const int count = static_cast<int>(cmd.ElemCount);
      if (opaque_fills) {
        fills += DrawWithOpaqueFills(r, tex, v, vertices, idx, count);
      } else {
        DrawGeometry(r, tex, v, vertices, idx, count);
      }
    }
  }
  SDL_RenderSetClipRect(r, nullptr);
  return fills;
}

}  // namespace

Result<std::unique_ptr<Presenter>> Presenter::Create(SDL_Window* window, const Options& options) {
  std::unique_ptr<Presenter> p(new Presenter(window, options));
  if (options.software) {
    if (Status st = p->AttachSurface(); !st.ok()) return st;
  } else {
    p->renderer_ = SDL_CreateRenderer(window, -1, 0);
    if (!p->renderer_) return SdlError("SDL_CreateRenderer");
    ImGui_ImplSDLRenderer_Init(p->renderer_);
  }
  return p;
}

Presenter::~Presenter() {
  if (check_font_) SDL_DestroyTexture(check_font_);
  if (check_renderer_) SDL_DestroyRenderer(check_renderer_);
  if (check_surface_) SDL_FreeSurface(check_surface_);
  if (renderer_) {
    ImGui_ImplSDLRenderer_Shutdown();
    SDL_DestroyRenderer(renderer_);
  }
}

Status Presenter::AttachSurface() {
  if (renderer_) {
    ImGui_ImplSDLRenderer_Shutdown();  // frees the font texture of the old renderer
    SDL_DestroyRenderer(renderer_);
    renderer_ = nullptr;
  }
  surface_ = SDL_GetWindowSurface(window_);
  if (!surface_) return SdlError("SDL_GetWindowSurface");
  renderer_ = SDL_CreateSoftwareRenderer(surface_);
  if (!renderer_) return SdlError("SDL_CreateSoftwareRenderer");
  ImGui_ImplSDLRenderer_Init(renderer_);  // the font texture is made at the next NewFrame
  tracker_.Invalidate();
  return Status::Ok();
}

Status Presenter::Draw(const ImDrawData& dd) {
  if (!options_.software) {
    SetColor(renderer_, options_.background);
    SDL_RenderClear(renderer_);
    ImGui_ImplSDLRenderer_RenderDrawData(const_cast<ImDrawData*>(&dd));
    return Status::Ok();
  }
  const int w = surface_->w, h = surface_->h;
  if (options_.damage) {
    rects_ = tracker_.Update(dd, w, h);
  } else {
    rects_.assign(1, PixelRect{0, 0, w, h});
  }
  stats_.drawn_pixels = 0;
  stats_.rects = rects_.size();
  for (const PixelRect& area : rects_) {
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
    SetColor(renderer_, options_.background);
    const SDL_Rect sr{area.x, area.y, area.w, area.h};
    SDL_RenderFillRect(renderer_, &sr);
    stats_.opaque_fills += DrawArea(renderer_, dd, area, w, h, nullptr, options_.opaque_fills);
    stats_.drawn_pixels += area.area();
  }
  SDL_RenderFlush(renderer_);
  return options_.verify ? Verify(dd) : Status::Ok();
}

Status Presenter::Present() {
  if (!options_.software) {
    SDL_RenderPresent(renderer_);
    return Status::Ok();
  }
  if (options_.present_whole) {
    if (SDL_UpdateWindowSurface(window_) != 0) {
      Status failed = SdlError("SDL_UpdateWindowSurface");
      if (Status st = AttachSurface(); !st.ok()) return st;
      return failed;
    }
    return Status::Ok();
  }
  if (rects_.empty()) return Status::Ok();
  sdl_rects_.clear();
  for (const PixelRect& r : rects_) sdl_rects_.push_back(SDL_Rect{r.x, r.y, r.w, r.h});
  if (SDL_UpdateWindowSurfaceRects(window_, sdl_rects_.data(), static_cast<int>(sdl_rects_.size())) != 0) {
    // The surface went away (the window was resized): a new one, all redrawn next frame.
    Status failed = SdlError("SDL_UpdateWindowSurfaceRects");
    if (Status st = AttachSurface(); !st.ok()) return st;
    return failed;
  }
  return Status::Ok();
}

Status Presenter::Verify(const ImDrawData& dd) {
  const int w = surface_->w, h = surface_->h;
  if (surface_->format->BytesPerPixel != 4) {
    return Status::Error(Code::kInternal, "verify-damage: the window surface is not 32-bit");
  }
  if (!check_surface_ || check_surface_->w != w || check_surface_->h != h) {
    if (check_font_) SDL_DestroyTexture(check_font_);
    if (check_renderer_) SDL_DestroyRenderer(check_renderer_);
    if (check_surface_) SDL_FreeSurface(check_surface_);
    check_surface_ = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, surface_->format->format);
    if (!check_surface_) return SdlError("SDL_CreateRGBSurfaceWithFormat");
    check_renderer_ = SDL_CreateSoftwareRenderer(check_surface_);
    if (!check_renderer_) return SdlError("SDL_CreateSoftwareRenderer");
    unsigned char* pixels = nullptr;
    int tw = 0, th = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
    check_font_ = SDL_CreateTexture(check_renderer_, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, tw, th);
    if (!check_font_) return SdlError("SDL_CreateTexture");
    SDL_UpdateTexture(check_font_, nullptr, pixels, 4 * tw);
    SDL_SetTextureBlendMode(check_font_, SDL_BLENDMODE_BLEND);
  }
  SDL_SetRenderDrawBlendMode(check_renderer_, SDL_BLENDMODE_NONE);
  SetColor(check_renderer_, options_.background);
  SDL_RenderClear(check_renderer_);
  DrawArea(check_renderer_, dd, PixelRect{0, 0, w, h}, w, h, check_font_, false);
  SDL_RenderFlush(check_renderer_);

  ++stats_.verified;
  if (stats_.drawn_pixels < static_cast<long long>(w) * h) ++stats_.verified_partial;
  const Uint32 mask = surface_->format->Rmask | surface_->format->Gmask | surface_->format->Bmask;
  for (int y = 0; y < h; ++y) {
    const auto* a = reinterpret_cast<const Uint32*>(static_cast<const char*>(surface_->pixels) + y * surface_->pitch);
    const auto* b =
        reinterpret_cast<const Uint32*>(static_cast<const char*>(check_surface_->pixels) + y * check_surface_->pitch);
    for (int x = 0; x < w; ++x) {
      if (((a[x] ^ b[x]) & mask) != 0) {
        return Status::Error(Code::kInternal, "verify-damage: frame " + std::to_string(stats_.verified) + ", pixel (" +
                                                  std::to_string(x) + "," + std::to_string(y) +
                                                  ") differs from a whole redraw (" + std::to_string(rects_.size()) +
                                                  " rectangles redrawn, " + std::to_string(stats_.drawn_pixels) +
                                                  " pixels)");
      }
    }
  }
  return Status::Ok();
}

}  // namespace mck::app::ui
