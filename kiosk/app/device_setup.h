// Picks the device implementations from the configuration ([devices] in kiosk.toml): the real
// drivers or their simulators, each behind a worker (devices.h). A device that cannot be set
// up is left out (null) and the kiosk says so calmly where it is needed ("printer not
// configured"), logging why in English. Called once by main.cpp.
#pragma once

#include <functional>
#include <memory>

#include "kiosk/app/devices.h"
#include "kiosk/app/event_queue.h"
#include "kiosk/app/scan_service.h"
#include "offline/domain/config.h"

namespace mck::app {

struct Devices {
  // First: the workers below write to it until they are joined.
  std::shared_ptr<DeviceStates> states = std::make_shared<DeviceStates>();
  std::unique_ptr<PrintService> printer;
  std::unique_ptr<CardService> card;
  std::unique_ptr<ScanService> scanner;  // [devices] scanner; null: none configured
};

// `adjust_scan`, when set, changes the scanner's options before the service starts: the
// development kiosk's injected faults (AddDevScanFault).
Devices SetUpDevices(const KioskConfig& config, EventQueue& events,
                     const std::function<void(SaneScanServiceOptions&)>& adjust_scan = {});

}  // namespace mck::app
