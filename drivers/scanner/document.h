// drivers/scanner: scanned pages into one PDF (docs/scanning.md).
//
// Pages are compressed as JPEG with libjpeg-turbo (grey, one component) and bound into ONE PDF
// per document by cairo's PDF surface, which embeds the JPEG data itself (the
// CAIRO_MIME_TYPE_JPEG mime data: no re-encoding, the PDF stays small). Every page is A4; the
// scan sits at its top-left corner at its true size (dpi). Pure functions: no device, no thread.
#pragma once

#include <string>
#include <vector>

#include "drivers/scanner/scanner.h"
#include "offline/domain/status.h"

namespace mck::scanner {

// JPEG quality for scanned papers: text stays sharp at 200 dpi grey (docs/scanning.md).
constexpr int kJpegQuality = 75;

// The page as a grey JPEG (its JFIF density says its dpi).
Result<std::string> EncodeJpeg(const Page& page, int quality = kJpegQuality);
// Decodes a grey JPEG back into a Page (for tests and previews).
Result<Page> DecodeJpeg(const std::string& jpeg);

struct PdfPage {
  std::string jpeg;  // grey JPEG
  int width = 0, height = 0, dpi = 0;
};

// One A4 PDF with one page per JPEG, in order. kInvalidArgument for no pages.
Result<std::string> BindPdf(const std::vector<PdfPage>& pages);
// EncodeJpeg on every page, then BindPdf.
Result<std::string> DocumentPdf(const std::vector<Page>& pages, int quality = kJpegQuality);

// A4 in PostScript points.
constexpr double kA4WidthPt = 595.2756;
constexpr double kA4HeightPt = 841.8898;

}  // namespace mck::scanner
