// The citizen's scanner at the kiosk (docs/scanning.md "The scan screen"): a ScanService the App
// asks to scan and to bind, each answered by an event on the EventQueue (ScannerFound,
// ScanProgress, ScanFinished, ScanBound), so the UI thread never waits on SANE or on the PDF.
//
// SaneScanService runs drivers/scanner's Scanner on ONE worker thread of its own (SANE calls
// block; a Scanner is used from one thread): at start it looks for the device (ScannerFound:
// found, and whether it has a document feeder); Scan opens, configures and scans, then turns each
// page into its grey JPEG (the bytes the PDF will embed, so the raw raster is freed at once) and
// a small preview; Bind puts the JPEGs into one PDF (document.h BindPdf) without re-encoding.
// Cancel() from the UI thread stops the page being scanned (the session ended). Pages are
// personal data: they leave the worker inside the event and the worker keeps no copy.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "drivers/scanner/scanner.h"
#include "kiosk/app/event_queue.h"
#include "offline/domain/config.h"
#include "offline/domain/worker.h"

namespace mck::app {

class ScanService {
 public:
  virtual ~ScanService() = default;
  // Scans from the feeder (until it is empty, or max_pages) or one page from the flatbed:
  // ScanProgress per page, then ScanFinished{request_id}.
  virtual uint64_t Scan(bool feeder, int max_pages) = 0;
  // Binds the pages' JPEGs, in order, into one PDF: ScanBound{request_id}.
  virtual uint64_t Bind(std::vector<ScannedPage> pages) = 0;
  // Stops the scan running now, if any (its ScanFinished still comes, kCancelled).
  virtual void Cancel() = 0;
};

// The preview's longest side is at most this many pixels (an integer box filter of the page).
constexpr int kScanPreviewMaxSide = 600;
// A page's preview: the grey raster shrunk by a whole factor (box filter) to ≤ max_side.
void MakePreview(const scanner::Page& page, int max_side, ScannedPage* out);

struct SaneScanServiceOptions {
  std::string device;  // "" = the first SANE device
  scanner::ScanSettings settings;
  // Tests only: runs on the worker after page n of a scan, with the open Scanner (a fault
  // injected between feeder pages, as the driver's tests do).
  std::function<void(scanner::Scanner&, int page)> after_page;
  // Tests only: runs on the worker once the scanner is configured, before the first page (an
  // empty feeder or a dead device injected before anything is scanned).
  std::function<void(scanner::Scanner&)> before_scan;
};

// From the config's [devices] scanner ("sane", "sane:NAME") and scanner_options ("A=B,C=D").
SaneScanServiceOptions ScanOptionsFromConfig(const KioskConfig& config);

// Development kiosk only (dev_scan_fault.cpp; not in the packaged kiosk, which never calls
// SetUpDevices with it): MCK_DEV_SCAN_FAULT="PAGE:STATUS"
// makes every feeder run fail as a device would, answering the SANE status (SANE_STATUS_JAMMED,
// SANE_STATUS_NO_DOCS, SANE_STATUS_EOF: a page cut short, ...) to every read before the first
// page (PAGE 0) or after page PAGE. The glass scans as usual. For the screenshots of the failures
// on the real kiosk with SANE's test backend (tests/ui/scan-failures.script).
void AddDevScanFault(SaneScanServiceOptions& options);

class SaneScanService final : public ScanService {
 public:
  SaneScanService(SaneScanServiceOptions options, EventQueue& events);  // posts the device probe
  ~SaneScanService() override;  // cancels a running scan and joins
  uint64_t Scan(bool feeder, int max_pages) override;
  uint64_t Bind(std::vector<ScannedPage> pages) override;
  void Cancel() override;

 private:
  void Probe();  // on the worker
  SaneScanServiceOptions options_;
  EventQueue& events_;
  uint64_t next_id_ = 1;         // UI thread
  uint64_t next_page_id_ = 1;    // worker thread
  std::mutex mu_;
  scanner::Scanner* current_ = nullptr;  // the running scan's, under mu_
  Worker worker_{"scanner"};             // last: stopped first
};

}  // namespace mck::app
