// "Đã nộp hồ sơ": shown only after DossierStore::Submit committed. The provisional code, a QR
// carrying the dossier's client id (to look it up here or at the counter), and the receipt's
// printing state. A printer problem is calm: the dossier is safe, staff can reprint.
#include "kiosk/app/qr_matrix.h"
#include "offline/domain/fee.h"
#include "kiosk/app/screens/screens.h"
#include "kiosk/app/ui/widgets.h"

namespace mck::app::ui {
namespace {

void DrawQr(const std::string& text, float side) {
  auto qr = EncodeQr(text);
  if (!qr.ok()) return;
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(side, side));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const int quiet = 4;
  const int n = qr->size + 2 * quiet;
  const float m = std::floor(side / static_cast<float>(n));
  const float off = (side - m * static_cast<float>(n)) / 2;
  dl->AddRectFilled(a, ImVec2(a.x + side, a.y + side), IM_COL32_WHITE);
  for (int y = 0; y < qr->size; ++y) {
    for (int x = 0; x < qr->size; ++x) {
      if (!qr->Dark(x, y)) continue;
      const ImVec2 p(a.x + off + m * static_cast<float>(x + quiet), a.y + off + m * static_cast<float>(y + quiet));
      dl->AddRectFilled(p, ImVec2(p.x + m, p.y + m), IM_COL32_BLACK);
    }
  }
}

}  // namespace

void DrawSubmitted(Ui& ui) {
  const App& app = ui.app;
  const auto& sub = app.session().submitted;
  if (!sub) return;
  Title(ui, ui.T("submitted.title"));
  const float avail = ImGui::GetContentRegionAvail().x;
  BeginDragList(ui, "submitted.list", ImVec2(0, BodyHeight(ui)));
  const printer::PaymentQr* pay = app.payment();
  // Landscape with a fee: the payment QR stands beside the look-up one, both in view at once
  // (below them it fell under the buttons at 1920x1080).
  const bool side_by_side = pay && !ui.portrait();
  const float qr_side = ui.S(ui.portrait() ? 420 : side_by_side ? 320 : 380);
  const float text_w = ui.portrait()   ? avail - ui.S(24)
                       : side_by_side ? avail - 2 * qr_side - ui.S(72) - ui.S(48)
                                      : avail - qr_side - ui.S(72);
  ImGui::BeginGroup();
  Wrapped(ui, ui.T("submitted.code_label"), ui.F().body, colors::kMuted, text_w);
  ImGui::PushFont(ui.F().title);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::kPrimary));
  ImGui::TextUnformatted(sub->provisional_code.c_str());
  CountShown(ui, sub->provisional_code);
  ImGui::PopStyleColor();
  ImGui::PopFont();
  if (const Procedure* p = app.procedure()) Wrapped(ui, p->name, ui.F().bold, colors::kText, text_w);
  Wrapped(ui, ui.T("submitted.safe"), ui.F().body, colors::kText, text_w);
  ImGui::Dummy(ImVec2(0, ui.S(16)));
  switch (app.receipt().state) {
    case JobState::kRunning: Wrapped(ui, ui.T("receipt.printing"), ui.F().bold, colors::kMuted, text_w); break;
    case JobState::kDone:
      Wrapped(ui, ui.T("receipt.printed"), ui.F().bold, colors::kOk, text_w);
      MarkItem(ui, "receipt.printed");  // scripts wait for it (tests/ui/walkthrough-birth.script)
      break;
    case JobState::kFailed:
      Wrapped(ui, ui.T(app.receipt().error_key), ui.F().bold, colors::kError, text_w);
      if (const std::string& detail = app.receipt().detail(app.strings().language()); !detail.empty()) {
        Wrapped(ui, detail, ui.F().small, colors::kMuted, text_w);
      }
      Wrapped(ui, ui.T("receipt.staff_can_reprint"), ui.F().body, colors::kText, text_w);
      if (app.has_printer() && TouchButton(ui, "submitted.reprint", ui.T("receipt.try_again"),
                                           ImVec2(std::min(text_w, ui.S(520)), ui.S(88)))) {
        ui.Emit(intent::ReprintReceipt{});
      }
      break;
    case JobState::kNone: break;
  }
  ImGui::EndGroup();
  if (!ui.portrait()) ImGui::SameLine(0, ui.S(48));
  ImGui::BeginGroup();
  DrawQr(sub->client_id, qr_side);
  Wrapped(ui, ui.T("submitted.qr_hint"), ui.F().small, colors::kMuted, qr_side);
  ImGui::EndGroup();
  if (pay) {
    // The fee by bank transfer: the code carries the amount and the dossier's code, the same
    // VietQR as on the slip (both from the stored dossier).
    const bool en = app.strings().language() == Language::kEn;
    const std::string title = ui.T("submitted.fee_title") + " " + FormatVnd(pay->amount_vnd, en);
    if (side_by_side) {
      ImGui::SameLine(0, ui.S(48));
      ImGui::BeginGroup();
      DrawQr(pay->payload, qr_side);
      MarkItem(ui, "submitted.vietqr");
      Wrapped(ui, title, ui.F().bold, colors::kText, qr_side);
      Wrapped(ui, ui.T("submitted.fee_purpose") + " " + pay->purpose, ui.F().small, colors::kText, qr_side);
      Wrapped(ui, ui.T("submitted.fee_account") + " " + pay->account_name, ui.F().small, colors::kText, qr_side);
      Wrapped(ui, ui.T("submitted.fee_number") + " " + pay->account, ui.F().small, colors::kText, qr_side);
      ImGui::EndGroup();
      Wrapped(ui, ui.T("submitted.fee_hint") + " " + ui.T("submitted.fee_later"), ui.F().body, colors::kText,
              avail - ui.S(24));
    } else {
      ImGui::Dummy(ImVec2(0, ui.S(24)));
      Wrapped(ui, title, ui.F().bold, colors::kText, avail - ui.S(24));
      Wrapped(ui, ui.T("submitted.fee_hint"), ui.F().body, colors::kText, avail - ui.S(24));
      ImGui::BeginGroup();
      DrawQr(pay->payload, qr_side);
      MarkItem(ui, "submitted.vietqr");
      ImGui::EndGroup();
      ImGui::SameLine(0, ui.S(32));
      ImGui::BeginGroup();
      const float w = std::max(ui.S(200), avail - qr_side - ui.S(56));
      Wrapped(ui, ui.T("submitted.fee_account") + " " + pay->account_name, ui.F().body, colors::kText, w);
      Wrapped(ui, ui.T("submitted.fee_number") + " " + pay->account, ui.F().body, colors::kText, w);
      Wrapped(ui, ui.T("submitted.fee_purpose") + " " + pay->purpose, ui.F().bold, colors::kText, w);
      Wrapped(ui, ui.T("submitted.fee_later"), ui.F().small, colors::kMuted, w);
      ImGui::EndGroup();
    }
  }
  EndDragList(ui, "submitted.list");

  const float bw = (avail - 2 * ui.S(24)) / 3;
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ui.S(96) - ImGui::GetStyle().WindowPadding.y);
  if (TouchButton(ui, "submitted.ticket", ui.T("submitted.ticket"), ImVec2(bw, ui.S(96)))) ui.Go(ScreenId::kTicket);
  ImGui::SameLine(0, ui.S(24));
  if (TouchButton(ui, "submitted.rate", ui.T("submitted.rate"), ImVec2(bw, ui.S(96)))) ui.Go(ScreenId::kRating);
  ImGui::SameLine(0, ui.S(24));
  if (TouchButton(ui, "submitted.done", ui.T("submitted.done"), ImVec2(bw, ui.S(96)), ButtonKind::kPrimary)) {
    ui.Emit(intent::StartOver{});
  }
}

}  // namespace mck::app::ui
