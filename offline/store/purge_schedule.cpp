#include "offline/store/purge_schedule.h"

#include <iostream>

#include "offline/store/store.h"

namespace mck {

namespace {
const Clock& ClockOf(const StoreOptions& o) {
  static const SystemClock system;
  return o.clock ? *o.clock : system;
}
}  // namespace

PurgeSchedule::PurgeSchedule(StoreOptions options, std::chrono::milliseconds interval)
    : options_(std::move(options)), clock_(ClockOf(options_)), interval_(interval), thread_([this] { Run(); }) {}

PurgeSchedule::~PurgeSchedule() {
  stop_ = true;
  waker_.Wake();
  if (thread_.joinable()) thread_.join();
}

void PurgeSchedule::Run() {
  while (!stop_) {
    // A fresh connection per run: a day-long idle connection would hold nothing useful, and a
    // store that failed to open yesterday may open today.
    {
      auto store = Store::Open(options_);
      if (!store.ok()) {
        std::cerr << "purge: store not opened: " << store.status().ToString() << "\n";
      } else {
        auto n = (*store)->PurgeExpired();
        // For diagnostics (kiosk/core/diagnostics.h): when the schedule last ran and how it went.
        (void)(*store)->settings().Put(settings::kPurgeLastRunAt, FormatRfc3339Vietnam(clock_.Now()));
        (void)(*store)->settings().Put(settings::kPurgeLastResult,
                                       n.ok() ? "purged " + std::to_string(*n) : n.status().message_en());
        if (!n.ok()) {
          std::cerr << "purge: " << n.status().ToString() << "\n";
        } else {
          last_purged_ = *n;
          if (*n > 0) std::cerr << "purge: personal data of " << *n << " dossiers purged\n";
        }
      }
    }  // the connection closes before the thread sleeps a day
    ++runs_;
    const SteadyPoint next = clock_.Steady() + interval_;
    while (!stop_ && clock_.Steady() < next) {
      if (clock_.WaitUntil(next, waker_)) continue;  // woken: stop_ decides
    }
  }
}

}  // namespace mck
