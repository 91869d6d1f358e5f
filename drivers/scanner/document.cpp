// JPEG (libjpeg-turbo) and PDF (cairo) for scanned pages (document.h).
#include "drivers/scanner/document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <turbojpeg.h>

#include <cstring>
#include <memory>

namespace mck::scanner {
namespace {

struct TjFree {
  void operator()(void* h) const { tjDestroy(h); }
};
using TjHandle = std::unique_ptr<void, TjFree>;

Status JpegError(const char* what, tjhandle h) {
  return Status::Error(Code::kInternal, std::string(what) + ": " + tjGetErrorStr2(h),
                       "Không nén được trang đã quét");
}

cairo_status_t AppendTo(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Status CairoError(cairo_status_t s) {
  return Status::Error(Code::kInternal, std::string("PDF: ") + cairo_status_to_string(s), "Không tạo được tệp PDF");
}

}  // namespace

Result<std::string> EncodeJpeg(const Page& page, int quality) {
  if (page.width <= 0 || page.height <= 0 ||
      page.grey.size() != static_cast<size_t>(page.width) * static_cast<size_t>(page.height)) {
    return Status::Error(Code::kInvalidArgument, "page raster has the wrong size", "Trang quét không hợp lệ");
  }
  TjHandle h(tjInitCompress());
  if (!h) return Status::Error(Code::kInternal, "tjInitCompress failed", "Không nén được trang đã quét");
  unsigned char* out = nullptr;
  unsigned long size = 0;
  if (tjCompress2(h.get(), page.grey.data(), page.width, page.width, page.height, TJPF_GRAY, &out, &size, TJSAMP_GRAY,
                  quality, TJFLAG_ACCURATEDCT) != 0) {
    tjFree(out);
    return JpegError("tjCompress2", h.get());
  }
  std::string jpeg(reinterpret_cast<const char*>(out), size);
  tjFree(out);
  // JFIF density: the page's dpi, so a viewer of the JPEG alone knows its real size. The JFIF APP0
  // segment turbojpeg writes starts at byte 2: FFE0 len "JFIF\0" ver(2) units(1) Xd(2) Yd(2).
  if (page.dpi > 0 && jpeg.size() > 18 && static_cast<unsigned char>(jpeg[3]) == 0xE0 && jpeg.compare(6, 5, "JFIF\0", 5) == 0) {
    jpeg[13] = 1;  // dots per inch
    jpeg[14] = static_cast<char>(page.dpi >> 8);
    jpeg[15] = static_cast<char>(page.dpi & 0xFF);
    jpeg[16] = static_cast<char>(page.dpi >> 8);
    jpeg[17] = static_cast<char>(page.dpi & 0xFF);
  }
  return jpeg;
}

Result<Page> DecodeJpeg(const std::string& jpeg) {
  TjHandle h(tjInitDecompress());
  if (!h) return Status::Error(Code::kInternal, "tjInitDecompress failed", "Không đọc được ảnh");
  int w = 0, ht = 0, subsamp = 0, colorspace = 0;
  auto* data = reinterpret_cast<const unsigned char*>(jpeg.data());
  if (tjDecompressHeader3(h.get(), data, jpeg.size(), &w, &ht, &subsamp, &colorspace) != 0) {
    return JpegError("tjDecompressHeader3", h.get());
  }
  Page page;
  page.width = w;
  page.height = ht;
  page.grey.resize(static_cast<size_t>(w) * static_cast<size_t>(ht));
  if (tjDecompress2(h.get(), data, jpeg.size(), page.grey.data(), w, w, ht, TJPF_GRAY, TJFLAG_ACCURATEDCT) != 0) {
    return JpegError("tjDecompress2", h.get());
  }
  if (jpeg.size() > 18 && jpeg.compare(6, 5, "JFIF\0", 5) == 0 && jpeg[13] == 1) {
    page.dpi = (static_cast<unsigned char>(jpeg[14]) << 8) | static_cast<unsigned char>(jpeg[15]);
  }
  return page;
}

Result<std::string> BindPdf(const std::vector<PdfPage>& pages) {
  if (pages.empty()) return Status::Error(Code::kInvalidArgument, "a PDF needs at least one page", "Chưa có trang nào");
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(AppendTo, &pdf, kA4WidthPt, kA4HeightPt);
  cairo_t* cr = cairo_create(surface);
  Status st;
  for (const PdfPage& p : pages) {
    if (p.width <= 0 || p.height <= 0 || p.dpi <= 0 || p.jpeg.empty()) {
      st = Status::Error(Code::kInvalidArgument, "a page has no size, dpi or data", "Trang quét không hợp lệ");
      break;
    }
    // The image surface is only the carrier of the JPEG: cairo's PDF backend writes the mime data
    // (DCTDecode) instead of its pixels. It is left unfilled (white): the pixels are never drawn.
    cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p.width, p.height);
    // The mime data must outlive the surface: a copy owned by the surface, freed with it.
    auto* copy = new std::string(p.jpeg);
    cairo_status_t ms = cairo_surface_set_mime_data(
        img, CAIRO_MIME_TYPE_JPEG, reinterpret_cast<const unsigned char*>(copy->data()), copy->size(),
        [](void* d) { delete static_cast<std::string*>(d); }, copy);
    if (ms != CAIRO_STATUS_SUCCESS) {
      delete copy;
      cairo_surface_destroy(img);
      st = CairoError(ms);
      break;
    }
    cairo_save(cr);
    cairo_scale(cr, 72.0 / p.dpi, 72.0 / p.dpi);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
    cairo_show_page(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
      st = CairoError(cairo_status(cr));
      break;
    }
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  if (st.ok() && cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) st = CairoError(cairo_surface_status(surface));
  cairo_surface_destroy(surface);
  if (!st.ok()) return st;
  return pdf;
}

Result<std::string> DocumentPdf(const std::vector<Page>& pages, int quality) {
  std::vector<PdfPage> out;
  out.reserve(pages.size());
  for (const Page& p : pages) {
    auto jpeg = EncodeJpeg(p, quality);
    if (!jpeg.ok()) return jpeg.status();
    out.push_back({std::move(jpeg.value()), p.width, p.height, p.dpi});
  }
  return BindPdf(out);
}

}  // namespace mck::scanner
