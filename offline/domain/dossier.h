// What the kiosk keeps about a dossier and the records around it (attachments, ratings, counter
// decisions, outbox items), as plain values. The store (offline/store) is their system of
// record; the printer documents (drivers/printer/dossier_documents.h) and the sync engine
// (offline/sync) read them. Nothing here touches a database, a device or the network.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mck {

// A dossier's local life cycle (docs/store.md): queued → sending → accepted | needs_attention.
enum class DossierState { kQueued, kSending, kAccepted, kNeedsAttention };
// The word stored in the database and shown by kioskctl: "queued", "sending", "accepted",
// "needs_attention".
const char* DossierStateName(DossierState s);
std::optional<DossierState> ParseDossierState(std::string_view s);

// In JSON a state is its stored word, never its number.
NLOHMANN_JSON_SERIALIZE_ENUM(DossierState, {{DossierState::kQueued, "queued"},
                                            {DossierState::kSending, "sending"},
                                            {DossierState::kAccepted, "accepted"},
                                            {DossierState::kNeedsAttention, "needs_attention"}})

struct NewAttachment {
  std::string name;        // "giay-chung-sinh.jpg"
  std::string media_type;  // "image/jpeg"
  std::string data;        // the bytes
};

struct SubmittedDossier {
  std::string client_id;         // UUID v4, the Idempotency-Key
  std::string provisional_code;  // K07-261122-0003
  std::string submitted_at;      // RFC 3339, +07:00
};

struct DossierSummary {
  int64_t id = 0;
  std::string client_id;
  std::string provisional_code;
  std::string procedure_code;
  DossierState state = DossierState::kQueued;
  std::optional<std::string> dossier_code;      // official code, once accepted
  std::optional<std::string> appointment_date;  // YYYY-MM-DD
  std::optional<std::string> portal_status;     // received, processing, ...
  int attempts = 0;
  std::optional<std::string> last_error;  // for staff; never personal data
  std::string submitted_at;
  bool purged = false;
};

// A dossier's fee as the portal last said (docs/payment.md "Payment status").
struct FeePayment {
  int64_t amount_vnd = 0;
  bool paid = false;
  std::string paid_at;    // RFC 3339 once paid
  std::string reference;  // the bank's transfer reference once paid
};

struct DossierRecord : DossierSummary {
  std::string catalog_version;
  std::optional<std::string> portal_status_text;
  std::optional<std::string> portal_updated_at;
  std::optional<std::string> accepted_at;
  nlohmann::json needs_attention_details;  // the portal's reasons (array), or null
  std::optional<FeePayment> fee;            // from the portal's status poll; nullopt: not heard of
  int digitised_documents = 0;              // papers scanned at the kiosk (kept after the purge)
  // The portal body (client_id, provisional_code, submitted_at, applicant, fields, documents,
  // attachments); null once purged.
  nlohmann::json body;
};

struct AttachmentInfo {
  std::string sha256;
  int64_t size = 0;
  std::string media_type;
};

// A citizen's rating of the service at a counter.
struct Rating {
  std::optional<std::string> dossier_code;
  std::string counter;
  nlohmann::json scores;  // {"<criterion id>": 1..5}
  std::string comment;
};

// A civil servant's decision on a dossier as the store keeps it. Once the dossier's personal
// data is purged a sent decision keeps only its word: body = {"decision": ..., "purged": true}.
struct StoredDecision {
  std::string idempotency_key;
  std::string decision;  // accept | request_supplement | refuse
  std::string state;     // queued | sent | needs_attention
  std::string decided_at;
  nlohmann::json body;  // decision, officer, decided_at, documents_received, reason, supplement
};

// What an outbox row delivers to the portal. The database keeps the names below.
enum class OutboxKind { kDossier, kRating, kDecision };
// "dossier", "rating", "decision".
const char* OutboxKindName(OutboxKind k);
std::optional<OutboxKind> ParseOutboxKind(std::string_view s);

NLOHMANN_JSON_SERIALIZE_ENUM(OutboxKind, {{OutboxKind::kDossier, "dossier"},
                                          {OutboxKind::kRating, "rating"},
                                          {OutboxKind::kDecision, "decision"}})

// One item of work for the sync engine, leased to one runner until its lease ends.
struct OutboxItem {
  int64_t id = 0;
  OutboxKind kind = OutboxKind::kDossier;
  std::string idempotency_key;
  std::string ref;  // dossier: its client_id; rating: its key; decision: the dossier's code or id
  int attempts = 0;
  std::string lease_owner;  // the runner Outbox::Lease gave it to
};

}  // namespace mck
