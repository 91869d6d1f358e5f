// Drag-to-scroll for touch lists (Dear ImGui 1.86 has none, imgui#3379). A press that moves
// more than `slop` pixels becomes a drag: the list follows the finger, and the tap that would
// have hit a button under the finger is cancelled. On release the list keeps the finger's speed
// and slows down (friction), like a phone. Pure arithmetic over positions and seconds, so it
// is tested without a window; the ImGui side (ui/widgets.cpp) feeds it and applies Offset().
// Not thread-safe: UI thread only.
#pragma once

namespace mck::app {

class DragScroll {
 public:
  explicit DragScroll(float slop_px = 14.0f) : slop_(slop_px) {}

  // Pointer pressed inside the list at y (pixels), at time t (seconds). Stops any fling.
  void Press(float y, double t);
  // Pointer moved while pressed. Returns true once the gesture is a drag.
  bool Move(float y, double t);
  // Pointer released.
  void Release(double t);
  // Advances a fling by dt seconds. Returns true while the list is still moving.
  bool Step(double dt);

  // The scroll offset, clamped to [0, max]. The list sets max from its content height.
  float Offset() const { return offset_; }
  void SetOffset(float offset) { offset_ = Clamp(offset); }
  void SetMax(float max_offset);
  // True from the moment a press became a drag until Settle() after the release: taps are
  // suppressed meanwhile, so the finger lifted at the end of a drag taps nothing.
  bool dragging() const { return dragging_; }
  // Called once a frame before the pointer is looked at: a drag released in an earlier frame is
  // over. Until 2026-12-07 it lasted until the list's next press, and every button OUTSIDE the
  // list (Quay lại, the header, the lĩnh vực buttons) ignored taps after a scroll.
  void Settle() {
    if (!pressed_) dragging_ = false;
  }
  bool pressed() const { return pressed_; }
  bool flinging() const { return velocity_ != 0.0f; }
  void Reset();

 private:
  float Clamp(float v) const { return v < 0 ? 0 : (v > max_ ? max_ : v); }
  float slop_;
  float max_ = 0;
  float offset_ = 0;
  bool pressed_ = false;
  bool dragging_ = false;
  float press_y_ = 0, press_offset_ = 0;
  float last_y_ = 0;
  double last_t_ = 0;
  float velocity_ = 0;  // pixels per second, in offset direction
};

}  // namespace mck::app
