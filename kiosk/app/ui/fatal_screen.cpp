#include "kiosk/app/ui/fatal_screen.h"

#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>

#include "kiosk/app/ui/screenshot.h"

namespace mck::app::ui {
namespace {

void Centered(const std::string& text, ImFont* font, ImU32 color, float width) {
  ImGui::PushFont(font);
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, width);
  const float x = (ImGui::GetWindowWidth() - std::min(size.x, width)) / 2;
  ImGui::SetCursorPosX(x);
  ImGui::PushTextWrapPos(x + width);
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
}

}  // namespace

int RunFatalScreen(SDL_Window* window, SDL_Renderer* renderer, const Fonts& fonts, SessionHost& host,
                   uint32_t stop_event, const std::string& reason_vi,
                   const std::optional<std::filesystem::path>& test_shot) {
  (void)window;
  const FontSet& f = fonts.normal;
#if MCK_DEV_TOOLS
  std::optional<std::chrono::steady_clock::time_point> shot_at;
#endif
  for (;;) {
    SDL_Event ev;
    bool have = SDL_WaitEventTimeout(&ev, test_shot ? 50 : host.ClampTimeout(-1)) == 1;
    while (have) {
      if (ev.type == stop_event) {
        if (host.TakeStop() == StopRequest::kTerminate) {
          SessionHost::Log("stopping on SIGTERM (start-up failure screen)");
          return 0;
        }
        SessionHost::Log("SIGINT ignored: only SIGTERM stops the kiosk");
      } else if (ev.type == SDL_QUIT) {
        SessionHost::Log("quit event ignored (kiosk mode)");
      } else {
        ImGui_ImplSDL2_ProcessEvent(&ev);
      }
      have = SDL_PollEvent(&ev) == 1;
    }
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGui::NewFrame();
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(screen);
    ImGui::Begin("fatal", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    const float width = screen.x * 0.8f;
    ImGui::SetCursorPosY(screen.y * 0.25f);
    Centered("Ki-ốt tạm ngừng phục vụ", f.title, IM_COL32(160, 30, 30, 255), width);
    ImGui::Dummy(ImVec2(0, screen.y * 0.04f));
    Centered("Xin mời đến quầy một cửa để được hỗ trợ.", f.body, IM_COL32(30, 30, 30, 255), width);
    ImGui::Dummy(ImVec2(0, screen.y * 0.06f));
    Centered("Dành cho kỹ thuật viên: " + reason_vi, f.small, IM_COL32(90, 90, 90, 255), width);
    ImGui::End();
    ImGui::Render();
    SDL_SetRenderDrawColor(renderer, 247, 248, 250, 255);
    SDL_RenderClear(renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    const auto now = std::chrono::steady_clock::now();
#if MCK_DEV_TOOLS  // screenshots exist in development builds only (ui/screenshot.cpp)
    if (test_shot && !shot_at) {
      shot_at = now + kTestShotFor;
      SDL_Event quit{};
      quit.type = SDL_QUIT;
      SDL_PushEvent(&quit);  // must be ignored, as in kiosk mode
    } else if (test_shot && now >= *shot_at) {
      if (Status st = SaveScreenshot(renderer, *test_shot); !st.ok()) {
        SessionHost::Log("screenshot failed: " + st.ToString());
        return 1;
      }
      SessionHost::Log("screenshot " + test_shot->string() + "; start-up failure screen shown, " +
                       std::to_string(host.pings()) + " watchdog pings");
      return kFatalShownExit;
    }
#endif
    SDL_RenderPresent(renderer);
    host.FramePresented(now);
  }
}

}  // namespace mck::app::ui
