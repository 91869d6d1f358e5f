// DecodeFaceImage (drivers/card/face_image.h) on the virtual card's real JPEG 2000 face
// (vcard/face.jp2, drawn by vcard/make_face.py: its colours are known), a bare codestream, a JPEG,
// and what a chip must never crash the kiosk with: truncation, garbage, an absurd declared size.
#include <catch2/catch.hpp>

#include <turbojpeg.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "drivers/card/face_image.h"

using namespace mck;
using namespace mck::card;

namespace {

std::string TestFace() {
  std::ifstream in(std::string(MCK_SOURCE_DIR) + "/tests/drivers/card/vcard/face.jp2", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The pixel at (x, y) is within `tol` of (r, g, b) on each channel (the JP2 is lossy).
void CheckPixel(const FaceImage& f, int x, int y, int r, int g, int b, int tol = 14) {
  const uint8_t* p = &f.rgba[(static_cast<size_t>(y) * f.width + x) * 4];
  INFO("pixel (" << x << ", " << y << ") = " << int(p[0]) << "," << int(p[1]) << "," << int(p[2]));
  CHECK(std::abs(p[0] - r) <= tol);
  CHECK(std::abs(p[1] - g) <= tol);
  CHECK(std::abs(p[2] - b) <= tol);
  CHECK(p[3] == 255);
}

// The JP2's contiguous codestream (its jp2c box's payload: from SOC FF4F FF51 to the end).
std::string Codestream(const std::string& jp2) {
  const auto at = jp2.find("\xFF\x4F\xFF\x51");
  REQUIRE(at != std::string::npos);
  return jp2.substr(at);
}

void PutBe32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (24 - 8 * i));
}

}  // namespace

TEST_CASE("the virtual card's JPEG 2000 face decodes to its 240 by 320 synthetic portrait") {
  const std::string jp2 = TestFace();
  REQUIRE(jp2.size() > 12000);  // DG2 stays large enough for the chunked extended-length reads
  auto f = DecodeFaceImage(jp2);
  REQUIRE(f.ok());
  CHECK(f->format == "jp2");
  CHECK(f->width == 240);
  CHECK(f->height == 320);
  REQUIRE(f->rgba.size() == 240u * 320 * 4);
  CheckPixel(*f, 5, 5, 40, 159, 169);       // the teal background
  CheckPixel(*f, 120, 80, 30, 25, 22);      // hair
  CheckPixel(*f, 100, 170, 240, 192, 158);  // a cheek
  CheckPixel(*f, 120, 195, 170, 70, 75);    // the mouth
  CheckPixel(*f, 40, 310, 30, 45, 90);      // the shirt
  WipeFaceImage(*f);
  CHECK(f->rgba.empty());
  CHECK(f->width == 0);
}

TEST_CASE("a bare JPEG 2000 codestream decodes like the JP2 that holds it") {
  auto f = DecodeFaceImage(Codestream(TestFace()));
  REQUIRE(f.ok());
  CHECK(f->format == "j2k");
  CHECK(f->width == 240);
  CHECK(f->height == 320);
  CheckPixel(*f, 5, 5, 40, 159, 169);
}

TEST_CASE("a plain JPEG face decodes with libjpeg-turbo") {
  std::vector<uint8_t> rgb(32 * 16 * 3);
  for (size_t i = 0; i < rgb.size(); i += 3) rgb[i] = 200, rgb[i + 1] = 100, rgb[i + 2] = 50;
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  REQUIRE(tjCompress2(tj, rgb.data(), 32, 0, 16, TJPF_RGB, &out, &size, TJSAMP_444, 95, 0) == 0);
  const std::string jpeg(reinterpret_cast<char*>(out), size);
  tjFree(out);
  tjDestroy(tj);
  auto f = DecodeFaceImage(jpeg);
  REQUIRE(f.ok());
  CHECK(f->format == "jpeg");
  CHECK(f->width == 32);
  CHECK(f->height == 16);
  CheckPixel(*f, 10, 10, 200, 100, 50, 4);
  auto cut = DecodeFaceImage(jpeg.substr(0, 12));
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.status().message_vi() == "Không hiển thị được ảnh trên thẻ.");
}

TEST_CASE("a truncated face image is refused with the officer's message, at every cut") {
  const std::string jp2 = TestFace();
  for (size_t keep : {size_t{8}, size_t{40}, size_t{200}, jp2.size() / 4, jp2.size() / 2, jp2.size() - 100}) {
    INFO("kept " << keep << " bytes");
    auto f = DecodeFaceImage(jp2.substr(0, keep));
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().code() == Code::kInvalidArgument);
    CHECK(f.status().message_vi() == "Không hiển thị được ảnh trên thẻ.");
  }
}

TEST_CASE("garbage and an empty image are refused, never decoded") {
  std::string garbage(5000, '\0');
  for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 7 + 3) % 251);
  auto g = DecodeFaceImage(garbage);
  REQUIRE_FALSE(g.ok());
  CHECK(g.status().message_vi().find("JPEG 2000") != std::string::npos);
  // The old virtual card's bytes: a JP2 signature followed by noise.
  auto fake = DecodeFaceImage(std::string("\x00\x00\x00\x0C\x6A\x50\x20\x20\x0D\x0A\x87\x0A", 12) + garbage);
  REQUIRE_FALSE(fake.ok());
  CHECK(fake.status().message_vi() == "Không hiển thị được ảnh trên thẻ.");
  auto none = DecodeFaceImage("");
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message_vi() == "Thẻ không có ảnh chân dung.");
}

TEST_CASE("a face declaring an absurd size is refused before its pixels are allocated") {
  // The codestream's SIZ segment: FF51, Lsiz, Rsiz, then Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz.
  std::string j2k = Codestream(TestFace());
  PutBe32(j2k, 8, 60000);   // Xsiz
  PutBe32(j2k, 12, 60000);  // Ysiz
  PutBe32(j2k, 24, 60000);  // XTsiz: one tile, so the header itself stays valid
  PutBe32(j2k, 28, 60000);  // YTsiz
  auto f = DecodeFaceImage(j2k);
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().message_vi() == "Ảnh trên thẻ quá lớn (60000×60000 điểm ảnh), không hiển thị.");
  // A smaller limit refuses the real face the same way.
  FaceLimits small;
  small.max_width = 100;
  auto limited = DecodeFaceImage(TestFace(), small);
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.status().message_vi().find("quá lớn (240×320") != std::string::npos);
  // And so does a file bigger than the limit on bytes.
  small = FaceLimits{};
  small.max_bytes = 1000;
  auto heavy = DecodeFaceImage(TestFace(), small);
  REQUIRE_FALSE(heavy.ok());
  CHECK(heavy.status().message_vi() == "Ảnh trên thẻ quá lớn, không hiển thị.");
}
