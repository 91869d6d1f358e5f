// Fuzz target: the CCCD QR parser (and the BAC key it yields), as a scanner or a keyboard wedge
// would hand it any bytes at all.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "drivers/card/qr.h"

using namespace mck::card;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto id = ParseCccdQr(std::string_view(reinterpret_cast<const char*>(data), size));
  if (id.ok()) {
    (void)AccessKeyFromQr(*id);
    (void)IdentityToJson(*id).dump();
  }
  return 0;
}
