// kioskctl scan list | scan test | scan page: the technician's check of the scanner (SANE), and a
// scanned document as a PDF file that `kioskctl dossier submit` can attach by path
// (docs/scanning.md). The scanner is driven from this command's own thread: no UI here.
//
//   scan list [--json]                  the scanners SANE finds
//   scan test [--device D] [--source flatbed|adf] [--option NAME=VALUE]... [--json]
//                                       scans one page, writes nothing, prints its size and timing
//   scan page --out FILE.pdf [--device D] [--source flatbed|adf] [--pages N] [--dpi N]
//             [--option NAME=VALUE]... [--json]
//                                       scans a document (the feeder until empty, or N pages) into
//                                       one A4 PDF
#include <chrono>
#include <fstream>
#include <iostream>

#include "drivers/scanner/document.h"
#include "drivers/scanner/scanner.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/domain/ids.h"

namespace mck::ctl {
namespace {

using scanner::ScanProblem;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

// --device, --source, --dpi, --option NAME=VALUE (repeatable) into settings. False on bad input.
bool TakeSettings(Context& ctx, std::string* device, scanner::ScanSettings* s) {
  if (auto d = ctx.TakeOption("--device")) *device = *d;
  if (auto src = ctx.TakeOption("--source")) {
    if (*src == "adf" || *src == "feeder") {
      s->source = scanner::Source::kFeeder;
    } else if (*src == "flatbed") {
      s->source = scanner::Source::kFlatbed;
    } else {
      std::cerr << "Nguồn giấy không hợp lệ / unknown source '" << *src << "' (flatbed, adf)\n";
      return false;
    }
  }
  if (auto dpi = ctx.TakeOption("--dpi")) {
    try {
      s->dpi = std::stoi(*dpi);
    } catch (...) {
      s->dpi = 0;
    }
    if (s->dpi < 75 || s->dpi > 600) {
      std::cerr << "Độ phân giải phải từ 75 đến 600 / --dpi must be 75..600\n";
      return false;
    }
  }
  while (auto opt = ctx.TakeOption("--option")) {
    const auto eq = opt->find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "Tuỳ chọn phải có dạng TÊN=GIÁ_TRỊ / --option needs NAME=VALUE\n";
      return false;
    }
    s->extra.emplace_back(opt->substr(0, eq), opt->substr(eq + 1));
  }
  return true;
}

int FailScan(Context& ctx, const Status& st, ScanProblem problem) {
  if (ctx.json()) PrintJson({{"problem", scanner::ScanProblemName(problem)}, {"message", st.message_vi()},
                             {"message_en", st.message_en()}});
  return ctx.Fail(st);
}

// The scanner opened and set up for a scan (grey, the source, dpi, A4, device options).
Result<std::unique_ptr<scanner::Scanner>> OpenConfigured(const std::string& device,
                                                         const scanner::ScanSettings& settings, ScanProblem* problem) {
  auto sc = scanner::Scanner::Open(device, problem);
  if (!sc.ok()) return sc.status();
  if (Status st = (*sc)->Configure(settings, problem); !st.ok()) return st;
  return sc;
}

int ScanList(Context& ctx) {
  if (!ctx.ExpectArgs(0, "scan list [--json]")) return kExitBadInput;
  auto list = scanner::Scanner::List();
  if (!list.ok()) return ctx.Fail(list.status());
  if (ctx.json()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : *list) out.push_back({{"device", d.name}, {"vendor", d.vendor}, {"model", d.model}, {"type", d.type}});
    PrintJson(out);
  } else if (list->empty()) {
    std::cout << "Không thấy máy quét nào / no scanner found\n";
  } else {
    for (const auto& d : *list) std::cout << d.name << "  " << d.vendor << " " << d.model << " (" << d.type << ")\n";
  }
  return list->empty() ? kExitFailed : kExitOk;
}

int ScanTest(Context& ctx) {
  std::string device;
  scanner::ScanSettings settings;
  if (!TakeSettings(ctx, &device, &settings)) return kExitBadInput;
  if (!ctx.ExpectArgs(0, "scan test [--device D] [--source flatbed|adf] [--option NAME=VALUE]... [--json]"))
    return kExitBadInput;
  ScanProblem problem = ScanProblem::kNone;
  const auto t0 = Clock::now();
  auto sc = OpenConfigured(device, settings, &problem);
  if (!sc.ok()) return FailScan(ctx, sc.status(), problem);
  const auto t1 = Clock::now();
  auto page = (*sc)->ScanPage(&problem);
  if (!page.ok()) return FailScan(ctx, page.status(), problem);
  const auto t2 = Clock::now();
  auto jpeg = scanner::EncodeJpeg(*page);
  if (!jpeg.ok()) return ctx.Fail(jpeg.status());
  const auto t3 = Clock::now();
  if (ctx.json()) {
    PrintJson({{"device", (*sc)->device()}, {"width_px", page->width}, {"height_px", page->height}, {"dpi", page->dpi},
               {"width_mm", (*sc)->width_mm()}, {"height_mm", (*sc)->height_mm()}, {"open_ms", Ms(t0, t1)},
               {"scan_ms", Ms(t1, t2)}, {"jpeg_ms", Ms(t2, t3)}, {"jpeg_bytes", jpeg->size()}});
  } else {
    std::cout << "Máy quét / scanner " << (*sc)->device() << ": một trang / one page " << page->width << "x"
              << page->height << " px, " << page->dpi << " dpi (" << (*sc)->width_mm() << "x" << (*sc)->height_mm()
              << " mm); quét / scan " << static_cast<int>(Ms(t1, t2)) << " ms, JPEG " << jpeg->size() / 1024
              << " KB\n";
  }
  return kExitOk;
}

int ScanPage(Context& ctx) {
  std::string device;
  scanner::ScanSettings settings;
  if (!TakeSettings(ctx, &device, &settings)) return kExitBadInput;
  const auto out = ctx.TakeOption("--out");
  const auto pages_arg = ctx.TakeOption("--pages");
  const char* usage =
      "scan page --out FILE.pdf [--device D] [--source flatbed|adf] [--pages N] [--dpi N] [--option NAME=VALUE]... "
      "[--json]";
  if (!ctx.ExpectArgs(0, usage)) return kExitBadInput;
  if (!out) {
    std::cerr << "Cần --out FILE.pdf / --out FILE.pdf is required\nUsage: kioskctl " << usage << "\n";
    return kExitBadInput;
  }
  int max_pages = 0;
  if (pages_arg) {
    try {
      max_pages = std::stoi(*pages_arg);
    } catch (...) {
      max_pages = 0;
    }
    if (max_pages < 1 || max_pages > 200) {
      std::cerr << "Số trang phải từ 1 đến 200 / --pages must be 1..200\n";
      return kExitBadInput;
    }
  }
  ScanProblem problem = ScanProblem::kNone;
  const auto t0 = Clock::now();
  auto sc = OpenConfigured(device, settings, &problem);
  if (!sc.ok()) return FailScan(ctx, sc.status(), problem);
  auto doc = (*sc)->ScanDocument(max_pages, [](int n) { std::cerr << "  trang / page " << n << "\n"; });
  const auto t1 = Clock::now();
  // Pages scanned before a failure are still written: nothing already scanned is lost.
  std::string pdf;
  if (!doc.pages.empty()) {
    auto bound = scanner::DocumentPdf(doc.pages);
    if (!bound.ok()) return ctx.Fail(bound.status());
    pdf = std::move(bound.value());
    std::ofstream f(*out, std::ios::binary | std::ios::trunc);
    f.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
    f.close();
    if (!f) {
      return ctx.Fail(Status::Error(Code::kIo, *out + ": cannot write", *out + ": không ghi được tệp (đĩa đầy?)"));
    }
  }
  const auto t2 = Clock::now();
  if (ctx.json()) {
    PrintJson({{"device", (*sc)->device()}, {"pages", doc.pages.size()}, {"pdf", doc.pages.empty() ? "" : *out},
               {"pdf_bytes", pdf.size()}, {"sha256", pdf.empty() ? "" : Sha256Hex(pdf)}, {"scan_ms", Ms(t0, t1)},
               {"pdf_ms", Ms(t1, t2)}, {"problem", scanner::ScanProblemName(doc.problem)},
               {"message", doc.status.ok() ? "" : doc.status.message_vi()}});
  } else if (!doc.pages.empty()) {
    std::cout << "Đã quét / scanned " << doc.pages.size() << " trang / pages -> " << *out << " (" << pdf.size() / 1024
              << " KB)\n";
  }
  if (!doc.status.ok()) return ctx.Fail(doc.status);
  return kExitOk;
}

const CommandRegistration kScanList({"scan list", "[--json]", "List the scanners SANE finds", ScanList});
const CommandRegistration kScanTest({"scan test", "[--device D] [--source flatbed|adf] [--option NAME=VALUE]... [--json]",
                                     "Scan one page (200 dpi grey, A4) and print its size and timing; writes nothing",
                                     ScanTest});
const CommandRegistration kScanPage({"scan page",
                                     "--out FILE.pdf [--device D] [--source flatbed|adf] [--pages N] [--dpi N] "
                                     "[--option NAME=VALUE]... [--json]",
                                     "Scan a document (the feeder until empty, or N pages) into one A4 PDF", ScanPage});

}  // namespace
}  // namespace mck::ctl
