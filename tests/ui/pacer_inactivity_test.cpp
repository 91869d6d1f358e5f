// The frame pacer (when the UI loop may sleep) and the inactivity timer (with a ManualClock).
#include <catch2/catch.hpp>

#include "kiosk/app/frame_pacer.h"
#include "kiosk/app/inactivity.h"

using namespace mck;
using namespace mck::app;
using namespace std::chrono_literals;

TEST_CASE("the pacer draws a few frames after activity and then sleeps until a deadline or forever") {
  FramePacer pacer(3);
  const auto t0 = std::chrono::steady_clock::time_point{} + 100s;
  for (int i = 0; i < 3; ++i) {  // start-up frames
    CHECK(pacer.TimeoutMs(t0) == 0);
    pacer.BeginFrame(t0);
    pacer.FrameRendered();
  }
  CHECK(pacer.TimeoutMs(t0) == -1);  // idle: wait for the next event, no polling
  pacer.OnActivity();
  CHECK(pacer.TimeoutMs(t0) == 0);
  for (int i = 0; i < 3; ++i) pacer.FrameRendered();
  CHECK(pacer.TimeoutMs(t0) == -1);
  pacer.WakeAt(t0 + 1500ms);
  pacer.WakeAt(t0 + 900ms);  // the earliest wins
  CHECK(pacer.TimeoutMs(t0) == 900);
  pacer.BeginFrame(t0 + 900ms);  // reached: consumed
  CHECK(pacer.TimeoutMs(t0 + 900ms) == -1);
}

TEST_CASE("inactivity: countdown after the timeout, a touch keeps the session, then expiry") {
  ManualClock clock(std::chrono::system_clock::time_point{} + 1000h);
  InactivityTimer t(clock, 90s, 15s);
  CHECK(t.Poll() == InactivityTimer::Phase::kNoSession);
  CHECK(t.NextDeadline() == InactivityTimer::Steady::max());
  t.StartSession();
  CHECK(t.Poll() == InactivityTimer::Phase::kActive);
  CHECK(t.NextDeadline() == clock.Steady() + 90s);
  clock.Advance(89s);
  CHECK(t.Poll() == InactivityTimer::Phase::kActive);
  clock.Advance(1s);
  CHECK(t.Poll() == InactivityTimer::Phase::kCountdown);
  CHECK(t.CountdownSecondsLeft() == 15);
  clock.Advance(500ms);
  CHECK(t.CountdownSecondsLeft() == 15);
  CHECK(t.NextDeadline() == clock.Steady() + 500ms);  // the number ticks each second
  clock.Advance(4500ms);
  CHECK(t.CountdownSecondsLeft() == 10);
  t.Touch();  // "still here"
  CHECK(t.Poll() == InactivityTimer::Phase::kActive);
  clock.Advance(105s);
  CHECK(t.Poll() == InactivityTimer::Phase::kExpired);
  t.EndSession();
  CHECK(t.Poll() == InactivityTimer::Phase::kNoSession);
  t.Touch();  // touches on the attract screen start nothing
  CHECK(t.Poll() == InactivityTimer::Phase::kNoSession);
}
