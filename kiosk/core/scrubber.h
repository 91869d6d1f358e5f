// The support bundle's scrubber (`kioskctl diag bundle`, docs/kioskctl.md): removes personal data
// from any text before it leaves the kiosk — the values the store still holds (every dossier
// not purged: the applicant's name, ID number, phone, date of birth, address, and the form's
// text fields), in every form looked for, and by pattern what looks like an ID number or a phone.
//
// Forms of a known value: the text is first made valid UTF-8 (bad bytes become '?') and NFC, so a
// value typed in NFD (combining marks) is found as its NFC form; each value is looked for in NFC,
// upper and lower case, and without marks ("nguyen thi hoa", any ASCII case); numbers also with
// spaces, dots or dashes between groups; dates of birth as 1990-03-15, 15/03/1990, 15-03-1990,
// 15.03.1990, 15/3/1990, 15031990 and 19900315. Patterns: a run of exactly 12 digits (citizen ID;
// the last group of a UUID is kept, so dossier client ids stay readable), and a Vietnamese phone
// number (0 or +84 and 9 more digits, with or without separators).
//
// What it cannot see: a name that is neither in the store (purged already) nor next to a pattern;
// the bundle only collects the kiosk's own logs, which by the logging rules hold none.
//
// Thread-safety: none; one Scrubber per bundle.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "offline/domain/status.h"

namespace mck {
class Store;
}

namespace mck::core {

// A TOML configuration's text with the value of every key that names a secret (token, secret,
// password, passphrase, pin, pin_hash, private_key, alone or as the last part of the name:
// "enrol_token") replaced by "[removed]". Other keys ("pin_max_attempts") are kept.
std::string RemoveConfigSecrets(const std::string& toml);

class Scrubber {
 public:
  enum class Kind { kName, kIdNumber, kPhone, kDate, kText };

  // Adds one known value in every form above (values shorter than 3 characters are ignored).
  void AddKnown(std::string_view value, Kind kind);
  // Adds the personal values of every dossier the store holds (not purged).
  Status AddFromStore(Store& store);
  // `text` without any known value or pattern; replacements read "[redacted-<kind>]".
  std::string Scrub(std::string_view text);
  // Replacements made so far, by kind ("name", "id_number", "phone", "date", "text").
  const std::map<std::string, int>& counts() const { return counts_; }
  size_t known_values() const { return needles_.size(); }

 private:
  struct Needle {
    std::string text;  // NFC, or ASCII lower case when ascii_fold
    bool ascii_fold = false;
    std::string kind;
  };
  void AddNeedle(std::string text, bool ascii_fold, const std::string& kind);
  std::vector<Needle> needles_;
  std::map<std::string, int> counts_;
};

}  // namespace mck::core
