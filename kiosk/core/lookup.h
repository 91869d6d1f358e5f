// Looking a dossier up: first the kiosk's own store (a queued dossier is known only here), then —
// when the kiosk is enrolled — the portal, asked by the dossier's official code once it has one
// and by its client id before. The portal's answer is recorded in the store and its status is
// shown in the one table's words (offline/domain/portal_status.h). The look-up screen and
// `kioskctl lookup` call this; the screen asks the portal on a worker, kioskctl in line.
// Thread-safety: one thread at a time (it uses the caller's Store connection).
#pragma once

#include <deque>
#include <optional>
#include <string>

#include "offline/domain/catalog.h"
#include "offline/domain/clock.h"
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
  // kNotFound when the kiosk has no such dossier. For staff and kioskctl (who may see any
  // dossier on the box): no proof asked.
  Result<LookupResult> Local(const std::string& typed);
  // For a citizen at the screen: a provisional or official code is sequential and guessable, so
  // it shows nothing alone. Shown: the receipt's QR (the dossier's client id, a random UUID
  // printed only on the kiosk slip and Mẫu 01), or a code with the applicant's date of birth
  // (`date_of_birth` "YYYY-MM-DD", compared in constant time with the stored dossier's).
  //   nothing typed                    kInvalidArgument  ("lookup.empty")
  //   a code without a date of birth   kFailedPrecondition ("lookup.need_dob"; not even looked up)
  //   unknown, or a wrong date of birth, or purged (no date of birth left to compare)
  //                                    kNotFound, the same for all three: no oracle
  Result<LookupResult> ForCitizen(const std::string& typed, const std::string& date_of_birth);
  // Records the portal's answer for the dossier `result` describes and merges it into `result`.
  Status RecordPortalAnswer(LookupResult& result, const PortalAnswer& answer);

 private:
  Store& store_;
  const Catalog& catalog_;
};

// How often a screen may look dossiers up: per citizen session and per minute for the whole
// kiosk (someone trying code after code with birth dates). Time from the injected Clock.
// Thread-safety: one thread (the UI thread).
class LookupThrottle {
 public:
  static constexpr int kPerSession = 5;
  static constexpr int kPerMinute = 10;
  explicit LookupThrottle(const Clock& clock, int per_session = kPerSession, int per_minute = kPerMinute)
      : clock_(clock), per_session_(per_session), per_minute_(per_minute) {}
  // Counts one attempt. kRejected ("lookup.too_many", a Vietnamese message) once this session
  // made per_session attempts, or the kiosk per_minute in the last 60 seconds; a refused attempt
  // is not counted.
  Status Admit();
  // A new citizen: the session's count starts again (the kiosk's minute does not).
  void NewSession() { session_ = 0; }

 private:
  const Clock& clock_;
  int per_session_, per_minute_;
  int session_ = 0;
  std::deque<SteadyPoint> recent_;
};

// Merges the portal's answer into what the screen shows (no store write; the screen's look-up
// worker has no connection of its own to write with).
void MergePortalAnswer(LookupResult& result, const PortalAnswer& answer);

}  // namespace mck::core
