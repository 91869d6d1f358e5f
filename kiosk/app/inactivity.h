// The citizen-session inactivity timer. After `timeout` without a touch the screen asks
// "Bạn còn ở đó không?" and counts down `countdown`; a touch during the countdown keeps the
// session, and at its end the session is wiped and the attract screen returns.
//
// Time comes from an injected mck::Clock (Steady()), so tests move a ManualClock instead of
// sleeping. Not thread-safe: UI thread only.
#pragma once

#include <chrono>

#include "offline/domain/clock.h"

namespace mck::app {

class InactivityTimer {
 public:
  enum class Phase { kNoSession, kActive, kCountdown, kExpired };
  using Steady = std::chrono::steady_clock::time_point;

  InactivityTimer(const Clock& clock, std::chrono::seconds timeout, std::chrono::seconds countdown)
      : clock_(clock), timeout_(timeout), countdown_(countdown) {}

  // A citizen session starts (leaving the attract screen) or ends (back to it).
  void StartSession();
  void EndSession() { in_session_ = false; }
  // Any touch, key or card event: the citizen is still there.
  void Touch();
  Phase Poll() const;
  // Whole seconds left in the countdown (rounded up); 0 outside it.
  int CountdownSecondsLeft() const;
  // When Poll() next changes, or when the countdown's number next changes; nothing when idle.
  Steady NextDeadline() const;
  bool in_session() const { return in_session_; }

 private:
  const Clock& clock_;
  std::chrono::seconds timeout_;
  std::chrono::seconds countdown_;
  bool in_session_ = false;
  Steady last_touch_{};
};

}  // namespace mck::app
