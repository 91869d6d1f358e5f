// The injected scanner faults of development builds (scan_service.h AddDevScanFault). Compiled
// into the development kiosk only (kiosk/app/CMakeLists.txt): the packaged one has no such code.
#include <cstdlib>
#include <iostream>
#include <string>

#include "kiosk/app/scan_service.h"

namespace mck::app {

using scanner::Scanner;

void AddDevScanFault(SaneScanServiceOptions& options) {
  const char* env = std::getenv("MCK_DEV_SCAN_FAULT");
  if (env == nullptr || *env == '\0') return;
  const std::string spec = env;
  const size_t colon = spec.find(':');
  int page = -1;
  if (colon != std::string::npos) page = std::atoi(spec.substr(0, colon).c_str());
  if (page < 0 || colon + 1 >= spec.size()) {
    std::cerr << "kiosk: development: MCK_DEV_SCAN_FAULT is not PAGE:STATUS; ignored\n";
    return;
  }
  const std::string status = spec.substr(colon + 1);
  std::cerr << "kiosk: development: feeder runs answer " << status << " after page " << page << "\n";
  auto fail = [status](Scanner& s) {
    if (s.source() == scanner::Source::kFeeder && !s.SetOption("read-return-value", status).ok())
      std::cerr << "kiosk: development: the scanner refused read-return-value\n";
  };
  if (page == 0) {
    options.before_scan = fail;
  } else {
    options.after_page = [fail, page](Scanner& s, int n) {
      if (n == page) fail(s);
    };
  }
}

}  // namespace mck::app
