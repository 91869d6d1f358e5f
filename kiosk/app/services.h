// What the kiosk's screens ask of the devices, as small interfaces the composition root
// (main.cpp) fills with workers over the real drivers or their simulators. Every call returns
// at once; the result comes back later as an event on the EventQueue (PrintFinished,
// CardReadFinished, ...), so the UI thread never waits on a printer or a card.
//
// Thread-safety: call from the UI thread; implementations post events from their own threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "drivers/card/card_reader.h"
#include "drivers/printer/documents.h"

namespace mck::app {

class PrintService {
 public:
  virtual ~PrintService() = default;
  // Queues a job; PrintFinished{job_id} follows. Jobs print in order. The documents come from
  // the use cases (kiosk/core/documents.h, tickets.h), exactly as kioskctl prints them.
  virtual uint64_t PrintReceipt(const printer::KioskSlip& slip) = 0;
  virtual uint64_t PrintTicket(const printer::QueueTicketInfo& ticket) = 0;
  // The official receipt (Mẫu 01) when an officer accepts a dossier at the counter.
  virtual uint64_t PrintOfficialReceipt(const printer::OfficialReceipt& receipt) = 0;
  // The fee's receipt (biên lai) once the portal says it was paid (docs/payment.md).
  virtual uint64_t PrintFeeReceipt(const printer::FeeReceipt& receipt) = 0;
  // The technician's test page (every Vietnamese letter, rules, a QR) with the printer's state
  // as it answered just before (paper low, …): PrintFinished{kind kTestPage}.
  virtual uint64_t PrintTestPage(const std::string& printed_at) = 0;
};

class CardService {
 public:
  virtual ~CardService() = default;
  // Starts a chip read with `key`; CardReadFinished{request_id} follows.
  virtual uint64_t Read(const card::AccessKey& key) = 0;
  // Abandons a read in progress (the citizen left); its result is still posted, and ignored.
  virtual void Cancel() = 0;
};

// Asks the provincial portal about a dossier (official code or client id); PortalLookupFinished
// follows. Only when the kiosk is enrolled; the UI shows the local state either way.
class PortalLookupService {
 public:
  virtual ~PortalLookupService() = default;
  virtual uint64_t Lookup(const std::string& key) = 0;
};

// Read-aloud (docs/speech.md): main.cpp's SpeechPlayer (speech_player.h: the espeak-ng worker
// playing through SDL audio). Say replaces what is being said and returns at once; Stop silences.
// Texts come from the catalogs (i18n strings, the procedure catalog's labels and help), except
// the review screen's read-back, the only utterance marked kPersonal (App::ReadBack).
enum class SpeechPrivacy { kPublic, kPersonal };
struct Utterance {
  std::string text;
  std::string voice = "vi";  // espeak-ng's voice name
  int rate_wpm = 140;
  int volume = 100;  // 0..200
  SpeechPrivacy privacy = SpeechPrivacy::kPublic;
};
class SpeechService {
 public:
  virtual ~SpeechService() = default;
  virtual void Say(Utterance u) = 0;
  virtual void Stop() = 0;
  // The calling display's call (docs/calling-display.md): a chime and `text` ("Mời số không một
  // hai đến quầy Hộ tịch", drivers/speech/call.h) in the config's voice. Calls queue one after
  // another; Say and Stop never cut one short, and the read-aloud waits while a call plays.
  // Ticket numbers and counter names only.
  virtual void Call(std::string text) = 0;
};

}  // namespace mck::app
