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

// What a dossier receipt shows (the "Đã nộp" slip; the official Mẫu 01 comes from staff).
struct ReceiptData {
  std::string commune_name;
  std::string provisional_code;
  std::string client_id;  // carried by the QR
  std::string procedure_code;
  std::string procedure_name;
  std::string field;     // lĩnh vực
  std::string counter;   // where to go next
  int64_t fee_vnd = -1;  // -1: not stated
  std::string applicant_name;
  std::string submitted_at;  // RFC 3339, Vietnam time
  std::string reprinted_at;  // set by a staff reprint: the slip says "Bản in lại"
  int processing_days = 0;
  std::vector<std::string> documents_to_present;
};

struct TicketData {
  std::string commune_name;
  std::string counter;       // "HT"
  std::string counter_name;  // "Hộ tịch"
  int number = 0;
  int waiting_before = 0;
  std::string issued_at;         // RFC 3339
  std::string provisional_code;  // the linked dossier, when there is one
};

class PrintService {
 public:
  virtual ~PrintService() = default;
  // Queues a job; PrintFinished{job_id} follows. Jobs print in order.
  virtual uint64_t PrintReceipt(const ReceiptData& receipt) = 0;
  virtual uint64_t PrintTicket(const TicketData& ticket) = 0;
  // The official receipt (Mẫu 01) when an officer accepts a dossier at the counter.
  virtual uint64_t PrintOfficialReceipt(const printer::OfficialReceipt& receipt) = 0;
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

}  // namespace mck::app
