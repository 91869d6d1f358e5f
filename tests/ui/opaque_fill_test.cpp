// Opaque fills (kiosk/app/ui/opaque_fill.h) against SDL's own drawing: Dear ImGui geometry of
// the kinds the kiosk draws, rendered by SDL's software renderer into two plain surfaces, once
// all through SDL_RenderGeometryRaw and once with the opaque rectangles filled plainly. The
// pictures must be equal pixel for pixel, and only opaque one-colour rectangles may be taken.
#include <SDL.h>
#include <imgui.h>

#include <catch2/catch.hpp>
#include <string>

#include "kiosk/app/ui/opaque_fill.h"

using mck::app::ui::DrawGeometry;
using mck::app::ui::DrawWithOpaqueFills;
using mck::app::ui::FindOpaqueFills;
using mck::app::ui::OpaqueFill;

namespace {

constexpr int kW = 480, kH = 320;

struct Canvas {
  SDL_Surface* surface = nullptr;
  SDL_Renderer* renderer = nullptr;
  SDL_Texture* font = nullptr;
  Canvas(Uint32 format, const unsigned char* atlas, int aw, int ah) {
    surface = SDL_CreateRGBSurfaceWithFormat(0, kW, kH, 32, format);
    REQUIRE(surface);
    renderer = SDL_CreateSoftwareRenderer(surface);
    REQUIRE(renderer);
    font = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, aw, ah);
    REQUIRE(font);
    SDL_UpdateTexture(font, nullptr, atlas, 4 * aw);
    SDL_SetTextureBlendMode(font, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(renderer, 247, 248, 250, 255);
    SDL_RenderClear(renderer);
  }
  ~Canvas() {
    SDL_DestroyTexture(font);
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
  }
  // Returns the number of plain fills (0 when all is left to SDL).
  long long Draw(const ImDrawData& dd, bool opaque_fills) {
    long long fills = 0;
    for (int n = 0; n < dd.CmdListsCount; ++n) {
      const ImDrawList* list = dd.CmdLists[n];
      for (const ImDrawCmd& cmd : list->CmdBuffer) {
        const SDL_Rect clip{static_cast<int>(cmd.ClipRect.x), static_cast<int>(cmd.ClipRect.y),
                            static_cast<int>(cmd.ClipRect.z - cmd.ClipRect.x),
                            static_cast<int>(cmd.ClipRect.w - cmd.ClipRect.y)};
        SDL_RenderSetClipRect(renderer, &clip);
        const ImDrawVert* v = list->VtxBuffer.Data + cmd.VtxOffset;
        const int vertices = list->VtxBuffer.Size - static_cast<int>(cmd.VtxOffset);
        const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
        if (opaque_fills) {
          fills += DrawWithOpaqueFills(renderer, font, v, vertices, idx, static_cast<int>(cmd.ElemCount));
        } else {
          DrawGeometry(renderer, font, v, vertices, idx, static_cast<int>(cmd.ElemCount));
        }
      }
    }
    SDL_RenderFlush(renderer);
    return fills;
  }
};

// The first pixel (colour channels) where a and b differ, or "" when none does.
std::string FirstDifference(const SDL_Surface* a, const SDL_Surface* b) {
  const Uint32 mask = a->format->Rmask | a->format->Gmask | a->format->Bmask;
  for (int y = 0; y < kH; ++y) {
    const auto* pa = reinterpret_cast<const Uint32*>(static_cast<const char*>(a->pixels) + y * a->pitch);
    const auto* pb = reinterpret_cast<const Uint32*>(static_cast<const char*>(b->pixels) + y * b->pitch);
    for (int x = 0; x < kW; ++x) {
      if (((pa[x] ^ pb[x]) & mask) != 0) return "(" + std::to_string(x) + "," + std::to_string(y) + ")";
    }
  }
  return "";
}

// One ImGui frame of the shapes the kiosk draws, on the foreground list (one command).
const ImDrawData& Frame(ImTextureID font) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(kW, kH);
  io.Fonts->SetTexID(font);
  ImGui::NewFrame();
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const ImU32 panel = IM_COL32(255, 255, 255, 255), red = IM_COL32(176, 18, 32, 255);
  dl->AddRectFilled(ImVec2(0, 0), ImVec2(kW, 40), red);                       // a header band: opaque
  dl->AddRectFilled(ImVec2(10, 50), ImVec2(200, 90), IM_COL32(0, 0, 0, 128));  // translucent: SDL's blend
  dl->AddText(ImVec2(12, 60), IM_COL32(17, 24, 39, 255), "Dang ky khai sinh");  // glyphs: texture copies
  dl->AddRectFilled(ImVec2(220, 50), ImVec2(460, 140), panel, 14);             // a rounded fan: triangles
  dl->AddTriangleFilled(ImVec2(10, 100), ImVec2(60, 100), ImVec2(30, 140), red);  // a lone triangle, then
  dl->AddRectFilled(ImVec2(70, 100), ImVec2(200.5f, 150.25f), panel);             // an opaque rectangle
  dl->AddRect(ImVec2(220, 160), ImVec2(460, 300), IM_COL32(75, 85, 99, 255), 14, 0, 3);  // a border stroke
  dl->AddRectFilled(ImVec2(240, 180), ImVec2(440, 280), IM_COL32(236, 253, 245, 255));   // a panel inside
  dl->AddRectFilledMultiColor(ImVec2(10, 170), ImVec2(200, 300), red, panel, red, panel);  // not one colour
  ImGui::Render();
  return *ImGui::GetDrawData();
}

}  // namespace

TEST_CASE("opaque fills: the picture equals SDL's own drawing, and only opaque one-colour rectangles are taken") {
  REQUIRE(SDL_Init(0) == 0);
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.Fonts->AddFontDefault();
  unsigned char* atlas = nullptr;
  int aw = 0, ah = 0;
  io.Fonts->GetTexDataAsRGBA32(&atlas, &aw, &ah);

  for (const Uint32 format : {SDL_PIXELFORMAT_RGB888, SDL_PIXELFORMAT_ARGB8888}) {
    CAPTURE(SDL_GetPixelFormatName(format));
    Canvas by_sdl(format, atlas, aw, ah), with_fills(format, atlas, aw, ah);
    const ImDrawData& dd = Frame(static_cast<ImTextureID>(with_fills.font));
    REQUIRE(dd.CmdListsCount == 1);
    const ImDrawList* list = dd.CmdLists[0];
    REQUIRE(list->CmdBuffer.Size >= 1);
    const ImDrawCmd& cmd = list->CmdBuffer[0];

    // Exactly the header band, the rectangle after the lone triangle and the panel: not the
    // translucent one, the glyphs, the fan, the stroke or the four-colour rectangle.
    const std::vector<OpaqueFill> fills =
        FindOpaqueFills(list->VtxBuffer.Data + cmd.VtxOffset, list->IdxBuffer.Data + cmd.IdxOffset,
                        static_cast<int>(cmd.ElemCount), true, aw, ah);
    REQUIRE(fills.size() == 3);
    CHECK(fills[0].rect.x == 0);
    CHECK(fills[0].rect.w == kW);
    CHECK(fills[0].color.r == 176);
    CHECK(fills[1].rect.x == 70);
    CHECK(fills[1].rect.w == Approx(130.5f));
    CHECK(fills[1].rect.h == Approx(50.25f));
    CHECK(fills[2].rect.x == 240);
    CHECK(fills[2].color.g == 253);
    for (const OpaqueFill& f : fills) CHECK(f.color.a == 255);

    CHECK(by_sdl.Draw(dd, false) == 0);
    CHECK(with_fills.Draw(dd, true) == 3);
    CHECK(FirstDifference(by_sdl.surface, with_fills.surface).empty());
  }
  ImGui::DestroyContext();
  SDL_Quit();
}
