// The layout engine: font lookup, word wrap, alignment, bold, NFC, and refusing bad input.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>

#include "drivers/printer/layout.h"
#include "tests/drivers/printer/test_fonts.h"
#include "tests/drivers/printer/test_support.h"

using namespace mck;
using namespace mck::printer;
using mck::printer::testing::TestFonts;

namespace {

struct Box {
  int left = 1 << 30, right = -1, top = 1 << 30, bottom = -1;
  long dots = 0;
};
Box Ink(const Raster& r) {
  Box b;
  for (int y = 0; y < r.height; ++y) {
    for (int x = 0; x < r.width; ++x) {
      if (!r.Dot(x, y)) continue;
      b.left = std::min(b.left, x);
      b.right = std::max(b.right, x);
      b.top = std::min(b.top, y);
      b.bottom = std::max(b.bottom, y);
      ++b.dots;
    }
  }
  return b;
}

Raster RenderOne(const Layout& l, int width = 576) {
  auto r = Render(l, TestFonts(), RenderOptions{width});
  REQUIRE(r.ok());
  return std::move(r.value());
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("the font is found in Debian's Noto folder, or where MCK_FONT_DIR says") {
  {
    ScopedEnv env("MCK_FONT_DIR", "/usr/share/fonts/truetype/noto");
    auto f = FindFonts();
    REQUIRE(f.ok());
    CHECK(f->regular.filename() == "NotoSans-Regular.ttf");
    CHECK(f->bold.filename() == "NotoSans-Bold.ttf");
  }
  {
    testing::TempDir empty;
    ScopedEnv env("MCK_FONT_DIR", empty.path().string());
    auto f = FindFonts();
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().code() == Code::kNotFound);
    CHECK(f.status().message_vi().find("MCK_FONT_DIR") != std::string::npos);
  }
}

TEST_CASE("a font file that is not a font is refused") {
  testing::TempDir dir;
  std::ofstream(dir / "NotoSans-Regular.ttf") << "not a font";
  std::ofstream(dir / "NotoSans-Bold.ttf") << "not a font";
  auto f = Fonts::LoadFrom({dir / "NotoSans-Regular.ttf", dir / "NotoSans-Bold.ttf"});
  REQUIRE_FALSE(f.ok());
  CHECK(f.status().code() == Code::kCorrupt);
}

TEST_CASE("word wrap breaks at spaces and never inside a Vietnamese word") {
  const std::string text = "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất";
  const TextStyle st{26, false};
  const int width = 300;
  const auto lines = WrapText(text, TestFonts(), st, width);
  REQUIRE(lines.size() >= 3);
  std::string joined;
  for (const auto& l : lines) {
    CHECK(MeasureText(l, TestFonts(), st.size, st.bold) <= width);
    CHECK(l.front() != ' ');
    CHECK(l.back() != ' ');
    joined += (joined.empty() ? "" : " ") + l;
  }
  CHECK(joined == text);  // every line ends at a word boundary
}

TEST_CASE("a word wider than the line is cut between letters, and a newline forces a break") {
  const TextStyle st{26, false};
  const std::string code = "000.00.24.H03-261122-0017-000.00.24.H03-261122-0017";
  const auto lines = WrapText(code, TestFonts(), st, 200);
  REQUIRE(lines.size() >= 2);
  std::string joined;
  for (const auto& l : lines) {
    CHECK(MeasureText(l, TestFonts(), st.size, false) <= 200);
    joined += l;
  }
  CHECK(joined == code);
  CHECK(WrapText("Dòng một\nDòng hai", TestFonts(), st, 500) == std::vector<std::string>{"Dòng một", "Dòng hai"});
}

TEST_CASE("rasters are exactly the paper width, centred text is centred, right text is flush right") {
  for (int width : {384, 576}) {
    CAPTURE(width);
    const Raster c = RenderOne(Layout().Text("Đăng ký khai sinh", {26, false, Align::kCenter}), width);
    CHECK(c.width == width);
    const Box b = Ink(c);
    const int left_gap = b.left, right_gap = width - 1 - b.right;
    CHECK(std::abs(left_gap - right_gap) <= 4);
    const Raster r = RenderOne(Layout().Text("Căn phải", {26, false, Align::kRight}), width);
    CHECK(width - 1 - Ink(r).right <= 8 + 3);  // the margin plus the glyph's side bearing
    const Raster l = RenderOne(Layout().Text("Căn trái", {26, false, Align::kLeft}), width);
    CHECK(Ink(l).left <= 8 + 3);
  }
}

TEST_CASE("bold text is darker and large text is taller than body text") {
  const Raster regular = RenderOne(Layout().Text("Nguyễn Thị Hoà", {26, false}));
  const Raster bold = RenderOne(Layout().Text("Nguyễn Thị Hoà", {26, true}));
  const Raster large = RenderOne(Layout().Text("Nguyễn Thị Hoà", {52, false}));
  CHECK(Ink(bold).dots > Ink(regular).dots * 5 / 4);
  const Box rb = Ink(regular), lb = Ink(large);
  CHECK(lb.bottom - lb.top > (rb.bottom - rb.top) * 3 / 2);
}

TEST_CASE("decomposed Vietnamese prints the same dots as precomposed (NFC first)") {
  const std::string precomposed = "Hoà Nguyễn";
  const std::string decomposed = "Hoa\xCC\x80 Nguye\xCC\x82\xCC\x83n";  // a + U+0300, e + U+0302 + U+0303
  CHECK(RenderOne(Layout().Text(precomposed)).bits == RenderOne(Layout().Text(decomposed)).bits);
}

TEST_CASE("diacritics change the dots: 'Hồ' and 'Ho' do not print alike") {
  CHECK(RenderOne(Layout().Text("Hồ sơ")).bits != RenderOne(Layout().Text("Ho so")).bits);
}

TEST_CASE("rules, rows, columns and space have the expected geometry") {
  const Raster rule = RenderOne(Layout().Rule(3));
  const Box b = Ink(rule);
  CHECK(b.left == 8);
  CHECK(b.right == 576 - 9);
  CHECK(b.bottom - b.top == 2);
  const Raster dashed = RenderOne(Layout().Rule(2, true));
  CHECK(Ink(dashed).dots < b.dots);
  // A row that fits: one line tall; one that does not: two or more.
  const Raster row = RenderOne(Layout().Row("Lệ phí:", "Miễn phí"));
  const Raster text = RenderOne(Layout().Text("Lệ phí:"));
  CHECK(row.height == text.height);
  const Raster wrapped =
      RenderOne(Layout().Row("Giấy chứng nhận kết hôn của cha mẹ trẻ", "Bản sao chứng thực: 1"), 384);
  CHECK(wrapped.height > text.height + 20);
  const Raster spaced = RenderOne(Layout().Text("a").Space(100).Text("b"));
  CHECK(spaced.height >= RenderOne(Layout().Text("a").Text("b")).height + 100);
  const Raster cols = RenderOne(Layout().Columns({"NGƯỜI NỘP", "NGƯỜI NHẬN"}));
  const Box cb = Ink(cols);
  CHECK(cb.left < 576 / 2);
  CHECK(cb.right > 576 / 2);
}

TEST_CASE("bad input is refused with a Vietnamese message, not printed as garbage") {
  auto bad = Render(Layout().Text("abc\xff"), TestFonts());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::kInvalidArgument);
  CHECK(bad.status().message_vi().find("không hợp lệ") != std::string::npos);
  CHECK_FALSE(Render(Layout().Text("x"), TestFonts(), RenderOptions{64}).ok());
  CHECK_FALSE(Render(Layout().Qr(""), TestFonts()).ok());
  CHECK_FALSE(Render(Layout().Qr(std::string(8000, 'x')), TestFonts()).ok());
}
