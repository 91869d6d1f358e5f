#include "kiosk/app/ui/screenshot.h"

#include <png.h>

#include <cstdio>
#include <vector>

namespace mck::app::ui {

Status SaveScreenshot(SDL_Renderer* renderer, const std::filesystem::path& png) {
  int w = 0, h = 0;
  if (SDL_GetRendererOutputSize(renderer, &w, &h) != 0) {
    return Status::Error(Code::kInternal, std::string("SDL_GetRendererOutputSize: ") + SDL_GetError());
  }
  std::vector<unsigned char> rgb(static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB24, rgb.data(), w * 3) != 0) {
    return Status::Error(Code::kInternal, std::string("SDL_RenderReadPixels: ") + SDL_GetError());
  }
  std::error_code ec;
  if (png.has_parent_path()) std::filesystem::create_directories(png.parent_path(), ec);
  FILE* f = std::fopen(png.c_str(), "wb");
  if (!f) return Status::Error(Code::kIo, png.string() + ": cannot create", png.string() + ": không tạo được tệp");
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = p ? png_create_info_struct(p) : nullptr;
  if (!p || !info || setjmp(png_jmpbuf(p))) {
    png_destroy_write_struct(&p, &info);
    std::fclose(f);
    return Status::Error(Code::kIo, png.string() + ": PNG write failed", png.string() + ": không ghi được ảnh");
  }
  png_init_io(p, f);
  png_set_IHDR(p, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(p, 9);
  png_write_info(p, info);
  for (int y = 0; y < h; ++y) png_write_row(p, rgb.data() + static_cast<size_t>(y) * static_cast<size_t>(w) * 3);
  png_write_end(p, nullptr);
  png_destroy_write_struct(&p, &info);
  if (std::fclose(f) != 0) return Status::Error(Code::kIo, png.string() + ": close failed");
  return Status::Ok();
}

}  // namespace mck::app::ui
