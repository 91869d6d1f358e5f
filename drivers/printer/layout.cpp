#include "drivers/printer/layout.h"

#include <algorithm>

#include "drivers/printer/qr.h"
#include "offline/domain/utf8.h"

namespace mck::printer {
namespace {

// REQUIRES: valid UTF-8 (checked by Render before any text is decoded).
std::u32string Decode(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

std::string Encode(const std::u32string& s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::u32string Nfc32(const std::string& s) {
  return Decode(ToNfc(s).value_or(s));
}

int Measure32(const std::u32string& s, Fonts& fonts, int size, bool bold) {
  int w = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0) w += fonts.Kerning(s[i - 1], s[i], size, bold);
    w += fonts.Get(s[i], size, bold).advance;
  }
  return w;
}

// Greedy wrap at spaces; a word wider than the line is cut between letters.
std::vector<std::u32string> Wrap32(const std::u32string& text, Fonts& fonts, int size, bool bold, int width) {
  std::vector<std::u32string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find(U'\n', start);
    if (nl == std::u32string::npos) nl = text.size();
    const std::u32string para = text.substr(start, nl - start);
    std::u32string line;
    size_t i = 0;
    bool any = false;
    while (i < para.size()) {
      size_t sp = para.find(U' ', i);
      if (sp == std::u32string::npos) sp = para.size();
      std::u32string word = para.substr(i, sp - i);
      i = sp + 1;
      if (word.empty()) continue;
      std::u32string candidate = line.empty() ? word : line + U' ' + word;
      if (Measure32(candidate, fonts, size, bold) <= width) {
        line = std::move(candidate);
        continue;
      }
      if (!line.empty()) {
        lines.push_back(line);
        any = true;
        line.clear();
      }
      while (Measure32(word, fonts, size, bold) > width && word.size() > 1) {
        size_t fit = 1;
        while (fit < word.size() && Measure32(word.substr(0, fit + 1), fonts, size, bold) <= width) ++fit;
        lines.push_back(word.substr(0, fit));
        any = true;
        word.erase(0, fit);
      }
      line = std::move(word);
    }
    if (!line.empty() || !any) lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

class Canvas {
 public:
  explicit Canvas(int width) : r_(Raster::Blank(width, 0)) {}
  void EnsureRows(int rows) {
    if (rows <= r_.height) return;
    r_.height = rows;
    r_.bits.resize(static_cast<size_t>(rows) * r_.stride(), 0);
  }
  void Fill(int x0, int y0, int w, int h) {
    EnsureRows(y0 + h);
    for (int y = std::max(y0, 0); y < y0 + h; ++y) {
      for (int x = std::max(x0, 0); x < std::min(x0 + w, r_.width); ++x) r_.SetDot(x, y);
    }
  }
  // Draws a line of text with its top at `top`; returns the line height used.
  int DrawLine(const std::u32string& s, Fonts& fonts, int size, bool bold, int x, int top, int ascender) {
    const int baseline = top + ascender;
    EnsureRows(top + fonts.LineHeight(size, bold));
    int pen = x;
    for (size_t i = 0; i < s.size(); ++i) {
      if (i > 0) pen += fonts.Kerning(s[i - 1], s[i], size, bold);
      const Glyph& g = fonts.Get(s[i], size, bold);
      const int gx = pen + g.left, gy = baseline - g.top;
      EnsureRows(gy + g.rows);
      for (int y = 0; y < g.rows; ++y) {
        for (int xx = 0; xx < g.width; ++xx) {
          const int px = gx + xx, py = gy + y;
          if (g.mask[static_cast<size_t>(y) * g.width + xx] && px >= 0 && px < r_.width && py >= 0) r_.SetDot(px, py);
        }
      }
      pen += g.advance;
    }
    return fonts.LineHeight(size, bold);
  }
  Raster Take(int height) {
    EnsureRows(height);
    return std::move(r_);
  }

 private:
  Raster r_;
};

int AlignX(Align a, int left, int avail, int w) {
  switch (a) {
    case Align::kLeft: return left;
    case Align::kCenter: return left + std::max(0, (avail - w) / 2);
    case Align::kRight: return left + std::max(0, avail - w);
  }
  return left;
}

struct Renderer {
  Fonts& fonts;
  const RenderOptions& o;
  Canvas canvas;
  int y;
  int content;  // width between margins

  int TextLines(const std::string& text, const TextStyle& st, int left, int avail) {
    const int inner = std::max(avail - st.indent, 16);
    int h = 0;
    for (const auto& line : Wrap32(Nfc32(text), fonts, st.size, st.bold, inner)) {
      const int w = Measure32(line, fonts, st.size, st.bold);
      h += canvas.DrawLine(line, fonts, st.size, st.bold, AlignX(st.align, left + st.indent, inner, w), y + h,
                           fonts.Ascender(st.size, st.bold));
    }
    return h;
  }

  Status Do(const TextBlock& b) {
    y += TextLines(b.text, b.style, o.margin, content);
    return Status::Ok();
  }

  Status Do(const RowBlock& b) {
    const std::u32string l = Nfc32(b.left), r = Nfc32(b.right);
    const int lw = Measure32(l, fonts, b.left_style.size, b.left_style.bold);
    const int rw = Measure32(r, fonts, b.right_style.size, b.right_style.bold);
    const int gap = b.left_style.size / 2;
    if (lw + gap + rw <= content - b.left_style.indent) {
      const int asc = std::max(fonts.Ascender(b.left_style.size, b.left_style.bold),
                               fonts.Ascender(b.right_style.size, b.right_style.bold));
      const int h1 =
          canvas.DrawLine(l, fonts, b.left_style.size, b.left_style.bold, o.margin + b.left_style.indent, y, asc);
      const int h2 = canvas.DrawLine(r, fonts, b.right_style.size, b.right_style.bold, o.margin + content - rw, y, asc);
      y += std::max(h1, h2);
    } else {
      TextStyle ls = b.left_style, rs = b.right_style;
      ls.align = Align::kLeft;
      rs.align = Align::kRight;
      y += TextLines(b.left, ls, o.margin, content);
      y += TextLines(b.right, rs, o.margin, content);
    }
    return Status::Ok();
  }

  Status Do(const ColumnsBlock& b) {
    if (b.cells.empty()) return Status::Ok();
    const int n = static_cast<int>(b.cells.size());
    const int col = content / n;
    int h = 0;
    const int top = y;
    for (int i = 0; i < n; ++i) {
      y = top;
      TextStyle st = b.style;
      st.align = Align::kCenter;
      st.indent = 0;
      h = std::max(h, TextLines(b.cells[static_cast<size_t>(i)], st, o.margin + i * col + 4, col - 8));
    }
    y = top + h;
    return Status::Ok();
  }

  Status Do(const RuleBlock& b) {
    y += 6;
    const int t = std::max(b.thickness, 1);
    if (b.dashed) {
      for (int x = 0; x < content; x += 14) canvas.Fill(o.margin + x, y, std::min(8, content - x), t);
    } else {
      canvas.Fill(o.margin, y, content, t);
    }
    y += t + 8;
    return Status::Ok();
  }

  Status Do(const QrBlock& b) {
    auto qr = EncodeQr(b.content);
    if (!qr.ok()) return qr.status();
    int module = b.module;
    if (module <= 0) {
      module = std::clamp(content / 2 / (qr->size + 8), 4, 8);
    }
    const int dim = qr->size * module;
    if (dim > content) {
      return Status::Error(Code::kInvalidArgument, "QR code wider than the paper", "Mã QR rộng hơn khổ giấy");
    }
    const int quiet = 4 * module;  // the quiet zone the standard asks for, above and below
    y += quiet;
    const int x0 = AlignX(b.align, o.margin, content, dim);
    for (int my = 0; my < qr->size; ++my) {
      for (int mx = 0; mx < qr->size; ++mx) {
        if (qr->Dark(mx, my)) canvas.Fill(x0 + mx * module, y + my * module, module, module);
      }
    }
    y += dim + quiet;
    canvas.EnsureRows(y);
    return Status::Ok();
  }

  Status Do(const SpaceBlock& b) {
    y += std::max(b.dots, 0);
    canvas.EnsureRows(y);
    return Status::Ok();
  }
};

bool CheckText(const Block& b) {
  if (const auto* t = std::get_if<TextBlock>(&b)) return IsValidUtf8(t->text);
  if (const auto* r = std::get_if<RowBlock>(&b)) return IsValidUtf8(r->left) && IsValidUtf8(r->right);
  if (const auto* c = std::get_if<ColumnsBlock>(&b)) {
    return std::all_of(c->cells.begin(), c->cells.end(), [](const std::string& s) { return IsValidUtf8(s); });
  }
  return true;
}

}  // namespace

Layout& Layout::Text(std::string text, TextStyle style) {
  blocks_.emplace_back(TextBlock{std::move(text), style});
  return *this;
}
Layout& Layout::Row(std::string left, std::string right, TextStyle ls, TextStyle rs) {
  blocks_.emplace_back(RowBlock{std::move(left), std::move(right), ls, rs});
  return *this;
}
Layout& Layout::Columns(std::vector<std::string> cells, TextStyle style) {
  blocks_.emplace_back(ColumnsBlock{std::move(cells), style});
  return *this;
}
Layout& Layout::Rule(int thickness, bool dashed) {
  blocks_.emplace_back(RuleBlock{thickness, dashed});
  return *this;
}
Layout& Layout::Qr(std::string content, int module, Align align) {
  blocks_.emplace_back(QrBlock{std::move(content), module, align});
  return *this;
}
Layout& Layout::Space(int dots) {
  blocks_.emplace_back(SpaceBlock{dots});
  return *this;
}

Result<Raster> Render(const Layout& layout, Fonts& fonts, const RenderOptions& o) {
  if (o.width < 128 || o.width > 4096 || o.margin < 0 || 2 * o.margin >= o.width - 64) {
    return Status::Error(Code::kInvalidArgument, "render width must be 128..4096 dots with sane margins",
                         "Khổ in không hợp lệ");
  }
  for (const auto& b : layout.blocks()) {
    if (!CheckText(b)) {
      return Status::Error(Code::kInvalidArgument, "text to print is not valid UTF-8",
                           "Nội dung in có ký tự không hợp lệ");
    }
  }
  Renderer r{fonts, o, Canvas(o.width), o.top, o.width - 2 * o.margin};
  for (const auto& b : layout.blocks()) {
    Status st = std::visit([&r](const auto& blk) { return r.Do(blk); }, b);
    if (!st.ok()) return st;
  }
  return r.canvas.Take(r.y + o.bottom);
}

std::vector<std::string> WrapText(const std::string& text, Fonts& fonts, const TextStyle& style, int width) {
  std::vector<std::string> out;
  for (const auto& l : Wrap32(Nfc32(text), fonts, style.size, style.bold, width)) out.push_back(Encode(l));
  return out;
}

int MeasureText(const std::string& text, Fonts& fonts, int size, bool bold) {
  return Measure32(Nfc32(text), fonts, size, bold);
}

std::vector<std::string> LayoutText(const Layout& layout) {
  std::vector<std::string> out;
  for (const auto& b : layout.blocks()) {
    if (const auto* t = std::get_if<TextBlock>(&b)) {
      out.push_back(t->text);
    } else if (const auto* r = std::get_if<RowBlock>(&b)) {
      out.push_back(r->right.empty() ? r->left : r->left + " " + r->right);
    } else if (const auto* c = std::get_if<ColumnsBlock>(&b)) {
      std::string line;
      for (const auto& cell : c->cells) line += (line.empty() ? "" : " | ") + cell;
      out.push_back(line);
    } else if (const auto* q = std::get_if<QrBlock>(&b)) {
      out.push_back("[QR] " + q->content);
    }
  }
  return out;
}

}  // namespace mck::printer
