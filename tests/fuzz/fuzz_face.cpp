// Fuzz target: the chip's face decoder (drivers/card/face_image.h), OpenJPEG and libjpeg-turbo
// fed from memory. Every input must end in pixels of the declared size or a clean Status: no
// crash, no read out of bounds (ASan), no undefined behaviour (UBSan), no leak of OpenJPEG's
// codec, stream or image on any error path (LSan). Seeds: a 24 x 32 JP2 (RGB) and a bare
// codestream (grey), made with opj_compress -n 3.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "drivers/card/face_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mck::card::FaceLimits limits;
  limits.max_width = limits.max_height = 512;  // keeps each run small; the real limits are larger
  auto face = mck::card::DecodeFaceImage(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (face.ok()) {
    if (face->rgba.size() != static_cast<size_t>(face->width) * face->height * 4) std::abort();
    mck::card::WipeFaceImage(*face);
  }
  return 0;
}
