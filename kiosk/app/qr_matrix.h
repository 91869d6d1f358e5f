// A QR code as a square of dark/light modules (libqrencode), for drawing on screen as
// rectangles. The receipt's QR carries the dossier's client id (portal-api.md, "Codes").
#pragma once

#include <string>
#include <vector>

#include "offline/domain/status.h"

namespace mck::app {

struct QrMatrix {
  int size = 0;            // modules per side, without the quiet zone
  std::vector<bool> dark;  // size*size, row-major
  bool Dark(int x, int y) const { return dark[static_cast<size_t>(y * size + x)]; }
};

// Encodes `text` (8-bit mode, error correction M). kInvalidArgument when it does not fit.
Result<QrMatrix> EncodeQr(const std::string& text);

}  // namespace mck::app
