#include "kiosk/app/ui/widgets.h"

#include <algorithm>
#include <cmath>

namespace mck::app::ui {
namespace {

void Register(Ui& ui, const std::string& id, bool touch_target = false) {
  const ImVec2 a = ImGui::GetItemRectMin();
  const ImVec2 b = ImGui::GetItemRectMax();
  // Only what is actually visible can be tapped (items scrolled out of a list are clipped).
  ImVec2 clip_a = ImGui::GetWindowDrawList()->GetClipRectMin();
  ImVec2 clip_b = ImGui::GetWindowDrawList()->GetClipRectMax();
  Rect r{std::max(a.x, clip_a.x), std::max(a.y, clip_a.y), 0, 0};
  r.w = std::min(b.x, clip_b.x) - r.x;
  r.h = std::min(b.y, clip_b.y) - r.y;
  if (r.w <= 4 || r.h <= 4) return;
  if (touch_target) {
    ui.widgets.AddTarget(id, r, Rect{a.x, a.y, b.x - a.x, b.y - a.y});
  } else {
    ui.widgets.Add(id, r);
  }
}

void ButtonColors(ButtonKind kind, bool held, ImU32* bg, ImU32* fg, ImU32* border) {
  switch (kind) {
    case ButtonKind::kPrimary:
      *bg = held ? colors::kPrimaryDown : colors::kPrimary;
      *fg = colors::kOnPrimary;
      *border = *bg;
      break;
    case ButtonKind::kSelected:
      *bg = held ? colors::kFocusDown : colors::kFocus;
      *fg = colors::kOnFocus;
      *border = *bg;
      break;
    case ButtonKind::kDanger:
      *bg = held ? colors::kSecondaryDown : colors::kSecondary;
      *fg = colors::kError;
      *border = colors::kError;
      break;
    case ButtonKind::kSecondary:
      *bg = held ? colors::kSecondaryDown : colors::kSecondary;
      *fg = colors::kText;
      *border = colors::kBorder;
      break;
  }
}

// A selected option is not shown by colour alone: a check mark (drawn, Noto Sans has no ✓) in
// a box of `size` at `p`, in the text's colour (docs/accessibility.md).
void CheckMark(ImDrawList* dl, ImVec2 p, float size, ImU32 col, float thickness) {
  const ImVec2 pts[3] = {ImVec2(p.x, p.y + size * 0.55f), ImVec2(p.x + size * 0.38f, p.y + size * 0.9f),
                         ImVec2(p.x + size, p.y + size * 0.12f)};
  dl->AddPolyline(pts, 3, col, ImDrawFlags_None, thickness);
}

bool Pressable(Ui& ui, const std::string& id, ImVec2 size, bool* held) {
  if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
  // Pressed on release over the item (ImGui's default), unless the finger dragged a list.
  const bool pressed = ImGui::InvisibleButton(id.c_str(), size);
  Register(ui, id, true);
  *held = ImGui::IsItemActive() && !ui.TapSuppressed();
  return pressed && !ui.TapSuppressed();
}

}  // namespace

// A filled rounded rectangle, drawn as three plain rectangles and four small rounded corners
// (docs/ui.md "Partial redraw"). ImGui fills a rounded rectangle as a fan of ~40 triangles each
// about as large as the whole rectangle, and SDL's software rasteriser walks every triangle's
// bounding box: one 1800x150 procedure tile cost ~10 million pixel tests, and the frame in which
// a dragged list came to rest (drawn the exact way again) took 26-28 ms against 8 for the others.
// The plain rectangles are opaque fills (opaque_fill.h). The corners go first and the
// rectangles over them: a corner's anti-aliased fringe along its inner sides blended the colour
// over itself and left faint seams (one level off) inside the shape when drawn last; under the
// rectangles nothing of it is left but the smooth arc. Every caller strokes a border over the
// outline, which covers where the rectangles' plain outer sides meet the background.
static void FillRounded(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float r) {
  // On whole pixels: with the large text size (×1.2) the pieces' shared edges fell between
  // pixels, and the software rasteriser left a one-pixel row of the background between the
  // middle rectangle and the bottom strip of every key and button (seen in the a11y shots as a
  // grey line under "Xong" that the contrast measurement found at 4.83:1).
  a = ImVec2(std::round(a.x), std::round(a.y));
  b = ImVec2(std::round(b.x), std::round(b.y));
  r = std::round(r);
  if (r < 1 || b.x - a.x < 3 * r + 1 || b.y - a.y < 3 * r + 1) {
    dl->AddRectFilled(a, b, col, r);
    return;
  }
  dl->AddRectFilled(a, ImVec2(a.x + 2 * r, a.y + 2 * r), col, r, ImDrawFlags_RoundCornersTopLeft);
  dl->AddRectFilled(ImVec2(b.x - 2 * r, a.y), ImVec2(b.x, a.y + 2 * r), col, r, ImDrawFlags_RoundCornersTopRight);
  dl->AddRectFilled(ImVec2(a.x, b.y - 2 * r), ImVec2(a.x + 2 * r, b.y), col, r, ImDrawFlags_RoundCornersBottomLeft);
  dl->AddRectFilled(ImVec2(b.x - 2 * r, b.y - 2 * r), b, col, r, ImDrawFlags_RoundCornersBottomRight);
  dl->AddRectFilled(ImVec2(a.x, a.y + r), ImVec2(b.x, b.y - r), col);
  dl->AddRectFilled(ImVec2(a.x + r, a.y), ImVec2(b.x - r, a.y + r), col);
  dl->AddRectFilled(ImVec2(a.x + r, b.y - r), ImVec2(b.x - r, b.y), col);
}

void CountShown(Ui& ui, const std::string& text) {
  if (ImGui::IsItemVisible()) ui.CountText(text);
}

void MarkItem(Ui& ui, const std::string& id) {
  Register(ui, id);
}

bool TouchButton(Ui& ui, const std::string& id, const std::string& label, ImVec2 size, ButtonKind kind, ImFont* font) {
  if (!font) font = ui.F().bold;
  if (size.y <= 0) size.y = ui.S(96);
  bool held = false;
  const bool tapped = Pressable(ui, id, size, &held);
  ImU32 bg, fg, border;
  ButtonColors(kind, held, &bg, &fg, &border);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float r = ui.S(14);
  FillRounded(dl, a, b, bg, r);
  dl->AddRect(a, b, border, r, 0, ui.S(3));
  const bool check = kind == ButtonKind::kSelected;
  const float mark = check ? std::min(font->FontSize * 0.8f, (b.y - a.y) * 0.5f) : 0;
  const float mark_w = check ? mark + ui.S(12) : 0;
  const float wrap = b.x - a.x - ui.S(24) - mark_w;
  const ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, label.c_str());
  float tx = a.x + (b.x - a.x - ts.x) / 2;
  if (check) {
    tx = std::max(tx, a.x + ui.S(12) + mark_w);
    CheckMark(dl, ImVec2(tx - mark_w, a.y + (b.y - a.y - mark) / 2), mark, fg, ui.S(4));
  }
  dl->AddText(font, font->FontSize, ImVec2(tx, a.y + (b.y - a.y - ts.y) / 2), fg, label.c_str(), nullptr, wrap);
  if (ImGui::IsItemVisible()) ui.CountText(label);
  return tapped;
}

bool TileButton(Ui& ui, const std::string& id, const std::string& title, const std::string& subtitle, ImVec2 size,
                ButtonKind kind) {
  bool held = false;
  const bool tapped = Pressable(ui, id, size, &held);
  ImU32 bg, fg, border;
  ButtonColors(kind, held, &bg, &fg, &border);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  FillRounded(dl, a, b, bg, ui.S(14));
  dl->AddRect(a, b, border, ui.S(14), 0, ui.S(3));
  ImFont* tf = ui.F().bold;
  const bool check = kind == ButtonKind::kSelected;
  const float mark = tf->FontSize * 0.8f;
  if (check) CheckMark(dl, ImVec2(a.x + ui.S(24), a.y + (b.y - a.y - mark) / 2), mark, fg, ui.S(4));
  const float pad = ui.S(28) + (check ? mark + ui.S(16) : 0);
  const float wrap = b.x - a.x - ui.S(28) - pad;
  ImFont* sf = ui.F().small;
  const ImVec2 t1 = tf->CalcTextSizeA(tf->FontSize, FLT_MAX, wrap, title.c_str());
  const ImVec2 t2 = subtitle.empty() ? ImVec2(0, 0) : sf->CalcTextSizeA(sf->FontSize, FLT_MAX, wrap, subtitle.c_str());
  const float gap = subtitle.empty() ? 0 : ui.S(8);
  float y = a.y + (b.y - a.y - t1.y - gap - t2.y) / 2;
  dl->AddText(tf, tf->FontSize, ImVec2(a.x + pad, y), fg, title.c_str(), nullptr, wrap);
  if (!subtitle.empty()) {
    const ImU32 sub = kind == ButtonKind::kPrimary || kind == ButtonKind::kSelected ? fg : colors::kMuted;
    dl->AddText(sf, sf->FontSize, ImVec2(a.x + pad, y + t1.y + gap), sub, subtitle.c_str(), nullptr, wrap);
  }
  if (ImGui::IsItemVisible()) {
    ui.CountText(title);
    ui.CountText(subtitle);
  }
  return tapped;
}

void TextField(Ui& ui, const std::string& key, const std::string& label, InputKind input, float width, bool read_only) {
  const App& app = ui.app;
  ImGui::PushFont(ui.F().bold);
  ImGui::TextUnformatted(label.c_str());
  CountShown(ui, label);
  ImGui::PopFont();
  const bool from_card = app.session().from_card.count(key) > 0;
  if (from_card) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::kOk));
    ImGui::PushFont(ui.F().small);
    ImGui::TextUnformatted(
        ui.T(app.session().identity_source == IdentitySource::kChip ? "field.from_chip" : "field.from_qr").c_str());
    ImGui::PopFont();
    ImGui::PopStyleColor();
  }
  const bool focused = app.focused_key() == key;
  if (focused && ui.scroll_to_focus) {
    // Just focused: keep it in view above the keyboard that is opening.
    ImGui::SetScrollHereY(0.2f);
    ui.scroll_to_focus = false;
  }
  const std::string id = "field." + key;
  bool held = false;
  const bool tapped = Pressable(ui, id, ImVec2(width, ui.S(84)), &held);
  if (tapped && !read_only && !from_card) {
    ui.Emit(intent::Focus{.key = key, .input = input});
  }
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const std::string err = app.ErrorFor(key);
  const ImU32 border = focused ? colors::kFocus : (!err.empty() ? colors::kError : colors::kBorder);
  FillRounded(dl, a, b, from_card || read_only ? colors::kPanelFilled : colors::kPanel, ui.S(10));
  dl->AddRect(a, b, border, ui.S(10), 0, focused ? ui.S(5) : ui.S(2.5f));
  ImFont* f = ui.F().body;
  std::string shown = app.DisplayValue(key);
  // Long values show their end (where the citizen is typing).
  const float inner = b.x - a.x - ui.S(40);
  while (!shown.empty() && f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown.c_str()).x > inner) {
    size_t cut = 1;
    while (cut < shown.size() && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) ++cut;
    shown.erase(0, cut);
  }
  const float ty = a.y + (b.y - a.y - f->FontSize) / 2;
  dl->AddText(f, f->FontSize, ImVec2(a.x + ui.S(18), ty), colors::kText, shown.c_str());
  if (ImGui::IsItemVisible()) ui.CountText(shown);
  if (focused) {  // a steady caret: blinking would wake the loop twice a second
    const float cx = a.x + ui.S(20) + f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, shown.c_str()).x;
    dl->AddRectFilled(ImVec2(cx, ty), ImVec2(cx + ui.S(3), ty + f->FontSize), colors::kFocus);
  }
  if (!err.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::kError));
    ImGui::PushFont(ui.F().small);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextUnformatted(err.c_str());
    CountShown(ui, err);
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    ImGui::PopStyleColor();
  }
  ImGui::Dummy(ImVec2(0, ui.S(12)));
}

void OptionRow(Ui& ui, const std::string& key, const std::string& label, const std::vector<std::string>& options,
               float width) {
  ImGui::PushFont(ui.F().bold);
  ImGui::TextUnformatted(label.c_str());
  CountShown(ui, label);
  ImGui::PopFont();
  const std::string value = ui.app.Value(key);
  const bool from_card = ui.app.session().from_card.count(key) > 0;
  const float gap = ui.S(16);
  const int per_row = options.size() <= 4 ? static_cast<int>(options.size()) : 3;
  const float w = (width - gap * static_cast<float>(per_row - 1)) / static_cast<float>(per_row);
  for (size_t i = 0; i < options.size(); ++i) {
    if (i % static_cast<size_t>(per_row) != 0) ImGui::SameLine(0, gap);
    const bool selected = value == options[i];
    if (TouchButton(ui, "opt." + key + "." + std::to_string(i), options[i], ImVec2(w, ui.S(84)),
                    selected ? ButtonKind::kSelected : ButtonKind::kSecondary) &&
        !from_card) {
      ui.Emit(intent::SetValue{.key = key, .value = options[i]});
    }
  }
  const std::string err = ui.app.ErrorFor(key);
  if (!err.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::kError));
    ImGui::PushFont(ui.F().small);
    ImGui::TextUnformatted(err.c_str());
    CountShown(ui, err);
    ImGui::PopFont();
    ImGui::PopStyleColor();
  }
  ImGui::Dummy(ImVec2(0, ui.S(12)));
}

void BeginDragList(Ui& ui, const std::string& id, ImVec2 size) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(colors::kBackground));
  ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, ui.S(12));
  // No background of its own: it would be the body's colour painted a second time over the
  // whole list, a full extra layer for the software rasteriser on every scrolling frame.
  ImGui::BeginChild(id.c_str(), size, false, ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoBackground);
  DragScroll& ds = ui.lists[id];
  ds.Settle();
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 a = ImGui::GetWindowPos();
  const ImVec2 s = ImGui::GetWindowSize();
  ui.widgets.Add(id, Rect{a.x, a.y, s.x, s.y});  // the script mode drags lists by id
  const bool inside =
      io.MousePos.x >= a.x && io.MousePos.x < a.x + s.x && io.MousePos.y >= a.y && io.MousePos.y < a.y + s.y;
  ds.SetMax(ImGui::GetScrollMaxY());
  if (io.MouseClicked[0] && inside) {
    ds.SetOffset(ImGui::GetScrollY());
    ds.Press(io.MousePos.y, ui.time);
  }
  if (ds.pressed()) {
    if (io.MouseDown[0]) {
      ds.Move(io.MousePos.y, ui.time);
    } else {
      ds.Release(ui.time);
    }
  }
  const double dt = std::min<double>(io.DeltaTime, 0.05);
  if (ds.Step(dt)) ui.pacer.WakeAt(std::chrono::steady_clock::now() + std::chrono::milliseconds(16));
  if ((ds.pressed() && ds.dragging()) || ds.flinging()) {
    ImGui::SetScrollY(ds.Offset());
  } else {
    ds.SetOffset(ImGui::GetScrollY());  // the mouse wheel scrolls too
  }
  ImGui::PopStyleVar();
}

void EndDragList(Ui& ui, const std::string& id) {
  (void)ui;
  (void)id;
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void Title(Ui& ui, const std::string& text) {
  ImGui::PushFont(ui.F().title);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::kText));
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(text.c_str());
  CountShown(ui, text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(0, ui.S(10)));
}

void Wrapped(Ui& ui, const std::string& text, ImFont* font, ImU32 color, float width) {
  ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(color));
  ImGui::PushTextWrapPos(width > 0 ? ImGui::GetCursorPosX() + width : 0.0f);
  ImGui::TextUnformatted(text.c_str());
  CountShown(ui, text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

void Centered(Ui& ui, const std::string& text, ImFont* font, ImU32 color) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, avail, text.c_str());
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - ts.x) / 2));
  ImGui::PushFont(font);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(color));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + avail);
  ImGui::TextUnformatted(text.c_str());
  CountShown(ui, text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

float BodyHeight(Ui& ui) {
  return ImGui::GetContentRegionAvail().y - ui.S(96) - ui.S(24);
}

bool NavRow(Ui& ui, bool back, const std::string& next_id, const std::string& next_label) {
  const float w = ImGui::GetContentRegionAvail().x;
  const float bw = std::min(w * 0.42f, ui.S(520));
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ui.S(96) - ImGui::GetStyle().WindowPadding.y);
  if (back && TouchButton(ui, "nav.back", ui.T("nav.back"), ImVec2(bw, ui.S(96)))) ui.Emit(intent::Back{});
  bool next = false;
  if (!next_id.empty()) {
    if (back) ImGui::SameLine();
    ImGui::SetCursorPosX(ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x - bw);
    next = TouchButton(ui, next_id, next_label, ImVec2(bw, ui.S(96)), ButtonKind::kPrimary);
  }
  return next;
}

}  // namespace mck::app::ui
