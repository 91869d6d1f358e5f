#include "kiosk/app/scan_service.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "drivers/scanner/document.h"
#include "offline/domain/ids.h"

namespace mck::app {

using scanner::ScanProblem;
using scanner::Scanner;

void MakePreview(const scanner::Page& page, int max_side, ScannedPage* out) {
  const int side = std::max(page.width, page.height);
  const int f = std::max(1, (side + max_side - 1) / max_side);
  out->preview_w = page.width / f;
  out->preview_h = page.height / f;
  out->preview.assign(static_cast<size_t>(out->preview_w) * out->preview_h, 0);
  for (int y = 0; y < out->preview_h; ++y) {
    for (int x = 0; x < out->preview_w; ++x) {
      unsigned sum = 0;
      for (int dy = 0; dy < f; ++dy) {
        const uint8_t* row = page.grey.data() + static_cast<size_t>(y * f + dy) * page.width + x * f;
        for (int dx = 0; dx < f; ++dx) sum += row[dx];
      }
      out->preview[static_cast<size_t>(y) * out->preview_w + x] = static_cast<uint8_t>(sum / (f * f));
    }
  }
}

SaneScanServiceOptions ScanOptionsFromConfig(const KioskConfig& config) {
  SaneScanServiceOptions o;
  if (config.scanner.rfind("sane:", 0) == 0) o.device = config.scanner.substr(5);
  std::string rest = config.scanner_options;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string item = rest.substr(0, comma);
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    const size_t eq = item.find('=');
    if (eq != std::string::npos && eq > 0) o.settings.extra.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return o;
}

SaneScanService::SaneScanService(SaneScanServiceOptions options, EventQueue& events)
    : options_(std::move(options)), events_(events) {
  worker_.Post([this] { Probe(); });
}

SaneScanService::~SaneScanService() {
  Cancel();
  worker_.Stop();
}

void SaneScanService::Probe() {
  ScannerFound found;
  ScanProblem problem = ScanProblem::kNone;
  auto sc = Scanner::Open(options_.device, &problem);
  if (!sc.ok()) {
    std::cerr << "kiosk: scanner: " << sc.status().ToString() << "\n";
  } else {
    found.found = true;
    scanner::ScanSettings feeder = options_.settings;
    feeder.source = scanner::Source::kFeeder;
    found.feeder = (*sc)->Configure(feeder, &problem).ok();
    std::cerr << "kiosk: scanner " << (*sc)->device() << (found.feeder ? " with" : " without") << " a document feeder\n";
  }
  events_.Push(found);
}

uint64_t SaneScanService::Scan(bool feeder, int max_pages) {
  const uint64_t id = next_id_++;
  worker_.Post([this, id, feeder, max_pages] {
    ScanFinished done;
    done.request_id = id;
    ScanProblem problem = ScanProblem::kNone;
    auto sc = Scanner::Open(options_.device, &problem);
    scanner::ScannedDocument doc;
    if (!sc.ok()) {
      doc.status = sc.status();
      doc.problem = problem;
    } else {
      scanner::ScanSettings settings = options_.settings;
      settings.source = feeder ? scanner::Source::kFeeder : scanner::Source::kFlatbed;
      if (Status st = (*sc)->Configure(settings, &problem); !st.ok()) {
        doc.status = st;
        doc.problem = problem;
      } else {
        {
          std::lock_guard<std::mutex> lock(mu_);
          current_ = sc->get();
        }
        Scanner& s = **sc;
        if (options_.before_scan) options_.before_scan(s);
        doc = s.ScanDocument(feeder ? max_pages : 1, [this, id, &s](int n) {
          events_.Push(ScanProgress{id, n});
          if (options_.after_page) options_.after_page(s, n);
        });
        std::lock_guard<std::mutex> lock(mu_);
        current_ = nullptr;
      }
    }
    done.problem = doc.problem;
    done.status = doc.status;
    for (auto& page : doc.pages) {
      ScannedPage p;
      p.id = next_page_id_++;
      p.width = page.width;
      p.height = page.height;
      p.dpi = page.dpi;
      MakePreview(page, kScanPreviewMaxSide, &p);
      auto jpeg = scanner::EncodeJpeg(page);
      std::fill(page.grey.begin(), page.grey.end(), uint8_t{0});  // the raw raster: personal data
      if (!jpeg.ok()) {
        std::cerr << "kiosk: scanned page not encoded: " << jpeg.status().ToString() << "\n";
        if (done.status.ok()) done.status = jpeg.status();
        continue;
      }
      p.jpeg = std::move(jpeg.value());
      done.pages.push_back(std::move(p));
    }
    if (!done.status.ok()) std::cerr << "kiosk: scan ended: " << done.status.ToString() << "\n";
    events_.Push(std::move(done));
  });
  return id;
}

uint64_t SaneScanService::Bind(std::vector<ScannedPage> pages) {
  const uint64_t id = next_id_++;
  worker_.Post([this, id, pages = std::move(pages)]() mutable {
    ScanBound done;
    done.request_id = id;
    std::vector<scanner::PdfPage> in;
    in.reserve(pages.size());
    for (auto& p : pages) {
      in.push_back(scanner::PdfPage{std::move(p.jpeg), p.width, p.height, p.dpi});
      WipePage(p);
    }
    auto pdf = scanner::BindPdf(in);
    for (auto& p : in) SecureWipe(p.jpeg);
    if (pdf.ok()) {
      done.pdf = std::move(pdf.value());
    } else {
      done.status = pdf.status();
      std::cerr << "kiosk: scanned pages not bound: " << pdf.status().ToString() << "\n";
    }
    events_.Push(std::move(done));
  });
  return id;
}

void SaneScanService::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  if (current_) current_->Cancel();
}

}  // namespace mck::app
