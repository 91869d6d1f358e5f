#include "kiosk/app/ui/damage.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kiosk/app/ui/draw_clip.h"

namespace mck::app::ui {
namespace {

constexpr uint64_t kMul = 0x9E3779B97F4A7C15ULL;

inline uint64_t Mix(uint64_t h, uint64_t v) {
  h ^= v + kMul + (h << 6) + (h >> 2);
  h *= 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 31);
}

uint64_t HashVertex(uint64_t h, const ImDrawVert& v) {
  static_assert(sizeof(ImDrawVert) == 20, "ImDrawVert: pos, uv, col");
  uint64_t a, b;
  uint32_t c;
  std::memcpy(&a, &v.pos, 8);
  std::memcpy(&b, &v.uv, 8);
  std::memcpy(&c, &v.col, 4);
  return Mix(Mix(Mix(h, a), b), c);
}

}  // namespace

std::vector<PixelRect> DamageTracker::Update(const ImDrawData& dd, int width, int height) {
  const int cols = (width + kTile - 1) / kTile, rows = (height + kTile - 1) / kTile;
  bool all_dirty = previous_.empty() || width != width_ || height != height_;
  cols_ = cols;
  rows_ = rows;
  width_ = width;
  height_ = height;
  current_.assign(static_cast<size_t>(cols) * static_cast<size_t>(rows), 0x51ED2701ULL);

  for (int n = 0; n < dd.CmdListsCount; ++n) {
    const ImDrawList* list = dd.CmdLists[n];
    const ImDrawVert* vtx = list->VtxBuffer.Data;
    const ImDrawIdx* idx = list->IdxBuffer.Data;
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        all_dirty = true;  // a callback may draw anything (the kiosk registers none)
        continue;
      }
      const PixelRect clip = CommandClip(dd, cmd, width, height);
      if (clip.empty()) continue;
      uint64_t base = Mix(Mix(0, reinterpret_cast<uintptr_t>(cmd.GetTexID())),
                          (static_cast<uint64_t>(clip.x) << 48) ^ (static_cast<uint64_t>(clip.y) << 32) ^
                              (static_cast<uint64_t>(clip.w) << 16) ^ static_cast<uint64_t>(clip.h));
      const ImDrawVert* v = vtx + cmd.VtxOffset;
      for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
        const ImDrawVert& a = v[idx[cmd.IdxOffset + i]];
        const ImDrawVert& b = v[idx[cmd.IdxOffset + i + 1]];
        const ImDrawVert& c = v[idx[cmd.IdxOffset + i + 2]];
        const float fx0 = std::min({a.pos.x, b.pos.x, c.pos.x}), fx1 = std::max({a.pos.x, b.pos.x, c.pos.x});
        const float fy0 = std::min({a.pos.y, b.pos.y, c.pos.y}), fy1 = std::max({a.pos.y, b.pos.y, c.pos.y});
        if (!(fx1 >= -1e6f && fx0 <= 1e6f && fy1 >= -1e6f && fy0 <= 1e6f)) continue;  // NaN or far away
        const int x0 = std::max(clip.x, static_cast<int>(std::floor(fx0 - dd.DisplayPos.x)) - kMarginPx);
        const int y0 = std::max(clip.y, static_cast<int>(std::floor(fy0 - dd.DisplayPos.y)) - kMarginPx);
        const int x1 = std::min(clip.x + clip.w, static_cast<int>(std::ceil(fx1 - dd.DisplayPos.x)) + kMarginPx);
        const int y1 = std::min(clip.y + clip.h, static_cast<int>(std::ceil(fy1 - dd.DisplayPos.y)) + kMarginPx);
        if (x1 <= x0 || y1 <= y0) continue;
        const uint64_t h = HashVertex(HashVertex(HashVertex(base, a), b), c);
        for (int ty = y0 / kTile; ty <= (y1 - 1) / kTile; ++ty) {
          uint64_t* row = current_.data() + static_cast<size_t>(ty) * static_cast<size_t>(cols);
          for (int tx = x0 / kTile; tx <= (x1 - 1) / kTile; ++tx) row[tx] = Mix(row[tx], h);
        }
      }
    }
  }

  dirty_.assign(current_.size(), 0);
  changed_tiles_ = 0;
  for (size_t t = 0; t < current_.size(); ++t) {
    if (all_dirty || current_[t] != previous_[t]) {
      dirty_[t] = 1;
      ++changed_tiles_;
    }
  }
  previous_.swap(current_);

  // Runs of dirty tiles per row; a run with the same columns as one in the row above extends it.
  std::vector<PixelRect> rects;
  std::vector<size_t> open;  // indices into rects that ended on the previous row
  for (int ty = 0; ty < rows; ++ty) {
    std::vector<size_t> next_open;
    for (int tx = 0; tx < cols;) {
      if (!dirty_[static_cast<size_t>(ty) * static_cast<size_t>(cols) + static_cast<size_t>(tx)]) {
        ++tx;
        continue;
      }
      int end = tx;
      while (end < cols && dirty_[static_cast<size_t>(ty) * static_cast<size_t>(cols) + static_cast<size_t>(end)])
        ++end;
      const int px = tx * kTile, pw = std::min(end * kTile, width) - px;
      auto same =
          std::find_if(open.begin(), open.end(), [&](size_t r) { return rects[r].x == px && rects[r].w == pw; });
      if (same != open.end()) {
        rects[*same].h = std::min((ty + 1) * kTile, height) - rects[*same].y;
        next_open.push_back(*same);
      } else {
        rects.push_back(PixelRect{px, ty * kTile, pw, std::min((ty + 1) * kTile, height) - ty * kTile});
        next_open.push_back(rects.size() - 1);
      }
      tx = end;
    }
    open.swap(next_open);
  }
  if (rects.size() > kMaxRects) {
    PixelRect box = rects.front();
    int bx1 = box.x + box.w, by1 = box.y + box.h;
    for (const PixelRect& r : rects) {
      box.x = std::min(box.x, r.x);
      box.y = std::min(box.y, r.y);
      bx1 = std::max(bx1, r.x + r.w);
      by1 = std::max(by1, r.y + r.h);
    }
    box.w = bx1 - box.x;
    box.h = by1 - box.y;
    rects.assign(1, box);
  }
  return rects;
}

}  // namespace mck::app::ui
