// The simulated card reader, for the demo and UI tests: the same CardReader interface, identities
// from a JSON file (config/sim-identities.json), and a card inserted or removed on command — from
// inside the process (SetSimState) or from outside it (`kioskctl card sim insert N | remove |
// unplug | plug`, which writes the same small state file).
//
// State file: $MCK_CARD_SIM_STATE, else /tmp/mck-card-sim-<uid>.json:
//   {"reader": true, "card": 2, "fault": ""}
// card is 1-based into "identities" (0: no card); fault makes the next reads fail the way a real
// card does: "wrong_key" (kWrongKey), "not_emrtd" (kNotAnIdCard), "card_removed" (kCardRemoved,
// mid-read), "reader_unplugged" (kReaderGone, mid-read).
// Removing the card or unplugging the reader while a read is running fails it the same way.
//
// Identities file: {"read_delay_ms": 800, "identities": [ { identity keys as in IdentityToJson,
// "mrz": {...}, "chip_verified": true } ]}. A read needs the right access data, as a real chip
// does: document number (last 9 digits of the ID number) + date of birth (+ expiry when given),
// or the CAN (last 6 digits). Wrong data is kWrongKey.
//
// Threading: like every CardReader; Cancel() from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "drivers/card/card_reader.h"

namespace mck::card {

struct SimState {
  bool reader = true;
  int card = 0;       // 1-based identity index; 0 = no card
  std::string fault;  // "", "wrong_key", "not_emrtd", "card_removed", "reader_unplugged"
  bool operator==(const SimState&) const = default;
};

std::filesystem::path DefaultSimStatePath();
// Atomic write (temp file + rename). kIo on failure.
Status WriteSimState(const std::filesystem::path& path, const SimState& state);
// A missing file is the default state (reader present, no card).
Result<SimState> ReadSimState(const std::filesystem::path& path);

// From the JSON shape IdentityToJson writes (dates YYYY-MM-DD). kInvalidArgument naming the key.
Result<Identity> IdentityFromJson(const nlohmann::json& j);

constexpr char kSimReaderName[] = "Simulated CCCD reader (mô phỏng)";

class SimCardReader final : public CardReader {
 public:
  // Loads the identities; kNotFound / kInvalidArgument for a missing or malformed file.
  static Result<std::unique_ptr<SimCardReader>> Open(const std::filesystem::path& identities_file,
                                                     std::filesystem::path state_file = DefaultSimStatePath());

  CardResult<std::vector<std::string>> ListReaders() override;
  CardResult<Identity> Read(const std::string& reader, const AccessKey& key, const ReadProgress& progress) override;
  CardResult<std::vector<CardEvent>> WaitForChange(std::chrono::milliseconds timeout) override;
  void Cancel() override;

  const std::vector<Identity>& identities() const { return identities_; }
  const std::filesystem::path& state_file() const { return state_file_; }

 private:
  SimCardReader() = default;
  SimState Current();
  // Sleeps up to `d`; false when cancelled.
  bool Sleep(std::chrono::milliseconds d);

  std::vector<Identity> identities_;
  std::filesystem::path state_file_;
  int read_delay_ms_ = 800;
  std::optional<SimState> last_seen_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool cancelled_ = false;
};

}  // namespace mck::card
