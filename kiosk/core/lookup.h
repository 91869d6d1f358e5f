// Looking a dossier up: first the kiosk's own store (a queued dossier is known only here), then —
// when the kiosk is enrolled — the portal, asked by the dossier's official code once it has one
// and by its client id before. The portal's answer is recorded in the store and its status is
// shown in the one table's words (offline/domain/portal_status.h). The look-up screen and
// `kioskctl lookup` call this; the screen asks the portal on a worker, kioskctl in line.
// Thread-safety: one thread at a time (it uses the caller's Store connection).
#pragma once

#include <optional>
#include <string>

#include "offline/domain/catalog.h"
#include "offline/store/store.h"

namespace mck::core {

// What a look-up shows: codes, procedure, states, dates. Never the applicant's data.
struct LookupResult {
  std::string client_id, provisional_code, dossier_code, procedure_name;
  std::string state;  // queued | sending | accepted | needs_attention
  std::string portal_status, portal_status_text, appointment_date, submitted_at;
  std::string portal_key;  // what to ask the portal: the official code, else the client id
};

// What the citizen typed or scanned, as the store looks it up: a client id (a QR) unchanged,
// a code trimmed and upper-cased. Empty when nothing was typed.
std::string NormaliseLookupKey(const std::string& typed);

// The portal's answer, as the portal look-up returns it.
struct PortalAnswer {
  std::string status, status_text, updated_at, appointment_date;
};

class DossierLookup {
 public:
  DossierLookup(Store& store, const Catalog& catalog) : store_(store), catalog_(catalog) {}
  // kNotFound when the kiosk has no such dossier.
  Result<LookupResult> Local(const std::string& typed);
  // Records the portal's answer for the dossier `result` describes and merges it into `result`.
  Status RecordPortalAnswer(LookupResult& result, const PortalAnswer& answer);

 private:
  Store& store_;
  const Catalog& catalog_;
};

// Merges the portal's answer into what the screen shows (no store write; the screen's look-up
// worker has no connection of its own to write with).
void MergePortalAnswer(LookupResult& result, const PortalAnswer& answer);

}  // namespace mck::core
