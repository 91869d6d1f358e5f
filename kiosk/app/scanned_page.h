// A page scanned at the kiosk (scan_service.h): the grey JPEG that goes into the paper's PDF and
// a small grey preview for the screen. Personal data: kept in memory only, wiped with the session.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mck::app {

struct ScannedPage {
  uint64_t id = 0;  // unique in this run: the screen's texture for it
  std::string jpeg;
  int width = 0, height = 0, dpi = 0;
  std::vector<uint8_t> preview;  // grey, preview_w × preview_h, rows top to bottom
  int preview_w = 0, preview_h = 0;
};

// A paper of the procedure scanned at the kiosk: its pages, in order, and the one PDF they were
// bound into ("Xong"); submitted as the attachment "<document id>.pdf".
struct DigitisedPaper {
  std::vector<ScannedPage> pages;
  std::string pdf;
  std::string sha256;  // hex, of pdf
};

// Zeroes the JPEG and the preview (session.cpp); the paper: every page and the PDF.
void WipePage(ScannedPage& page);
void WipePaper(DigitisedPaper& paper);

}  // namespace mck::app
