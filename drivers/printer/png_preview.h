// PNG previews of a Raster (libpng): the very dots that go to the printer, for the staff screen,
// the docs and the tests. Black dots are black pixels; 1-bit grey PNG, optionally scaled up by
// an integer factor (scale > 1 is for OCR and for screens, never for paper).
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <string>

#include "drivers/printer/printer.h"

namespace mck::printer {

// The PNG file's bytes. kInvalidArgument for an invalid raster or scale outside 1..8.
Result<std::string> EncodePng(const Raster& raster, int scale = 1);
// Writes the PNG to `path` (through a temporary file and a rename, so a reader never sees half).
Status WritePng(const Raster& raster, const std::filesystem::path& path, int scale = 1);

}  // namespace mck::printer
