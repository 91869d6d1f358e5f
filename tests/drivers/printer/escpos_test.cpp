// ESC/POS encoder and decoder: byte-exact commands, status bits, and round trips.
#include <catch2/catch.hpp>

#include <random>

#include "drivers/printer/escpos.h"
#include "drivers/printer/escpos_decode.h"

using namespace mck::printer;
using namespace mck::printer::escpos;

namespace {

Raster RandomRaster(int w, int h, unsigned seed) {
  Raster r = Raster::Blank(w, h);
  std::mt19937 rng(seed);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (rng() % 3 == 0) r.SetDot(x, y);
    }
  }
  return r;
}

}  // namespace

TEST_CASE("a job is ESC @, GS v 0 with exact little-endian sizes, ESC d 3, GS V 66 0") {
  Raster r = Raster::Blank(576, 10);
  r.SetDot(0, 0);
  r.SetDot(575, 9);
  const Bytes job = EncodeJob(r);
  REQUIRE(job.size() == 2 + 8 + 72 * 10 + 3 + 4);
  CHECK(Bytes(job.begin(), job.begin() + 10) == Bytes{0x1B, 0x40, 0x1D, 0x76, 0x30, 0x00, 0x48, 0x00, 0x0A, 0x00});
  CHECK(job[10] == 0x80);                // dot (0,0): MSB of the first byte
  CHECK(job[10 + 72 * 10 - 1] == 0x01);  // dot (575,9): LSB of the last byte
  CHECK(Bytes(job.end() - 7, job.end()) == Bytes{0x1B, 0x64, 0x03, 0x1D, 0x56, 0x42, 0x00});
}

TEST_CASE("58 mm rasters are 48 bytes wide and odd widths round up to whole bytes") {
  Bytes a;
  AppendRaster(a, Raster::Blank(384, 1));
  CHECK(Bytes(a.begin(), a.begin() + 8) == Bytes{0x1D, 0x76, 0x30, 0x00, 0x30, 0x00, 0x01, 0x00});
  Bytes b;
  AppendRaster(b, Raster::Blank(100, 300));
  CHECK(b[4] == 13);  // (100 + 7) / 8
  CHECK(b[5] == 0);
}

TEST_CASE("tall rasters are split into bands of at most 128 rows, each with its own header") {
  const Raster r = RandomRaster(576, 300, 1);
  Bytes out;
  AppendRaster(out, r);
  REQUIRE(out.size() == 3 * 8 + 300 * 72);
  const size_t second = 8 + 128 * 72, third = second + 8 + 128 * 72;
  CHECK(Bytes(out.begin(), out.begin() + 8) == Bytes{0x1D, 0x76, 0x30, 0, 72, 0, 128, 0});
  CHECK(Bytes(out.begin() + second, out.begin() + second + 8) == Bytes{0x1D, 0x76, 0x30, 0, 72, 0, 128, 0});
  CHECK(Bytes(out.begin() + third, out.begin() + third + 8) == Bytes{0x1D, 0x76, 0x30, 0, 72, 0, 44, 0});
  // Band data is the raster's rows in order.
  CHECK(std::equal(out.begin() + third + 8, out.end(), r.bits.begin() + 256 * 72));
  Bytes big;
  AppendRaster(big, Raster::Blank(8, 70000), 65535);
  CHECK(big[6] == 0xFF);
  CHECK(big[7] == 0xFF);
}

TEST_CASE("status queries are DLE EOT n") {
  CHECK(StatusQuery(StatusRequest::kPrinter) == Bytes{0x10, 0x04, 0x01});
  CHECK(StatusQuery(StatusRequest::kPaperSensor) == Bytes{0x10, 0x04, 0x04});
}

TEST_CASE("status bytes are decoded bit by bit") {
  PrinterStatus s;
  REQUIRE(DecodeStatusByte(StatusRequest::kPrinter, 0x12, &s));
  CHECK(Summarize(s) == PaperState::kOk);
  REQUIRE(DecodeStatusByte(StatusRequest::kPrinter, 0x1A, &s));  // bit 3: offline
  CHECK(s.offline);
  CHECK(Summarize(s) == PaperState::kOffline);

  PrinterStatus cover;
  REQUIRE(DecodeStatusByte(StatusRequest::kOfflineCause, 0x16, &cover));  // bit 2
  CHECK(cover.cover_open);
  CHECK(Summarize(cover) == PaperState::kCoverOpen);

  PrinterStatus stopped;
  REQUIRE(DecodeStatusByte(StatusRequest::kOfflineCause, 0x32, &stopped));  // bit 5: paper end stop
  CHECK(stopped.paper_out);

  PrinterStatus low;
  REQUIRE(DecodeStatusByte(StatusRequest::kPaperSensor, 0x1E, &low));  // bits 2,3: near end
  CHECK(low.paper_low);
  CHECK_FALSE(low.paper_out);
  CHECK(Summarize(low) == PaperState::kPaperLow);
  REQUIRE(DecodeStatusByte(StatusRequest::kPaperSensor, 0x72, &low));  // bits 5,6: end
  CHECK(low.paper_out);
  CHECK(Summarize(low) == PaperState::kPaperOut);

  PrinterStatus err;
  REQUIRE(DecodeStatusByte(StatusRequest::kErrorCause, 0x1A, &err));  // bit 3: unrecoverable
  CHECK(err.error);
  CHECK(Summarize(err) == PaperState::kOffline);
}

TEST_CASE("bytes that break the fixed bits are not status answers") {
  PrinterStatus s;
  for (uint8_t b : {0x00, 0xFF, 0x10, 0x02, 0x92, 0x13}) {
    CAPTURE(int(b));
    CHECK_FALSE(IsStatusByte(b));
    CHECK_FALSE(DecodeStatusByte(StatusRequest::kPrinter, b, &s));
  }
  CHECK_FALSE(s.offline);
}

TEST_CASE("the most serious condition wins: cover open > paper out > offline > paper low") {
  PrinterStatus s;
  s.paper_low = s.offline = s.paper_out = s.cover_open = true;
  CHECK(Summarize(s) == PaperState::kCoverOpen);
  s.cover_open = false;
  CHECK(Summarize(s) == PaperState::kPaperOut);
  s.paper_out = false;
  CHECK(Summarize(s) == PaperState::kOffline);
  s.offline = false;
  CHECK(Summarize(s) == PaperState::kPaperLow);
}

TEST_CASE("every status the simulator encodes decodes back to itself") {
  for (int bits = 0; bits < 64; ++bits) {
    PrinterStatus in;
    in.offline = bits & 1;
    in.cover_open = bits & 2;
    in.paper_out = bits & 4;
    in.paper_low = bits & 8;
    in.error = bits & 16;
    in.cutter_error = bits & 32;
    PrinterStatus out;
    for (auto n : {StatusRequest::kPrinter, StatusRequest::kOfflineCause, StatusRequest::kErrorCause,
                   StatusRequest::kPaperSensor}) {
      REQUIRE(DecodeStatusByte(n, EncodeStatusByte(n, in), &out));
    }
    CAPTURE(bits);
    CHECK(out.offline == in.offline);
    CHECK(out.cover_open == in.cover_open);
    CHECK(out.paper_out == in.paper_out);
    CHECK(out.paper_low == in.paper_low);
    CHECK(out.error == in.error);
    CHECK(out.cutter_error == in.cutter_error);
  }
}

TEST_CASE("decoding our own job gives back the same dots, then the feed, then the cut") {
  for (int width : {384, 576}) {
    const Raster r = RandomRaster(width, 333, static_cast<unsigned>(width));
    const DecodedJob d = DecodeEscPos(EncodeJob(r), width);
    REQUIRE(d.pages.size() == 1);
    CHECK(d.cuts == 1);
    CHECK(d.initialisations == 1);
    CHECK(d.raster_commands == 3);
    CHECK(d.unknown_bytes == 0);
    const Raster& p = d.pages[0];
    REQUIRE(p.width == width);
    REQUIRE(p.height == 333 + 3 * 30);  // raster + ESC d 3 at 30-dot lines
    CHECK(std::equal(r.bits.begin(), r.bits.end(), p.bits.begin()));
    CHECK(
        std::all_of(p.bits.begin() + static_cast<long>(r.bits.size()), p.bits.end(), [](uint8_t b) { return b == 0; }));
  }
}

TEST_CASE("the decoder answers status queries as they arrive, also split across reads") {
  std::vector<StatusRequest> seen;
  EscPosDecoder d(576, [&](StatusRequest n) { seen.push_back(n); });
  const Bytes q1 = StatusQuery(StatusRequest::kPrinter);
  d.Feed(q1.data(), 2);
  CHECK(seen.empty());
  CHECK(d.InCommand());
  d.Feed(q1.data() + 2, 1);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == StatusRequest::kPrinter);
  // A DLE EOT byte pattern INSIDE raster data is data, not a query.
  Raster r = Raster::Blank(24, 1);
  r.bits = {0x10, 0x04, 0x01};
  d.Feed(EncodeJob(r));
  CHECK(seen.size() == 1);
  d.Feed(StatusQuery(StatusRequest::kPaperSensor));
  CHECK(seen.size() == 2);
  const DecodedJob job = d.Finish();
  CHECK(job.pages.size() == 1);
  CHECK(job.status_queries.size() == 2);
}

TEST_CASE("a job cut short keeps the rows that arrived and counts the rest as missing") {
  const Raster r = RandomRaster(576, 100, 7);
  Bytes job = EncodeJob(r);
  job.resize(2 + 8 + 72 * 40 + 10);  // 40 full rows and a bit
  const DecodedJob d = DecodeEscPos(job);
  REQUIRE(d.pages.size() == 1);
  CHECK(d.cuts == 0);
  CHECK(d.pages[0].height == 40);
  CHECK(std::equal(d.pages[0].bits.begin(), d.pages[0].bits.end(), r.bits.begin()));
}

TEST_CASE("unknown commands and text bytes are counted, not drawn") {
  const Bytes junk = {0x1B, 0x7E, 'A', 'B', '\n', 0x07, 0x1D, 0x56, 0x00};
  const DecodedJob d = DecodeEscPos(junk);
  CHECK(d.unknown_bytes == 3);  // ESC ~ and BEL
  CHECK(d.text_bytes == 2);
  CHECK(d.cuts == 1);
  CHECK(d.pages.empty());  // a line feed alone puts nothing on paper worth keeping
}

TEST_CASE("pages are stacked for one preview") {
  const Raster a = RandomRaster(384, 10, 1), b = RandomRaster(576, 20, 2);
  const Raster s = StackPages({a, b}, 5);
  CHECK(s.width == 576);
  CHECK(s.height == 35);
  CHECK(s.Dot(0, 15 + 0) == b.Dot(0, 0));
}

TEST_CASE("paper widths map to dots at 203 dpi") {
  CHECK(DotsForPaperWidthMm(58) == 384);
  CHECK(DotsForPaperWidthMm(80) == 576);
  CHECK(DotsForPaperWidthMm(76) == 0);
  CHECK(std::string(PaperStateName(PaperState::kPaperOut)) == "paper_out");
}
