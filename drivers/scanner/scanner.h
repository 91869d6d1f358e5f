// drivers/scanner: paper documents through SANE (docs/scanning.md).
//
// A Scanner is one SANE session on one device. SANE calls block (a page at 200 dpi takes seconds
// on real hardware), so a Scanner is used from ONE worker thread (ScanWorker, scan_worker.h, or a
// command-line tool) and never from the UI thread. Cancel() is the one call another thread may
// make (SANE allows sane_cancel from another thread or a signal handler).
//
// Errors are Status values whose Vietnamese message is for the screen and whose English message
// is for logs; the ScanProblem says which of the scanner's distinct failures it was, so a screen
// can pick its own calm wording and action ("put the papers back in the feeder", ...). No message
// holds personal data: a scan's content never appears in a log.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "offline/domain/status.h"

namespace mck::scanner {

enum class Source { kFlatbed, kFeeder };

// The scanner's failures a person can act on, each distinct.
enum class ScanProblem {
  kNone,
  kNoScanner,    // no device (none attached, or the named one is not there)
  kFeederEmpty,  // the feeder holds no paper (before the first page)
  kJammed,       // paper jam
  kCoverOpen,    // a cover or lid is open
  kDeviceGone,   // the scanner went away mid-page (unplugged, powered off)
  kIo,           // any other I/O failure of the device
  kBusy,         // another program uses the scanner
  kCancelled,    // Cancel() was called
  kUnsupported,  // the device cannot do what was asked (no feeder, no grey mode)
};
const char* ScanProblemName(ScanProblem p);
// Status for a problem: code, English (logs) and Vietnamese (screen) messages.
Status ProblemStatus(ScanProblem p);

struct DeviceInfo {
  std::string name;    // "test:0", "genesys:libusb:001:004": what Open() takes
  std::string vendor;  // "Canon"
  std::string model;   // "LiDE 300"
  std::string type;    // "flatbed scanner"
};

struct ScanSettings {
  Source source = Source::kFlatbed;
  // 200 dpi grey: an A4 page an officer reads on screen and in print (see docs/scanning.md).
  int dpi = 200;
  double width_mm = 210.0;  // A4; clamped to what the device can do
  double height_mm = 297.0;
  // Device-specific options by SANE name, set as given ("test-picture" = "Grid"). For the
  // technician and the tests; unknown names are an error.
  std::vector<std::pair<std::string, std::string>> extra;
};

// One scanned page: 8-bit grey, rows top to bottom, width bytes a row.
struct Page {
  int width = 0;
  int height = 0;
  int dpi = 0;
  std::vector<uint8_t> grey;
};

// A document: the pages scanned, in order, and how the scan ended. When `status` is an error the
// pages scanned before it are still here (nothing already scanned is lost).
struct ScannedDocument {
  std::vector<Page> pages;
  Status status;
  ScanProblem problem = ScanProblem::kNone;
};

class Scanner {
 public:
  // The devices SANE finds (SANE_CONFIG_DIR picks the backends). Blocks while backends probe.
  static Result<std::vector<DeviceInfo>> List();
  // Opens `device` ("" = the first one listed). kNoScanner when there is none.
  static Result<std::unique_ptr<Scanner>> Open(const std::string& device, ScanProblem* problem = nullptr);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  const std::string& device() const { return device_; }
  Source source() const { return source_; }  // as last configured
  // Source, grey mode, resolution, geometry and extra options. kUnsupported when the device
  // has no such source or mode.
  Status Configure(const ScanSettings& settings, ScanProblem* problem = nullptr);
  // The geometry actually set (after clamping to the device), in mm.
  double width_mm() const { return width_mm_; }
  double height_mm() const { return height_mm_; }

  // Scans one page. From the feeder, kFeederEmpty once it holds no more paper.
  Result<Page> ScanPage(ScanProblem* problem = nullptr);
  // Scans a document: from the feeder page by page until it is empty (or max_pages, 0 = no
  // limit); from the flatbed one page (or max_pages). A feeder that is empty before the first
  // page is kFeederEmpty; afterwards it is the normal end.
  // after_page(n) runs on this thread once page n (1-based) is scanned: progress for a screen,
  // and where a test injects a fault between pages.
  ScannedDocument ScanDocument(int max_pages = 0, const std::function<void(int)>& after_page = {});
  // Sets one device option by SANE name (as ScanSettings::extra does), between pages.
  Status SetOption(const std::string& name, const std::string& value);

  // From any thread: stops the page being scanned (ScanPage returns kCancelled).
  void Cancel();

 private:
  struct Handle;
  explicit Scanner(std::string device, std::unique_ptr<Handle> handle);
  std::string device_;
  std::unique_ptr<Handle> handle_;
  Source source_ = Source::kFlatbed;
  int dpi_ = 200;
  double width_mm_ = 0, height_mm_ = 0;
  std::atomic<bool> cancelled_{false};
};

}  // namespace mck::scanner
