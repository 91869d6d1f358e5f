// The commune's officers (store.officers()): who may open staff mode, by name, each with their
// own PIN (docs/officers.md). Staff mode names the officer signed in; every audit row of theirs
// names them ("officer:<id>", Store::SetStaffActor) and so does every counter decision.
//
// An officer has the portal's staff id (the decision body's "officer"), a name and title as the
// Mẫu 01 receipt prints them, and the counters they serve. Their PIN is kept as the staff PIN is
// (pin_record.h: PBKDF2, salted), 6 to 12 digits, not trivial, never the technician's; after
// `max_attempts` wrong PINs in a row the officer is locked out for the ladder's time (5, 15, 60,
// 60 min by default); other officers are not. A disabled officer cannot sign in; their rows stay
// (the audit and decisions name them). Officers are staff data, not citizens': no sealing.
// Every change, sign-in, failure and sign-out is an audit row in the transaction that makes it
// (never the PIN).
//
// Thread-safety: as Store.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/status.h"
#include "offline/store/part.h"

namespace mck {

struct Officer {
  std::string id;     // the portal's staff id: 1-32 of [a-z0-9._-] ("cb.lan", "0012")
  std::string name;   // "Nguyễn Thị Lan" (NFC)
  std::string title;  // "Công chức Tư pháp - Hộ tịch"; may be empty
  std::vector<std::string> counters;  // the queue counters they serve ("HT"); empty: any
  bool disabled = false;
  // How they sign in: "pin" (their own PIN, below) or "token" (the PIN of their signing token,
  // checked by the token; the certificate must name them: docs/officers.md).
  std::string sign_in = "pin";
  std::string created_at;  // RFC 3339, +07:00
  // While locked out: when it ends (unix seconds), else 0.
  int64_t locked_until = 0;
};

struct OfficerPinPolicy {
  int max_attempts = 5;
  std::chrono::seconds lockout{300};
  int iterations = 200000;
};

// kUseToken: the officer signs in with their signing token (SignedInWithToken after the token said yes).
enum class OfficerCheck { kOk, kWrong, kLocked, kUnknown, kDisabled, kUseToken };

struct OfficerSignIn {
  OfficerCheck check = OfficerCheck::kWrong;
  int attempts_left = 0;     // kWrong
  int64_t locked_for_s = 0;  // kLocked
  Officer officer;           // kOk
};

class OfficerBook : public StorePart {
 public:
  using StorePart::StorePart;

  // The audit actor of an officer's rows.
  static std::string Actor(const std::string& officer_id) { return "officer:" + officer_id; }
  // kInvalidArgument (Vietnamese reason) when the id, name or counters are not acceptable.
  static Status CheckOfficer(const Officer& o);

  // A new officer with `pin` (the technician's act: audit "officer.added"). kAlreadyExists when
  // the id is taken; kInvalidArgument for a bad id/name/PIN, or the technician's PIN. An officer
  // with sign_in "token" has no PIN: `pin` must be empty.
  Status Add(const Officer& officer, const std::string& pin, const OfficerPinPolicy& policy);
  // Every officer, enabled first, by name.
  Result<std::vector<Officer>> List();
  // Whether any enabled officer exists: staff mode then signs in by officer, not the shared PIN.
  Result<bool> AnyEnabled();
  // kNotFound when no officer has that id.
  Result<Officer> Get(const std::string& id);
  // Disable or enable again ("officer.disabled" / "officer.enabled").
  Status SetDisabled(const std::string& id, bool disabled);
  // A new PIN (the officer forgot theirs): clears failures, the lock and the ladder.
  Status ResetPin(const std::string& id, const std::string& pin, const OfficerPinPolicy& policy);
  // Lifts a lock-out without changing the PIN ("officer.unlocked_by_technician").
  Status Unlock(const std::string& id);
  // Checks an officer's PIN at the screen: counts failures and locks as the policy says. While
  // locked the PIN is not even compared. kOk writes "officer.signed_in".
  Result<OfficerSignIn> SignIn(const std::string& id, const std::string& pin, const OfficerPinPolicy& policy);
  // An officer who signs in with the token: the kiosk has logged in to the token with its PIN,
  // signed a challenge and checked the certificate against the officers' CA and their name
  // (kiosk/core/decision_signer.h); this records "officer.signed_in" (by=token, the serial).
  Result<OfficerSignIn> SignedInWithToken(const std::string& id, const std::string& certificate_serial);
  // "officer.signed_out" with why ("button", "inactivity", "session_end").
  Status SignedOut(const std::string& id, const std::string& why);
};

}  // namespace mck
