#include "drivers/scanner/scan_worker.h"

namespace mck::scanner {

ScanWorker::ScanWorker() : worker_("scanner") {}

ScanWorker::~ScanWorker() {
  Cancel();
  worker_.Stop();
}

bool ScanWorker::Scan(ScanRequest request, Done done, Progress progress) {
  return worker_.Post([this, request = std::move(request), done = std::move(done), progress = std::move(progress)] {
    ScanOutcome out;
    ScanProblem problem = ScanProblem::kNone;
    auto scanner = Scanner::Open(request.device, &problem);
    if (!scanner.ok()) {
      out.document.status = scanner.status();
      out.document.problem = problem;
      if (done) done(std::move(out));
      return;
    }
    if (Status st = (*scanner)->Configure(request.settings, &problem); !st.ok()) {
      out.document.status = st;
      out.document.problem = problem;
      if (done) done(std::move(out));
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      current_ = scanner->get();
    }
    out.document = (*scanner)->ScanDocument(request.max_pages, progress);
    {
      std::lock_guard<std::mutex> lock(mu_);
      current_ = nullptr;
    }
    out.pages_done = static_cast<int>(out.document.pages.size());
    if (!out.document.pages.empty()) {
      auto pdf = DocumentPdf(out.document.pages);
      if (pdf.ok()) {
        out.pdf = std::move(pdf.value());
      } else {
        out.pdf_status = pdf.status();
      }
    }
    if (done) done(std::move(out));
  });
}

void ScanWorker::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  if (current_ != nullptr) current_->Cancel();
}

}  // namespace mck::scanner
