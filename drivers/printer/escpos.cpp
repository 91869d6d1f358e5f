#include "drivers/printer/escpos.h"

#include <algorithm>
#include <cassert>

namespace mck::printer {

const char* PaperStateName(PaperState s) {
  switch (s) {
    case PaperState::kOk: return "ok";
    case PaperState::kPaperLow: return "paper_low";
    case PaperState::kPaperOut: return "paper_out";
    case PaperState::kCoverOpen: return "cover_open";
    case PaperState::kOffline: return "offline";
    case PaperState::kUnknown: return "unknown";
  }
  return "unknown";
}

const char* PaperStateTextVi(PaperState s) {
  switch (s) {
    case PaperState::kOk: return "Máy in sẵn sàng";
    case PaperState::kPaperLow: return "Máy in sắp hết giấy";
    case PaperState::kPaperOut: return "Máy in hết giấy";
    case PaperState::kCoverOpen: return "Nắp máy in đang mở";
    case PaperState::kOffline: return "Máy in đang ngoại tuyến hoặc bị lỗi";
    case PaperState::kUnknown: return "Không rõ trạng thái máy in";
  }
  return "Không rõ trạng thái máy in";
}

int DotsForPaperWidthMm(int width_mm) {
  switch (width_mm) {
    case 58: return 384;
    case 80: return 576;
    default: return 0;
  }
}

namespace escpos {

void AppendInitialize(Bytes& out) {
  out.insert(out.end(), {kEsc, '@'});
}

void AppendFeedLines(Bytes& out, int lines) {
  out.insert(out.end(), {kEsc, 'd', static_cast<uint8_t>(std::clamp(lines, 0, 255))});
}

void AppendCut(Bytes& out, int extra_feed_dots) {
  out.insert(out.end(), {kGs, 'V', 66, static_cast<uint8_t>(std::clamp(extra_feed_dots, 0, 255))});
}

void AppendRaster(Bytes& out, const Raster& raster, int band_rows) {
  assert(raster.Valid() && band_rows >= 1 && band_rows <= 65535 && raster.stride() <= 65535);
  const int stride = raster.stride();
  out.reserve(out.size() + raster.bits.size() + 8 * (raster.height / band_rows + 1));
  for (int y0 = 0; y0 < raster.height; y0 += band_rows) {
    const int rows = std::min(band_rows, raster.height - y0);
    out.insert(out.end(), {kGs, 'v', '0', 0, static_cast<uint8_t>(stride & 0xFF), static_cast<uint8_t>(stride >> 8),
                           static_cast<uint8_t>(rows & 0xFF), static_cast<uint8_t>(rows >> 8)});
    const auto begin = raster.bits.begin() + static_cast<long>(y0) * stride;
    out.insert(out.end(), begin, begin + static_cast<long>(rows) * stride);
  }
}

Bytes EncodeJob(const Raster& page, int feed_lines) {
  Bytes out;
  AppendInitialize(out);
  AppendRaster(out, page);
  AppendFeedLines(out, feed_lines);
  AppendCut(out);
  return out;
}

Bytes StatusQuery(StatusRequest n) {
  return {kDle, kEot, static_cast<uint8_t>(n)};
}

bool IsStatusByte(uint8_t b) {
  return (b & 0x93) == 0x12;
}

bool DecodeStatusByte(StatusRequest n, uint8_t b, PrinterStatus* s) {
  if (!IsStatusByte(b)) return false;
  auto bit = [b](int i) { return ((b >> i) & 1) != 0; };
  switch (n) {
    case StatusRequest::kPrinter: s->offline = bit(3); break;
    case StatusRequest::kOfflineCause:
      s->cover_open = bit(2);
      s->feed_button = bit(3);
      s->paper_out = s->paper_out || bit(5);
      s->error = s->error || bit(6);
      break;
    case StatusRequest::kErrorCause:
      s->cutter_error = bit(2);
      s->error = s->error || bit(3) || bit(5);
      break;
    case StatusRequest::kPaperSensor:
      // Each condition is reported on two bits (two sensors on some models): either one set counts.
      s->paper_low = bit(2) || bit(3);
      s->paper_out = s->paper_out || bit(5) || bit(6);
      break;
  }
  return true;
}

PaperState Summarize(const PrinterStatus& s) {
  if (s.cover_open) return PaperState::kCoverOpen;
  if (s.paper_out) return PaperState::kPaperOut;
  if (s.offline || s.error || s.cutter_error) return PaperState::kOffline;
  if (s.paper_low) return PaperState::kPaperLow;
  return PaperState::kOk;
}

uint8_t EncodeStatusByte(StatusRequest n, const PrinterStatus& s) {
  uint8_t b = 0x12;
  switch (n) {
    case StatusRequest::kPrinter:
      if (s.offline) b |= 0x08;
      break;
    case StatusRequest::kOfflineCause:
      if (s.cover_open) b |= 0x04;
      if (s.feed_button) b |= 0x08;
      if (s.paper_out) b |= 0x20;
      if (s.error) b |= 0x40;
      break;
    case StatusRequest::kErrorCause:
      if (s.cutter_error) b |= 0x04;
      if (s.error) b |= 0x08;
      break;
    case StatusRequest::kPaperSensor:
      if (s.paper_low) b |= 0x0C;
      if (s.paper_out) b |= 0x60;
      break;
  }
  return b;
}

}  // namespace escpos
}  // namespace mck::printer
