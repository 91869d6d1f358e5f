// Damage tracking for the software renderer (docs/ui.md "Partial redraw"). Dear ImGui rebuilds
// its whole draw list every frame and has no notion of what changed; redrawing and presenting
// all 1920x1080 pixels is what made a drag-scrolling frame cost ~25 ms in software. This
// compares frames instead: the window is cut into kTile×kTile tiles, and each tile gets a hash
// of every triangle that can touch it (its three vertices — position, uv, colour —, its texture
// and its clip rectangle), in drawing order. A tile whose hash equals last frame's holds the
// same pixels (the rasteriser is deterministic and the font texture never changes after
// start-up), so only the tiles that differ are cleared, redrawn and presented.
// A triangle "can touch" a tile when its bounding box, grown by kMarginPx on each side for the
// rasteriser's rounding, meets the tile inside the clip rectangle. Conservative by design: a
// wrong "same" would leave stale pixels on screen, a wrong "changed" only costs time.
// `kiosk --verify-damage` (development builds) renders every frame both ways and compares the
// pixels (presenter.h); tests/ui's damage test runs it.
// UI thread only.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

namespace mck::app::ui {

struct PixelRect {
  int x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w <= 0 || h <= 0; }
  long long area() const { return empty() ? 0 : static_cast<long long>(w) * h; }
};

class DamageTracker {
 public:
  static constexpr int kTile = 32;
  static constexpr int kMarginPx = 2;
  // Beyond this many rectangles their bounding box is redrawn instead (each rectangle is one
  // pass over the draw lists).
  static constexpr size_t kMaxRects = 8;

  // The rectangles (window pixels, tile-aligned, clipped to the window) whose pixels differ
  // from the last frame given to Update. The first frame, the first after Invalidate() and a
  // size change damage the whole window. Empty: the picture is unchanged.
  std::vector<PixelRect> Update(const ImDrawData& draw_data, int width, int height);
  // Forget the last frame (the window's pixels were lost or replaced): the next Update damages all.
  void Invalidate() { previous_.clear(); }
  // Tiles that differed in the last Update, out of tiles().
  int changed_tiles() const { return changed_tiles_; }
  int tiles() const { return cols_ * rows_; }

 private:
  int cols_ = 0, rows_ = 0, width_ = 0, height_ = 0;
  std::vector<uint64_t> previous_, current_;
  std::vector<uint8_t> dirty_;
  int changed_tiles_ = 0;
};

}  // namespace mck::app::ui
