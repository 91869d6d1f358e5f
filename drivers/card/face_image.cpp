#include "drivers/card/face_image.h"

#include <openjpeg.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "offline/domain/ids.h"

namespace mck::card {
namespace {

const char kCorruptVi[] = "Không hiển thị được ảnh trên thẻ.";

Status Corrupt(const std::string& why) {
  return Status::Error(Code::kInvalidArgument, "the chip's face image does not decode: " + why, kCorruptVi);
}

Status TooLarge(int w, int h) {
  const std::string size = std::to_string(w) + "×" + std::to_string(h);
  return Status::Error(Code::kInvalidArgument, "the chip's face image declares " + size + " pixels: too large",
                       "Ảnh trên thẻ quá lớn (" + size + " điểm ảnh), không hiển thị.");
}

bool Fits(int64_t w, int64_t h, const FaceLimits& limits) {
  return w <= limits.max_width && h <= limits.max_height;
}

bool StartsWith(std::string_view bytes, std::initializer_list<uint8_t> sig) {
  if (bytes.size() < sig.size()) return false;
  return std::equal(sig.begin(), sig.end(), bytes.begin(),
                    [](uint8_t a, char b) { return a == static_cast<uint8_t>(b); });
}

// OpenJPEG reads the file from memory through these (opj_stream user functions).
struct MemoryStream {
  std::string_view bytes;
  size_t pos = 0;
};

OPJ_SIZE_T StreamRead(void* buffer, OPJ_SIZE_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (s->pos >= s->bytes.size()) return static_cast<OPJ_SIZE_T>(-1);  // OpenJPEG's "end of stream"
  const size_t k = std::min<size_t>(n, s->bytes.size() - s->pos);
  std::memcpy(buffer, s->bytes.data() + s->pos, k);
  s->pos += k;
  return k;
}

OPJ_OFF_T StreamSkip(OPJ_OFF_T n, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (n < 0) return -1;
  const size_t k = std::min<size_t>(static_cast<size_t>(n), s->bytes.size() - s->pos);
  s->pos += k;
  return static_cast<OPJ_OFF_T>(k);
}

OPJ_BOOL StreamSeek(OPJ_OFF_T to, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (to < 0 || static_cast<uint64_t>(to) > s->bytes.size()) return OPJ_FALSE;
  s->pos = static_cast<size_t>(to);
  return OPJ_TRUE;
}

void Quiet(const char*, void*) {}  // OpenJPEG's messages name nothing personal, but say nothing either

struct CodecDeleter {
  void operator()(opj_codec_t* c) const { opj_destroy_codec(c); }
};
struct StreamDeleter {
  void operator()(opj_stream_t* s) const { opj_stream_destroy(s); }
};
struct ImageDeleter {
  void operator()(opj_image_t* i) const { opj_image_destroy(i); }
};

// One component's sample at (x, y) of the image, scaled to 0..255 (any precision, signed or not,
// subsampled or not).
uint8_t Sample(const opj_image_comp_t& c, int x, int y) {
  const uint32_t dx = std::max<uint32_t>(c.dx, 1), dy = std::max<uint32_t>(c.dy, 1);
  const uint32_t cx = std::min<uint32_t>(static_cast<uint32_t>(x) / dx, c.w - 1);
  const uint32_t cy = std::min<uint32_t>(static_cast<uint32_t>(y) / dy, c.h - 1);
  int64_t v = c.data[static_cast<size_t>(cy) * c.w + cx];
  const uint32_t prec = std::clamp<uint32_t>(c.prec, 1, 31);
  if (c.sgnd) v += int64_t{1} << (prec - 1);
  v = std::clamp<int64_t>(v, 0, (int64_t{1} << prec) - 1);
  v = prec >= 8 ? v >> (prec - 8) : v * 255 / ((int64_t{1} << prec) - 1);
  return static_cast<uint8_t>(v);
}

Result<FaceImage> DecodeJpeg2000(std::string_view bytes, bool jp2, const FaceLimits& limits) {
  std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K));
  if (!codec) return Status::Error(Code::kInternal, "opj_create_decompress failed", kCorruptVi);
  opj_set_error_handler(codec.get(), Quiet, nullptr);
  opj_set_warning_handler(codec.get(), Quiet, nullptr);
  opj_set_info_handler(codec.get(), Quiet, nullptr);
  opj_dparameters_t params;
  opj_set_default_decoder_parameters(&params);
  if (!opj_setup_decoder(codec.get(), &params)) return Corrupt("opj_setup_decoder");
  opj_decoder_set_strict_mode(codec.get(), OPJ_TRUE);  // a truncated file is an error, not half a face

  MemoryStream source{bytes, 0};
  std::unique_ptr<opj_stream_t, StreamDeleter> stream(opj_stream_create(OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_TRUE));
  if (!stream) return Status::Error(Code::kInternal, "opj_stream_create failed", kCorruptVi);
  opj_stream_set_user_data(stream.get(), &source, nullptr);
  opj_stream_set_user_data_length(stream.get(), bytes.size());
  opj_stream_set_read_function(stream.get(), StreamRead);
  opj_stream_set_skip_function(stream.get(), StreamSkip);
  opj_stream_set_seek_function(stream.get(), StreamSeek);

  opj_image_t* raw = nullptr;
  const bool header = opj_read_header(stream.get(), codec.get(), &raw);
  std::unique_ptr<opj_image_t, ImageDeleter> image(raw);  // set even when the header fails half-way
  if (!header || !image) return Corrupt("no header");
  // The size the header declares, checked before OpenJPEG allocates anything for the pixels.
  const int64_t w = int64_t{image->x1} - image->x0, h = int64_t{image->y1} - image->y0;
  if (w <= 0 || h <= 0) return Corrupt("no size");
  if (!Fits(w, h, limits)) {
    return TooLarge(static_cast<int>(std::min<int64_t>(w, INT32_MAX)),
                    static_cast<int>(std::min<int64_t>(h, INT32_MAX)));
  }
  if (image->numcomps == 0 || image->numcomps > 4) return Corrupt("component count");
  if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get())) {
    return Corrupt("opj_decode");
  }
  const uint32_t n = image->numcomps;
  for (uint32_t i = 0; i < n; ++i) {
    const opj_image_comp_t& c = image->comps[i];
    if (!c.data || c.w == 0 || c.h == 0) return Corrupt("a component without data");
  }
  FaceImage face;
  face.width = static_cast<int>(w);
  face.height = static_cast<int>(h);
  face.format = jp2 ? "jp2" : "j2k";
  face.rgba.resize(static_cast<size_t>(w) * h * 4);
  const bool colour = n >= 3;  // 1 grey, 2 grey + alpha, 3 RGB, 4 RGB + alpha (shown opaque)
  uint8_t* out = face.rgba.data();
  for (int y = 0; y < face.height; ++y) {
    for (int x = 0; x < face.width; ++x, out += 4) {
      const uint8_t r = Sample(image->comps[0], x, y);
      out[0] = r;
      out[1] = colour ? Sample(image->comps[1], x, y) : r;
      out[2] = colour ? Sample(image->comps[2], x, y) : r;
      out[3] = 255;
    }
  }
  // OpenJPEG's own copy of the pixels: zeroed before it is freed.
  for (uint32_t i = 0; i < n; ++i) {
    const opj_image_comp_t& c = image->comps[i];
    SecureZero(c.data, sizeof(OPJ_INT32) * c.w * c.h);
  }
  return face;
}

struct TjDeleter {
  void operator()(void* h) const { tjDestroy(h); }
};

Result<FaceImage> DecodeJpeg(std::string_view bytes, const FaceLimits& limits) {
  std::unique_ptr<void, TjDeleter> tj(tjInitDecompress());
  if (!tj) return Status::Error(Code::kInternal, "tjInitDecompress failed", kCorruptVi);
  auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto size = static_cast<unsigned long>(bytes.size());
  int w = 0, h = 0, subsamp = 0, colourspace = 0;
  if (tjDecompressHeader3(tj.get(), data, size, &w, &h, &subsamp, &colourspace) != 0 || w <= 0 || h <= 0) {
    return Corrupt("JPEG header");
  }
  if (!Fits(w, h, limits)) return TooLarge(w, h);
  FaceImage face;
  face.width = w;
  face.height = h;
  face.format = "jpeg";
  face.rgba.resize(static_cast<size_t>(w) * h * 4);
  if (tjDecompress2(tj.get(), data, size, face.rgba.data(), w, 0, h, TJPF_RGBA, 0) != 0) {
    WipeFaceImage(face);
    return Corrupt("JPEG data");
  }
  return face;
}

}  // namespace

Result<FaceImage> DecodeFaceImage(std::string_view bytes, const FaceLimits& limits) {
  if (bytes.empty()) {
    return Status::Error(Code::kInvalidArgument, "the chip holds no face image", "Thẻ không có ảnh chân dung.");
  }
  if (bytes.size() > limits.max_bytes) {
    return Status::Error(Code::kInvalidArgument,
                         "the chip's face image is " + std::to_string(bytes.size()) + " bytes: too large",
                         "Ảnh trên thẻ quá lớn, không hiển thị.");
  }
  if (StartsWith(bytes, {0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20})) return DecodeJpeg2000(bytes, true, limits);
  if (StartsWith(bytes, {0xFF, 0x4F, 0xFF, 0x51})) return DecodeJpeg2000(bytes, false, limits);
  if (StartsWith(bytes, {0xFF, 0xD8, 0xFF})) return DecodeJpeg(bytes, limits);
  return Status::Error(Code::kInvalidArgument, "the chip's face image is neither JPEG 2000 nor JPEG",
                       "Ảnh trên thẻ không ở dạng JPEG 2000 hay JPEG, không hiển thị được.");
}

void WipeFaceImage(FaceImage& face) {
  if (!face.rgba.empty()) SecureZero(face.rgba.data(), face.rgba.size());
  face.rgba.clear();
  face.rgba.shrink_to_fit();
  face.width = face.height = 0;
  face.format.clear();
}

}  // namespace mck::card
