// One screen per file. Each Draw* function draws the screen's content inside the body window
// (below the header, above the keyboard) from the App's state and emits Intents; screens keep
// no state of their own (the App owns the data; drag-scroll offsets live in Ui::lists and are
// reset whenever the screen changes, like an OnEnter).
#pragma once

#include "kiosk/app/ui/frame.h"

namespace mck::app::ui {

void DrawAttract(Ui& ui);
void DrawMenu(Ui& ui);
void DrawIdentify(Ui& ui);
void DrawApplicant(Ui& ui);
void DrawProcedure(Ui& ui);
void DrawBeforeStart(Ui& ui);
void DrawForm(Ui& ui);
void DrawDocuments(Ui& ui);
void DrawScan(Ui& ui);
// Destroys the page previews' textures of pages not on the scan screen now (scan.cpp).
void ReleasePreviews(Ui& ui);
// The staff dossier's chip read (screens/staff_face.cpp): the button, its message, and the face
// in a box `face_w` wide beside the applicant, its caption `caption_w` wide to its right; ReleaseChipFace frees the face's texture once the
// dossier no longer holds it (every frame, like ReleasePreviews).
void DrawChipRead(Ui& ui, const StaffDossierView& v, float w);
void DrawChipFace(Ui& ui, const StaffDossierView::ChipFace& chip, float face_w, float caption_w);
void ReleaseChipFace(Ui& ui);
void DrawReview(Ui& ui);
void DrawSubmitted(Ui& ui);
void DrawLookup(Ui& ui);
void DrawTicket(Ui& ui);
void DrawRating(Ui& ui);
void DrawThanks(Ui& ui);
void DrawStaffPin(Ui& ui);
void DrawStaff(Ui& ui);
void DrawStaffDossier(Ui& ui);
// Technician mode (technician.cpp, technician_setup.cpp).
void DrawTechPin(Ui& ui);
void DrawTechnician(Ui& ui);
void DrawTechSetup(Ui& ui);
void DrawTechDevices(Ui& ui);
void DrawTechCertificate(Ui& ui);
void DrawTechDiagnostics(Ui& ui);
void DrawTechStop(Ui& ui);
void DrawTechOfficers(Ui& ui);  // tech_officers.cpp
// The "Bạn còn ở đó không?" overlay during the inactivity countdown.
void DrawStillThere(Ui& ui);

}  // namespace mck::app::ui
