// Drag-to-scroll arithmetic: slop before a drag, following the finger, clamping, fling.
#include <catch2/catch.hpp>

#include "kiosk/app/drag_scroll.h"

using mck::app::DragScroll;

TEST_CASE("a small movement is a tap, not a drag") {
  DragScroll d(14);
  d.SetMax(1000);
  d.Press(500, 0.0);
  CHECK_FALSE(d.Move(508, 0.05));
  d.Release(0.1);
  CHECK_FALSE(d.dragging());
  CHECK(d.Offset() == 0);
}

TEST_CASE("dragging up scrolls down by the same distance, clamped to the content") {
  DragScroll d(14);
  d.SetMax(300);
  d.Press(500, 0.0);
  CHECK(d.Move(400, 0.1));
  CHECK(d.dragging());
  CHECK(d.Offset() == Approx(100));
  d.Move(0, 0.2);
  CHECK(d.Offset() == Approx(300));  // clamped at the end
  d.Move(700, 0.3);
  CHECK(d.Offset() == Approx(0));  // and at the start
}

TEST_CASE("a quick flick keeps moving and slows down, a finger that stopped does not fling") {
  DragScroll d(14);
  d.SetMax(5000);
  d.Press(800, 0.0);
  for (int i = 1; i <= 5; ++i) d.Move(800.0f - 40.0f * static_cast<float>(i), 0.016 * i);
  d.Release(0.016 * 5 + 0.01);
  REQUIRE(d.flinging());
  const float start = d.Offset();
  int steps = 0;
  while (d.Step(0.016) && steps < 1000) ++steps;
  CHECK(d.Offset() > start + 100);
  CHECK_FALSE(d.flinging());
  CHECK(steps < 1000);

  DragScroll s(14);
  s.SetMax(5000);
  s.Press(800, 0.0);
  s.Move(600, 0.1);
  s.Release(0.5);  // held still for 0.4 s before lifting
  CHECK_FALSE(s.flinging());
}

TEST_CASE("a released drag still suppresses the tap of its own release, and is over at the next frame") {
  DragScroll d(14);
  d.SetMax(1000);
  d.Press(500, 0.0);
  REQUIRE(d.Move(300, 0.1));
  d.Settle();  // the next frame, finger still down: still a drag
  CHECK(d.dragging());
  d.Release(0.2);
  CHECK(d.dragging());  // the release frame: the button under the finger must not fire
  d.Settle();           // the frame after: buttons anywhere take taps again
  CHECK_FALSE(d.dragging());
}
