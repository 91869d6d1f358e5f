// The staff dossier's chip read (docs/card.md "The face on the staff screen"): "Đọc thẻ CCCD để
// đối chiếu", what the read said, and the chip's face beside the applicant with the caption "Ảnh
// trong chip — so sánh với người nộp" and the chip's level. The face is a texture of the
// presenter's renderer, made from the App's RGBA pixels the first time it is drawn and destroyed
// (ReleaseChipFace, every frame) as soon as the dossier no longer holds that face.
#include <SDL.h>

#include <algorithm>

#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/presenter.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {
namespace {

void DropFace(Ui& ui, bool destroy) {
  if (!ui.chip_face) return;
  if (destroy) SDL_DestroyTexture(ui.chip_face);
  ui.chip_face = nullptr;
  ui.chip_face_id = 0;
  if (ui.presenter) ui.presenter->Invalidate();  // a new texture may reuse the freed one's address
}

SDL_Texture* FaceTexture(Ui& ui, const StaffDossierView::ChipFace& chip) {
  if (!ui.presenter || chip.image.rgba.empty()) return nullptr;
  SDL_Renderer* r = ui.presenter->renderer();
  if (ui.chip_face_renderer != r) {  // a new renderer (the window was resized): the old texture died with it
    DropFace(ui, false);
    ui.chip_face_renderer = r;
  }
  if (ui.chip_face && ui.chip_face_id == chip.image_id) return ui.chip_face;
  DropFace(ui, true);
  SDL_Texture* tex =
      SDL_CreateTexture(r, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, chip.image.width, chip.image.height);
  if (!tex) return nullptr;
  SDL_UpdateTexture(tex, nullptr, chip.image.rgba.data(), chip.image.width * 4);
  SDL_SetTextureScaleMode(tex, SDL_ScaleModeLinear);
  ui.chip_face = tex;
  ui.chip_face_id = chip.image_id;
  ui.presenter->Invalidate();
  return tex;
}

}  // namespace

void ReleaseChipFace(Ui& ui) {
  if (!ui.chip_face) return;
  if (ui.presenter && ui.chip_face_renderer != ui.presenter->renderer()) return DropFace(ui, false);
  const auto& dossier = ui.app.staff_dossier();
  const bool shown = ui.app.screen() == ScreenId::kStaffDossier && dossier &&
                     dossier->chip.image_id == ui.chip_face_id && !dossier->chip.image.rgba.empty();
  if (!shown) DropFace(ui, true);
}

void DrawChipFace(Ui& ui, const StaffDossierView::ChipFace& chip, float face_w, float caption_w) {
  const float face_h = face_w * 4 / 3;  // a CCCD's portrait is 3:4
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(face_w, face_h));
  MarkItem(ui, "staff_dossier.chip_face_image");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float k = std::min(face_w / chip.image.width, face_h / chip.image.height);
  const ImVec2 size(chip.image.width * k, chip.image.height * k);
  const ImVec2 p0(a.x + (face_w - size.x) / 2, a.y + (face_h - size.y) / 2);
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  if (SDL_Texture* tex = FaceTexture(ui, chip)) {
    dl->AddImage(reinterpret_cast<ImTextureID>(tex), p0, p1);
  } else {
    dl->AddRectFilled(p0, p1, colors::kPanel);
  }
  dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), colors::kBorder, 0, 0, ui.S(2));
  // The caption and the chip's level to the right of the face: in view whenever the face is.
  ImGui::SameLine(0, ui.S(24));
  ImGui::BeginGroup();
  Wrapped(ui, ui.T("staff_dossier.chip_face"), ui.F().bold, colors::kText, caption_w);
  Wrapped(ui, ui.T(chip.assurance_key), ui.F().body, chip.verified ? colors::kOk : colors::kError, caption_w);
  MarkItem(ui, chip.verified ? "staff_dossier.chip_verified" : "staff_dossier.chip_not_verified");
  ImGui::EndGroup();
}

void DrawChipRead(Ui& ui, const StaffDossierView& v, float w) {
  const StaffDossierView::ChipFace& c = v.chip;
  if (v.purged || !ui.app.has_card_reader()) return;
  Wrapped(ui, ui.T("staff_dossier.chip_hint"), ui.F().small, colors::kMuted, w);
  if (c.state != JobState::kRunning && TouchButton(ui, "staff_dossier.read_chip", ui.T("staff_dossier.read_chip"),
                                                   ImVec2(std::min(w, ui.S(560)), ui.S(96)), ButtonKind::kSecondary)) {
    ui.Emit(intent::StaffReadChip{});
  }
  if (c.message_key.empty() || !c.image.rgba.empty()) return;  // the face's own caption says the rest
  std::string text = ui.T(c.message_key);
  if (c.message_key == "staff_dossier.chip_face_error" && !c.image_error_vi.empty() &&
      ui.app.strings().language() != Language::kEn) {
    text = c.image_error_vi;  // face_image.h's words: corrupt, too large, not JPEG 2000
  }
  if (c.state == JobState::kDone) text = ui.T("staff_dossier.chip_same_id") + " " + text;
  const bool bad = c.state == JobState::kFailed || c.message_key == "staff_dossier.chip_face_error";
  Wrapped(ui, text, ui.F().bold, bad ? colors::kError : colors::kMuted, w);
  MarkItem(ui, c.message_key);
}

}  // namespace mck::app::ui
