#include "kiosk/app/ui/fonts.h"

#include <imgui.h>

#include <cstdlib>

#include "kiosk/app/glyph_ranges.h"

namespace mck::app::ui {
namespace {

constexpr const char* kRegular = "NotoSans-Regular.ttf";
constexpr const char* kBold = "NotoSans-Bold.ttf";

// The huge face (ticket numbers, the countdown) only ever draws ASCII: a full Vietnamese set at
// 120+ px would triple the atlas for nothing.
const ImWchar kAsciiRanges[] = {0x0020, 0x007E, 0};

ImFont* Add(const std::filesystem::path& file, float px, const ImWchar* ranges = nullptr) {
  ImFontConfig cfg;
  cfg.OversampleH = 1;  // the kiosk's text is large and never sub-pixel positioned: 1x is sharp
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  static_assert(sizeof(ImWchar) == sizeof(uint16_t), "glyph ranges are 16-bit");
  if (!ranges) ranges = reinterpret_cast<const ImWchar*>(KioskGlyphRanges().data());
  return ImGui::GetIO().Fonts->AddFontFromFileTTF(file.c_str(), px, &cfg, ranges);
}

}  // namespace

Result<std::filesystem::path> FindFontDir(const std::string& source_dir) {
  std::vector<std::filesystem::path> tried;
  if (const char* env = std::getenv("MCK_FONT_DIR"); env && *env) tried.emplace_back(env);
  tried.emplace_back(std::filesystem::path(source_dir) / "assets" / "fonts");
  tried.emplace_back("/usr/share/fonts/truetype/noto");
  std::string list;
  for (const auto& d : tried) {
    std::error_code ec;
    if (std::filesystem::exists(d / kRegular, ec) && std::filesystem::exists(d / kBold, ec)) return d;
    list += (list.empty() ? "" : ", ") + d.string();
  }
  return Status::Error(Code::kNotFound, "Noto Sans not found in: " + list + " (install fonts-noto-core)",
                       "Không tìm thấy phông chữ Noto Sans (cài gói fonts-noto-core)");
}

Result<Fonts> LoadFonts(const std::filesystem::path& dir, float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  io.Fonts->TexDesiredWidth = 2048;
  Fonts f;
  f.dir = dir;
  auto build = [&](FontSet& set, float k) -> bool {
    const float s = scale * k;
    set.body = Add(dir / kRegular, 34.0f * s);
    set.small = Add(dir / kRegular, 27.0f * s);
    set.bold = Add(dir / kBold, 34.0f * s);
    set.title = Add(dir / kBold, 52.0f * s);
    set.huge = Add(dir / kBold, 120.0f * s, kAsciiRanges);
    return set.body && set.small && set.bold && set.title && set.huge;
  };
  if (!build(f.normal, 1.0f) || !build(f.large, 1.3f)) {
    return Status::Error(Code::kCorrupt, "cannot load fonts from " + dir.string(), "Không nạp được phông chữ");
  }
  if (!io.Fonts->Build()) {
    return Status::Error(Code::kInternal, "font atlas build failed", "Không dựng được bảng chữ");
  }
  return f;
}

}  // namespace mck::app::ui
