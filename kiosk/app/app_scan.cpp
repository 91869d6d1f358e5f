// The scan screen (docs/scanning.md "The scan screen"): the citizen scans one paper of the
// procedure, page by page, on the scanner service's worker (scan_service.h); the pages show as
// previews and can be scanned again, deleted and moved; "Xong" binds them into one PDF on the
// same worker and the paper is kept, in memory only, until the dossier is submitted (each paper
// an attachment "<document id>.pdf") or the session is wiped. The officer uses the same screen
// from the staff dossier (docs/scanning.md "At the counter"): the paper is then kept with the open
// dossier until the decision stores it.
#include <algorithm>
#include <iostream>

#include "kiosk/app/app.h"
#include "offline/domain/ids.h"

namespace mck::app {

namespace {

std::string ProblemKey(scanner::ScanProblem p) {
  return std::string("scan.problem.") + scanner::ScanProblemName(p);
}

void WipePages(std::vector<ScannedPage>& pages) {
  for (auto& p : pages) WipePage(p);
  pages.clear();
}

}  // namespace

const DigitisedPaper* App::digitised(const std::string& document_id) const {
  auto it = citizen_.session.digitised.find(document_id);
  return it == citizen_.session.digitised.end() ? nullptr : &it->second;
}

std::map<std::string, DigitisedPaper>* App::ScanPapers() {
  if (!citizen_.scan.counter) return &citizen_.session.digitised;
  return desk_.dossier ? &desk_.dossier->scans : nullptr;
}

const std::map<std::string, DigitisedPaper>* App::ScanPapers() const {
  if (!citizen_.scan.counter) return &citizen_.session.digitised;
  return desk_.dossier ? &desk_.dossier->scans : nullptr;
}

size_t App::ScannedBytes() const {
  size_t n = 0;
  if (const auto* papers = ScanPapers()) {
    for (const auto& [id, paper] : *papers) {
      if (id != citizen_.scan.document_id) n += paper.pdf.size();
    }
  }
  for (const auto& p : citizen_.scan.pages) n += p.jpeg.size();
  return n;
}

void App::OpenScan(const std::string& document_id, const std::string& name, bool counter,
                   const std::map<std::string, DigitisedPaper>& papers) {
  citizen_.scan = ScanDesk{};
  citizen_.scan.document_id = document_id;
  citizen_.scan.paper_name = name;
  citizen_.scan.counter = counter;
  if (auto it = papers.find(document_id); it != papers.end()) citizen_.scan.pages = it->second.pages;  // to edit
  citizen_.scan.selected = citizen_.scan.pages.empty() ? -1 : 0;
  Go(ScreenId::kScan);
}

void App::On(const intent::ScanOpen& in) {
  const Procedure* p = procedure();
  if (!has_scanner() || !p || citizen_.screen != ScreenId::kDocuments) return;
  for (const auto& d : p->documents) {
    if (d.id == in.document_id) return OpenScan(d.id, d.name, /*counter=*/false, citizen_.session.digitised);
  }
}

void App::On(const intent::ScanStart& in) {
  ScanDesk& s = citizen_.scan;
  if (citizen_.screen != ScreenId::kScan || s.busy() || !deps_.scanner) return;
  if (in.feeder && !scanner_feeder_) return;
  s.message_key.clear();
  const int room = deps_.config->scan_max_pages - static_cast<int>(s.pages.size());
  if (room <= 0) {
    s.message_key = "scan.max_pages";
    return;
  }
  if (ScannedBytes() >= static_cast<size_t>(deps_.config->scan_max_dossier_mb) * 1000 * 1000) {
    s.message_key = "scan.max_bytes";
    return;
  }
  s.rescan = -1;
  s.progress = 0;
  s.last_feeder = in.feeder;
  s.scan_request = deps_.scanner->Scan(in.feeder, room);
}

void App::On(const intent::ScanRescan& in) {
  ScanDesk& s = citizen_.scan;
  if (citizen_.screen != ScreenId::kScan || s.busy() || !deps_.scanner) return;
  if (in.index < 0 || in.index >= static_cast<int>(s.pages.size())) return;
  s.message_key.clear();
  s.rescan = in.index;
  s.progress = 0;
  s.scan_request = deps_.scanner->Scan(s.last_feeder && scanner_feeder_, 1);
}

void App::On(const intent::ScanDelete& in) {
  ScanDesk& s = citizen_.scan;
  if (citizen_.screen != ScreenId::kScan || s.busy()) return;
  if (in.index < 0 || in.index >= static_cast<int>(s.pages.size())) return;
  WipePage(s.pages[in.index]);
  s.pages.erase(s.pages.begin() + in.index);
  s.message_key.clear();
  if (s.selected >= static_cast<int>(s.pages.size())) s.selected = static_cast<int>(s.pages.size()) - 1;
}

void App::On(const intent::ScanMove& in) {
  ScanDesk& s = citizen_.scan;
  if (citizen_.screen != ScreenId::kScan || s.busy()) return;
  const int to = in.index + in.delta;
  const int n = static_cast<int>(s.pages.size());
  if (in.index < 0 || in.index >= n || to < 0 || to >= n || (in.delta != 1 && in.delta != -1)) return;
  std::swap(s.pages[in.index], s.pages[to]);
  if (s.selected == in.index) {
    s.selected = to;
  } else if (s.selected == to) {
    s.selected = in.index;
  }
}

void App::On(const intent::ScanSelect& in) {
  if (citizen_.screen != ScreenId::kScan) return;
  if (in.index >= 0 && in.index < static_cast<int>(citizen_.scan.pages.size())) citizen_.scan.selected = in.index;
}

void App::On(const intent::ScanDone&) {
  ScanDesk& s = citizen_.scan;
  if (citizen_.screen != ScreenId::kScan || s.busy()) return;
  if (s.pages.empty()) {
    // Every page deleted: the paper is no longer scanned.
    if (auto* papers = ScanPapers()) {
      if (auto it = papers->find(s.document_id); it != papers->end()) {
        WipePaper(it->second);
        papers->erase(it);
      }
    }
    return LeaveScan();
  }
  s.message_key.clear();
  s.bind_request = deps_.scanner->Bind(s.pages);
}

void App::On(const intent::ScanCancel&) {
  if (citizen_.screen == ScreenId::kScan) LeaveScan();
}

void App::LeaveScan() {
  if (citizen_.scan.scan_request != 0 && deps_.scanner) deps_.scanner->Cancel();
  WipePages(citizen_.scan.pages);
  const bool counter = citizen_.scan.counter;
  citizen_.scan = ScanDesk{};
  if (citizen_.screen != ScreenId::kScan) return;
  if (!citizen_.history.empty()) {
    citizen_.screen = citizen_.history.back();
    citizen_.history.pop_back();
  } else {
    citizen_.screen = counter ? ScreenId::kStaffDossier : ScreenId::kDocuments;
  }
  citizen_.notice.clear();
}

void App::OnScanEvent(const UiEvent& event) {
  ScanDesk& s = citizen_.scan;
  if (const auto* f = std::get_if<ScannerFound>(&event)) {
    scanner_found_ = f->found;
    scanner_feeder_ = f->feeder;
  } else if (const auto* p = std::get_if<ScanProgress>(&event)) {
    if (p->request_id == s.scan_request) {
      s.progress = p->pages;
      inactivity_.Touch();  // a long feeder run is the citizen's activity: no wipe under it
    }
  } else if (const auto* d = std::get_if<ScanFinished>(&event)) {
    if (d->request_id != s.scan_request) return;  // the session or the screen ended meanwhile
    s.scan_request = 0;
    ++s.completed;
    inactivity_.Touch();
    const size_t limit = static_cast<size_t>(deps_.config->scan_max_dossier_mb) * 1000 * 1000;
    size_t bytes = ScannedBytes();
    bool over_pages = false, over_bytes = false;
    if (s.rescan >= 0 && s.rescan < static_cast<int>(s.pages.size()) && !d->pages.empty()) {
      WipePage(s.pages[s.rescan]);
      s.pages[s.rescan] = d->pages.front();  // the event's copy is wiped after this (WipeEvent)
      s.selected = s.rescan;
    } else if (s.rescan < 0) {
      for (const auto& page : d->pages) {
        over_bytes = bytes + page.jpeg.size() > limit;
        over_pages = static_cast<int>(s.pages.size()) >= deps_.config->scan_max_pages;
        if (over_bytes || over_pages) break;
        bytes += page.jpeg.size();
        s.pages.push_back(page);
        s.selected = static_cast<int>(s.pages.size()) - 1;
      }
    }
    s.rescan = -1;
    if (d->problem != scanner::ScanProblem::kNone && d->problem != scanner::ScanProblem::kCancelled) {
      s.message_key = ProblemKey(d->problem);  // the pages scanned before it are kept (above)
    } else if (!d->status.ok() && d->problem == scanner::ScanProblem::kNone) {
      s.message_key = "scan.problem.io";
    } else if (over_bytes || over_pages) {
      s.message_key = over_bytes ? "scan.max_bytes" : "scan.max_pages";  // the pages beyond are dropped
    }
  } else if (const auto* b = std::get_if<ScanBound>(&event)) {
    if (b->request_id != s.bind_request) return;
    s.bind_request = 0;
    if (!b->status.ok()) {
      s.message_key = "scan.bind_failed";
      return;
    }
    auto* papers = ScanPapers();
    if (!papers) return LeaveScan();  // the staff dossier was closed meanwhile: nothing kept
    DigitisedPaper& paper = (*papers)[s.document_id];
    WipePaper(paper);
    paper.pages = std::move(s.pages);
    s.pages.clear();
    paper.pdf = b->pdf;
    paper.sha256 = Sha256Hex(paper.pdf);
    if (s.counter) {  // scanned at the counter: the paper is there
      for (auto& p : desk_.dossier->papers) p.received = p.received || p.id == s.document_id;
    }
    LeaveScan();
  }
}

std::vector<NewAttachment> App::ScanAttachments() const {
  std::vector<NewAttachment> out;
  const Procedure* p = procedure();
  if (!p) return out;
  for (const auto& d : p->documents) {
    if (const DigitisedPaper* paper = digitised(d.id)) out.push_back({d.id + ".pdf", "application/pdf", paper->pdf});
  }
  return out;
}

}  // namespace mck::app
