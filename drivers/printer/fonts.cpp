#include "drivers/printer/fonts.h"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cstdlib>
#include <system_error>

namespace mck::printer {
namespace {

namespace fs = std::filesystem;

bool HasFonts(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "NotoSans-Regular.ttf", ec) && fs::is_regular_file(dir / "NotoSans-Bold.ttf", ec);
}

uint64_t CacheKey(char32_t cp, int size, bool bold) {
  return (uint64_t{cp} << 17) | (uint64_t(size & 0xFFFF) << 1) | (bold ? 1 : 0);
}

// Grey levels at or above this count as black. A little below half keeps thin strokes of small
// letters (the hook of ả, the breve of ă) from breaking up on paper.
constexpr int kThreshold = 100;

}  // namespace

Result<FontFiles> FindFonts() {
  std::vector<fs::path> tried;
  if (const char* env = std::getenv("MCK_FONT_DIR"); env && *env) {
    if (HasFonts(env)) return FontFiles{fs::path(env) / "NotoSans-Regular.ttf", fs::path(env) / "NotoSans-Bold.ttf"};
    return Status::Error(
        Code::kNotFound, std::string("MCK_FONT_DIR=") + env + " has no NotoSans-Regular.ttf and NotoSans-Bold.ttf",
        std::string("Thư mục phông chữ MCK_FONT_DIR=") + env + " không có NotoSans-Regular.ttf và NotoSans-Bold.ttf");
  }
  for (const fs::path& dir :
       {fs::path(MCK_SOURCE_DIR) / "assets" / "fonts", fs::path("/usr/share/fonts/truetype/noto")}) {
    if (HasFonts(dir)) return FontFiles{dir / "NotoSans-Regular.ttf", dir / "NotoSans-Bold.ttf"};
    tried.push_back(dir);
  }
  std::string where;
  for (const auto& d : tried) where += (where.empty() ? "" : ", ") + d.string();
  return Status::Error(
      Code::kNotFound, "Noto Sans not found in " + where + " (install Debian package fonts-noto-core)",
      "Không tìm thấy phông chữ Noto Sans để in tiếng Việt (cài gói fonts-noto-core hoặc đặt MCK_FONT_DIR)");
}

struct Fonts::Impl {
  FT_Library lib = nullptr;
  FT_Face face[2] = {nullptr, nullptr};  // regular, bold
  int current_size[2] = {0, 0};
  std::unordered_map<uint64_t, Glyph> cache;

  ~Impl() {
    for (FT_Face f : face) {
      if (f) FT_Done_Face(f);
    }
    if (lib) FT_Done_FreeType(lib);
  }
  FT_Face Sized(int size, bool bold) {
    const int i = bold ? 1 : 0;
    if (current_size[i] != size) {
      FT_Set_Pixel_Sizes(face[i], 0, static_cast<FT_UInt>(size));
      current_size[i] = size;
    }
    return face[i];
  }
};

Fonts::~Fonts() = default;

Result<std::unique_ptr<Fonts>> Fonts::Load() {
  auto files = FindFonts();
  if (!files.ok()) return files.status();
  return LoadFrom(*files);
}

Result<std::unique_ptr<Fonts>> Fonts::LoadFrom(const FontFiles& files) {
  std::unique_ptr<Fonts> f(new Fonts());
  f->files_ = files;
  f->impl_ = std::make_unique<Impl>();
  if (FT_Init_FreeType(&f->impl_->lib) != 0) {
    return Status::Error(Code::kInternal, "FT_Init_FreeType failed", "Không khởi tạo được bộ vẽ phông chữ");
  }
  const fs::path* paths[2] = {&files.regular, &files.bold};
  for (int i = 0; i < 2; ++i) {
    if (FT_New_Face(f->impl_->lib, paths[i]->c_str(), 0, &f->impl_->face[i]) != 0) {
      f->impl_->face[i] = nullptr;
      return Status::Error(Code::kCorrupt, "cannot load font " + paths[i]->string(),
                           "Không đọc được tệp phông chữ " + paths[i]->string());
    }
  }
  return f;
}

const Glyph& Fonts::Get(char32_t cp, int size_px, bool bold) {
  const uint64_t key = CacheKey(cp, size_px, bold);
  if (auto it = impl_->cache.find(key); it != impl_->cache.end()) return it->second;
  Glyph g;
  FT_Face face = impl_->Sized(size_px, bold);
  const FT_UInt index = FT_Get_Char_Index(face, cp);
  if (FT_Load_Glyph(face, index, FT_LOAD_RENDER | FT_LOAD_TARGET_LIGHT) == 0) {
    const FT_GlyphSlot slot = face->glyph;
    const FT_Bitmap& bm = slot->bitmap;
    g.left = slot->bitmap_left;
    g.top = slot->bitmap_top;
    g.width = static_cast<int>(bm.width);
    g.rows = static_cast<int>(bm.rows);
    g.advance = static_cast<int>((slot->advance.x + 32) >> 6);
    g.mask.resize(static_cast<size_t>(g.width) * g.rows);
    for (int y = 0; y < g.rows; ++y) {
      const unsigned char* row = bm.buffer + static_cast<long>(y) * bm.pitch;
      for (int x = 0; x < g.width; ++x) {
        const int level = bm.pixel_mode == FT_PIXEL_MODE_MONO ? ((row[x / 8] >> (7 - x % 8)) & 1) * 255 : row[x];
        g.mask[static_cast<size_t>(y) * g.width + x] = level >= kThreshold ? 1 : 0;
      }
    }
  }
  return impl_->cache.emplace(key, std::move(g)).first->second;
}

int Fonts::Kerning(char32_t left, char32_t right, int size_px, bool bold) {
  FT_Face face = impl_->Sized(size_px, bold);
  if (!FT_HAS_KERNING(face)) return 0;
  FT_Vector k{};
  if (FT_Get_Kerning(face, FT_Get_Char_Index(face, left), FT_Get_Char_Index(face, right), FT_KERNING_DEFAULT, &k) !=
      0) {
    return 0;
  }
  return static_cast<int>(k.x >> 6);
}

int Fonts::Ascender(int size_px, bool bold) {
  FT_Face face = impl_->Sized(size_px, bold);
  return static_cast<int>((face->size->metrics.ascender + 63) >> 6);
}

int Fonts::LineHeight(int size_px, bool bold) {
  FT_Face face = impl_->Sized(size_px, bold);
  return static_cast<int>((face->size->metrics.height + 63) >> 6);
}

}  // namespace mck::printer
