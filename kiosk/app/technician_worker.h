// The technician's slow work, off the UI thread (issue 10): checking the CA file a technician
// picked, provisioning (the enrolment over the network, the first staff PIN, the devices:
// kiosk/core/provisioning.h), the diagnostics report (kiosk/core/diagnostics.h) and the
// certificate with its renewal (offline/sync/renewal.h). Each request answers with one or more
// TechnicianAnswer events (event_queue.h): plain, already formatted values, never a pointer.
//
//   TechnicianWorker  one thread with its OWN Store connection (opened on that thread), like the
//                     CoreWorker; requests run in order.
//
// No personal data passes here: the plan holds the token and the staff PIN (secrets, wiped after
// use, never logged), the answers hold codes, dates, counts and the portal's address.
// Thread-safety: call from the UI thread; answers are posted from the worker thread.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/event_queue.h"
#include "kiosk/core/provisioning.h"
#include "offline/domain/config.h"
#include "offline/domain/worker.h"
#include "offline/store/store.h"

namespace mck::app {

// The store's settings keys for the voice set on the technician screen (SaveSpeech).
inline constexpr const char* kSpeechVolumeSetting = "speech.volume";
inline constexpr const char* kSpeechRateSetting = "speech.rate_wpm";

// An act on the officers (docs/officers.md), for the officers' screen. The PIN is a secret: the
// worker wipes it once the store has it (never logged).
struct OfficerRequest {
  enum class Op { kList, kAdd, kDisable, kEnable, kResetPin, kUnlock };
  Op op = Op::kList;
  Officer officer;  // kAdd: the new officer; otherwise only its id
  std::string pin;  // kAdd, kResetPin
};

class TechnicianService {
 public:
  virtual ~TechnicianService() = default;
  // kCaFiles: the .pem/.crt files in `dirs` and one level below (a USB stick's mount point),
  // sorted, at most 12 (one screen's worth). Off the UI thread: /media may be a slow stick.
  virtual uint64_t ListCaFiles(std::vector<std::filesystem::path> dirs) = 0;
  // Reads a PEM certificate: kCaFile with its subject and SHA-256 fingerprint (ok=false: not one).
  virtual uint64_t ReadCa(std::filesystem::path file) = 0;
  // ValidatePlan, then Enrol, SetStaffPin, RecordDevices: a kStep answer per step as it is made,
  // then kDone (ok=false at the first failure, its calm Vietnamese text). The technician PIN is
  // not part of it (it was set at install: `kioskctl staff set-pin --role technician`).
  virtual uint64_t Provision(core::ProvisioningPlan plan) = 0;
  // kDiagnostics: the report as (label key, value) rows.
  virtual uint64_t Diagnostics(std::optional<std::string> printer_state,
                               std::optional<std::string> card_reader_state) = 0;
  // kCertificate: subject, serial, expiry, days left; with `renew`, after renewing it now.
  virtual uint64_t Certificate(bool renew) = 0;
  // Keeps the voice's volume and speed set on the technician screen in the store's settings
  // (speech.volume, speech.rate_wpm), for the next start (App's constructor reads them). No answer:
  // a failure is logged, the values stay for this run.
  virtual uint64_t SaveSpeech(int volume, int rate_wpm) = 0;
  // The act on the officers (the store audits it, actor "technician"; kAdd and kResetPin run
  // PBKDF2), then kOfficers with the list read again: ok=false with the Vietnamese reason.
  virtual uint64_t Officers(OfficerRequest request) = 0;
};

struct TechnicianWorkerOptions {
  StoreOptions store;  // the worker opens its own connection on the same directory
  const KioskConfig* config = nullptr;
  const Clock* clock = nullptr;
  std::string version;
  std::string hostname;
};

class TechnicianWorker final : public TechnicianService {
 public:
  TechnicianWorker(TechnicianWorkerOptions options, EventQueue& events);
  ~TechnicianWorker() override;

  uint64_t ListCaFiles(std::vector<std::filesystem::path> dirs) override;
  uint64_t ReadCa(std::filesystem::path file) override;
  uint64_t Provision(core::ProvisioningPlan plan) override;
  uint64_t Diagnostics(std::optional<std::string> printer_state, std::optional<std::string> card_reader_state) override;
  uint64_t Certificate(bool renew) override;
  uint64_t SaveSpeech(int volume, int rate_wpm) override;
  uint64_t Officers(OfficerRequest request) override;

 private:
  uint64_t Enqueue(std::function<void(Store*, uint64_t id)> job);

  TechnicianWorkerOptions options_;
  EventQueue& events_;
  uint64_t next_id_ = 1;                                      // UI thread only
  std::unique_ptr<Store> store_;                              // worker thread only; null when it could not be opened
  Worker worker_{"technician", Worker::AtStop::kRunPending};  // last: its thread uses the members above
};

// The listing behind ListCaFiles (blocking; the worker's).
std::vector<std::string> FindCaFiles(const std::vector<std::filesystem::path>& dirs);

// The SHA-256 fingerprint of a PEM certificate's DER, as "AB:CD:…" (what `openssl x509
// -fingerprint -sha256` prints), and its subject. kNotFound / kCorrupt.
struct CaFileInfo {
  std::string subject, sha256;
};
Result<CaFileInfo> ReadCaFileInfo(const std::filesystem::path& file);

}  // namespace mck::app
