#include "drivers/printer/escpos_decode.h"

#include <algorithm>

namespace mck::printer::escpos {

void EscPosDecoder::Feed(const uint8_t* data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (raster_remaining_ > 0) {
      // Bulk-copy raster data: it is most of every job.
      const size_t take = std::min(raster_remaining_, n - i);
      raster_data_.insert(raster_data_.end(), data + i, data + i + take);
      raster_remaining_ -= take;
      i += take - 1;
      if (raster_remaining_ == 0) StartRaster();
      continue;
    }
    Step(data[i]);
  }
}

void EscPosDecoder::AddBlankRows(int rows) {
  if (rows <= 0) return;
  if (page_.width == 0) page_ = Raster::Blank(paper_width_, 0);
  page_.height += rows;
  page_.bits.resize(static_cast<size_t>(page_.height) * page_.stride(), 0);
}

void EscPosDecoder::StartRaster() {
  // raster_data_ is complete: draw it at the left edge of the next rows of the page.
  const int y0 = page_.width == 0 ? 0 : page_.height;
  AddBlankRows(raster_rows_ * raster_scale_y_);
  const int width_dots = raster_stride_ * 8;
  for (int y = 0; y < raster_rows_; ++y) {
    for (int x = 0; x < width_dots; ++x) {
      const uint8_t byte = raster_data_[static_cast<size_t>(y) * raster_stride_ + x / 8];
      if (!((byte >> (7 - x % 8)) & 1)) continue;
      for (int sy = 0; sy < raster_scale_y_; ++sy) {
        for (int sx = 0; sx < raster_scale_x_; ++sx) {
          const int px = x * raster_scale_x_ + sx;
          if (px < page_.width) page_.SetDot(px, y0 + y * raster_scale_y_ + sy);
        }
      }
    }
  }
  page_has_content_ = true;
  ++job_.raster_commands;
  raster_data_.clear();
}

void EscPosDecoder::FinishPage() {
  if (page_has_content_) job_.pages.push_back(std::move(page_));
  page_ = Raster();
  page_has_content_ = false;
}

void EscPosDecoder::Step(uint8_t b) {
  if (pending_.empty()) {
    if (b == kEsc || b == kGs || b == kDle) {
      pending_.push_back(b);
    } else if (b == '\n') {
      AddBlankRows(line_spacing_);
    } else if (b == '\r') {
      // carriage return alone does nothing on a thermal printer
    } else if (b >= 0x20) {
      ++job_.text_bytes;
    } else {
      ++job_.unknown_bytes;
    }
    return;
  }
  pending_.push_back(b);
  const size_t n = pending_.size();
  const uint8_t lead = pending_[0], cmd = pending_[1];
  auto done = [this] { pending_.clear(); };
  auto unknown = [this] {
    job_.unknown_bytes += pending_.size();
    pending_.clear();
  };
  if (lead == kEsc) {
    switch (cmd) {
      case '@':
        ++job_.initialisations;
        line_spacing_ = 30;
        return done();
      case '2': line_spacing_ = 30; return done();
      case 'd':
      case 'J':
      case '3':
      case 'a':
      case 'E':
      case '!':
      case 'M':
      case 't':
      case 'R':
      case 'G':
      case '-':
        if (n < 3) return;
        if (cmd == 'd') AddBlankRows(pending_[2] * line_spacing_);
        if (cmd == 'J') AddBlankRows(pending_[2]);
        if (cmd == '3') line_spacing_ = pending_[2];
        return done();
      default: return unknown();
    }
  }
  if (lead == kGs) {
    switch (cmd) {
      case '!':
        if (n < 3) return;
        return done();
      case 'L':
      case 'W':
        if (n < 4) return;
        return done();
      case 'V': {
        if (n < 3) return;
        const uint8_t m = pending_[2];
        if (m == 65 || m == 66) {
          if (n < 4) return;
          AddBlankRows(pending_[3]);
        } else if (m != 0 && m != 1 && m != 48 && m != 49) {
          return unknown();
        }
        ++job_.cuts;
        FinishPage();
        return done();
      }
      case 'v': {
        if (n == 3 && pending_[2] != '0') return unknown();
        if (n < 8) return;
        const uint8_t m = pending_[3];
        raster_scale_x_ = (m == 1 || m == 3 || m == 49 || m == 51) ? 2 : 1;
        raster_scale_y_ = (m == 2 || m == 3 || m == 50 || m == 51) ? 2 : 1;
        raster_stride_ = pending_[4] | (pending_[5] << 8);
        raster_rows_ = pending_[6] | (pending_[7] << 8);
        raster_remaining_ = static_cast<size_t>(raster_stride_) * raster_rows_;
        raster_data_.clear();
        raster_data_.reserve(raster_remaining_);
        done();
        if (raster_remaining_ == 0) ++job_.raster_commands;
        return;
      }
      default: return unknown();
    }
  }
  // DLE
  if (cmd != kEot) return unknown();
  if (n < 3) return;
  if (pending_[2] < 1 || pending_[2] > 4) return unknown();
  const auto req = static_cast<StatusRequest>(pending_[2]);
  job_.status_queries.push_back(req);
  done();
  if (hook_) hook_(req);
}

DecodedJob EscPosDecoder::Finish() {
  job_.unknown_bytes += pending_.size() + raster_remaining_;
  pending_.clear();
  if (raster_remaining_ > 0) {
    // A truncated raster (the sender gave up mid-image): keep what arrived, as paper would.
    raster_rows_ = static_cast<int>(raster_data_.size() / std::max(raster_stride_, 1));
    raster_data_.resize(static_cast<size_t>(raster_rows_) * raster_stride_);
    raster_remaining_ = 0;
    if (raster_rows_ > 0) StartRaster();
  }
  FinishPage();
  DecodedJob out = std::move(job_);
  job_ = DecodedJob();
  return out;
}

DecodedJob DecodeEscPos(const std::vector<uint8_t>& bytes, int paper_width_dots) {
  EscPosDecoder d(paper_width_dots);
  d.Feed(bytes);
  return d.Finish();
}

Raster StackPages(const std::vector<Raster>& pages, int gap_dots) {
  int width = 0, height = 0;
  for (const auto& p : pages) {
    width = std::max(width, p.width);
    height += p.height;
  }
  if (pages.size() > 1) height += gap_dots * static_cast<int>(pages.size() - 1);
  Raster out = Raster::Blank(std::max(width, 1), std::max(height, 1));
  int y0 = 0;
  for (const auto& p : pages) {
    for (int y = 0; y < p.height; ++y) {
      std::copy_n(p.bits.begin() + static_cast<long>(y) * p.stride(), p.stride(),
                  out.bits.begin() + static_cast<long>(y0 + y) * out.stride());
    }
    y0 += p.height + gap_dots;
  }
  return out;
}

}  // namespace mck::printer::escpos
