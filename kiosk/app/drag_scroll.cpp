#include "kiosk/app/drag_scroll.h"

#include <cmath>

namespace mck::app {
namespace {
constexpr float kFriction = 4.0f;        // 1/s: velocity falls to e^-4 ≈ 2% in a second
constexpr float kMinVelocity = 20.0f;    // px/s: below this the list stops
constexpr float kMaxVelocity = 6000.0f;  // px/s
}  // namespace

void DragScroll::Press(float y, double t) {
  pressed_ = true;
  dragging_ = false;
  velocity_ = 0;
  press_y_ = last_y_ = y;
  press_offset_ = offset_;
  last_t_ = t;
}

bool DragScroll::Move(float y, double t) {
  if (!pressed_) return false;
  if (!dragging_ && std::fabs(y - press_y_) > slop_) dragging_ = true;
  if (dragging_) {
    offset_ = Clamp(press_offset_ - (y - press_y_));
    const double dt = t - last_t_;
    if (dt > 0.0005) {
      // Smoothed finger speed (offset grows when the finger moves up).
      const float v = static_cast<float>(-(y - last_y_) / dt);
      velocity_ = 0.6f * v + 0.4f * velocity_;
      last_y_ = y;
      last_t_ = t;
    }
  }
  return dragging_;
}

void DragScroll::Release(double t) {
  if (!pressed_) return;
  pressed_ = false;
  // A finger that stopped before lifting does not fling.
  if (!dragging_ || t - last_t_ > 0.1) velocity_ = 0;
  if (velocity_ > kMaxVelocity) velocity_ = kMaxVelocity;
  if (velocity_ < -kMaxVelocity) velocity_ = -kMaxVelocity;
  if (std::fabs(velocity_) < kMinVelocity) velocity_ = 0;
}

bool DragScroll::Step(double dt) {
  if (pressed_ || velocity_ == 0) return false;
  offset_ = Clamp(offset_ + velocity_ * static_cast<float>(dt));
  velocity_ *= std::exp(-kFriction * static_cast<float>(dt));
  if (std::fabs(velocity_) < kMinVelocity || offset_ <= 0 || offset_ >= max_) velocity_ = 0;
  return velocity_ != 0;
}

void DragScroll::SetMax(float max_offset) {
  max_ = max_offset > 0 ? max_offset : 0;
  offset_ = Clamp(offset_);
}

void DragScroll::Reset() {
  pressed_ = dragging_ = false;
  offset_ = velocity_ = 0;
}

}  // namespace mck::app
