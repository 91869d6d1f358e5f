// The scan screen (docs/scanning.md "The scan screen"): one paper of the procedure, scanned page by
// page on the scanner's worker. The instruction and the scan buttons on top; the pages as a list
// (a preview, "Trang N", Quét lại / Xoá / Lên / Xuống) on the left; the page tapped, large, on the
// right; "Huỷ" and "Xong" at the bottom. The previews are textures of the presenter's renderer,
// made from each page's grey preview the first time it is drawn and destroyed as soon as the page
// is gone or the screen is left (ReleasePreviews, every frame).
#include <SDL.h>

#include <algorithm>
#include <set>

#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/presenter.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {
namespace {

void DropAll(Ui& ui, bool destroy) {
  for (auto& [id, tex] : ui.previews) {
    if (destroy) SDL_DestroyTexture(tex);
  }
  if (!ui.previews.empty() && ui.presenter) ui.presenter->Invalidate();
  ui.previews.clear();
}

SDL_Texture* Preview(Ui& ui, const ScannedPage& page) {
  if (!ui.presenter || page.preview.empty()) return nullptr;
  SDL_Renderer* r = ui.presenter->renderer();
  if (ui.previews_renderer != r) {  // a new renderer (the window was resized): its old textures died with it
    DropAll(ui, false);
    ui.previews_renderer = r;
  }
  if (auto it = ui.previews.find(page.id); it != ui.previews.end()) return it->second;
  SDL_Texture* tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, page.preview_w,
                                       page.preview_h);
  if (!tex) return nullptr;
  std::vector<uint32_t> px(page.preview.size());
  for (size_t i = 0; i < px.size(); ++i) {
    const uint32_t g = page.preview[i];
    px[i] = 0xFF000000u | (g << 16) | (g << 8) | g;
  }
  SDL_UpdateTexture(tex, nullptr, px.data(), page.preview_w * 4);
  std::fill(px.begin(), px.end(), 0u);
  SDL_SetTextureScaleMode(tex, SDL_ScaleModeLinear);
  ui.previews[page.id] = tex;
  ui.presenter->Invalidate();  // a new texture may sit where a freed one was: redraw all once
  return tex;
}

// The page's preview fitted in `box` (aspect kept), with a border; `box` is reserved as an item.
void DrawPage(Ui& ui, const ScannedPage& page, ImVec2 box, bool selected) {
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::Dummy(box);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float k = std::min(box.x / page.preview_w, box.y / page.preview_h);
  const ImVec2 size(page.preview_w * k, page.preview_h * k);
  const ImVec2 p0(a.x + (box.x - size.x) / 2, a.y + (box.y - size.y) / 2);
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  if (SDL_Texture* tex = Preview(ui, page)) {
    dl->AddImage(reinterpret_cast<ImTextureID>(tex), p0, p1);
  } else {
    dl->AddRectFilled(p0, p1, colors::kPanel);
  }
  dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), selected ? colors::kFocus : colors::kBorder, 0,
              0, selected ? ui.S(5) : ui.S(2));
}

}  // namespace

void ReleasePreviews(Ui& ui) {
  if (ui.previews.empty()) return;
  std::set<uint64_t> shown;
  if (ui.app.screen() == ScreenId::kScan) {
    for (const auto& p : ui.app.scan().pages) shown.insert(p.id);
  }
  if (ui.presenter && ui.previews_renderer != ui.presenter->renderer()) return DropAll(ui, false);
  bool dropped = false;
  for (auto it = ui.previews.begin(); it != ui.previews.end();) {
    if (shown.count(it->first)) {
      ++it;
      continue;
    }
    SDL_DestroyTexture(it->second);
    it = ui.previews.erase(it);
    dropped = true;
  }
  if (dropped && ui.presenter) ui.presenter->Invalidate();
}

void DrawScan(Ui& ui) {
  const App& app = ui.app;
  const ScanDesk& s = app.scan();  // the citizen's paper, or the officer's (the staff dossier's)
  Title(ui, ui.app.strings().Format("scan.title", {s.paper_name.empty() ? s.document_id : s.paper_name}));
  Wrapped(ui, ui.T(app.scanner_has_feeder() ? "scan.explain" : "scan.explain_flatbed"), ui.F().body, colors::kMuted);

  // The scan buttons and the status line.
  const float avail = ImGui::GetContentRegionAvail().x;
  const float bw = std::min(avail * 0.3f, ui.S(420));
  if (TouchButton(ui, "scan.flatbed", ui.T("scan.flatbed"), ImVec2(bw, ui.S(96)),
                  app.scanner_has_feeder() ? ButtonKind::kSecondary : ButtonKind::kPrimary)) {
    ui.Emit(intent::ScanStart{.feeder = false});
  }
  if (app.scanner_has_feeder()) {
    ImGui::SameLine();
    if (TouchButton(ui, "scan.feeder", ui.T("scan.feeder"), ImVec2(bw, ui.S(96)), ButtonKind::kPrimary)) {
      ui.Emit(intent::ScanStart{.feeder = true});
    }
  }
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::Dummy(ImVec2(0, ui.S(4)));
  const float status_w = ImGui::GetContentRegionAvail().x;
  if (s.scan_request != 0) {
    Wrapped(ui, ui.app.strings().Format("scan.scanning", {std::to_string(s.progress + 1)}), ui.F().bold, colors::kText,
            status_w);
    MarkItem(ui, "scan.scanning");
  } else if (s.bind_request != 0) {
    Wrapped(ui, ui.T("scan.binding"), ui.F().bold, colors::kText, status_w);
  } else if (!s.message_key.empty()) {
    Wrapped(ui, ui.T(s.message_key), ui.F().bold, colors::kError, status_w);
    MarkItem(ui, "scan.message." + s.message_key.substr(s.message_key.rfind('.') + 1));
  } else {
    Wrapped(ui, s.pages.empty() ? ui.T("scan.no_pages")
                                : ui.app.strings().Format("scan.pages", {std::to_string(s.pages.size())}),
            ui.F().bold, colors::kText, status_w);
    MarkItem(ui, "scan.pages." + std::to_string(s.pages.size()));
  }
  if (s.completed > 0) MarkItem(ui, "scan.completed." + std::to_string(s.completed));
  ImGui::EndGroup();
  ImGui::Dummy(ImVec2(0, ui.S(4)));

  // The pages (left) and the one tapped, large (right; below the list on a portrait screen).
  const float h = BodyHeight(ui);
  const float list_w = ui.portrait() ? avail : std::min(avail * 0.62f, ui.S(1100));
  BeginDragList(ui, "scan.list", ImVec2(list_w, h));
  const float thumb_h = ui.S(190), thumb_w = thumb_h * 0.72f;
  const float btn_h = ui.S(88);
  const int n_pages = static_cast<int>(s.pages.size());
  for (int i = 0; i < n_pages; ++i) {
    const std::string n = std::to_string(i);
    ImGui::PushID(i);
    const ImVec2 row = ImGui::GetCursorScreenPos();
    DrawPage(ui, s.pages[i], ImVec2(thumb_w, thumb_h), i == s.selected);
    // The preview is a touch target of its own: tapped, the page shows large.
    ImGui::SetCursorScreenPos(row);
    if (ImGui::InvisibleButton("page", ImVec2(thumb_w, thumb_h)) && !ui.TapSuppressed())
      ui.Emit(intent::ScanSelect{.index = i});
    MarkItem(ui, "scan.page." + n);
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushFont(ui.F().bold);
    const std::string label = ui.app.strings().Format("scan.page", {std::to_string(i + 1)});
    ImGui::TextUnformatted(label.c_str());
    CountShown(ui, label);
    ImGui::PopFont();
    // One row of four slots: Quét lại, Xoá, Lên trên (not the first), Xuống dưới (not the last).
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float bw4 = (ImGui::GetContentRegionAvail().x - 3 * gap) / 4;
    if (TouchButton(ui, "scan.rescan." + n, ui.T("scan.rescan"), ImVec2(bw4, btn_h), ButtonKind::kSecondary,
                    ui.F().body))
      ui.Emit(intent::ScanRescan{.index = i});
    ImGui::SameLine();
    if (TouchButton(ui, "scan.delete." + n, ui.T("scan.delete"), ImVec2(bw4, btn_h), ButtonKind::kDanger, ui.F().body))
      ui.Emit(intent::ScanDelete{.index = i});
    if (i > 0) {
      ImGui::SameLine(2 * (bw4 + gap));  // from the group's start
      if (TouchButton(ui, "scan.up." + n, ui.T("scan.up"), ImVec2(bw4, btn_h), ButtonKind::kSecondary, ui.F().body))
        ui.Emit(intent::ScanMove{.index = i, .delta = -1});
    }
    if (i + 1 < n_pages) {
      ImGui::SameLine(3 * (bw4 + gap));
      if (TouchButton(ui, "scan.down." + n, ui.T("scan.down"), ImVec2(bw4, btn_h), ButtonKind::kSecondary,
                      ui.F().body))
        ui.Emit(intent::ScanMove{.index = i, .delta = 1});
    }
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(row.x, std::max(row.y + thumb_h, ImGui::GetItemRectMax().y) + ui.S(20)));
    ImGui::Dummy(ImVec2(0, 0));
    ImGui::PopID();
  }
  EndDragList(ui, "scan.list");
  if (!ui.portrait() && s.selected >= 0 && s.selected < static_cast<int>(s.pages.size())) {
    ImGui::SameLine();
    ImGui::BeginGroup();
    const float big_w = ImGui::GetContentRegionAvail().x;
    DrawPage(ui, s.pages[s.selected], ImVec2(big_w, h - ui.S(8)), false);
    MarkItem(ui, "scan.large");
    ImGui::EndGroup();
  }

  // "Huỷ" and "Xong".
  const float w = ImGui::GetContentRegionAvail().x;
  const float nw = std::min(w * 0.42f, ui.S(520));
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ui.S(96) - ImGui::GetStyle().WindowPadding.y);
  if (TouchButton(ui, "scan.cancel", ui.T("scan.cancel"), ImVec2(nw, ui.S(96)))) ui.Emit(intent::ScanCancel{});
  ImGui::SameLine();
  ImGui::SetCursorPosX(ImGui::GetWindowWidth() - ImGui::GetStyle().WindowPadding.x - nw);
  if (TouchButton(ui, "scan.done", ui.T("scan.done"), ImVec2(nw, ui.S(96)), ButtonKind::kPrimary))
    ui.Emit(intent::ScanDone{});
}

}  // namespace mck::app::ui
