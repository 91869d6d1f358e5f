// The chip's face image (DG2's biometric data block, emrtd.h ExtractFaceImage) decoded into RGBA
// pixels for the staff screen, where the officer compares it with the person at the counter
// (docs/card.md "The face on the staff screen"). JPEG 2000 (a JP2 file or a bare codestream) is
// decoded with OpenJPEG (libopenjp2), a plain JPEG with libjpeg-turbo (the scanner's library).
//
// Pure: bytes in, pixels or a Status out; no device, no UI. Any input is safe to pass: a truncated
// or corrupt file, garbage, or a header declaring an absurd size is refused with a Status before
// any large allocation, never a crash. The face is personal data (Decree 13/2023): the caller keeps
// it in memory only and wipes it (WipeFaceImage) as soon as it is no longer shown; nothing here logs.
//
// Threading: DecodeFaceImage takes tens of milliseconds for a CCCD's portrait; call it on a worker
// thread (the card worker does), never on the UI thread. It keeps no state: any thread may call it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "offline/domain/status.h"

namespace mck::card {

struct FaceImage {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;  // width × height × 4 bytes, rows top to bottom, alpha 255
  std::string format;         // "jp2", "j2k" or "jpeg": what the chip held
};

// What a face may be. A CCCD's portrait is about 240 × 320 in 15 kB; anything far above is not a
// face a chip holds.
struct FaceLimits {
  int max_width = 2000, max_height = 2000;
  size_t max_bytes = 2u << 20;  // the encoded file
};

// Decodes `bytes` (Identity::face_jp2). Errors: kInvalidArgument, with the Vietnamese words for the
// officer in message_vi ("Không hiển thị được ảnh trên thẻ" for a corrupt file): empty input, a
// format that is neither JPEG 2000 nor JPEG, a declared size beyond `limits`, a file that does not
// decode.
Result<FaceImage> DecodeFaceImage(std::string_view bytes, const FaceLimits& limits = {});

// Zeroes the pixels and empties the image.
void WipeFaceImage(FaceImage& face);

}  // namespace mck::card
