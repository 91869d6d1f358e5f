// The keyboard-wedge QR scanner's line (App::WedgeText, App::WedgeEnter): a card's QR carries the
// citizen's ID number, name and birth date, so the partial line lives in the App, where the
// session's wipe zeroes it (app_events.cpp, WipeSession), not in a local of the frame loop.
#include "kiosk/app/app.h"
#include "offline/domain/ids.h"

namespace mck::app {

void App::WedgeText(const char* utf8) {
  wedge_ += utf8;
  if (wedge_.size() > 4096) SecureWipe(wedge_);  // no scanner sends that much: noise
}

bool App::WedgeEnter() {
  if (wedge_.empty()) return false;
  std::string line = wedge_;  // the event owns its copy (QrScanned handling wipes what it keeps)
  SecureWipe(wedge_);
  OnEvent(QrScanned{line});
  SecureWipe(line);
  return true;
}

void WipeIdentity(card::Identity& id) {
  for (std::string* s : {&id.id_number, &id.full_name, &id.face_jp2}) SecureWipe(*s);
  for (auto* o : {&id.date_of_birth, &id.gender, &id.nationality, &id.ethnicity, &id.religion, &id.place_of_origin,
                  &id.place_of_residence, &id.identifying_marks, &id.date_of_issue, &id.date_of_expiry, &id.father_name,
                  &id.mother_name, &id.spouse_name, &id.old_id_number}) {
    if (*o) SecureWipe(**o);
    o->reset();
  }
  if (id.mrz) {
    card::Mrz& m = *id.mrz;
    for (std::string* s :
         {&m.document_number, &m.surname, &m.given_names, &m.date_of_birth, &m.date_of_expiry, &m.optional_data}) {
      SecureWipe(*s);
    }
    id.mrz.reset();
  }
}

void WipeEvent(UiEvent& event) {
  if (auto* c = std::get_if<CardReadFinished>(&event); c && (c->identity || c->face)) {
    if (c->identity) WipeIdentity(*c->identity);
    c->identity.reset();
    if (c->face) card::WipeFaceImage(*c->face);
    c->face.reset();
  } else if (auto* q = std::get_if<QrScanned>(&event)) {
    SecureWipe(q->payload);
  } else if (auto* f = std::get_if<ScanFinished>(&event)) {
    for (auto& p : f->pages) WipePage(p);
  } else if (auto* b = std::get_if<ScanBound>(&event)) {
    SecureWipe(b->pdf);
  }
}

}  // namespace mck::app
