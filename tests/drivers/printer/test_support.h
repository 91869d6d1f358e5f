// Helpers for the printer tests: temporary folders, running the real external checkers
// (zbarimg from zbar-tools, tesseract with the Vietnamese model) and comparing their text.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>

#include "offline/domain/utf8.h"

namespace mck::printer::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("mck-printer-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout (stderr goes to the test's stderr unless redirected in `cmd`)
};

// Runs a shell command and captures its stdout.
inline CommandResult Run(const std::string& cmd) {
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// NFC, and every run of white space (spaces, newlines, tabs) folded into one space.
inline std::string NormaliseText(const std::string& s) {
  const std::string nfc = ToNfc(s).value_or(s);
  std::string out;
  bool space = false;
  for (char c : nfc) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// What tesseract (Vietnamese model) reads in a PNG, normalised. One thread: the suite runs
// test programs in parallel on a 2-core machine. Page segmentation 4 (one column of text of
// varying sizes) suits receipts; 3 (automatic) also finds the ticket's huge digits.
inline std::string Ocr(const std::filesystem::path& png, int psm = 4) {
  auto r = Run("OMP_THREAD_LIMIT=1 tesseract " + Quote(png.string()) + " stdout -l vie --psm " + std::to_string(psm) +
               " 2>/dev/null");
  return NormaliseText(r.out);
}

// The QR codes zbarimg finds in a PNG, raw, one per line ("" when none).
inline std::string ZbarDecode(const std::filesystem::path& png) {
  auto r = Run("zbarimg --quiet --raw " + Quote(png.string()) + " 2>/dev/null");
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r.out;
}

}  // namespace mck::printer::testing
