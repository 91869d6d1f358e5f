// drivers/scanner against SANE's real `test` backend (private SANE_CONFIG_DIR, sane_test_backend.h)
// and poppler's pdftoppm rendering the PDFs back. Under MCK_REQUIRE_ALL=1 a missing backend or
// pdftoppm FAILS (tests/support/cannot_run.h).
#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <pthread.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "drivers/scanner/document.h"
#include "drivers/scanner/scan_worker.h"
#include "drivers/scanner/scanner.h"
#include "tests/drivers/scanner/sane_test_backend.h"
#include "tests/support/cannot_run.h"

using namespace mck;
using namespace mck::scanner;
using mck::test::SaneTestBackend;
namespace fs = std::filesystem;

namespace {

bool HavePdftoppm() { return std::system("pdftoppm -v >/dev/null 2>&1") == 0; }

// A4 feeder, 200 dpi grey, the test backend's 10 mm black-and-white grid.
ScanSettings GridSettings(Source source = Source::kFeeder, int dpi = 200) {
  ScanSettings s;
  s.source = source;
  s.dpi = dpi;
  s.extra = {{"test-picture", "Grid"}};
  return s;
}

std::unique_ptr<Scanner> OpenTest(const ScanSettings& s) {
  ScanProblem problem = ScanProblem::kNone;
  auto sc = Scanner::Open("test:0", &problem);
  INFO(sc.status().ToString());
  REQUIRE(sc.ok());
  Status st = (*sc)->Configure(s, &problem);
  INFO(st.ToString());
  REQUIRE(st.ok());
  return std::move(sc.value());
}

// The PDF's pages rendered by pdftoppm at `dpi`, grey (PGM P5), in order.
std::vector<Page> Render(const std::string& pdf, const fs::path& dir, int dpi) {
  const fs::path file = dir / "doc.pdf";
  std::ofstream(file, std::ios::binary).write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
  const std::string cmd = "pdftoppm -gray -r " + std::to_string(dpi) + " '" + file.string() + "' '" +
                          (dir / "page").string() + "'";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".pgm") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<Page> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string magic;
    int w = 0, h = 0, maxval = 0;
    in >> magic >> w >> h >> maxval;
    in.get();
    REQUIRE(magic == "P5");
    REQUIRE(maxval == 255);
    Page p;
    p.width = w;
    p.height = h;
    p.dpi = dpi;
    p.grey.resize(static_cast<size_t>(w) * h);
    in.read(reinterpret_cast<char*>(p.grey.data()), static_cast<std::streamsize>(p.grey.size()));
    REQUIRE(in.gcount() == static_cast<std::streamsize>(p.grey.size()));
    out.push_back(std::move(p));
  }
  return out;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Diff {
  double mean = 0;         // mean absolute difference, 0..255
  double far_share = 0;    // share of pixels more than 64 apart
  double dark_share = 0;   // share of the rendered pixels darker than 128
};
// The scanned raster against the rendered page's top-left corner (where the scan sits), the best
// of the placements up to one pixel off (a renderer may round the image's corner either way).
Diff CompareAt(const Page& scanned, const Page& rendered, int dx, int dy) {
  const int w = std::min(scanned.width, rendered.width) - 2, h = std::min(scanned.height, rendered.height) - 2;
  double sum = 0;
  size_t far = 0, dark = 0;
  for (int y = 1; y < h; ++y) {
    for (int x = 1; x < w; ++x) {
      const int a = scanned.grey[static_cast<size_t>(y) * scanned.width + x];
      const int b = rendered.grey[static_cast<size_t>(y + dy) * rendered.width + x + dx];
      sum += std::abs(a - b);
      far += std::abs(a - b) > 64;
      dark += b < 128;
    }
  }
  const double n = static_cast<double>(w - 1) * (h - 1);
  return {sum / n, far / n, dark / n};
}
Diff Compare(const Page& scanned, const Page& rendered) {
  Diff best = CompareAt(scanned, rendered, 0, 0);
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) {
      const Diff d = CompareAt(scanned, rendered, dx, dy);
      if (d.mean < best.mean) best = d;
    }
  return best;
}

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/mck-scan-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE("three pages through the feeder become one A4 PDF whose pages render back as they were scanned") {
  SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  if (!HavePdftoppm()) MCK_CANNOT_RUN("needs pdftoppm (poppler-utils)");
  auto sc = OpenTest(GridSettings());
  CHECK(sc->width_mm() == Approx(210.0).margin(1.0));
  CHECK(sc->height_mm() == Approx(297.0).margin(1.0));
  // Page 2 is a different picture (solid black): the order of the pages is checked too.
  auto doc = sc->ScanDocument(3, [&](int n) {
    if (n == 1) REQUIRE(sc->SetOption("test-picture", "Solid black").ok());
    if (n == 2) REQUIRE(sc->SetOption("test-picture", "Grid").ok());
  });
  INFO(doc.status.ToString());
  REQUIRE(doc.status.ok());
  REQUIRE(doc.pages.size() == 3);
  size_t raw = 0;
  for (const auto& p : doc.pages) {
    CHECK(p.dpi == 200);
    CHECK(p.width == Approx(210 / 25.4 * 200).margin(2));
    CHECK(p.height == Approx(297 / 25.4 * 200).margin(2));
    raw += p.grey.size();
  }
  auto pdf = DocumentPdf(doc.pages);
  REQUIRE(pdf.ok());
  CHECK(pdf->rfind("%PDF-", 0) == 0);
  CHECK(pdf->find("/DCTDecode") != std::string::npos);  // the JPEG itself is embedded
  CHECK(pdf->size() * 20 < raw);                         // and stays small (grid: far below 1/20)

  TempDir tmp;
  auto rendered = Render(*pdf, tmp.path, 200);
  REQUIRE(rendered.size() == 3);
  const std::string extract = "pdfimages -j '" + (tmp.path / "doc.pdf").string() + "' '" + (tmp.path / "img").string() + "'";
  REQUIRE(std::system(extract.c_str()) == 0);
  for (size_t i = 0; i < 3; ++i) {
    INFO("page " << i + 1);
    // A4 at 200 dpi: 1654 x 2339 px.
    CHECK(rendered[i].width == Approx(kA4WidthPt / 72 * 200).margin(1));
    CHECK(rendered[i].height == Approx(kA4HeightPt / 72 * 200).margin(1));
    // Against what was scanned: JPEG's ringing and poppler's resampling at the grid's hard edges
    // (about one pixel along each edge) are the only differences.
    const Diff d = Compare(doc.pages[i], rendered[i]);
    INFO("scanned vs rendered: mean " << d.mean << ", far " << d.far_share << ", dark " << d.dark_share);
    CHECK(d.mean < 6.0);
    CHECK(d.far_share < 0.04);
    // The PDF carries the JPEG itself: pdfimages -j gives back the very bytes encoded here.
    auto jpeg = EncodeJpeg(doc.pages[i]);
    REQUIRE(jpeg.ok());
    CHECK(Slurp(tmp.path / ("img-00" + std::to_string(i) + ".jpg")) == *jpeg);
    if (i == 1) {
      CHECK(d.dark_share > 0.99);  // solid black
    } else {
      CHECK(d.dark_share > 0.3);   // the grid: about half black
      CHECK(d.dark_share < 0.7);
    }
  }
}

TEST_CASE("the feeder runs out: the document ends normally, and an empty feeder is its own calm error") {
  SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  auto sc = OpenTest(GridSettings(Source::kFeeder, 50));
  auto doc = sc->ScanDocument();  // until "no more documents": the test feeder holds 10 pages
  INFO(doc.status.ToString());
  CHECK(doc.status.ok());
  CHECK(doc.pages.size() == 10);
  // The test backend refills its feeder once it has said "out of documents"; an empty feeder at
  // the first page is injected as the device's answer to the read.
  REQUIRE(sc->SetOption("read-return-value", "SANE_STATUS_NO_DOCS").ok());
  auto empty = sc->ScanDocument();
  CHECK(empty.pages.empty());
  CHECK(empty.problem == ScanProblem::kFeederEmpty);
  CHECK(empty.status.code() == Code::kFailedPrecondition);
  CHECK(empty.status.message_vi().find("Khay nạp giấy") != std::string::npos);
  CHECK(empty.status.message_en() != empty.status.message_vi());
}

TEST_CASE("a jam and an open cover mid-document keep the pages already scanned and the scan goes on") {
  SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  const auto [sane_value, problem, word] = GENERATE(
      std::make_tuple(std::string("SANE_STATUS_JAMMED"), ScanProblem::kJammed, std::string("kẹt")),
      std::make_tuple(std::string("SANE_STATUS_COVER_OPEN"), ScanProblem::kCoverOpen, std::string("Nắp")));
  INFO(sane_value);
  auto sc = OpenTest(GridSettings(Source::kFeeder, 100));
  auto first = sc->ScanDocument(0, [&](int n) {
    if (n == 2) REQUIRE(sc->SetOption("read-return-value", sane_value).ok());
  });
  CHECK(first.pages.size() == 2);  // nothing already scanned is lost
  CHECK(first.problem == problem);
  CHECK(first.status.code() == Code::kRejected);
  CHECK(first.status.message_vi().find(word) != std::string::npos);
  CHECK(first.status.message_vi().find("đã quét vẫn được giữ") != std::string::npos);
  // The person clears it; the scan goes on and the document is bound whole.
  REQUIRE(sc->SetOption("read-return-value", "Default").ok());
  auto rest = sc->ScanDocument(1);
  INFO(rest.status.ToString());
  REQUIRE(rest.status.ok());
  REQUIRE(rest.pages.size() == 1);
  std::vector<Page> all = first.pages;
  all.push_back(rest.pages[0]);
  auto pdf = DocumentPdf(all);
  REQUIRE(pdf.ok());
  if (HavePdftoppm()) {
    TempDir tmp;
    CHECK(Render(*pdf, tmp.path, 30).size() == 3);
  }
}

TEST_CASE("no scanner, a device gone mid-page and an I/O error are distinct problems") {
  SECTION("an empty SANE configuration finds no scanner") {
    SaneTestBackend none(0);
    if (!none.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
    auto list = Scanner::List();
    REQUIRE(list.ok());
    CHECK(list->empty());
    ScanProblem p = ScanProblem::kNone;
    auto sc = Scanner::Open("", &p);
    REQUIRE_FALSE(sc.ok());
    CHECK(p == ScanProblem::kNoScanner);
    CHECK(sc.status().code() == Code::kUnavailable);
    CHECK(sc.status().message_vi().find("máy quét") != std::string::npos);
  }
  SECTION("a device name that is not there is no scanner") {
    SaneTestBackend sane;
    if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
    auto list = Scanner::List();
    REQUIRE(list.ok());
    REQUIRE(list->size() == 1);
    CHECK(list->at(0).name == "test:0");
    ScanProblem p = ScanProblem::kNone;
    auto sc = Scanner::Open("test:7", &p);
    REQUIRE_FALSE(sc.ok());
    CHECK(p == ScanProblem::kNoScanner);
  }
  SECTION("a page cut short is the device gone mid-page, an I/O error is I/O, the first page kept") {
    SaneTestBackend sane;
    if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
    const auto [sane_value, problem] = GENERATE(std::make_pair(std::string("SANE_STATUS_EOF"), ScanProblem::kDeviceGone),
                                                std::make_pair(std::string("SANE_STATUS_IO_ERROR"), ScanProblem::kIo));
    INFO(sane_value);
    auto sc = OpenTest(GridSettings(Source::kFeeder, 100));
    auto doc = sc->ScanDocument(0, [&](int n) {
      if (n == 1) REQUIRE(sc->SetOption("read-return-value", sane_value).ok());
    });
    CHECK(doc.pages.size() == 1);
    CHECK(doc.problem == problem);
    CHECK_FALSE(doc.status.ok());
    CHECK(ProblemStatus(ScanProblem::kDeviceGone).message_vi() != ProblemStatus(ScanProblem::kIo).message_vi());
  }
}

TEST_CASE("the scan worker scans on its own thread and hands back the pages and the PDF") {
  SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  std::mutex mu;
  std::condition_variable cv;
  std::optional<ScanOutcome> result;
  std::thread::id worker_thread;
  std::vector<int> progress;
  {
    ScanWorker worker;
    ScanRequest req;
    req.device = "test:0";
    req.settings = GridSettings(Source::kFeeder, 100);
    req.max_pages = 2;
    REQUIRE(worker.Scan(
        req,
        [&](ScanOutcome out) {
          std::lock_guard<std::mutex> lock(mu);
          worker_thread = std::this_thread::get_id();
          result = std::move(out);
          cv.notify_all();
        },
        [&](int n) {
          std::lock_guard<std::mutex> lock(mu);
          progress.push_back(n);
        }));
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return result.has_value(); });
  }
  CHECK(worker_thread != std::this_thread::get_id());
  INFO(result->document.status.ToString());
  CHECK(result->document.status.ok());
  CHECK(result->pages_done == 2);
  CHECK(progress == std::vector<int>{1, 2});
  CHECK(result->pdf_status.ok());
  CHECK(result->pdf.rfind("%PDF-", 0) == 0);
}

TEST_CASE("a grey page survives JPEG within a small error and keeps its dpi") {
  Page p;
  p.width = 400;
  p.height = 300;
  p.dpi = 200;
  p.grey.resize(400 * 300);
  for (int y = 0; y < 300; ++y)
    for (int x = 0; x < 400; ++x) p.grey[y * 400 + x] = static_cast<uint8_t>((x / 40 + y / 40) % 2 ? 20 : 235);
  auto jpeg = EncodeJpeg(p);
  REQUIRE(jpeg.ok());
  auto back = DecodeJpeg(*jpeg);
  REQUIRE(back.ok());
  CHECK(back->width == 400);
  CHECK(back->height == 300);
  CHECK(back->dpi == 200);
  const Diff d = Compare(p, *back);
  CHECK(d.mean < 4.0);
  CHECK_FALSE(BindPdf({}).ok());
  Page bad = p;
  bad.grey.pop_back();
  CHECK_FALSE(EncodeJpeg(bad).ok());
}

TEST_CASE("a scan cancelled from another thread ends as cancelled with nothing half-kept") {
  SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  std::mutex mu;
  std::condition_variable cv;
  std::optional<ScanOutcome> result;
  ScanWorker worker;
  ScanRequest req;
  req.device = "test:0";
  req.settings = GridSettings(Source::kFlatbed, 100);
  // A slow device: every buffer of the page waits 0.2 s, so the page takes seconds to arrive.
  req.settings.extra.emplace_back("read-limit", "yes");
  req.settings.extra.emplace_back("read-limit-size", "4096");
  req.settings.extra.emplace_back("read-delay", "yes");
  req.settings.extra.emplace_back("read-delay-duration", "200000");
  REQUIRE(worker.Scan(req, [&](ScanOutcome out) {
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(out);
    cv.notify_all();
  }));
  // Cancel until the outcome arrives: a Cancel() before the job holds its scanner does nothing.
  std::unique_lock<std::mutex> lock(mu);
  while (!cv.wait_for(lock, std::chrono::milliseconds(20), [&] { return result.has_value(); })) {
    lock.unlock();
    worker.Cancel();
    lock.lock();
  }
  INFO(result->document.status.ToString());
  CHECK(result->document.problem == ScanProblem::kCancelled);
  CHECK(result->document.pages.empty());
  CHECK(result->pdf.empty());
}

TEST_CASE("the flatbed scans one A4 page a document and can scan again") {
  SaneTestBackend sane;
  if (!sane.ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf");
  auto sc = OpenTest(GridSettings(Source::kFlatbed, 100));
  for (int round = 0; round < 2; ++round) {
    auto doc = sc->ScanDocument();
    INFO(doc.status.ToString());
    REQUIRE(doc.status.ok());
    REQUIRE(doc.pages.size() == 1);
    CHECK(doc.pages[0].width == Approx(210 / 25.4 * 100).margin(2));
    CHECK(doc.pages[0].height == Approx(297 / 25.4 * 100).margin(2));
  }
}

// sane_scanner.cpp's pthread_setcanceltype: SANE's backends, loaded with dlopen, look symbols up
// in the global scope, so that is where the program's definition must be found (exported from
// the executable), ahead of libc's; and a thread asking for asynchronous cancellation through it
// gets deferred cancellation (a cancel inside malloc once hung sane_cancel: see there).
TEST_CASE("SANE backends' reader threads get deferred cancellation, never asynchronous") {
  using Fn = int (*)(int, int*);
  void* libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
  REQUIRE(libc != nullptr);
  const auto global = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "pthread_setcanceltype"));
  const auto in_libc = reinterpret_cast<Fn>(dlsym(libc, "pthread_setcanceltype"));
  dlclose(libc);
  REQUIRE(global != nullptr);
  REQUIRE(in_libc != nullptr);
  CHECK(global != in_libc);
  Dl_info where{};
  REQUIRE(dladdr(reinterpret_cast<void*>(global), &where) != 0);
  REQUIRE(where.dli_fname != nullptr);
  // The backends bind to the program's own definition (not libc's, not a sanitizer's).
  CHECK(fs::equivalent(where.dli_fname, "/proc/self/exe"));
  int asked = -1, after = -1;
  std::thread t([&] {
    int old = 0;
    asked = global(PTHREAD_CANCEL_ASYNCHRONOUS, &old);  // what sanei_thread's reader does
    in_libc(PTHREAD_CANCEL_DEFERRED, &after);            // libc's own answer: the type now in force
  });
  t.join();
  CHECK(asked == 0);
  CHECK(after == PTHREAD_CANCEL_DEFERRED);
}
