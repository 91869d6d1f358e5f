#include "kiosk/app/inactivity.h"

namespace mck::app {

void InactivityTimer::StartSession() {
  in_session_ = true;
  last_touch_ = clock_.Steady();
}

void InactivityTimer::Touch() {
  if (in_session_) last_touch_ = clock_.Steady();
}

InactivityTimer::Phase InactivityTimer::Poll() const {
  if (!in_session_) return Phase::kNoSession;
  const auto idle = clock_.Steady() - last_touch_;
  if (idle < timeout_) return Phase::kActive;
  if (idle < timeout_ + countdown_) return Phase::kCountdown;
  return Phase::kExpired;
}

int InactivityTimer::CountdownSecondsLeft() const {
  if (Poll() != Phase::kCountdown) return 0;
  const auto left = last_touch_ + timeout_ + countdown_ - clock_.Steady();
  return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(left).count());
}

InactivityTimer::Steady InactivityTimer::NextDeadline() const {
  const auto now = clock_.Steady();
  switch (Poll()) {
    case Phase::kNoSession: return Steady::max();
    case Phase::kActive: return last_touch_ + timeout_;
    case Phase::kCountdown: {
      // The next whole second of the countdown, so the number on screen ticks.
      const auto end = last_touch_ + timeout_ + countdown_;
      const auto left = end - now;
      const auto whole = std::chrono::floor<std::chrono::seconds>(left - std::chrono::nanoseconds(1));
      return end - whole;
    }
    case Phase::kExpired: return now;
  }
  return Steady::max();
}

}  // namespace mck::app
