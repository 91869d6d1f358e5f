// The live states of the kiosk's printer and chip-card reader, for monitoring: the device
// workers write them, the sync worker reads them for the metrics file and the heartbeat
// (SyncOptions::printer_state / card_reader_state, docs/monitoring.md). Short words only (the
// metrics' state labels): printer ok | paper_low | paper_out | cover_open | offline | unknown;
// reader ok | no_reader | error | unknown. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace mck::app {

class DeviceStates {
 public:
  void SetPrinter(std::string state) { Set(&printer_, std::move(state)); }
  void SetCardReader(std::string state) { Set(&reader_, std::move(state)); }
  std::string printer() const {
    std::lock_guard lock(mu_);
    return printer_;
  }
  std::string card_reader() const {
    std::lock_guard lock(mu_);
    return reader_;
  }
  // Waits until the printer's state is `state` or `timeout` passes (a screen waiting for a
  // device test, a test). True when it is.
  bool WaitForPrinter(const std::string& state, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return printer_ == state; });
  }
  bool WaitForCardReader(const std::string& state, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return reader_ == state; });
  }

 private:
  void Set(std::string* slot, std::string state) {
    {
      std::lock_guard lock(mu_);
      *slot = std::move(state);
    }
    changed_.notify_all();
  }

  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::string printer_ = "unknown";
  std::string reader_ = "unknown";
};

}  // namespace mck::app
