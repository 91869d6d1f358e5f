// The applicant's chip read at the counter, from the staff dossier (docs/card.md "The face on the
// staff screen"): the officer puts the applicant's card on the reader and taps "Đọc thẻ CCCD để
// đối chiếu"; the card worker reads it with the dossier's ID number and date of birth as the access
// key, DG2 included, and decodes the face off the UI thread (devices.cpp). The face is shown only
// when the chip's ID number is the dossier's. Memory only, never logged or stored: wiped when
// another read starts and with the dossier (CloseStaffDossier: left, signed out, timed out).
#include <iostream>

#include "drivers/card/mrz.h"
#include "kiosk/app/app.h"
#include "kiosk/app/card_messages.h"
#include "kiosk/core/identity_assurance.h"
#include "offline/domain/clock.h"

namespace mck::app {

namespace {
std::string ApplicantValue(const StaffDossierView& v, const std::string& key) {
  for (const auto& [k, value] : v.applicant) {
    if (k == key) return value;
  }
  return "";
}
}  // namespace

void App::WipeChipFace(StaffDossierView& v) {
  StaffDossierView::ChipFace& c = v.chip;
  if (c.state == JobState::kRunning && deps_.card) deps_.card->Cancel();  // its result is ignored
  card::WipeFaceImage(c.image);
  c = StaffDossierView::ChipFace{};
}

void App::On(const intent::StaffReadChip&) {
  if (!desk_.dossier) return;
  StaffDossierView& v = *desk_.dossier;
  WipeChipFace(v);  // nothing of an earlier read stays on screen
  StaffDossierView::ChipFace& c = v.chip;
  c.state = JobState::kFailed;
  if (!deps_.card) {
    c.message_key = "card.not_configured";
    return;
  }
  // The dossier's ID number and date of birth open the chip (BAC/PACE): another person's card
  // does not open with them, and one that does is checked again below.
  const auto dob = ParseDate(ApplicantValue(v, "applicant.date_of_birth"));
  auto key = dob ? card::AccessKeyFromIdNumber(ApplicantValue(v, "applicant.id_number"), *dob)
                 : Result<card::AccessKey>(Status::Error(Code::kInvalidArgument, "no date of birth"));
  if (v.purged || !key.ok()) {
    c.message_key = "staff_dossier.chip_no_key";
    return;
  }
  key->read_face = true;
  c.request = deps_.card->Read(*key);
  c.state = JobState::kRunning;
  c.message_key = "staff_dossier.chip_reading";
}

void App::OnStaffChipRead(const CardReadFinished& e) {
  StaffDossierView& v = *desk_.dossier;
  StaffDossierView::ChipFace& c = v.chip;
  if (c.state != JobState::kRunning) return;
  inactivity_.Touch();
  c.state = JobState::kFailed;
  if (!e.identity || !e.status.ok()) {
    // The access key is the dossier's: a chip that refuses it is most likely another person's card.
    c.message_key =
        e.failure == card::CardFailure::kWrongKey ? "staff_dossier.chip_wrong_key" : CardFailureMessageKey(e.failure);
    std::cerr << "kiosk: staff chip read failed (" << card::CardFailureName(e.failure) << ")\n";
    return;
  }
  if (e.identity->id_number != ApplicantValue(v, "applicant.id_number")) {
    c.message_key = "staff_dossier.chip_other_person";  // no face of someone else on screen
    return;
  }
  c.state = JobState::kDone;
  const core::AssuranceText level = core::DescribeAssurance(e.identity->assurance, "chip");
  c.assurance_key = level.key;
  c.verified = e.identity->assurance == Assurance::kChipVerified;
  if (e.face) {
    c.image = *e.face;  // the event's copy is wiped after this (WipeEvent)
    c.image_id = ++chip_faces_;
    c.message_key = "staff_dossier.chip_face";
  } else if (!e.face_status.ok()) {
    c.message_key = "staff_dossier.chip_face_error";
    c.image_error_vi = e.face_status.message_vi();
    std::cerr << "kiosk: staff chip read: face not shown: " << e.face_status.ToString() << "\n";  // no pixels
  } else {
    c.message_key = "staff_dossier.chip_no_face";
  }
}

}  // namespace mck::app
