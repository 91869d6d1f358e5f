// kiosk — the citizen's touch kiosk. The composition root: reads the configuration, opens the
// store, picks the device implementations, creates the SDL window and the ImGui context, and
// runs the event-driven loop (STYLE.md "How state flows"): pump → reduce → draw → dispatch,
// then sleep in SDL_WaitEventTimeout until the next input, worker event or deadline.
//
//   kiosk [--config FILE] [--assets DIR] [--data-dir DIR] [--windowed WxH]
//         [--script FILE --shots DIR]   test-only scripted input (ui/script.h)    } development
//         [--frame-log FILE]            per-frame CPU time in µs, for bench-ui    } builds only
// A development build (MCK_DEV_TOOLS=ON) also finds its config and assets in the source tree;
// the package's build (OFF) reads only --config (default /etc/mot-cua/kiosk.toml) and never
// falls back (docs/packaging.md). Kiosk mode (always in the package's build; in a development
// build unless --windowed or --script): no quit event or key ends the app, only SIGTERM.
// When it cannot start (config, store — a failed migration or a downgrade —, assets) it shows the
// start-up failure screen (ui/fatal_screen.h) and stays up; with --script --shots (development)
// it shows it for a moment, saves DIR/fatal.png and exits 3.
// Renderer: SDL_Renderer in software, drawing only what changed into the window's surface
// (ui/presenter.h, docs/ui.md); SDL_RENDER_DRIVER=opengl to compare. Development builds also read
// MCK_UI_FULL_REDRAW=1 (whole frames, SDL's blended fills: as before), MCK_UI_SDL_FILLS=1 (SDL's
// fills) and MCK_UI_VERIFY_DAMAGE=1 (every frame against a whole redraw by SDL alone; exit 1).
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <cfloat>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "kiosk/app/app.h"
#include "kiosk/app/calling_window.h"
#include "kiosk/app/device_setup.h"
#include "kiosk/app/frame_pacer.h"
#include "kiosk/app/i18n.h"
#include "kiosk/app/portal_link.h"
#include "kiosk/app/session_host.h"
#include "kiosk/app/speech_player.h"
#include "kiosk/app/ui/fatal_screen.h"
#include "kiosk/app/ui/fonts.h"
#include "kiosk/app/ui/frame.h"
#include "kiosk/app/ui/presenter.h"
#if MCK_DEV_TOOLS
#include "kiosk/app/ui/script.h"
#endif
#include "kiosk/core/journal.h"
#include "offline/domain/config.h"
#include "offline/store/purge_schedule.h"
#include "offline/store/staff_auth.h"
#include "offline/store/store.h"

namespace {

using namespace mck;
using namespace mck::app;

constexpr bool kDevBuild = MCK_DEV_TOOLS;
#if MCK_DEV_TOOLS
const std::function<void(SaneScanServiceOptions&)> kAdjustScan = AddDevScanFault;  // dev_scan_fault.cpp
#else
const std::function<void(SaneScanServiceOptions&)> kAdjustScan;
#endif
constexpr const char* kEtcConfig = "/etc/mot-cua/kiosk.toml";
constexpr const char* kSharedAssets = "/usr/share/mot-cua";

struct Args {
  std::optional<std::filesystem::path> config, assets, data_dir, script, shots, frame_log;
  int width = 0, height = 0;  // 0: full screen
};

int Usage() {
  std::cerr << "usage: kiosk [--config FILE] [--assets DIR] [--data-dir DIR] [--windowed WxH]"
            << (kDevBuild ? " [--script FILE --shots DIR] [--frame-log FILE]" : "") << "\n";
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
    else if (k == "--assets" && (v = value()))
      a.assets = *v;
    else if (k == "--data-dir" && (v = value()))
      a.data_dir = *v;
    else if (kDevBuild && k == "--script" && (v = value()))
      a.script = *v;
    else if (kDevBuild && k == "--shots" && (v = value()))
      a.shots = *v;
    else if (kDevBuild && k == "--frame-log" && (v = value()))
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

// The package's build: the command line or /etc, nothing else (no environment, no source tree).
std::filesystem::path ConfigPath(const Args& a) {
  if (a.config) return *a.config;
#if MCK_DEV_TOOLS
  if (const char* env = std::getenv("MCK_CONFIG"); env && *env) return env;
  if (!std::filesystem::exists(kEtcConfig)) return std::filesystem::path(MCK_SOURCE_DIR) / "config" / "kiosk.toml";
#endif
  return kEtcConfig;
}

std::filesystem::path AssetsDir(const Args& a) {
  if (a.assets) return *a.assets;
#if MCK_DEV_TOOLS
  if (const char* env = std::getenv("MCK_ASSETS_DIR"); env && *env) return env;
  if (!std::filesystem::exists(std::filesystem::path(kSharedAssets) / "i18n" / "vi.json"))
    return std::filesystem::path(MCK_SOURCE_DIR) / "assets";
#endif
  return kSharedAssets;
}

std::string SourceDir() {
#if MCK_DEV_TOOLS
  return MCK_SOURCE_DIR;
#else
  return kSharedAssets;  // no source tree in the package: fonts come from fonts-noto-core
#endif
}

// The calling thread's CPU time, µs (the frame log's last column).
long long ThreadCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
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
  SessionHost::BlockStopSignals();  // before any thread: only the sigwait thread takes them
  auto args = ParseArgs(argc, argv);
  if (!args) return Usage();
  const bool kiosk_mode = !kDevBuild || (args->width == 0 && !args->script);

  // Start-up failures are collected, not returned, once SDL can show them: in kiosk mode the
  // fatal screen explains them (an exit would only make systemd restart the same failure).
  std::optional<Status> failure;
  auto config = LoadConfig(ConfigPath(*args));
  SystemClock clock;
  StoreOptions so;
  std::optional<Result<std::unique_ptr<Store>>> store;
  Strings strings;
  if (!config.ok()) {
    failure = config.status();
  } else {
    if (args->data_dir) config->data_dir = *args->data_dir;
    // The technician's per-device values (kioskctl provision) over the /etc file.
    if (Status st = ApplyProvisioned(&config.value()); !st.ok()) failure = st;
    InstallJournalLogging(config->journal);  // [logging] journal: mck::Log entries to the journal
    so.data_dir = config->data_dir;
    so.kiosk_number = config->kiosk_number;
    so.retention_days = config->retention_days;
    so.catalog_seed = config->catalog_seed;
    so.key_protection = KeyProtectionFor(*config);
    so.clock = &clock;
    if (!failure) {
      store.emplace(Store::Open(so));
      if (!store->ok()) failure = store->status();
    }
  }
  if (!failure) {
    if (Status st = strings.Load(AssetsDir(*args) / "i18n"); !st.ok()) failure = st;
  }
  if (failure) {
    SessionHost::Log("cannot start: " + failure->ToString());  // file:line and reason, no personal data
    // A development run with --script --shots shows the screen too (tests/ui takes its picture).
    if (!kiosk_mode && !(args->script && args->shots)) {
      std::cerr << "kiosk: " << failure->message_vi() << "\n";
      return config.ok() ? 1 : 2;
    }
  }

  // SDL first, while this process has one thread: SDL_Init may fork (D-Bus autolaunch), and a
  // fork while a worker thread holds a lock (malloc's, or a sanitizer's) can leave the child
  // deadlocked and SDL_Init waiting for it forever. Seen under ASan with the sync worker running.
  // Software rendering by default: see docs/ui.md for the measurements behind this.
  SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");  // SIGINT/SIGTERM are the SessionHost's
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    std::cerr << "kiosk: SDL_Init: " << SDL_GetError() << "\n";
    return 1;
  }
  // Audio for the read-aloud (docs/speech.md), also before any thread. Without it the kiosk runs
  // on silent and says so in the log.
  const bool audio = SDL_InitSubSystem(SDL_INIT_AUDIO) == 0;
  if (!audio) SessionHost::Log(std::string("no audio (read-aloud off): ") + SDL_GetError());
  // X11: the software renderer draws into the window's own framebuffer ("0"). Wayland has none:
  // there "0" makes the software renderer fail and SDL fall back to OpenGL, and left unset the
  // window stays black under cage without a GPU; "1" backs the window's surface with a texture
  // (seen with grim under cage: black, black, then the screen with "1").
  const bool wayland = std::string(SDL_GetCurrentVideoDriver()) == "wayland";
  SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, wayland ? "1" : "0");
  EventQueue events;
  const Uint32 wake_event = SDL_RegisterEvents(2);
  const Uint32 stop_event = wake_event + 1;
  events.SetWake([wake_event] {
    SDL_Event e{};
    e.type = wake_event;
    SDL_PushEvent(&e);
  });
  SessionHost host;
  host.ReadWatchdogFromEnv();
  host.StartSignalThread(stop_event);

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
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no settings file: nothing persists between citizens
  io.LogFilename = nullptr;
  // Software: only what changed, into the window's surface (ui/presenter.h); else whole frames.
  const char* driver = std::getenv("SDL_RENDER_DRIVER");
  const auto dev_env = [](const char* name) { return kDevBuild && std::getenv(name) != nullptr; };
  ui::Presenter::Options po;
  po.software = !failure && (!driver || !*driver || std::string(driver) == "software");
  po.damage = !dev_env("MCK_UI_FULL_REDRAW");
  po.opaque_fills = po.damage && !dev_env("MCK_UI_SDL_FILLS");
  po.verify = dev_env("MCK_UI_VERIFY_DAMAGE");
  po.present_whole = wayland;  // cage: the whole surface after every frame (ui/presenter.h)
  ui::UseTheme(config.ok() && config->theme == "high_contrast" ? ui::ThemeId::kHighContrast : ui::ThemeId::kStandard);
  po.background = ui::colors::kBackground;
  auto presenter_made = ui::Presenter::Create(window, po);
  if (!presenter_made.ok()) {
    std::cerr << "kiosk: " << presenter_made.status().ToString() << "\n";
    return 1;
  }
  std::unique_ptr<ui::Presenter> presenter = std::move(presenter_made.value());
  SDL_Renderer* renderer = presenter->renderer();
  SDL_RendererInfo ri;
  SDL_GetRendererInfo(renderer, &ri);
  SDL_GetWindowSize(window, &w, &h);
  const char* drawing = !po.software ? "" : !po.damage       ? " (whole frames)"
                                          : po.opaque_fills ? " (damaged regions)" : " (damaged regions, SDL's fills)";
  std::cerr << "kiosk: renderer " << ri.name << drawing
            << (po.verify ? " verifying" : "") << ", window " << w << "x" << h
            << (kiosk_mode ? ", kiosk mode" : ", development mode")
            << (host.watchdog_enabled() ? ", watchdog " + std::to_string(host.MaxSleepMs() * 2) + " ms" : "") << "\n";

  const float scale = std::clamp(static_cast<float>(std::min(w, h)) / 1080.0f, 0.6f, 2.0f);
  StyleForTouch(scale);
  auto font_dir = ui::FindFontDir(SourceDir());
  if (!font_dir.ok()) {
    std::cerr << "kiosk: " << font_dir.status().ToString() << "\n";
    return 1;
  }
  auto fonts = ui::LoadFonts(*font_dir, scale);
  if (!fonts.ok()) {
    std::cerr << "kiosk: " << fonts.status().ToString() << "\n";
    return 1;
  }
  ImGui_ImplSDL2_InitForSDLRenderer(window);  // the renderer's backend: ui::Presenter::Create
  if (failure) {
    std::optional<std::filesystem::path> shot;
    if (!kiosk_mode && args->shots) shot = *args->shots / "fatal.png";
    return ui::RunFatalScreen(window, renderer, fonts.value(), host, stop_event, failure->message_vi(), shot);
  }

  // The device and portal workers start only now that SDL is up (see SDL_Init above).
  Devices devices = SetUpDevices(*config, events, kAdjustScan);
  std::unique_ptr<PortalLink> portal = StartPortalLink(*config, so, ***store, events, devices.states);
  // Expired personal data goes by itself: now, then every day (offline/store/purge_schedule.h).
  PurgeSchedule purge(so);

  AppDeps deps;
  deps.config = &config.value();
  deps.store = (*store)->get();
  deps.clock = &clock;
  deps.strings = &strings;
  deps.printer = devices.printer.get();
  deps.device_states = devices.states.get();
  deps.card = devices.card.get();
  deps.scanner = devices.scanner.get();
  deps.portal = portal->lookup();
  deps.events = &events;    // the core worker (App::Init) posts its answers here
  deps.store_options = so;  // and opens its own connection with these
  deps.outbox_changed = [&portal] { portal->Nudge(); };
  deps.sync_now = [&portal] { portal->SyncNow(); };
  deps.version = MCK_VERSION;
  // The technician's CA files: the config's folder (/etc/mot-cua) and USB sticks' mount points.
  deps.ca_dirs = {ConfigPath(*args).parent_path(), "/media", "/run/media"};
  {
    // Not enrolled: the technician's first-boot screen — always in kiosk mode; in a development
    // run once a technician PIN is set (else the attract screen, as the demos and tests expect).
    auto tech_pin = StaffAuth(***store, clock, PinPolicy{}, PinRole::kTechnician).HasPin();
    deps.first_boot = !deps.portal && (kiosk_mode || (tech_pin.ok() && *tech_pin));
  }
  // The voice: espeak-ng's worker playing through SDL audio (speech_player.h). Missing: no speech.
  std::string why;
  std::unique_ptr<SpeechPlayer> voice = audio ? SpeechPlayer::Open(SpeechOptionsFor(*config), &why) : nullptr;
  if (audio && voice) SessionHost::Log(std::string("read-aloud on (audio driver ") + voice->sink().driver() + ")");
  if (audio && !voice) SessionHost::Log("read-aloud off: " + why);
  deps.speech = voice.get();
  App app(deps);
  if (Status st = app.Init(); !st.ok()) {
    std::cerr << "kiosk: " << st.ToString() << "\n";
    return 1;
  }
  // [calling_display]: the numbers served and waiting on a second window (calling_window.h).
  std::unique_ptr<CallingWindow> calling = CallingWindow::OpenIfEnabled(*config, *font_dir);

#if MCK_DEV_TOOLS
  std::optional<ui::ScriptRunner> script;
  if (args->script) {
    auto loaded = ui::ScriptRunner::Load(*args->script, args->shots.value_or("."));
    if (!loaded.ok()) {
      std::cerr << "kiosk: " << loaded.status().ToString() << "\n";
      return 2;
    }
    script.emplace(std::move(loaded.value()));
  }
#else
  const bool script = false;
#endif
  std::ofstream frame_log;
  if (args->frame_log) frame_log.open(*args->frame_log);

  FramePacer pacer;
  ui::Ui view(app, fonts.value(), pacer, presenter.get());  // page previews: textures of its renderer
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
    const int timeout = host.ClampTimeout(pacer.TimeoutMs(std::chrono::steady_clock::now()));
    bool have = timeout < 0 ? SDL_WaitEvent(&ev) == 1 : SDL_WaitEventTimeout(&ev, timeout) == 1;
    while (have) {
      pacer.OnActivity();
      // Never where: tap positions on the PIN pad or the keyboard would give the PIN or the text away.
      if (trace && (ev.type == SDL_MOUSEBUTTONDOWN || ev.type == SDL_MOUSEBUTTONUP)) {
        std::cerr << "kiosk: mouse " << (ev.type == SDL_MOUSEBUTTONDOWN ? "down" : "up") << "\n";
      }
      if (ev.type == SDL_QUIT) {
        if (kiosk_mode) {
          SessionHost::Log("quit event ignored (kiosk mode)");
        } else {
          running = false;
        }
      }
      if (ev.type == SDL_KEYDOWN && ev.key.keysym.sym == SDLK_F4 && (ev.key.keysym.mod & KMOD_ALT) && kiosk_mode)
        SessionHost::Log("Alt+F4 ignored (kiosk mode)");
      if (ev.type == stop_event) {
        const StopRequest why = host.TakeStop();
        if (why == StopRequest::kTerminate || !kiosk_mode) {
          SessionHost::Log("stopping on a signal");
          running = false;
        } else {
          SessionHost::Log("SIGINT ignored: only SIGTERM stops the kiosk");
        }
      } else if (ev.type == wake_event) {
        // ---- 2. reduce: worker results ----
        for (UiEvent& e : events.Drain()) {
          app.OnEvent(e);
          WipeEvent(e);  // a card's identity or a QR's payload is zeroed, not just freed
        }
      } else {
        if (ev.type == SDL_WINDOWEVENT &&
            (ev.window.event == SDL_WINDOWEVENT_EXPOSED || ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED))
          presenter->Invalidate();  // the window's pixels may be gone: show them all again
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
    const long long cpu0 = ThreadCpuUs();
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
    const auto t_built = std::chrono::steady_clock::now();
    if (Status st = presenter->Draw(*ImGui::GetDrawData()); !st.ok()) {
      std::cerr << "kiosk: " << st.ToString() << "\n";
      if (po.verify) {
        exit_code = 1;
        break;
      }
    }
    const auto t_drawn = std::chrono::steady_clock::now();
    if (calling) calling->Draw(app);  // only when its board changed or it was exposed
#if MCK_DEV_TOOLS
    if (script) {
      auto st =
          script->AfterFrame(view, window, presenter->renderer(), pacer.pending_frames() <= 1 && view.intents.empty());
      if (st == ui::ScriptRunner::State::kFailed) {
        std::cerr << "kiosk: " << script->error() << "\n";
        exit_code = 1;
        running = false;
      } else if (st == ui::ScriptRunner::State::kDone) {
        running = false;
      }
    }
#endif
    if (Status st = presenter->Present(); !st.ok()) std::cerr << "kiosk: " << st.ToString() << "\n";
    const auto t1 = std::chrono::steady_clock::now();
    host.FramePresented(t1);
    if (first_frame) {
      std::cerr << "kiosk: first-frame-unix-ms=" << UnixMs() << "\n";
      first_frame = false;
    }
    if (frame_log.is_open() && view.log_frames) {
      // µs: the whole frame, then its parts (ImGui build, draw, present), the pixels redrawn, and
      // the UI thread's CPU time in the frame (what the frame costs on a machine shared with others).
      auto us = [](auto d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); };
      frame_log << us(t1 - t0) << " " << us(t_built - t0) << " " << us(t_drawn - t_built) << " " << us(t1 - t_drawn)
                << " " << (po.software ? presenter->stats().drawn_pixels : static_cast<long long>(w) * h) << " "
                << ThreadCpuUs() - cpu0 << "\n";
    }

    // ---- 5. dispatch ----
    if (!view.intents.empty()) {
      pacer.OnActivity();
      for (const Intent& in : view.intents) {
        if (trace) std::cerr << "kiosk: intent " << in.index() << "\n";  // its place in intents.h's variant
        app.Apply(in);
      }
      view.intents.clear();
      if (const auto stop = app.stop_request()) {
        // The technician's "Tắt máy" / "Khởi động lại": the same way out as SIGTERM, with its own
        // exit status (session_host.h; the unit's RestartPreventExitStatus= lists the shut-down one).
        exit_code = *stop ? SessionHost::kExitRestart : SessionHost::kExitShutDown;
        SessionHost::Log(*stop ? "restart asked by the technician" : "shut down asked by the technician");
        running = false;
      }
    }
    pacer.FrameRendered();
    const auto deadline = app.inactivity().NextDeadline();
    if (deadline != InactivityTimer::Steady::max()) pacer.WakeAt(deadline);
    if (const auto fee_ask = app.fee_ask_at()) pacer.WakeAt(*fee_ask);
  }

  // The citizen's data goes before anything else is torn down.
  app.Apply(intent::StartOver{});
  if (po.verify) {
    std::cerr << "kiosk: verify-damage: " << presenter->stats().verified << " frames equal to a whole redraw, "
              << presenter->stats().verified_partial << " of them partial, " << presenter->stats().opaque_fills
              << " opaque rectangles filled plainly\n";
  }
  calling.reset();    // its own ImGui context, renderer and window
  presenter.reset();  // the renderer and ImGui's renderer backend
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_DestroyWindow(window);
  events.SetWake({});  // the workers still running until main returns no longer wake SDL
  if (voice) voice->Close();  // joins the worker, closes the audio device before SDL_Quit
  SDL_Quit();
  // The technician's choice, for the session wrapper: cage itself exits 0 (session_host.h).
  if (exit_code == SessionHost::kExitShutDown || exit_code == SessionHost::kExitRestart)
    SessionHost::LeaveExitStatus(exit_code);
  return exit_code;
}
