#include "kiosk/app/frame_pacer.h"

#include <algorithm>

namespace mck::app {

void FramePacer::BeginFrame(TimePoint now) {
  if (deadline_ && *deadline_ <= now) deadline_.reset();
}

void FramePacer::WakeAt(TimePoint t) {
  if (!deadline_ || t < *deadline_) deadline_ = t;
}

void FramePacer::FrameRendered() {
  if (pending_frames_ > 0) --pending_frames_;
}

int FramePacer::TimeoutMs(TimePoint now) const {
  if (pending_frames_ > 0) return 0;
  if (!deadline_) return -1;
  if (*deadline_ <= now) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(*deadline_ - now).count();
  // SDL takes an int; a day is far beyond any deadline the kiosk sets.
  return static_cast<int>(std::min<long long>(ms, 24LL * 3600 * 1000));
}

}  // namespace mck::app
