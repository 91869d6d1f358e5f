// QR codes through libqrencode (Debian libqrencode-dev): content → a square of modules.
// Error correction M (15 %): survives a smudge or a fold on thermal paper and keeps a client id
// (36 characters) at version 3, 29 modules wide.
// Thread-safety: pure (Debian builds libqrencode with thread support: its encoder is reentrant).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "offline/domain/status.h"

namespace mck::printer {

struct QrMatrix {
  int size = 0;               // modules per side (without the quiet zone)
  std::vector<uint8_t> dark;  // size * size, 1 = dark module
  bool Dark(int x, int y) const { return dark[static_cast<size_t>(y) * size + x] != 0; }
};

// kInvalidArgument when the content is empty or too long for any QR version.
Result<QrMatrix> EncodeQr(const std::string& content);

}  // namespace mck::printer
