// Fuzz target: the VietQR parser (offline/domain/vietqr.h), as a QR scanner or a pasted string
// would hand it any bytes. What it accepts must survive a round trip: encoded again and parsed
// again it gives the same transfer (a mismatch aborts, so the fuzzer reports it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "offline/domain/vietqr.h"

using namespace mck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto t = vietqr::Decode(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!t.ok()) return 0;
  auto again = vietqr::Encode(*t);
  if (!again.ok()) return 0;  // parsed but outside what the kiosk writes (e.g. a longer purpose)
  auto back = vietqr::Decode(*again);
  if (!back.ok() || back->bank_bin != t->bank_bin || back->account != t->account ||
      back->amount_vnd != t->amount_vnd || back->purpose != t->purpose) {
    std::abort();
  }
  return 0;
}
