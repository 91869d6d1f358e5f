// scripts/bench-scan: scan-to-attachment time per page and PDF size per page at 200 dpi grey A4.
// Not a test (no limits asserted): it prints figures. Scans come from SANE's test backend (its
// read is instant: a real scanner's mechanics are not measured here, only the kiosk's own work);
// PDF sizes are given for the backend's grid (hard edges: JPEG's worst case) and for a typed form
// page drawn with cairo at 200 dpi with paper grain (what a citizen's papers look like).
#include <catch2/catch.hpp>

#include <cairo.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "drivers/scanner/document.h"
#include "drivers/scanner/scanner.h"
#include "tests/drivers/scanner/sane_test_backend.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::scanner;
using namespace mck::test;
using Steady = std::chrono::steady_clock;

namespace {

double Ms(Steady::time_point a, Steady::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// An A4 form page at 200 dpi: a heading, labelled boxes, lines of text, paper grain.
Page FormPage(int seed, double grain_sigma) {
  const int w = 1654, h = 2339;
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, 200.0 / 72, 200.0 / 72);  // points
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_select_font_face(cr, "Noto Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 14);
  cairo_move_to(cr, 150, 80);
  cairo_show_text(cr, "CONG HOA XA HOI CHU NGHIA VIET NAM");
  cairo_select_font_face(cr, "Noto Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 11);
  std::mt19937 rng(static_cast<unsigned>(seed));
  const char* words[] = {"Ho va ten", "ngay sinh", "noi cu tru", "so dinh danh", "cap ngay", "tai", "xa", "huyen",
                         "tinh", "xac nhan", "giay khai sinh", "nguoi yeu cau", "quan he", "ghi chu"};
  double y = 130;
  for (int line = 0; line < 38; ++line, y += 18) {
    std::string text;
    const int n = 4 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) text += std::string(words[rng() % 14]) + (i + 1 < n ? " " : ": ");
    text += std::to_string(100000 + rng() % 900000);
    cairo_move_to(cr, 60, y);
    cairo_show_text(cr, text.c_str());
    if (line % 6 == 5) {  // a form box
      cairo_set_line_width(cr, 0.8);
      cairo_rectangle(cr, 58, y + 4, 480, 30);
      cairo_stroke(cr);
      y += 36;
    }
  }
  cairo_destroy(cr);
  cairo_surface_flush(s);
  Page p;
  p.width = w;
  p.height = h;
  p.dpi = 200;
  p.grey.resize(static_cast<size_t>(w) * h);
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  std::normal_distribution<double> grain(0, grain_sigma > 0 ? grain_sigma : 1e-9);  // paper and sensor noise
  for (int yy = 0; yy < h; ++yy) {
    for (int x = 0; x < w; ++x) {
      const uint32_t px = *reinterpret_cast<const uint32_t*>(data + yy * stride + 4 * x);
      const double g = 0.3 * ((px >> 16) & 0xFF) + 0.59 * ((px >> 8) & 0xFF) + 0.11 * (px & 0xFF);
      const double v = g * 0.93 + 8 + grain(rng);  // paper is not pure white
      p.grey[static_cast<size_t>(yy) * w + x] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
    }
  }
  cairo_surface_destroy(s);
  return p;
}

}  // namespace

TEST_CASE("bench: scan to attachment per page, PDF size per page at 200 dpi grey A4") {
  const int rounds = std::getenv("MCK_BENCH_ROUNDS") ? std::atoi(std::getenv("MCK_BENCH_ROUNDS")) : 5;
  SaneTestBackend sane;
  REQUIRE(sane.ready());
  Kiosk kiosk;
  auto store = kiosk.OpenStore();
  std::vector<double> scan_ms, pdf_ms, store_ms, total_ms;
  size_t grid_pdf = 0;
  int pages = 0;
  for (int r = 0; r < rounds; ++r) {
    ScanProblem problem = ScanProblem::kNone;
    auto sc = Scanner::Open("test:0", &problem);
    REQUIRE(sc.ok());
    ScanSettings s;
    s.source = Source::kFeeder;
    s.extra = {{"test-picture", "Grid"}};
    REQUIRE((*sc)->Configure(s, &problem).ok());
    const auto t0 = Steady::now();
    auto doc = (*sc)->ScanDocument();  // the test feeder: 10 pages
    const auto t1 = Steady::now();
    REQUIRE(doc.status.ok());
    auto pdf = DocumentPdf(doc.pages);
    REQUIRE(pdf.ok());
    const auto t2 = Steady::now();
    NewAttachment a{"giay-to.pdf", "application/pdf", *pdf};
    auto sub = store->dossiers().Submit(DossierBody(), {a}, "2026-11-01.test");
    REQUIRE(sub.ok());
    const auto t3 = Steady::now();
    pages = static_cast<int>(doc.pages.size());
    scan_ms.push_back(Ms(t0, t1) / pages);
    pdf_ms.push_back(Ms(t1, t2) / pages);
    store_ms.push_back(Ms(t2, t3) / pages);
    total_ms.push_back(Ms(t0, t3) / pages);
    grid_pdf = pdf->size();
  }
  std::vector<Page> forms, clean;
  for (int i = 0; i < 5; ++i) forms.push_back(FormPage(i + 1, 4.0));
  for (int i = 0; i < 5; ++i) clean.push_back(FormPage(i + 1, 0.0));
  const auto f0 = Steady::now();
  auto form_pdf = DocumentPdf(forms);
  const auto f1 = Steady::now();
  REQUIRE(form_pdf.ok());
  auto clean_pdf = DocumentPdf(clean);
  REQUIRE(clean_pdf.ok());
  if (const char* keep = std::getenv("MCK_BENCH_KEEP_PDF")) {  // to look at the pages
    std::FILE* f = std::fopen(keep, "wb");
    if (f != nullptr) {
      std::fwrite(form_pdf->data(), 1, form_pdf->size(), f);
      std::fclose(f);
    }
  }
  std::printf("scan to attachment, 200 dpi grey A4 (1653x2338 px), %d rounds of a %d-page feeder document\n", rounds,
              pages);
  std::printf("  %8.1f ms/page  scan (SANE test backend: no mechanics; a real feeder adds its own seconds)\n",
              Median(scan_ms));
  std::printf("  %8.1f ms/page  JPEG q%d (libjpeg-turbo) + PDF bind (cairo)\n", Median(pdf_ms), kJpegQuality);
  std::printf("  %8.1f ms/page  attachment stored (SHA-256, sealed, one transaction with the dossier)\n",
              Median(store_ms));
  std::printf("  %8.1f ms/page  total, median\n", Median(total_ms));
  std::printf("PDF size per page\n");
  std::printf("  %8.1f KB/page  test backend's 10 mm grid (hard edges: JPEG's worst case)\n",
              grid_pdf / 1024.0 / pages);
  std::printf("  %8.1f KB/page  typed form page with paper grain (sigma 4 grey levels); %.1f ms/page to bind\n",
              form_pdf->size() / 1024.0 / forms.size(), Ms(f0, f1) / forms.size());
  std::printf("  %8.1f KB/page  the same form page, clean white paper\n", clean_pdf->size() / 1024.0 / clean.size());
  std::printf("  %8.1f KB/page  the raw grey raster, for comparison\n", 1653.0 * 2338 / 1024);
}
