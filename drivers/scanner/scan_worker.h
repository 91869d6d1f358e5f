// ScanWorker: scans a document on its own thread, so the UI thread never waits on SANE.
//
// Scan() returns at once; the job opens the device, configures it, scans the pages, binds them
// into one PDF and hands the outcome to `done` ON THE WORKER'S THREAD (a screen posts it to its
// own queue). Cancel() from any thread stops the page being scanned. The destructor cancels the
// running scan and joins.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "drivers/scanner/document.h"
#include "drivers/scanner/scanner.h"
#include "offline/domain/worker.h"

namespace mck::scanner {

struct ScanRequest {
  std::string device;  // "" = the first scanner
  ScanSettings settings;
  int max_pages = 0;   // 0 = until the feeder is empty (flatbed: one page)
};

struct ScanOutcome {
  ScannedDocument document;  // pages kept even when document.status is an error
  std::string pdf;           // the pages bound (empty when no page was scanned)
  Status pdf_status;         // binding the PDF
  int pages_done = 0;
};

class ScanWorker {
 public:
  using Done = std::function<void(ScanOutcome)>;
  using Progress = std::function<void(int pages_done)>;
  ScanWorker();
  ~ScanWorker();
  ScanWorker(const ScanWorker&) = delete;
  ScanWorker& operator=(const ScanWorker&) = delete;

  // Queues a scan. False when the worker is stopping.
  bool Scan(ScanRequest request, Done done, Progress progress = {});
  void Cancel();

 private:
  std::mutex mu_;
  Scanner* current_ = nullptr;  // the scanner of the running job, under mu_
  Worker worker_;               // last: stopped first
};

}  // namespace mck::scanner
