// When the UI loop may sleep. Dear ImGui needs a few frames after an input to settle (a click
// is seen on one frame and acted on in the next; layout that depends on the last frame's sizes
// settles a frame later), and then nothing needs drawing until the next deadline: the
// inactivity countdown's next second, a toast's end, a spinner's next step. Between those the
// kiosk sleeps in SDL_WaitEventTimeout, so an idle kiosk uses ~0% CPU (imgui#1206, #2268).
//
// Use, on the UI thread:
//   pacer.BeginFrame(now);            // forgets deadlines already reached
//   ... screens call pacer.WakeAt(t) for anything that must change on its own ...
//   pacer.FrameRendered();
//   SDL_WaitEventTimeout(&ev, pacer.TimeoutMs(now));  // then OnActivity() if an event came
// Not thread-safe (UI thread only); workers wake the loop through the EventQueue instead.
#pragma once

#include <chrono>
#include <optional>

namespace mck::app {

class FramePacer {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  explicit FramePacer(int frames_after_activity = 3) : frames_after_activity_(frames_after_activity) {}

  // Input or a worker event arrived: draw the next frames_after_activity frames.
  void OnActivity() { pending_frames_ = frames_after_activity_; }
  // Start of a frame: deadlines at or before `now` are consumed.
  void BeginFrame(TimePoint now);
  // Something on screen changes by itself at `t` (keeps the earliest of this frame's requests).
  void WakeAt(TimePoint t);
  void FrameRendered();
  // Milliseconds to wait for the next event: 0 while frames are pending, the time to the next
  // deadline otherwise, or -1 (wait forever) when nothing is scheduled.
  int TimeoutMs(TimePoint now) const;
  int pending_frames() const { return pending_frames_; }

 private:
  int frames_after_activity_;
  int pending_frames_ = 3;  // the first frames after start-up
  std::optional<TimePoint> deadline_;
};

}  // namespace mck::app
