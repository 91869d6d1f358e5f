#include "kiosk/app/ui/script.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "kiosk/app/calling_window.h"
#include "kiosk/app/ui/screenshot.h"

namespace mck::app::ui {
namespace {

// ${NAME} in a step is replaced by the environment variable NAME (empty when unset): what a test
// only knows at run time, e.g. the portal simulator's loopback port (tests/ui/technician.script).
std::string ExpandEnvironment(const std::string& line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    const size_t end = line.compare(i, 2, "${") == 0 ? line.find('}', i) : std::string::npos;
    if (end == std::string::npos) {
      out += line[i];
      continue;
    }
    const char* v = std::getenv(line.substr(i + 2, end - i - 2).c_str());
    if (v) out += v;
    i = end;
  }
  return out;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out + "\"";
}

// Next to each screenshot: the touch targets of that frame and what they are measured against
// (tests/a11y/a11y_measure.cpp, docs/accessibility.md).
Status SaveTargets(const Ui& ui, const std::filesystem::path& png) {
  std::filesystem::path json = png;
  json.replace_extension(".targets.json");
  std::ofstream out(json, std::ios::trunc);
  auto num = [](float v) { return std::to_string(static_cast<int>(v + (v >= 0 ? 0.5f : -0.5f))); };
  out << "{\"screen\": " << JsonString(ScreenName(ui.app.screen())) << ", \"width\": " << num(ui.size.x)
      << ", \"height\": " << num(ui.size.y) << ", \"dpi\": " << ui.app.config().dpi
      << ", \"large_text\": " << (ui.app.large_text() ? "true" : "false")
      << ", \"high_contrast\": " << (ui.app.high_contrast() ? "true" : "false")
      << ", \"small_px\": " << num(ui.F().small->FontSize) << ", \"body_px\": " << num(ui.F().body->FontSize)
      << ",\n \"targets\": [";
  bool first = true;
  for (const auto& [id, t] : ui.widgets.Targets()) {
    out << (first ? "\n" : ",\n") << "  {\"id\": " << JsonString(id) << ", \"x\": " << num(t.full.x)
        << ", \"y\": " << num(t.full.y) << ", \"w\": " << num(t.full.w) << ", \"h\": " << num(t.full.h)
        << ", \"vx\": " << num(t.visible.x) << ", \"vy\": " << num(t.visible.y) << ", \"vw\": " << num(t.visible.w)
        << ", \"vh\": " << num(t.visible.h) << "}";
    first = false;
  }
  out << "\n]}\n";
  out.close();
  if (!out) return Status::Error(Code::kInternal, "cannot write " + json.string());
  return Status::Ok();
}

std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + static_cast<size_t>(k) < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

std::string Encode(char32_t cp) {
  std::string o;
  if (cp < 0x80) {
    o += static_cast<char>(cp);
  } else if (cp < 0x800) {
    o += static_cast<char>(0xC0 | (cp >> 6));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    o += static_cast<char>(0xE0 | (cp >> 12));
    o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    o += static_cast<char>(0xF0 | (cp >> 18));
    o += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    o += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    o += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return o;
}

// Text as the keyboard (or a keyboard-wedge scanner) types it: one SDL_TEXTINPUT per character.
void PushText(SDL_Window* window, const std::string& text) {
  for (char32_t c : Decode(text)) {
    SDL_Event e{};
    e.type = SDL_TEXTINPUT;
    e.text.windowID = SDL_GetWindowID(window);
    const std::string u = Encode(c);
    std::snprintf(e.text.text, sizeof e.text.text, "%s", u.c_str());
    SDL_PushEvent(&e);
  }
}

// One key pressed and released.
void PushKey(SDL_Window* window, SDL_Keycode key) {
  for (Uint32 type : {SDL_KEYDOWN, SDL_KEYUP}) {
    SDL_Event e{};
    e.type = type;
    e.key.windowID = SDL_GetWindowID(window);
    e.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.key.keysym.sym = key;
    e.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    SDL_PushEvent(&e);
  }
}

// A positive number from the environment variable `name`, if set.
bool EnvNumber(const char* name, double* out) {
  const char* v = std::getenv(name);
  if (!v || !*v) return false;
  char* end = nullptr;
  const double d = std::strtod(v, &end);
  if (end == v || !(d >= 0)) return false;
  *out = d;
  return true;
}

double ArgSeconds(const std::vector<std::string>& args, size_t i, double fallback) {
  return args.size() > i ? std::stod(args[i]) : fallback;
}

}  // namespace

Result<ScriptRunner> ScriptRunner::Load(const std::filesystem::path& file, std::filesystem::path shots_dir) {
  std::ifstream in(file);
  if (!in) return Status::Error(Code::kNotFound, file.string() + ": cannot open script");
  ScriptRunner r;
  r.shots_ = std::move(shots_dir);
  EnvNumber("MCK_HUMAN_SCALE", &r.scale_);
  r.env_wpm_ = EnvNumber("MCK_HUMAN_WPM", &r.wpm_) && r.wpm_ > 0;
  if (!(r.wpm_ > 0)) r.wpm_ = 110;
  r.env_tap_ = EnvNumber("MCK_HUMAN_TAP_S", &r.tap_s_);
  r.env_key_ = EnvNumber("MCK_HUMAN_KEY_S", &r.key_s_);
  r.env_notice_ = EnvNumber("MCK_HUMAN_NOTICE_S", &r.notice_s_);
  r.env_scan_ = EnvNumber("MCK_HUMAN_SCAN_S", &r.scan_s_);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = ExpandEnvironment(line.substr(start));
    Step s;
    s.line = n;
    std::istringstream words(line);
    words >> s.verb;
    std::string w;
    while (words >> w) s.args.push_back(w);
    const size_t after_verb = line.find_first_of(" \t");
    s.rest = after_verb == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", after_verb));
    static const char* kVerbs[] = {"tap",   "type",        "keys",         "press",      "drag",
                                   "wait",  "wait_widget", "expect_value", "wait_value", "expect_screen",
                                   "sleep", "screenshot",  "frames",       "keys_code",  "quit",
                                   "human", "read",        "mistake",      "scan",       "wait_gone",
                                   "shot_calling"};
    bool known = false;
    for (const char* v : kVerbs) known = known || s.verb == v;
    if (!known)
      return Status::Error(Code::kInvalidArgument,
                           file.string() + ":" + std::to_string(n) + ": unknown step '" + s.verb + "'");
    if (s.verb != "quit" && s.verb != "keys_code" && s.verb != "read" && s.args.empty()) {
      return Status::Error(Code::kInvalidArgument,
                           file.string() + ":" + std::to_string(n) + ": '" + s.verb + "' needs an argument");
    }
    r.steps_.push_back(std::move(s));
  }
  return r;
}

bool ScriptRunner::Fail(const Step& s, const std::string& why) {
  error_ = "script line " + std::to_string(s.line) + " (" + s.verb + "): " + why;
  state_ = State::kFailed;
  PrintWalk();
  return false;
}

void ScriptRunner::Account(Ui& ui, Clock::time_point now) {
  if (!human_) return;
  visits_.back().on += std::chrono::duration<double>(now - last_).count();
  last_ = now;
  const std::string screen = ScreenName(ui.app.screen());
  if (screen != visits_.back().screen) {
    Visit v;
    v.screen = screen;
    v.entered = std::chrono::duration<double>(now - start_).count();
    visits_.push_back(v);
  }
  int shown = 0;
  for (const auto& seg : ui.text_segments) shown += seg.words;
  visits_.back().shown = std::max(visits_.back().shown, shown);
}

bool ScriptRunner::HumanPause(double seconds, Clock::time_point now) {
  if (!pausing_) {
    pausing_ = true;
    const double real = seconds * scale_;
    pause_end_ = now + std::chrono::microseconds(static_cast<int64_t>(real * 1e6));
    visits_.back().human += seconds;
    visits_.back().human_real += real;
  }
  if (now < pause_end_) return false;
  pausing_ = false;
  return true;
}

void ScriptRunner::PrintWalk() const {
  if (!human_ || printed_) return;
  // One row a screen visit; human = the model's seconds, kiosk = the rest of the time on screen
  // (frames, waits for saving and printing), measured.
  std::fprintf(stderr, "walk-model: wpm %.0f tap_s %.2f key_s %.2f notice_s %.2f scan_s %.2f scale %.3f\n", wpm_, tap_s_,
               key_s_, notice_s_, scan_s_, scale_);
  double human = 0, kiosk = 0, wall = 0;
  int taps = 0, keys = 0, mistakes = 0, words = 0;
  for (const Visit& v : visits_) {
    const double k = std::max(0.0, v.on - v.human_real);
    std::fprintf(stderr,
                 "walk-row: %s entered %.1f on %.1f shown %d read %d taps %d keys %d mistakes %d human %.1f kiosk %.1f\n",
                 v.screen.c_str(), v.entered, v.on, v.shown, v.read, v.taps, v.keys, v.mistakes, v.human, k);
    human += v.human;
    kiosk += k;
    wall += v.on;
    taps += v.taps;
    keys += v.keys;
    mistakes += v.mistakes;
    words += v.read;
  }
  const double total = human + kiosk;
  const int t = static_cast<int>(std::lround(total));
  std::fprintf(stderr,
               "walk-total: screens %zu taps %d keys %d mistakes %d words_read %d human %.1f kiosk %.1f total %.1f "
               "(%d:%02d) wall %.1f %s\n",
               visits_.size(), taps, keys, mistakes, words, human, kiosk, total, t / 60, t % 60, wall,
               state_ == State::kFailed ? "FAILED" : "complete");
  printed_ = true;
}

void ScriptRunner::PushMouse(SDL_Window* w, Uint32 type, float x, float y) {
  SDL_Event e{};
  e.type = type;
  if (type == SDL_MOUSEMOTION) {
    e.motion.windowID = SDL_GetWindowID(w);
    e.motion.x = static_cast<Sint32>(x);
    e.motion.y = static_cast<Sint32>(y);
    e.motion.state = phase_ >= 1 ? SDL_BUTTON_LMASK : 0;
  } else {
    e.button.windowID = SDL_GetWindowID(w);
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = 1;
    e.button.x = static_cast<Sint32>(x);
    e.button.y = static_cast<Sint32>(y);
  }
  SDL_PushEvent(&e);
}

bool ScriptRunner::BeginTap(Ui& ui, const std::string& id, SDL_Window* window) {
  auto r = ui.widgets.Find(id);
  if (!r) return false;
  pos_ = r->Center();
  PushMouse(window, SDL_MOUSEMOTION, pos_.x, pos_.y);
  PushMouse(window, SDL_MOUSEBUTTONDOWN, pos_.x, pos_.y);
  return true;
}

ScriptRunner::State ScriptRunner::AfterFrame(Ui& ui, SDL_Window* window, SDL_Renderer* renderer, bool settled) {
  if (state_ != State::kRunning) return state_;
  // Keep the loop ticking while a script runs (waits poll the state each frame).
  ui.pacer.WakeAt(Clock::now() + std::chrono::milliseconds(20));
  Account(ui, Clock::now());
  if (index_ >= steps_.size()) {
    state_ = State::kDone;
    PrintWalk();
    return state_;
  }
  // Test-only memory of the last provisional code shown, for `keys_code` (look-up tests).
  if (ui.app.session().submitted) last_code_ = ui.app.session().submitted->provisional_code;
  const Step& s = steps_[index_];
  const auto now = Clock::now();
  if (!started_) {
    started_ = true;
    phase_ = 0;
    frames_ = 0;
    drag_step_ = 0;
    tap_paused_ = pausing_ = false;
    double timeout = 5;
    if (s.verb == "wait" || s.verb == "wait_widget" || s.verb == "wait_gone") timeout = ArgSeconds(s.args, 1, 10);
    if (s.verb == "wait_value") timeout = 15;
    if (s.verb == "sleep") timeout = ArgSeconds(s.args, 0, 0);
    if (s.verb == "type") pending_chars_ = Decode(s.rest);
    deadline_ = now + std::chrono::milliseconds(static_cast<int64_t>(timeout * 1000));
  }
  ++frames_;
  auto next = [&] {
    ++index_;
    started_ = false;
    return state_;
  };

  if (s.verb == "quit") {
    state_ = State::kDone;
    PrintWalk();
    return state_;
  }
  if (s.verb == "human") {
    const double v = s.args.size() > 1 ? std::atof(s.args[1].c_str()) : 0;
    if (s.args[0] == "on") {
      if (!human_) {
        human_ = true;
        ui.count_words = true;
        start_ = last_ = now;
        visits_.push_back(Visit{.screen = ScreenName(ui.app.screen())});
      }
    } else if (s.args[0] == "wpm" && v > 0) {
      if (!env_wpm_) wpm_ = v;
    } else if (s.args[0] == "tap" && v >= 0 && s.args.size() > 1) {
      if (!env_tap_) tap_s_ = v;
    } else if (s.args[0] == "key" && v >= 0 && s.args.size() > 1) {
      if (!env_key_) key_s_ = v;
    } else if (s.args[0] == "notice" && v >= 0 && s.args.size() > 1) {
      if (!env_notice_) notice_s_ = v;
    } else if (s.args[0] == "scan" && v >= 0 && s.args.size() > 1) {
      if (!env_scan_) scan_s_ = v;
    } else {
      return Fail(s, "expected: human on | wpm N | tap S | key S | notice S | scan S"), state_;
    }
    return next();
  }
  if (s.verb == "read" || s.verb == "mistake") {
    if (!human_) return Fail(s, "needs `human on` first"), state_;
    if (phase_ == 0) {
      if (!settled || frames_ < 3) return state_;
      double seconds = notice_s_;
      if (s.verb == "read") {
        // What was not read yet in this run: a text seen again (the header, "Tiếp tục") is
        // recognised, not read again; a new message or a changed value is read.
        std::map<uint64_t, int> in_frame;
        int words = 0;
        for (const auto& seg : ui.text_segments) {
          if (++in_frame[seg.hash] > read_[seg.hash]) {
            words += seg.words;
            read_[seg.hash] = in_frame[seg.hash];
          }
        }
        visits_.back().read += words;
        seconds = words * 60.0 / wpm_;
      } else {
        ++visits_.back().mistakes;
      }
      phase_ = 1;
      HumanPause(seconds, now);
      return state_;
    }
    return HumanPause(0, now) ? next() : state_;
  }
  if (s.verb == "frames") {
    ui.log_frames = s.args[0] == "on";
    return next();
  }
  if (s.verb == "sleep") return now >= deadline_ ? next() : state_;
  if (s.verb == "wait" || s.verb == "expect_screen") {
    auto target = ParseScreenName(s.args[0]);
    if (!target) return Fail(s, "unknown screen '" + s.args[0] + "'"), state_;
    if (ui.app.screen() == *target && settled) return next();
    if (s.verb == "expect_screen" && settled && frames_ > 3) {
      return Fail(s, std::string("screen is '") + ScreenName(ui.app.screen()) + "'"), state_;
    }
    if (now >= deadline_)
      return Fail(s, std::string("timed out; screen is '") + ScreenName(ui.app.screen()) + "'"), state_;
    return state_;
  }
  if (s.verb == "wait_widget") {
    if (ui.widgets.Find(s.args[0]) && settled) return next();
    if (now >= deadline_) return Fail(s, "timed out waiting for '" + s.args[0] + "'"), state_;
    return state_;
  }
  if (s.verb == "wait_gone") {
    if (!ui.widgets.Find(s.args[0]) && settled) return next();
    if (now >= deadline_) return Fail(s, "timed out waiting for '" + s.args[0] + "' to go"), state_;
    return state_;
  }
  if (s.verb == "expect_value" || s.verb == "wait_value") {
    const std::string want = s.rest.size() > s.args[0].size() ? s.rest.substr(s.args[0].size() + 1) : "";
    if (!settled) return state_;
    const std::string got = ui.app.Value(s.args[0]);
    if (got == want) return next();
    if (s.verb == "wait_value" && now < deadline_) return state_;
    return Fail(s, "value of '" + s.args[0] + "' is '" + got + "', expected '" + want + "'"), state_;
  }
  if (s.verb == "screenshot") {
    if (!settled || frames_ < 3) return state_;
    Status st = SaveScreenshot(renderer, shots_ / s.args[0]);
    if (st.ok()) st = SaveTargets(ui, shots_ / s.args[0]);
    if (!st.ok()) return Fail(s, st.ToString()), state_;
    std::cerr << "kiosk: screenshot " << (shots_ / s.args[0]).string() << "\n";
    return next();
  }
  if (s.verb == "shot_calling") {
    // The calling display's window (calling_window.h) as it shows now: software-rendered, so its
    // surface holds the last frame it drew.
    if (!settled || frames_ < 3) return state_;
    CallingWindow* calling = CallingWindow::Current();
    if (!calling) return Fail(s, "no calling display is open ([calling_display] enabled?)"), state_;
    if (Status st = SaveScreenshot(calling->renderer(), shots_ / s.args[0]); !st.ok()) return Fail(s, st.ToString()), state_;
    std::cerr << "kiosk: screenshot " << (shots_ / s.args[0]).string() << " (calling display)\n";
    return next();
  }
  if (s.verb == "keys" || s.verb == "keys_code") {
    if (s.verb == "keys_code" && last_code_.empty()) return Fail(s, "no dossier was submitted in this run"), state_;
    PushText(window, s.verb == "keys" ? s.rest : last_code_);
    return next();
  }
  if (s.verb == "scan") {
    // A card's QR held to the keyboard-wedge scanner: with `human on`, the human's `scan` pause
    // first (counted as a tap: the citizen's one action), then the scanner types it and Enter.
    if (human_) {
      if (phase_ == 0) {
        if (!settled || frames_ < 3) return state_;
        phase_ = 1;
        ++visits_.back().taps;
        HumanPause(scan_s_, now);
        return state_;
      }
      if (!HumanPause(0, now)) return state_;
    }
    PushText(window, s.rest);
    PushKey(window, SDLK_RETURN);
    return next();
  }
  if (s.verb == "press") {
    SDL_Keycode key = SDL_GetKeyFromName(s.args[0].c_str());
    if (key == SDLK_UNKNOWN) return Fail(s, "unknown key '" + s.args[0] + "'"), state_;
    PushKey(window, key);
    return next();
  }
  // Taps: phase 0 press (when the target is on screen), then release two frames later, then
  // let two frames pass so the intent is applied before the next step.
  // With `human on`, a tap waits for its target, then the human's pause, then presses.
  auto tap_cycle = [&](const std::string& id) -> int {  // 0 running, 1 done, -1 failed
    if (phase_ == 0) {
      if (human_ && !tap_paused_) {
        if (!pausing_) {
          if (!settled) return 0;
          if (!ui.widgets.Find(id)) return now >= deadline_ ? -1 : 0;
        }
        if (!HumanPause(s.verb == "type" ? key_s_ : tap_s_, now)) return 0;
        tap_paused_ = true;
      }
      if (!settled) return 0;
      if (!BeginTap(ui, id, window)) return now >= deadline_ ? -1 : 0;
      tap_paused_ = false;
      if (human_) ++(s.verb == "type" ? visits_.back().keys : visits_.back().taps);
      phase_ = 1;
      frames_ = 0;
      return 0;
    }
    if (phase_ == 1 && frames_ >= 2) {
      PushMouse(window, SDL_MOUSEBUTTONUP, pos_.x, pos_.y);
      phase_ = 2;
      frames_ = 0;
      return 0;
    }
    if (phase_ == 2 && frames_ >= 2 && settled) return 1;
    return 0;
  };
  if (s.verb == "tap") {
    int r = tap_cycle(s.args[0]);
    if (r < 0) return Fail(s, "no touch target '" + s.args[0] + "' on screen"), state_;
    return r > 0 ? next() : state_;
  }
  if (s.verb == "type") {
    if (pending_chars_.empty()) return next();
    if (phase_ == 0) {
      // Decide which key to tap now, from the keyboard as it is (shift may be on by itself).
      const char32_t c = pending_chars_.front();
      const bool upper = c >= 'A' && c <= 'Z';
      if (upper && !ui.shift) {
        tap_id_ = "key.shift";  // the capital follows on the next cycle
      } else if (!upper && ui.shift && c >= 'a' && c <= 'z') {
        tap_id_ = "key.shift";  // shift is on by itself but a lower-case letter is wanted
      } else {
        const char32_t lower = upper ? c - 'A' + 'a' : c;
        tap_id_ = lower == ' ' ? "key.space" : "key." + Encode(lower);
      }
    }
    const std::string id = tap_id_;
    int r = tap_cycle(id);
    if (r < 0) return Fail(s, "no key '" + id + "' on screen"), state_;
    if (r > 0) {
      if (id != "key.shift") pending_chars_.erase(0, 1);
      phase_ = 0;
      frames_ = 0;
      deadline_ = now + std::chrono::seconds(5);
    }
    return state_;
  }
  if (s.verb == "drag") {
    const float dy = s.args.size() > 1 ? std::stof(s.args[1]) : -400.0f;
    const int steps = s.args.size() > 2 ? std::stoi(s.args[2]) : 12;
    if (phase_ == 0) {
      // A human drags as they tap: finding where to put the finger is the same second.
      if (human_ && !tap_paused_) {
        if (!pausing_) {
          if (!settled) return state_;
          if (!ui.widgets.Find(s.args[0])) {
            return now >= deadline_ ? (Fail(s, "no target '" + s.args[0] + "'"), state_) : state_;
          }
        }
        if (!HumanPause(tap_s_, now)) return state_;
        tap_paused_ = true;
      }
      if (!settled) return state_;
      if (!BeginTap(ui, s.args[0], window)) {
        return now >= deadline_ ? (Fail(s, "no target '" + s.args[0] + "'"), state_) : state_;
      }
      tap_paused_ = false;
      if (human_) ++visits_.back().taps;
      phase_ = 1;
      return state_;
    }
    if (phase_ == 1) {
      ++drag_step_;
      const float y = pos_.y + dy * static_cast<float>(drag_step_) / static_cast<float>(steps);
      PushMouse(window, SDL_MOUSEMOTION, pos_.x, y);
      if (drag_step_ >= steps) phase_ = 2;
      return state_;
    }
    if (phase_ == 2) {
      PushMouse(window, SDL_MOUSEBUTTONUP, pos_.x, pos_.y + dy);
      phase_ = 3;
      frames_ = 0;
      return state_;
    }
    if (phase_ == 3 && frames_ >= 2 && settled) return next();
    return state_;
  }
  return Fail(s, "unhandled step"), state_;
}

}  // namespace mck::app::ui
