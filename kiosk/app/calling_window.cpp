#include "kiosk/app/calling_window.h"

#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <cfloat>
#include <string>

#include "kiosk/app/i18n.h"
#include "kiosk/app/session_host.h"

namespace mck::app {
namespace {

CallingWindow* g_current = nullptr;

// High contrast for a TV seen from across the room: white and yellow on black (both above 15:1),
// grey only for what is secondary (#B4B4B4 on black: 10:1).
constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kYellow = IM_COL32(255, 214, 0, 255);
constexpr ImU32 kGrey = IM_COL32(180, 180, 180, 255);
constexpr ImU32 kHeaderBand = IM_COL32(0, 51, 102, 255);
constexpr ImU32 kRowBand = IM_COL32(24, 24, 24, 255);
constexpr ImU32 kRule = IM_COL32(90, 90, 90, 255);

Status SdlError(const std::string& what) {
  return Status::Error(Code::kUnavailable, what + ": " + SDL_GetError(), "Không mở được màn hình gọi số");
}

// `text` in `font` at the largest size up to `size` that fits `width`; returns the size used.
float FitSize(ImFont* font, float size, float width, const std::string& text) {
  const float w = font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str()).x;
  return w <= width || w <= 0 ? size : size * width / w;
}

void Text(ImDrawList* dl, ImFont* font, float size, ImVec2 at, ImU32 color, const std::string& text) {
  dl->AddText(font, size, at, color, text.c_str());
}

}  // namespace

Result<std::unique_ptr<CallingWindow>> CallingWindow::Open(const KioskConfig& config,
                                                           const std::filesystem::path& font_dir) {
  std::unique_ptr<CallingWindow> cw(new CallingWindow());
  int w = config.calling_display_width, h = config.calling_display_height;
  int x = SDL_WINDOWPOS_UNDEFINED, y = SDL_WINDOWPOS_UNDEFINED;
  Uint32 flags = SDL_WINDOW_SHOWN;
  if (config.calling_display_index >= 0) {
    const int index = config.calling_display_index;
    if (index >= SDL_GetNumVideoDisplays()) {
      return Status::Error(Code::kUnavailable, "no display " + std::to_string(index),
                           "Không thấy màn hình số " + std::to_string(index));
    }
    SDL_DisplayMode dm;
    if (SDL_GetDesktopDisplayMode(index, &dm) != 0) return SdlError("SDL_GetDesktopDisplayMode");
    w = dm.w;
    h = dm.h;
    x = y = static_cast<int>(SDL_WINDOWPOS_CENTERED_DISPLAY(index));
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  }
  cw->window_ = SDL_CreateWindow("Màn hình gọi số", x, y, w, h, flags);
  if (!cw->window_) return SdlError("SDL_CreateWindow");
  cw->window_id_ = SDL_GetWindowID(cw->window_);
  // Software: draws into the window's surface, which keeps the last frame (and screenshots of it
  // read that surface at any time).
  cw->renderer_ = SDL_CreateRenderer(cw->window_, -1, SDL_RENDERER_SOFTWARE);
  if (!cw->renderer_) return SdlError("SDL_CreateRenderer");
  SDL_GetRendererOutputSize(cw->renderer_, &w, &h);

  // Its own context and its own atlas: an atlas shared with the main context would carry the
  // main renderer's font texture, which this renderer cannot draw. Built once, here.
  ImGuiContext* caller = ImGui::GetCurrentContext();
  cw->context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(cw->context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  auto fonts = ui::LoadFonts(font_dir, std::clamp(static_cast<float>(std::min(w, h)) / 1080.0f, 0.6f, 2.0f));
  if (fonts.ok()) {
    cw->fonts_ = std::move(*fonts);
    ImGui_ImplSDLRenderer_Init(cw->renderer_);
  }
  ImGui::SetCurrentContext(caller);
  if (!fonts.ok()) return fonts.status();  // the destructor frees the context and the window
  SDL_AddEventWatch(&CallingWindow::OnSdlEvent, cw.get());
  g_current = cw.get();
  return cw;
}

std::unique_ptr<CallingWindow> CallingWindow::OpenIfEnabled(const KioskConfig& config,
                                                            const std::filesystem::path& font_dir) {
  if (!config.calling_display_enabled) return nullptr;
  auto cw = Open(config, font_dir);
  if (!cw.ok()) {
    SessionHost::Log("calling display off: " + cw.status().message_en());
    return nullptr;
  }
  int w = 0, h = 0;
  SDL_GetRendererOutputSize((*cw)->renderer_, &w, &h);
  SessionHost::Log("calling display on (" + std::to_string(w) + "x" + std::to_string(h) + ")");
  return std::move(*cw);
}

CallingWindow::~CallingWindow() {
  SDL_DelEventWatch(&CallingWindow::OnSdlEvent, this);
  if (g_current == this) g_current = nullptr;
  if (context_) {
    ImGuiContext* caller = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(context_);
    if (ImGui::GetIO().BackendRendererUserData) ImGui_ImplSDLRenderer_Shutdown();
    ImGui::DestroyContext(context_);
    ImGui::SetCurrentContext(caller == context_ ? nullptr : caller);
  }
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (window_) SDL_DestroyWindow(window_);
}

CallingWindow* CallingWindow::Current() {
  return g_current;
}

int CallingWindow::OnSdlEvent(void* self, SDL_Event* event) {
  auto* cw = static_cast<CallingWindow*>(self);
  if (event->type == SDL_WINDOWEVENT && event->window.windowID == cw->window_id_ &&
      (event->window.event == SDL_WINDOWEVENT_EXPOSED || event->window.event == SDL_WINDOWEVENT_SIZE_CHANGED)) {
    cw->exposed_ = true;  // the window's pixels may be gone: draw them again at the next frame
  }
  return 0;
}

void CallingWindow::Draw(const App& app) {
  const bool exposed = exposed_.exchange(false);
  if (!exposed && frames_ > 0 && drawn_version_ == app.calling_board_version()) return;
  ImGuiContext* caller = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(context_);
  int w = 0, h = 0;
  SDL_GetRendererOutputSize(renderer_, &w, &h);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
  io.DeltaTime = 1.0f / 30.0f;
  ImGui_ImplSDLRenderer_NewFrame();
  ImGui::NewFrame();
  DrawBoard(app, static_cast<float>(w), static_cast<float>(h));
  ImGui::Render();
  SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
  SDL_RenderClear(renderer_);
  ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
  SDL_RenderPresent(renderer_);
  ImGui::SetCurrentContext(caller);
  drawn_version_ = app.calling_board_version();
  ++frames_;
}

void CallingWindow::DrawBoard(const App& app, float width, float height) {
  const auto& vi = app.strings().vi();  // the display is for everyone in the room: always Vietnamese
  auto t = [&vi](const char* key) {
    auto it = vi.find(key);
    return it == vi.end() ? std::string(key) : it->second;
  };
  const ui::FontSet& f = fonts_.large;
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const float pad = width * 0.025f;
  const float header_h = height * 0.16f;
  // The three columns: the counter, the number served now, the next ones waiting.
  const float col_counter = pad, col_serving = width * 0.36f, col_next = width * 0.70f;
  const float w_counter = col_serving - col_counter - pad, w_serving = col_next - col_serving - pad,
              w_next = width - col_next - pad;

  dl->AddRectFilled(ImVec2(0, 0), ImVec2(width, header_h), kHeaderBand);
  const std::string title = t("calling.title");
  const float title_size = FitSize(f.title, f.title->FontSize, width - 2 * pad, title);
  Text(dl, f.title, title_size, ImVec2(pad, header_h * 0.08f), kWhite, title);
  const float label_size = f.small->FontSize;
  const float label_y = header_h - label_size - header_h * 0.06f;
  Text(dl, f.bold, label_size, ImVec2(col_counter, label_y), kGrey, t("calling.counter"));
  Text(dl, f.bold, label_size, ImVec2(col_serving, label_y), kGrey, t("calling.serving"));
  Text(dl, f.bold, label_size, ImVec2(col_next, label_y), kGrey, t("calling.next"));

  const auto& rows = app.calling_board().counters;
  if (rows.empty()) return;
  const float row_h = (height - header_h) / static_cast<float>(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const float top = header_h + row_h * static_cast<float>(i);
    if (i % 2 == 1) dl->AddRectFilled(ImVec2(0, top), ImVec2(width, top + row_h), kRowBand);
    dl->AddLine(ImVec2(0, top), ImVec2(width, top), kRule, 1.0f);
    // The counter: its name, and its letters as the ticket prints them.
    const float name_size = FitSize(f.bold, std::min(f.bold->FontSize, row_h * 0.34f), w_counter, r.name);
    Text(dl, f.bold, name_size, ImVec2(col_counter, top + row_h * 0.14f), kWhite, r.name);
    const std::string code = FormatPattern(t("calling.counter_code"), {r.counter});
    Text(dl, f.body, std::min(f.small->FontSize, row_h * 0.26f), ImVec2(col_counter, top + row_h * 0.54f), kGrey, code);
    // The number served now, as large as the row allows.
    if (r.serving.empty()) {
      Text(dl, f.body, std::min(f.body->FontSize, row_h * 0.3f), ImVec2(col_serving, top + row_h * 0.3f), kGrey,
           t("calling.none_yet"));
    } else {
      const float size = FitSize(f.huge, std::min(f.huge->FontSize, row_h * 0.82f), w_serving, r.serving);
      Text(dl, f.huge, size, ImVec2(col_serving, top + (row_h - size) / 2), kYellow, r.serving);
    }
    // The next ones waiting, and how many wait in all.
    if (r.next.empty()) {
      Text(dl, f.body, std::min(f.body->FontSize, row_h * 0.3f), ImVec2(col_next, top + row_h * 0.3f), kGrey,
           t("calling.nobody_waiting"));
    } else {
      std::string next;
      for (const auto& n : r.next) next += (next.empty() ? "" : "  ") + n;
      const float next_size = FitSize(f.title, std::min(f.title->FontSize, row_h * 0.4f), w_next, next);
      Text(dl, f.title, next_size, ImVec2(col_next, top + row_h * 0.12f), kWhite, next);
    }
    if (r.waiting > 0) {
      const std::string count = FormatPattern(t("calling.waiting"), {std::to_string(r.waiting)});
      Text(dl, f.body, std::min(f.small->FontSize, row_h * 0.26f), ImVec2(col_next, top + row_h * 0.6f), kGrey, count);
    }
  }
}

}  // namespace mck::app
