// Opaque rectangles drawn as plain fills (docs/ui.md "Partial redraw"). SDL's software renderer
// turns two triangles that make an axis-aligned, one-colour rectangle into a rectangle fill
// (SDL_SW_RenderGeometryRaw in SDL_render.c, SDL 2.26), but always with alpha blending: every
// pixel is read, mixed and written, ~2.6 ns a pixel here, even when the colour is opaque and the
// result is the colour itself. Dear ImGui fills every window background, panel and plain
// rectangle that way, so a drag-scrolling frame spent about a third of its time blending opaque
// colours. FindOpaqueFills finds, in one draw command, exactly the pairs SDL would fill (the
// same pairing of consecutive triangles, the same tests), keeping those whose colour is opaque;
// the presenter draws them with SDL_BLENDMODE_NONE (a plain store, the same pixels: blending an
// opaque colour gives the colour) and hands the triangles between them to SDL as before, cut
// only where SDL's own pairing starts afresh, so every other triangle is drawn as it was.
// `kiosk --verify-damage` compares every frame with SDL's own drawing of the whole frame.
#pragma once

#include <SDL.h>
#include <imgui.h>

#include <vector>

namespace mck::app::ui {

struct OpaqueFill {
  int first = 0;  // the pair's first index in the command's index list; the pair is [first, first + 6)
  SDL_FRect rect{};
  SDL_Color color{};
};

// `vtx` and `idx` as given to SDL_RenderGeometryRaw for one command (indices relative to vtx);
// `tex_w`/`tex_h` the command's texture size (0, 0 without a texture).
std::vector<OpaqueFill> FindOpaqueFills(const ImDrawVert* vtx, const ImDrawIdx* idx, int index_count, bool textured,
                                        int tex_w, int tex_h);

// Hands one command's triangles (or a run of them) to SDL_RenderGeometryRaw, as ImGui's
// SDL_Renderer backend does.
void DrawGeometry(SDL_Renderer* r, SDL_Texture* tex, const ImDrawVert* vtx, int vertices, const ImDrawIdx* idx,
                  int index_count);

// Draws one command (`vertices` from vtx, `index_count` indices; clip rectangle already set): the
// opaque fills with SDL_RenderFillRectF and SDL_BLENDMODE_NONE, everything between them with
// SDL_RenderGeometryRaw. Returns the number of plain fills. The draw blend mode is left as found.
long long DrawWithOpaqueFills(SDL_Renderer* r, SDL_Texture* tex, const ImDrawVert* vtx, int vertices,
                              const ImDrawIdx* idx, int index_count);

}  // namespace mck::app::ui
