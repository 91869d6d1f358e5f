// The screen an installed kiosk shows when it cannot start (no or a broken /etc/mot-cua/kiosk.toml,
// a store it cannot open, missing assets): a calm full-screen message in Vietnamese for the
// citizen and the technician, with the reason (file:line, never personal data), instead of
// exiting — an exit would make cage end and systemd restart the same failure every few seconds.
// It keeps the watchdog fed and waits for SIGTERM (systemd stop) only: no quit event ends it.
#pragma once

#include <SDL.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "kiosk/app/session_host.h"
#include "kiosk/app/ui/fonts.h"

namespace mck::app::ui {

// Draws until the session host reports SIGTERM; returns the process exit code (0). `reason_vi`
// may hold several lines ("\n"): what happened, what was kept, what the technician does.
// `test_shot` (development builds, `kiosk --script … --shots DIR` when the kiosk cannot start):
// the same screen, but it pushes a quit event at the first frame (ignored, as in kiosk mode),
// keeps drawing for kTestShotFor, saves test_shot, logs the watchdog pings and returns
// kFatalShownExit: what tests/ui checks.
inline constexpr int kFatalShownExit = 3;
inline constexpr std::chrono::milliseconds kTestShotFor{1500};
int RunFatalScreen(SDL_Window* window, SDL_Renderer* renderer, const Fonts& fonts, SessionHost& host,
                   uint32_t stop_event, const std::string& reason_vi,
                   const std::optional<std::filesystem::path>& test_shot = std::nullopt);

}  // namespace mck::app::ui
