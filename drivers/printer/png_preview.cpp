#include "drivers/printer/png_preview.h"

#include <png.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

namespace mck::printer {
namespace {

void AppendToString(png_structp png, png_bytep data, png_size_t n) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), n);
}
void NoFlush(png_structp) {}

// All libpng calls live here: libpng reports errors by longjmp back to the setjmp below, so
// this function creates no object with a destructor. False on any libpng error.
bool WriteRows(png_structp png, png_infop info, const Raster& raster, int scale, png_byte* row, size_t row_bytes) {
  if (setjmp(png_jmpbuf(png))) return false;
  const int w = raster.width * scale, h = raster.height * scale;
  png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 1, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  // 203 dpi ≈ 7992 dots per metre, so viewers show the preview at paper size.
  png_set_pHYs(png, info, static_cast<png_uint_32>(7992 * scale), static_cast<png_uint_32>(7992 * scale),
               PNG_RESOLUTION_METER);
  png_write_info(png, info);
  for (int y = 0; y < h; ++y) {
    std::memset(row, 0xFF, row_bytes);  // grey 1 = white
    for (int x = 0; x < w; ++x) {
      if (raster.Dot(x / scale, y / scale)) row[x / 8] &= static_cast<png_byte>(~(0x80 >> (x % 8)));
    }
    png_write_row(png, row);
  }
  png_write_end(png, nullptr);
  return true;
}

}  // namespace

Result<std::string> EncodePng(const Raster& raster, int scale) {
  if (!raster.Valid() || scale < 1 || scale > 8) {
    return Status::Error(Code::kInvalidArgument, "cannot make a PNG of an empty raster",
                         "Không tạo được ảnh xem trước");
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_write_struct(&png, nullptr);
    return Status::Error(Code::kInternal, "libpng: out of memory", "Không đủ bộ nhớ để tạo ảnh");
  }
  std::string out;
  std::vector<png_byte> row(static_cast<size_t>((raster.width * scale + 7) / 8));
  png_set_write_fn(png, &out, AppendToString, NoFlush);
  const bool ok = WriteRows(png, info, raster, scale, row.data(), row.size());
  png_destroy_write_struct(&png, &info);
  if (!ok) return Status::Error(Code::kInternal, "libpng failed to encode the preview", "Không tạo được ảnh xem trước");
  return out;
}

Status WritePng(const Raster& raster, const std::filesystem::path& path, int scale) {
  auto bytes = EncodePng(raster, scale);
  if (!bytes.ok()) return bytes.status();
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    f.close();
    if (!f) {
      std::remove(tmp.c_str());
      return Status::Error(Code::kIo, "cannot write " + path.string(), "Không ghi được tệp ảnh " + path.string());
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return Status::Error(Code::kIo, "cannot write " + path.string() + ": " + ec.message(),
                         "Không ghi được tệp ảnh " + path.string());
  }
  return Status::Ok();
}

}  // namespace mck::printer
