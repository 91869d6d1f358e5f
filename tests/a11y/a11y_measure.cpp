// a11y-measure: the accessibility figures of the kiosk's screens, measured from screenshots.
// For every SHOT.targets.json in the folders given (written by `kiosk --script` next to each
// SHOT.png, kiosk/app/ui/script.h) it reads the PNG (libpng) and measures:
//   - every touch target's size: min(w, h) / dpi * 25.4 mm, against --min-mm (9 mm);
//   - the contrast inside every touch target, and in every 48 px block of the screen outside
//     them that holds text: the WCAG 2 contrast ratio between the block's dominant colour (the
//     background) and each other dominant colour (text, icons), against --min-contrast (4.5:1),
//     or --min-contrast-hc (7:1) for screenshots taken in the high-contrast theme.
// Dominant colours, not pixels: anti-aliased glyph edges are blends of the two and would give
// false low figures, so colours are clustered (channels within 12), clusters smaller than 15%
// of the largest non-background one are dropped, and a cluster lying on the line between the
// background and a colour farther from it is taken for anti-aliasing; a foreground counts only
// when at least 8 pixels blend it with the background (drawn on it, not merely beside it: a
// panel edge, text clipped under the header). docs/accessibility.md.
// Prints a markdown report (one row per screenshot) and exits 1 when any minimum is broken.
#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Image {
  int w = 0, h = 0;
  std::vector<uint32_t> px;  // 0xRRGGBB
  uint32_t At(int x, int y) const { return px[static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)]; }
};

std::optional<Image> ReadPng(const fs::path& file) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&img, file.c_str())) return std::nullopt;
  img.format = PNG_FORMAT_RGB;
  std::vector<unsigned char> buf(PNG_IMAGE_SIZE(img));
  if (!png_image_finish_read(&img, nullptr, buf.data(), 0, nullptr)) {
    png_image_free(&img);
    return std::nullopt;
  }
  Image out;
  out.w = static_cast<int>(img.width);
  out.h = static_cast<int>(img.height);
  out.px.resize(static_cast<size_t>(out.w) * static_cast<size_t>(out.h));
  for (size_t i = 0; i < out.px.size(); ++i) {
    out.px[i] = (uint32_t{buf[3 * i]} << 16) | (uint32_t{buf[3 * i + 1]} << 8) | buf[3 * i + 2];
  }
  return out;
}

int R(uint32_t c) { return static_cast<int>((c >> 16) & 255); }
int G(uint32_t c) { return static_cast<int>((c >> 8) & 255); }
int B(uint32_t c) { return static_cast<int>(c & 255); }

// WCAG 2 relative luminance and contrast ratio.
double Lin(int v) {
  const double s = v / 255.0;
  return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
}
double Luminance(uint32_t c) { return 0.2126 * Lin(R(c)) + 0.7152 * Lin(G(c)) + 0.0722 * Lin(B(c)); }
double Contrast(uint32_t a, uint32_t b) {
  double la = Luminance(a), lb = Luminance(b);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05) / (lb + 0.05);
}
int Dist(uint32_t a, uint32_t b) {
  return std::max({std::abs(R(a) - R(b)), std::abs(G(a) - G(b)), std::abs(B(a) - B(b))});
}
// True when c is (within 12 per channel) a blend of bg and fg with fg's share between 2% and 98%.
bool IsBlend(uint32_t c, uint32_t bg, uint32_t fg) {
  const int ch[3][3] = {{R(c), R(bg), R(fg)}, {G(c), G(bg), G(fg)}, {B(c), B(bg), B(fg)}};
  double num = 0, den = 0;
  for (auto& k : ch) {
    num += double(k[0] - k[1]) * (k[2] - k[1]);
    den += double(k[2] - k[1]) * (k[2] - k[1]);
  }
  if (den <= 0) return false;
  const double t = num / den;
  if (t < 0.02 || t > 0.98) return false;
  for (auto& k : ch) {
    if (std::abs(k[1] + t * (k[2] - k[1]) - k[0]) > 12) return false;
  }
  return true;
}

struct Pair {
  bool found = false;
  uint32_t bg = 0, fg = 0;
  double ratio = 0;
  int fg_px = 0, blend_px = 0;
};

// The lowest contrast between the dominant colour of [x0,x1)×[y0,y1) and its other dominant
// colours (at least min_px pixels each).
Pair Measure(const Image& im, int x0, int y0, int x1, int y1, int min_px) {
  x0 = std::max(x0, 0), y0 = std::max(y0, 0), x1 = std::min(x1, im.w), y1 = std::min(y1, im.h);
  Pair out;
  if (x1 <= x0 || y1 <= y0) return out;
  std::map<uint32_t, int> hist;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) ++hist[im.At(x, y)];
  std::vector<std::pair<int, uint32_t>> byCount;
  for (auto& [c, n] : hist) byCount.push_back({n, c});
  std::sort(byCount.rbegin(), byCount.rend());
  struct Cluster {
    uint32_t centre;
    int n;
  };
  std::vector<Cluster> cl;
  for (auto& [n, c] : byCount) {
    bool joined = false;
    for (auto& k : cl) {
      if (Dist(k.centre, c) <= 12) {
        k.n += n;
        joined = true;
        break;
      }
    }
    if (!joined) cl.push_back({c, n});
  }
  std::sort(cl.begin(), cl.end(), [](const Cluster& a, const Cluster& b) { return a.n > b.n; });
  const uint32_t bg = cl[0].centre;
  const int biggest = cl.size() > 1 ? cl[1].n : 0;
  std::vector<Cluster> fgs;
  for (size_t i = 1; i < cl.size(); ++i) {
    if (cl[i].n < min_px || cl[i].n < biggest * 15 / 100) continue;
    // Anti-aliasing: a blend of the background and a colour farther from it (any cluster of a
    // few pixels: in a block that only grazes a glyph its solid colour may be the smaller one).
    bool blend = false;
    const double ci = Contrast(bg, cl[i].centre);
    for (size_t k = 1; k < cl.size() && !blend; ++k) {
      blend = k != i && cl[k].n >= 3 && Contrast(bg, cl[k].centre) > ci && IsBlend(cl[i].centre, bg, cl[k].centre);
    }
    if (!blend) fgs.push_back(cl[i]);
  }
  // A foreground is drawn ON the background only when anti-aliased pixels blend the two: a
  // colour merely next to it (a panel's straight edge, text clipped under the header) has none.
  out.ratio = 1e9;
  for (auto& f : fgs) {
    int mix = 0;
    for (size_t k = 1; k < cl.size(); ++k) {
      if (cl[k].centre != f.centre && IsBlend(cl[k].centre, bg, f.centre)) mix += cl[k].n;
    }
    if (mix < 8) continue;
    const double r = Contrast(bg, f.centre);
    if (r < out.ratio) out.ratio = r, out.fg = f.centre, out.fg_px = f.n, out.blend_px = mix;
    out.found = true;
  }
  out.bg = bg;
  return out;
}

std::string Hex(uint32_t c) {
  char b[8];
  std::snprintf(b, sizeof b, "#%06x", c);
  return b;
}
std::string Fixed(double v, int digits) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(digits);
  o << v;
  return o.str();
}

struct Row {
  std::string shot, screen, mode;
  std::string small_id;
  double small_mm = 1e9;
  std::string low_where;
  double low = 1e9;
  std::string low_colours;
  double need_contrast = 4.5;
  std::vector<std::string> failures;
};

}  // namespace

int main(int argc, char** argv) {
  double min_mm = 9.0, min_contrast = 4.5, min_contrast_hc = 7.0;
  std::vector<fs::path> dirs;
  fs::path report;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "a11y-measure: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--min-mm") min_mm = std::stod(next());
    else if (a == "--min-contrast") min_contrast = std::stod(next());
    else if (a == "--min-contrast-hc") min_contrast_hc = std::stod(next());
    else if (a == "--report") report = next();
    else if (a.rfind("--", 0) == 0) {
      std::cerr << "usage: a11y-measure [--min-mm 9] [--min-contrast 4.5] [--min-contrast-hc 7] [--report FILE.md] DIR...\n";
      return 2;
    } else dirs.push_back(a);
  }
  std::vector<fs::path> shots;
  for (const auto& d : dirs) {
    if (!fs::is_directory(d)) {
      std::cerr << "a11y-measure: " << d << " is not a folder\n";
      return 2;
    }
    for (const auto& e : fs::recursive_directory_iterator(d)) {
      const std::string n = e.path().filename().string();
      if (n.size() > 13 && n.compare(n.size() - 13, 13, ".targets.json") == 0) shots.push_back(e.path());
    }
  }
  std::sort(shots.begin(), shots.end());
  if (shots.empty()) {
    std::cerr << "a11y-measure: no *.targets.json in the folders given (take screenshots with kiosk --script)\n";
    return 2;
  }
  std::vector<Row> rows;
  bool ok = true;
  for (const auto& jf : shots) {
    std::ifstream in(jf);
    nlohmann::json j;
    try {
      in >> j;
    } catch (const std::exception& e) {
      std::cerr << "a11y-measure: " << jf << ": " << e.what() << "\n";
      return 2;
    }
    std::string stem = jf.filename().string();
    stem.resize(stem.size() - 13);
    const fs::path png = jf.parent_path() / (stem + ".png");
    auto im = ReadPng(png);
    if (!im) {
      std::cerr << "a11y-measure: cannot read " << png << "\n";
      return 2;
    }
    Row row;
    row.shot = jf.parent_path().filename().string() + "/" + stem;
    row.screen = j.value("screen", "?");
    const bool hc = j.value("high_contrast", false);
    row.mode = std::string(j.value("large_text", false) ? "large" : "normal") + (hc ? ", high contrast" : "");
    row.need_contrast = hc ? min_contrast_hc : min_contrast;
    const double dpi = j.value("dpi", 102);
    const double screen_area = double(im->w) * im->h;
    std::vector<std::array<int, 4>> covered;  // target rectangles, excluded from the block scan
    auto note_low = [&](const Pair& p, const std::string& where) {
      if (p.found && p.ratio < row.low) {
        row.low = p.ratio;
        row.low_where = where;
        row.low_colours = Hex(p.fg) + " on " + Hex(p.bg);
      }
      if (p.found && p.ratio < row.need_contrast) {
        row.failures.push_back(where + ": contrast " + Fixed(p.ratio, 2) + ":1 (" + Hex(p.fg) + " on " + Hex(p.bg) +
                               ") < " + Fixed(row.need_contrast, 1) + ":1");
      }
    };
    for (const auto& t : j["targets"]) {
      const std::string id = t["id"];
      const double w = t["w"], h = t["h"];
      const double mm = std::min(w, h) / dpi * 25.4;
      if (mm < row.small_mm) row.small_mm = mm, row.small_id = id;
      if (mm < min_mm) row.failures.push_back(id + ": " + Fixed(mm, 1) + " mm < " + Fixed(min_mm, 1) + " mm");
      const int vx = t["vx"], vy = t["vy"], vw = t["vw"], vh = t["vh"];
      if (double(vw) * vh > screen_area / 2) continue;  // "tap anywhere": the block scan measures it
      covered.push_back({vx - 4, vy - 4, vx + vw + 4, vy + vh + 4});
      // Inside the border and the rounded corners.
      const int inset = 8;
      if (vw - 2 * inset < 16 || vh - 2 * inset < 16) continue;  // a sliver at a list's edge
      note_low(Measure(*im, vx + inset, vy + inset, vx + vw - inset, vy + vh - inset, 20), id);
    }
    // Text outside the targets: 48 px blocks that hold a second dominant colour with
    // anti-aliased edges (text, not the straight edge between two panels).
    const int bs = 48;
    for (int by = 0; by + bs <= im->h; by += bs) {
      for (int bx = 0; bx + bs <= im->w; bx += bs) {
        bool hit = false;
        for (auto& c : covered) hit = hit || (bx < c[2] && bx + bs > c[0] && by < c[3] && by + bs > c[1]);
        if (hit) continue;
        Pair p = Measure(*im, bx, by, bx + bs, by + bs, bs * bs * 3 / 100);
        if (!p.found || p.blend_px * 100 < p.fg_px * 15) continue;
        note_low(p, "text at " + std::to_string(bx) + "," + std::to_string(by));
      }
    }
    if (!row.failures.empty()) ok = false;
    rows.push_back(row);
  }
  std::ostringstream md;
  md << "| screenshot | screen | text | smallest target | mm | lowest contrast | where | colours |\n"
     << "|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    md << "| " << r.shot << " | " << r.screen << " | " << r.mode << " | " << r.small_id << " | "
       << Fixed(r.small_mm, 1) << " | " << (r.low < 1e8 ? Fixed(r.low, 2) + ":1" : "–") << " | " << r.low_where << " | "
       << r.low_colours << " |\n";
  }
  md << "\nMinimums: " << Fixed(min_mm, 1) << " mm a target; " << Fixed(min_contrast, 1) << ":1 text contrast ("
     << Fixed(min_contrast_hc, 1) << ":1 in the high-contrast theme).\n";
  size_t nfail = 0;
  for (const auto& r : rows) {
    for (const auto& f : r.failures) {
      if (nfail++ == 0) md << "\nBroken minimums:\n\n";
      md << "- " << r.shot << ": " << f << "\n";
    }
  }
  md << (ok ? "\nAll " : "\n") << (ok ? std::to_string(rows.size()) + " screenshots meet the minimums.\n" : "FAILED\n");
  std::cout << md.str();
  if (!report.empty()) std::ofstream(report) << md.str();
  return ok ? 0 : 1;
}
