// The card-reader interface: what the kiosk asks of a chip-ID-card (CCCD / Căn cước) reader,
// whatever sits behind it (PC/SC + ICAO 9303, or the simulator). The UI only sees this header.
//
// Threading: every call may block (card I/O takes seconds); call them on a device worker
// thread, never on the UI thread. Cancel() may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/card/card_failure.h"
#include "offline/domain/assurance.h"
#include "offline/domain/status.h"

namespace mck::card {

// What the machine-readable zone says (ICAO 9303 TD1 for the CCCD, TD3 for passports).
struct Mrz {
  std::string document_number;  // 9 digits for a CCCD: the last 9 of the ID number
  std::string surname;
  std::string given_names;
  std::string date_of_birth;   // YYYY-MM-DD
  std::string date_of_expiry;  // YYYY-MM-DD
  std::string nationality;     // "VNM"
  std::string sex;             // "M" | "F" | "<"
  // Added for the chip reader: a CCCD's TD1 optional data holds the full 12-digit ID number.
  std::string document_code;  // "ID", "P"
  std::string issuing_state;  // "VNM"
  std::string optional_data;  // fillers turned to spaces and trimmed
};

// The identity read from a card, with its provenance. Dates are YYYY-MM-DD. Absent fields stay
// empty optionals. ethnicity, religion and the face are sensitive data (Decree 13/2023): show
// them, never store them unless a form asks.
struct Identity {
  std::string id_number;
  std::string full_name;
  std::optional<std::string> date_of_birth, gender, nationality, ethnicity, religion, place_of_origin,
      place_of_residence, identifying_marks, date_of_issue, date_of_expiry, father_name, mother_name, spouse_name,
      old_id_number;
  std::optional<Mrz> mrz;
  std::string source = "chip";  // "chip" | "qr"
  bool chip_verified = false;   // every data group's hash matched the SOD (hashes only!)
  // The level the rest of the kiosk trusts (offline/domain/assurance.h): kChipVerified only when
  // the hashes match, the SOD's signer chains to a configured CSCA and the chip proved its key.
  Assurance assurance = Assurance::kTyped;
  // How the chip proved it holds its private key: "ca" (Chip Authentication, DG14), "aa" (Active
  // Authentication, DG15) or "none" (the card offers neither, or only algorithms this reader
  // does not implement: never kChipVerified). A chip that fails the proof is refused
  // (CardFailure::kNotGenuine), never read with "none".
  std::string key_proof = "none";
  std::optional<bool> sod_signature_valid;  // set only when a CSCA was configured (true: a refused
                                            // signature fails the read with kNotGenuine)
  std::string face_jp2;                     // DG2 image bytes (JPEG 2000), may be empty; never stored
};

// The keys of `kioskctl card read --json` (absent keys for absent fields).
nlohmann::json IdentityToJson(const Identity& id);

// How to open the chip. For a CCCD the citizen never types an MRZ: it comes from the ID number
// (and the QR or typed date of birth); see shared/domain/vn-facts.md §2.2.
// AccessKeyFromIdNumber (mrz.h) and AccessKeyFromQr (qr.h) build one for a CCCD.
struct AccessKey {
  std::optional<std::string> can;  // PACE card access number
  std::string document_number;     // BAC
  std::string date_of_birth;       // YYMMDD
  std::string date_of_expiry;      // YYMMDD; empty: try the dates the renewal ages allow
  // Added: the 12-digit ID number when known (the simulator matches on it), and the card's issue
  // date (YYYY-MM-DD, from the QR) which narrows the expiry dates to try.
  std::string id_number;
  std::string date_of_issue;
  // Also read the face (DG2, ~15 kB more): only the staff screen's comparison at the counter asks
  // (docs/card.md "The face on the staff screen"); the citizen's reads never do. Readers without a
  // face (the simulator) leave Identity::face_jp2 empty.
  bool read_face = false;
};

enum class CardEventKind { kReaderAdded, kReaderRemoved, kCardInserted, kCardRemoved };
struct CardEvent {
  CardEventKind kind;
  std::string reader;
};

// Progress of a read, for the UI's progress bar: (bytes read so far, bytes expected, 0 if unknown).
using ReadProgress = std::function<void(size_t done, size_t total)>;

class CardReader {
 public:
  virtual ~CardReader() = default;
  virtual CardResult<std::vector<std::string>> ListReaders() = 0;
  // Reads and checks the card in `reader` (empty: the first reader with a card). A failure says
  // its kind (card_failure.h): kWrongKey when the chip refuses the access key, kCardRemoved for
  // a card pulled mid-read, kReaderGone for a reader unplugged, kServiceDown when pcscd is down,
  // kNotAnIdCard for a card without the eMRTD application, ...; its Status's Vietnamese message
  // tells the citizen what to do. A face (DG2) that cannot be extracted is never a failed read.
  virtual CardResult<Identity> Read(const std::string& reader, const AccessKey& key, const ReadProgress& progress) = 0;
  // Blocks up to `timeout` for readers or cards to change; returns what changed (may be empty).
  // The first call reports what is already there (kReaderAdded, kCardInserted) without waiting.
  virtual CardResult<std::vector<CardEvent>> WaitForChange(std::chrono::milliseconds timeout) = 0;
  // Wakes a blocked WaitForChange or Read from another thread.
  virtual void Cancel() = 0;
};

}  // namespace mck::card

namespace mck {
struct KioskConfig;
namespace card {
// The composition roots' one call: devices.card_reader = "pcsc" (card_reader_name, csca_file, crl_file)
// or "sim" (card_sim_file; the state file of sim_reader.h). kInvalidArgument for another value or
// a malformed sim file, kNotFound for a missing one.
Result<std::unique_ptr<CardReader>> MakeCardReader(const KioskConfig& config);
}  // namespace card
}  // namespace mck
