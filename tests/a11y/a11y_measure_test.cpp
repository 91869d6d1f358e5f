// a11y-measure on pictures whose figures are known by construction: a target's size in mm at
// the DPI given, and text whose two colours (and anti-aliased edges between them) are drawn
// here. The real tool is run as a program, exactly as tests/a11y/run-a11y runs it.
#include <png.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/read_file.h"

namespace fs = std::filesystem;

namespace {

struct Canvas {
  int w, h;
  std::vector<unsigned char> rgb;
  Canvas(int w_, int h_, uint32_t bg) : w(w_), h(h_), rgb(static_cast<size_t>(w_ * h_ * 3)) { Fill(0, 0, w, h, bg); }
  void Set(int x, int y, uint32_t c) {
    unsigned char* p = &rgb[static_cast<size_t>((y * w + x) * 3)];
    p[0] = static_cast<unsigned char>(c >> 16), p[1] = static_cast<unsigned char>(c >> 8),
    p[2] = static_cast<unsigned char>(c);
  }
  void Fill(int x0, int y0, int x1, int y1, uint32_t c) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) Set(x, y, c);
  }
  // "Glyphs": vertical strokes 6 px wide with a 2 px anti-aliased edge each side (25%, 50%,
  // 75% blends of fg over bg), like a rasterised font's stems.
  void Strokes(int x0, int y0, int x1, int y1, uint32_t fg, uint32_t bg) {
    auto mix = [&](double t) {
      uint32_t out = 0;
      for (int s = 16; s >= 0; s -= 8) {
        const double v = ((bg >> s) & 255) * (1 - t) + ((fg >> s) & 255) * t;
        out |= static_cast<uint32_t>(v + 0.5) << s;
      }
      return out;
    };
    for (int x = x0; x + 10 <= x1; x += 14) {
      Fill(x, y0, x + 1, y1, mix(0.25));
      Fill(x + 1, y0, x + 2, y1, mix(0.5));
      Fill(x + 2, y0, x + 8, y1, fg);
      Fill(x + 8, y0, x + 9, y1, mix(0.75));
      Fill(x + 9, y0, x + 10, y1, mix(0.4));
    }
  }
  void Save(const fs::path& file) {
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    img.width = static_cast<png_uint_32>(w);
    img.height = static_cast<png_uint_32>(h);
    img.format = PNG_FORMAT_RGB;
    REQUIRE(png_image_write_to_file(&img, file.c_str(), 0, rgb.data(), 0, nullptr));
  }
};

fs::path Fresh(const std::string& name) {
  const fs::path d = fs::path(MCK_BINARY_DIR) / "tests" / "a11y" / "measure-test" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// One screenshot: a target "btn" of w×h pixels at (100,100), at 102 dpi.
void Shot(const fs::path& dir, Canvas& c, int w, int h) {
  c.Save(dir / "shot.png");
  std::ofstream(dir / "shot.targets.json")
      << "{\"screen\": \"menu\", \"width\": " << c.w << ", \"height\": " << c.h
      << ", \"dpi\": 102, \"large_text\": false, \"high_contrast\": false, \"targets\": [{\"id\": \"btn\", \"x\": 100, "
         "\"y\": 100, \"w\": "
      << w << ", \"h\": " << h << ", \"vx\": 100, \"vy\": 100, \"vw\": " << w << ", \"vh\": " << h << "}]}\n";
}

int Measure(const fs::path& dir) {
  const std::string cmd = std::string(A11Y_MEASURE_BIN) + " --report " + (dir / "report.md").string() + " " +
                          dir.string() + " >/dev/null";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST_CASE("a11y-measure passes a 10 mm target with black text on white, anti-aliased edges and all") {
  const auto dir = Fresh("pass");
  Canvas c(600, 400, 0xf7f8fa);
  const int side = 41;  // 41 px at 102 dpi = 10.2 mm
  c.Fill(100, 100, 100 + 300, 100 + side * 2, 0xffffff);
  c.Strokes(120, 112, 380, 170, 0x111827, 0xffffff);
  Shot(dir, c, 300, side * 2);
  REQUIRE(Measure(dir) == 0);
  const std::string report = mck::test::ReadAll(dir / "report.md");
  CAPTURE(report);
  // The lowest contrast is the text's (17.7:1), not that of a blended edge pixel.
  CHECK(report.find("17.") != std::string::npos);
  CHECK(report.find("| btn | 20.4 |") != std::string::npos);  // min(300, 82) px = 20.4 mm
}

TEST_CASE("a11y-measure fails a target under 9 mm and names it") {
  const auto dir = Fresh("small");
  Canvas c(600, 400, 0xf7f8fa);
  c.Fill(100, 100, 400, 134, 0xffffff);  // 34 px = 8.5 mm at 102 dpi
  c.Strokes(120, 110, 380, 126, 0x111827, 0xffffff);
  Shot(dir, c, 300, 34);
  REQUIRE(Measure(dir) == 1);
  const std::string report = mck::test::ReadAll(dir / "report.md");
  CAPTURE(report);
  CHECK(report.find("btn: 8.5 mm < 9.0 mm") != std::string::npos);
}

TEST_CASE("a11y-measure fails grey text on white inside a target, and light text outside any target") {
  const auto dir = Fresh("grey");
  Canvas c(600, 400, 0xffffff);
  c.Strokes(120, 112, 380, 170, 0x9ca3af, 0xffffff);  // 2.54:1
  Shot(dir, c, 300, 82);
  REQUIRE(Measure(dir) == 1);
  std::string report = mck::test::ReadAll(dir / "report.md");
  CAPTURE(report);
  CHECK(report.find("btn: contrast 2.54:1") != std::string::npos);

  const auto dir2 = Fresh("grey-body");
  Canvas c2(600, 400, 0xffffff);
  c2.Strokes(100, 250, 500, 290, 0xa0a0a0, 0xffffff);  // body text below the target, 2.6:1
  Shot(dir2, c2, 300, 82);
  REQUIRE(Measure(dir2) == 1);
  report = mck::test::ReadAll(dir2 / "report.md");
  CAPTURE(report);
  CHECK(report.find("text at ") != std::string::npos);
}
