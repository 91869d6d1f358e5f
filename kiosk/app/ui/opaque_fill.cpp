#include "kiosk/app/ui/opaque_fill.h"

namespace mck::app::ui {
namespace {

struct Tri {
  int k[3] = {-1, -1, -1};
  bool empty() const { return k[0] < 0; }
  bool has(int v) const { return k[0] == v || k[1] == v || k[2] == v; }
};

// SDL's corner picking: the vertex of `t` no other vertex is left of and above (A), or right of
// and below (B), found with SDL's comparisons so that ties resolve the same way.
int TopLeft(const ImDrawVert* v, const Tri& t) {
  const ImVec2 p0 = v[t.k[0]].pos, p1 = v[t.k[1]].pos, p2 = v[t.k[2]].pos;
  if (p0.x <= p1.x && p0.y <= p1.y) return (p0.x <= p2.x && p0.y <= p2.y) ? t.k[0] : t.k[2];
  return (p1.x <= p2.x && p1.y <= p2.y) ? t.k[1] : t.k[2];
}

int BottomRight(const ImDrawVert* v, const Tri& t) {
  const ImVec2 p0 = v[t.k[0]].pos, p1 = v[t.k[1]].pos, p2 = v[t.k[2]].pos;
  if (p0.x >= p1.x && p0.y >= p1.y) return (p0.x >= p2.x && p0.y >= p2.y) ? t.k[0] : t.k[2];
  return (p1.x >= p2.x && p1.y >= p2.y) ? t.k[1] : t.k[2];
}

// The vertex of `t` that is neither a nor b (SDL takes the first such in order).
int Other(const Tri& t, int a, int b) {
  for (int k : t.k) {
    if (k != a && k != b) return k;
  }
  return t.k[2];
}

// A, B and the corner c make a right angle at c with axis-aligned sides.
bool RightCorner(const ImVec2& a, const ImVec2& b, const ImVec2& c) {
  return (a.x == c.x && b.y == c.y) || (a.y == c.y && b.x == c.x);
}

}  // namespace

std::vector<OpaqueFill> FindOpaqueFills(const ImDrawVert* vtx, const ImDrawIdx* idx, int index_count, bool textured,
                                        int tex_w, int tex_h) {
  std::vector<OpaqueFill> out;
  Tri prev;
  for (int i = 0; i + 2 < index_count; i += 3) {
    const Tri cur{{static_cast<int>(idx[i]), static_cast<int>(idx[i + 1]), static_cast<int>(idx[i + 2])}};
    if (prev.empty()) {
      prev = cur;
      continue;
    }
    const int shared = prev.has(cur.k[0]) + prev.has(cur.k[1]) + prev.has(cur.k[2]);
    bool quad = shared == 2;
    int a = -1, b = -1;
    if (quad) {
      a = TopLeft(vtx, cur);
      b = BottomRight(vtx, cur);
      const int c = Other(cur, a, b), c2 = Other(prev, a, b);
      quad = RightCorner(vtx[a].pos, vtx[b].pos, vtx[c].pos) && RightCorner(vtx[a].pos, vtx[b].pos, vtx[c2].pos) &&
             vtx[a].col == vtx[b].col && vtx[a].col == vtx[c].col && vtx[a].col == vtx[c2].col;
    }
    if (!quad) {
      prev = cur;
      continue;
    }
    // SDL copies the texture when the pair spans at least one texel each way, else fills.
    bool fill = true;
    if (textured) {
      const int sx = static_cast<int>(vtx[a].uv.x * static_cast<float>(tex_w));
      const int sy = static_cast<int>(vtx[a].uv.y * static_cast<float>(tex_h));
      const int sw = static_cast<int>(vtx[b].uv.x * static_cast<float>(tex_w) - static_cast<float>(sx));
      const int sh = static_cast<int>(vtx[b].uv.y * static_cast<float>(tex_h) - static_cast<float>(sy));
      fill = sw == 0 || sh == 0;
    }
    const SDL_FRect rect{vtx[a].pos.x, vtx[a].pos.y, vtx[b].pos.x - vtx[a].pos.x, vtx[b].pos.y - vtx[a].pos.y};
    const ImU32 col = vtx[cur.k[0]].col;
    const auto alpha = static_cast<Uint8>(col >> IM_COL32_A_SHIFT);
    if (fill && rect.w != 0 && rect.h != 0 && alpha == 255) {
      out.push_back(OpaqueFill{i - 3, rect,
                               SDL_Color{static_cast<Uint8>(col >> IM_COL32_R_SHIFT),
                                         static_cast<Uint8>(col >> IM_COL32_G_SHIFT),
                                         static_cast<Uint8>(col >> IM_COL32_B_SHIFT), alpha}});
    }
    prev = Tri{};
  }
  return out;
}

void DrawGeometry(SDL_Renderer* r, SDL_Texture* tex, const ImDrawVert* vtx, int vertices, const ImDrawIdx* idx,
                  int index_count) {
  SDL_RenderGeometryRaw(r, tex, &vtx->pos.x, sizeof(ImDrawVert), reinterpret_cast<const SDL_Color*>(&vtx->col),
                        sizeof(ImDrawVert), &vtx->uv.x, sizeof(ImDrawVert), vertices, idx, index_count,
                        sizeof(ImDrawIdx));
}

long long DrawWithOpaqueFills(SDL_Renderer* r, SDL_Texture* tex, const ImDrawVert* vtx, int vertices,
                              const ImDrawIdx* idx, int index_count) {
  const auto geometry = [&](int from, int to) {
    if (to > from) DrawGeometry(r, tex, vtx, vertices, idx + from, to - from);
  };
  int tex_w = 0, tex_h = 0;
  if (tex) SDL_QueryTexture(tex, nullptr, nullptr, &tex_w, &tex_h);
  const std::vector<OpaqueFill> fills = FindOpaqueFills(vtx, idx, index_count, tex != nullptr, tex_w, tex_h);
  SDL_BlendMode mode = SDL_BLENDMODE_NONE;
  SDL_GetRenderDrawBlendMode(r, &mode);
  int at = 0;
  for (const OpaqueFill& f : fills) {
    geometry(at, f.first);
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(r, f.color.r, f.color.g, f.color.b, f.color.a);
    SDL_RenderFillRectF(r, &f.rect);
    SDL_SetRenderDrawBlendMode(r, mode);
    at = f.first + 6;
  }
  geometry(at, index_count);
  return static_cast<long long>(fills.size());
}

}  // namespace mck::app::ui
