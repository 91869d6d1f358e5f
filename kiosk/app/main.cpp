// kiosk — the citizen's touch kiosk. The composition root: reads the configuration, opens the
// store, picks the device implementations, creates the SDL window and the ImGui context, and
// runs the event-driven loop (STYLE.md "How state flows"): pump → reduce → draw → dispatch,
// then sleep in SDL_WaitEventTimeout until the next input, worker event or deadline.
//
//   kiosk [--config FILE] [--data-dir DIR] [--windowed WxH]
//         [--script FILE --shots DIR]   test-only scripted input (ui/script.h)
//         [--frame-log FILE]            per-frame CPU time in µs, for scripts/bench-ui
// Renderer: SDL_Renderer in software by default (docs/ui.md has the measurements); set
// SDL_RENDER_DRIVER=opengl to compare.
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <cfloat>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "kiosk/app/app.h"
#include "kiosk/app/device_setup.h"
#include "kiosk/app/event_queue.h"
#include "kiosk/app/frame_pacer.h"
#include "kiosk/app/i18n.h"
#include "kiosk/app/portal_link.h"
#include "kiosk/app/ui/fonts.h"
#include "kiosk/app/ui/frame.h"
#include "kiosk/app/ui/script.h"
#include "offline/domain/config.h"
#include "offline/domain/ids.h"
#include "offline/store/purge_schedule.h"
#include "offline/store/store.h"

namespace {

using namespace mck;
using namespace mck::app;

struct Args {
  std::optional<std::filesystem::path> config, data_dir, script, shots, frame_log;
  int width = 0, height = 0;  // 0: full screen
};

int Usage() {
  std::cerr << "usage: kiosk [--config FILE] [--data-dir DIR] [--windowed WxH] [--script FILE --shots DIR] "
               "[--frame-log FILE]\n";
  return 2;
}

std::optional<Args> ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    std::optional<std::string> v;
    if (k == "--config" && (v = value()))
      a.config = *v;
    else if (k == "--data-dir" && (v = value()))
      a.data_dir = *v;
    else if (k == "--script" && (v = value()))
      a.script = *v;
    else if (k == "--shots" && (v = value()))
      a.shots = *v;
    else if (k == "--frame-log" && (v = value()))
      a.frame_log = *v;
    else if (k == "--windowed" && (v = value())) {
      if (std::sscanf(v->c_str(), "%dx%d", &a.width, &a.height) != 2 || a.width < 320 || a.height < 320)
        return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  return a;
}

std::filesystem::path ConfigPath(const Args& a) {
  if (a.config) return *a.config;
  if (const char* env = std::getenv("MCK_CONFIG"); env && *env) return env;
  if (std::filesystem::exists("/etc/mot-cua-kiosk/kiosk.toml")) return "/etc/mot-cua-kiosk/kiosk.toml";
  return std::filesystem::path(MCK_SOURCE_DIR) / "config" / "kiosk.toml";
}

std::filesystem::path AssetsDir() {
  if (const char* env = std::getenv("MCK_ASSETS_DIR"); env && *env) return env;
  if (std::filesystem::exists("/usr/share/mot-cua-kiosk/assets/i18n/vi.json")) return "/usr/share/mot-cua-kiosk/assets";
  return std::filesystem::path(MCK_SOURCE_DIR) / "assets";
}

int64_t UnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The pointer as the kiosk sees it, fed from SDL mouse events (touch arrives as mouse events
// too: SDL_HINT_TOUCH_MOUSE_EVENTS). Dear ImGui 1.86's SDL backend reads the global mouse state
// instead of events, which synthetic events cannot move; so we own the pointer and hand it to
// ImGui each frame. A press and release within one frame are spread over two frames so that a
// quick tap is never lost.
struct Pointer {
  float x = -FLT_MAX, y = -FLT_MAX;
  bool down = false;
  bool down_seen = false;
  bool pending_up = false;

  void OnEvent(const SDL_Event& e) {
    switch (e.type) {
      case SDL_MOUSEMOTION:
        x = static_cast<float>(e.motion.x);
        y = static_cast<float>(e.motion.y);
        break;
      case SDL_MOUSEBUTTONDOWN:
        if (e.button.button != SDL_BUTTON_LEFT) break;
        x = static_cast<float>(e.button.x);
        y = static_cast<float>(e.button.y);
        down = true;
        down_seen = false;
        pending_up = false;
        break;
      case SDL_MOUSEBUTTONUP:
        if (e.button.button != SDL_BUTTON_LEFT) break;
        x = static_cast<float>(e.button.x);
        y = static_cast<float>(e.button.y);
        if (down_seen) {
          down = false;
        } else {
          pending_up = true;
        }
        break;
      default: break;
    }
  }
  void ApplyToImGui() {
    if (pending_up && down_seen) {
      down = false;
      pending_up = false;
    }
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(x, y);
    io.MouseDown[0] = down;
    io.MouseDown[1] = io.MouseDown[2] = false;
    if (down) down_seen = true;
  }
};

void StyleForTouch(float scale) {
  ImGuiStyle& s = ImGui::GetStyle();
  ImGui::StyleColorsLight(&s);
  s.WindowRounding = 0;
  s.WindowBorderSize = 0;
  s.ChildBorderSize = 0;
  s.ScrollbarSize = 12 * scale;
  s.ScrollbarRounding = 6 * scale;
  s.TouchExtraPadding = ImVec2(4 * scale, 4 * scale);
  // Touch has no hover: hovered looks like normal, so nothing "sticks" under a lifted finger.
  s.Colors[ImGuiCol_ButtonHovered] = s.Colors[ImGuiCol_Button];
  s.Colors[ImGuiCol_ScrollbarGrab] = ImVec4(0.45f, 0.5f, 0.56f, 1);
  s.Colors[ImGuiCol_ScrollbarBg] = ImVec4(0, 0, 0, 0);
}

}  // namespace

int main(int argc, char** argv) {
  auto args = ParseArgs(argc, argv);
  if (!args) return Usage();

  auto config = LoadConfig(ConfigPath(*args));
  if (!config.ok()) {
    std::cerr << "kiosk: " << config.status().message_vi() << " / " << config.status().ToString() << "\n";
    return 2;
  }
  if (args->data_dir) config->data_dir = *args->data_dir;

  SystemClock clock;
  StoreOptions so;
  so.data_dir = config->data_dir;
  so.kiosk_number = config->kiosk_number;
  so.retention_days = config->retention_days;
  so.catalog_seed = config->catalog_seed;
  so.clock = &clock;
  auto store = Store::Open(so);
  if (!store.ok()) {
    std::cerr << "kiosk: " << store.status().message_vi() << " / " << store.status().ToString() << "\n";
    return 1;
  }

  Strings strings;
  if (Status st = strings.Load(AssetsDir() / "i18n"); !st.ok()) {
    std::cerr << "kiosk: " << st.ToString() << "\n";
    return 1;
  }

  // SDL first, while this process has one thread: SDL_Init may fork (D-Bus autolaunch), and a
  // fork while a worker thread holds a lock (malloc's, or a sanitizer's) can leave the child
  // deadlocked and SDL_Init waiting for it forever. Seen under ASan with the sync worker running.
  // Software rendering by default: see docs/ui.md for the measurements behind this.
  SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    std::cerr << "kiosk: SDL_Init: " << SDL_GetError() << "\n";
    return 1;
  }
  EventQueue events;
  const Uint32 wake_event = SDL_RegisterEvents(1);
  events.SetWake([wake_event] {
    SDL_Event e{};
    e.type = wake_event;
    SDL_PushEvent(&e);
  });

  Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
  int w = args->width, h = args->height;
  if (w == 0) {
    SDL_DisplayMode dm;
    if (SDL_GetDesktopDisplayMode(0, &dm) == 0) {
      w = dm.w;
      h = dm.h;
    } else {
      w = 1920;
      h = 1080;
    }
    flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
  }
  SDL_Window* window = SDL_CreateWindow("Một Cửa Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h, flags);
  if (!window) {
    std::cerr << "kiosk: SDL_CreateWindow: " << SDL_GetError() << "\n";
    return 1;
  }
  SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, 0);
  if (!renderer) {
    std::cerr << "kiosk: SDL_CreateRenderer: " << SDL_GetError() << "\n";
    return 1;
  }
  SDL_RendererInfo ri;
  SDL_GetRendererInfo(renderer, &ri);
  SDL_GetWindowSize(window, &w, &h);
  std::cerr << "kiosk: renderer " << ri.name << ", window " << w << "x" << h << "\n";
  // The device and portal workers start only now that SDL is up (see SDL_Init above).
  Devices devices = SetUpDevices(*config, events);
  std::unique_ptr<PortalLink> portal = StartPortalLink(*config, so, **store, events);
  // Expired personal data goes by itself: now, then every day (offline/store/purge_schedule.h).
  PurgeSchedule purge(so);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no settings file: nothing persists between citizens
  io.LogFilename = nullptr;
  const float scale = std::clamp(static_cast<float>(std::min(w, h)) / 1080.0f, 0.6f, 2.0f);
  StyleForTouch(scale);
  auto font_dir = ui::FindFontDir(MCK_SOURCE_DIR);
  if (!font_dir.ok()) {
    std::cerr << "kiosk: " << font_dir.status().ToString() << "\n";
    return 1;
  }
  auto fonts = ui::LoadFonts(*font_dir, scale);
  if (!fonts.ok()) {
    std::cerr << "kiosk: " << fonts.status().ToString() << "\n";
    return 1;
  }
  ImGui_ImplSDL2_InitForSDLRenderer(window);
  ImGui_ImplSDLRenderer_Init(renderer);

  AppDeps deps;
  deps.config = &config.value();
  deps.store = store->get();
  deps.clock = &clock;
  deps.strings = &strings;
  deps.printer = devices.printer.get();
  deps.card = devices.card.get();
  deps.portal = portal->lookup();
  deps.events = &events;    // the core worker (App::Init) posts its answers here
  deps.store_options = so;  // and opens its own connection with these
  deps.outbox_changed = [&portal] { portal->Nudge(); };
  deps.sync_now = [&portal] { portal->SyncNow(); };
  App app(deps);
  if (Status st = app.Init(); !st.ok()) {
    std::cerr << "kiosk: " << st.ToString() << "\n";
    return 1;
  }

  std::optional<ui::ScriptRunner> script;
  if (args->script) {
    auto loaded = ui::ScriptRunner::Load(*args->script, args->shots.value_or("."));
    if (!loaded.ok()) {
      std::cerr << "kiosk: " << loaded.status().ToString() << "\n";
      return 2;
    }
    script.emplace(std::move(loaded.value()));
  }
  std::ofstream frame_log;
  if (args->frame_log) frame_log.open(*args->frame_log);

  FramePacer pacer;
  ui::Ui view(app, fonts.value(), pacer);
  view.scale = scale;
  view.log_frames = !script;  // a script says which frames to record (`frames on`)
  Pointer pointer;
  bool first_frame = true;
  const bool trace = std::getenv("MCK_KIOSK_TRACE") != nullptr;  // intents to stderr (never values)
  int exit_code = 0;
  bool running = true;

  while (running) {
    // ---- 1. pump: sleep until an event or the next deadline ----
    SDL_Event ev;
    const int timeout = pacer.TimeoutMs(std::chrono::steady_clock::now());
    bool have = timeout < 0 ? SDL_WaitEvent(&ev) == 1 : SDL_WaitEventTimeout(&ev, timeout) == 1;
    while (have) {
      pacer.OnActivity();
      // Never where: tap positions on the PIN pad or the keyboard would give the PIN or the text away.
      if (trace && (ev.type == SDL_MOUSEBUTTONDOWN || ev.type == SDL_MOUSEBUTTONUP)) {
        std::cerr << "kiosk: mouse " << (ev.type == SDL_MOUSEBUTTONDOWN ? "down" : "up") << "\n";
      }
      if (ev.type == SDL_QUIT) running = false;
      if (ev.type == wake_event) {
        // ---- 2. reduce: worker results ----
        for (UiEvent& e : events.Drain()) {
          app.OnEvent(e);
          WipeEvent(e);  // a card's identity or a QR's payload is zeroed, not just freed
        }
      } else {
        ImGui_ImplSDL2_ProcessEvent(&ev);
        pointer.OnEvent(ev);
        if (ev.type == SDL_MOUSEBUTTONDOWN || ev.type == SDL_TEXTINPUT || ev.type == SDL_KEYDOWN) app.Touched();
        if (ev.type == SDL_TEXTINPUT && app.focused_key().empty()) {
          // No field focused: a keyboard-wedge QR scanner is typing a card's or a receipt's QR.
          app.WedgeText(ev.text.text);
        } else if (ev.type == SDL_TEXTINPUT) {
          app.Apply(intent::Key{.text = ev.text.text});
        } else if (ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_BACKSPACE) {
          app.Apply(intent::Backspace{});
        } else if (ev.type == SDL_KEYDOWN && (ev.key.keysym.sym == SDLK_RETURN || ev.key.keysym.sym == SDLK_KP_ENTER)) {
          if (app.WedgeEnter()) {
            // the scanner's line was complete: handed on as QrScanned, and wiped
          } else {
            // Enter ends typing; on the look-up screen it searches.
            if (app.screen() == ScreenId::kLookup) {
              app.Apply(intent::Lookup{});
            } else {
              app.Apply(intent::Unfocus{});
            }
          }
        }
      }
      have = SDL_PollEvent(&ev) == 1;
    }
    if (!running) break;
    app.Tick();

    // ---- 3./4. view and draw ----
    const auto t0 = std::chrono::steady_clock::now();
    pacer.BeginFrame(t0);
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    pointer.ApplyToImGui();
    ImGui::NewFrame();
    view.widgets.BeginFrame();
    view.time = ImGui::GetTime();
    view.size = io.DisplaySize;
    ui::DrawFrame(view);
    ImGui::Render();
    SDL_SetRenderDrawColor(renderer, 247, 248, 250, 255);
    SDL_RenderClear(renderer);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    if (script) {
      auto st = script->AfterFrame(view, window, renderer, pacer.pending_frames() <= 1 && view.intents.empty());
      if (st == ui::ScriptRunner::State::kFailed) {
        std::cerr << "kiosk: " << script->error() << "\n";
        exit_code = 1;
        running = false;
      } else if (st == ui::ScriptRunner::State::kDone) {
        running = false;
      }
    }
    SDL_RenderPresent(renderer);
    const auto t1 = std::chrono::steady_clock::now();
    if (first_frame) {
      std::cerr << "kiosk: first-frame-unix-ms=" << UnixMs() << "\n";
      first_frame = false;
    }
    if (frame_log.is_open() && view.log_frames)
      frame_log << std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count() << "\n";

    // ---- 5. dispatch ----
    if (!view.intents.empty()) {
      pacer.OnActivity();
      for (const Intent& in : view.intents) {
        if (trace) std::cerr << "kiosk: intent " << in.index() << "\n";  // its place in intents.h's variant
        app.Apply(in);
      }
      view.intents.clear();
    }
    pacer.FrameRendered();
    const auto deadline = app.inactivity().NextDeadline();
    if (deadline != InactivityTimer::Steady::max()) pacer.WakeAt(deadline);
  }

  // The citizen's data goes before anything else is torn down.
  app.Apply(intent::StartOver{});
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_DestroyRenderer(renderer);
  SDL_DestroyWindow(window);
  events.SetWake({});  // the workers still running until main returns no longer wake SDL
  SDL_Quit();
  return exit_code;
}
