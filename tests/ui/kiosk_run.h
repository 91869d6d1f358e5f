// Helpers for the tests that run the REAL kiosk through tests/ui/run-kiosk-script: the run's
// directory, the script's run (its stderr kept as Catch2 info), the store it left, and a printed
// job decoded from printer-sim's bytes for the OCR. The target defines KIOSK_BIN, PRINTER_SIM_BIN,
// MCK_SOURCE_DIR and MCK_BINARY_DIR.
#pragma once

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "drivers/printer/escpos_decode.h"
#include "drivers/printer/png_preview.h"
#include "offline/store/store.h"
#include "tests/support/read_file.h"

namespace mck::test {

inline std::filesystem::path UiRunDir(const std::string& name) {
  return std::filesystem::path(MCK_BINARY_DIR) / "tests" / "ui" / "runs" / name;
}

// Runs tests/ui/SCRIPT with run-kiosk-script into `out`; `extra`: its further arguments. The
// kiosk's exit status (0: the script passed).
inline int RunKioskScript(const std::string& script, const std::filesystem::path& out, const std::string& extra = "") {
  const auto ui = std::filesystem::path(MCK_SOURCE_DIR) / "tests" / "ui";
  const std::string cmd = (ui / "run-kiosk-script").string() + " --kiosk " + KIOSK_BIN + " --printer-sim " +
                          PRINTER_SIM_BIN + " --script " + (ui / script).string() + " --out " + out.string() + " " +
                          extra + " 2>" + out.string() + ".stderr";
  std::filesystem::create_directories(out.parent_path());
  const int rc = std::system(cmd.c_str());
  std::ifstream err(out.string() + ".stderr");
  std::string line;
  while (std::getline(err, line)) UNSCOPED_INFO(line);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// The store the run left (run-kiosk-script's kiosk number is 7).
inline std::unique_ptr<Store> OpenRunStore(const std::filesystem::path& out) {
  StoreOptions so;
  so.data_dir = out / "data";
  so.kiosk_number = 7;
  auto s = Store::Open(so);
  REQUIRE(s.ok());
  return std::move(s.value());
}

// printer-sim's job `n` as printed: its bytes decoded by the project's ESC/POS decoder and written
// at twice the size for the OCR (one page, one cut, per job).
inline std::filesystem::path DecodedJob(const std::filesystem::path& out, int n) {
  char name[32];
  std::snprintf(name, sizeof name, "job-%04d", n);
  const std::string bytes = ReadAll(out / "printer" / (std::string(name) + ".bin"));
  REQUIRE_FALSE(bytes.empty());
  const auto decoded = printer::escpos::DecodeEscPos(std::vector<uint8_t>(bytes.begin(), bytes.end()), 576);
  REQUIRE(decoded.pages.size() == 1);
  const auto png = out / "printer" / (std::string(name) + "-decoded.png");
  REQUIRE(printer::WritePng(decoded.pages[0], png, 2).ok());
  return png;
}

// Pages of a PDF as poppler counts them ("Pages: N" of pdfinfo); -1 when it cannot.
inline int PdfPages(const std::string& pdf, const std::filesystem::path& dir) {
  const auto file = dir / "count.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  FILE* p = ::popen(("pdfinfo " + file.string() + " 2>/dev/null").c_str(), "r");
  if (!p) return -1;
  char line[512];
  int pages = -1;
  while (std::fgets(line, sizeof line, p)) {
    if (std::sscanf(line, "Pages: %d", &pages) == 1) break;
  }
  ::pclose(p);
  std::filesystem::remove(file);
  return pages;
}

}  // namespace mck::test
