// The portal's answers, read in one checked place (portal-api.md): every field the kiosk uses is
// type-checked, bodies are refused over a size and nesting limit (offline/domain/json_read.h), and
// nothing here throws. Each reader is a pure function over the body text, so each is a fuzz
// target (tests/fuzz/fuzz_answers.cpp) and a poison answer becomes a Status the sync engine can
// act on (park that one item, go on with the next), never an exception in a worker.
//
// Errors are kInvalidArgument, "portal <answer>: <field> must be <type>": field names and types,
// never the values (which may echo a citizen's data).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "offline/domain/catalog.h"
#include "offline/domain/json_read.h"
#include "offline/domain/status.h"

namespace mck {

// The limits for ordinary answers (1 MiB, 32 levels). The catalog has its own byte limit
// (SyncOptions::max_catalog_bytes).
inline JsonLimits DefaultAnswerLimits() {
  return JsonLimits{};
}

// 201/200 to POST /api/v1/dossiers.
struct SubmitAnswer {
  std::string dossier_code;  // checked: [A-Za-z0-9.-], at most 64 characters (it goes into URLs)
  std::string received_at;
  std::string appointment_date;
  std::string status = "received";
};
Result<SubmitAnswer> ReadSubmitAnswer(std::string_view body, const JsonLimits& limits = DefaultAnswerLimits());

// 201 to POST /api/v1/dossiers/{ref}/decisions. Every field optional.
struct DecisionAnswer {
  std::string status;
  std::string appointment_date;
};
Result<DecisionAnswer> ReadDecisionAnswer(std::string_view body, const JsonLimits& limits = DefaultAnswerLimits());

// The fee of a dossier as the portal knows it (our extension of the contract, docs/portal.md
// "Payment status"): the portal learns of the citizen's transfer from its bank. Absent from the
// answer when the dossier has no fee (and from a portal that does not know of fees).
struct PortalFee {
  int64_t amount_vnd = 0;  // >= 0
  bool paid = false;
  std::string paid_at;    // RFC 3339 when paid; "" otherwise
  std::string reference;  // the bank's transfer reference when paid: [A-Za-z0-9._-], at most 64
};

// 200 to GET /api/v1/dossiers/{code} and ?client_id=.
struct PortalDossierStatus {
  std::string dossier_code;
  std::string status;       // received, processing, supplement_requested, completed, returned, ...
  std::string status_text;  // the portal's words (Vietnamese)
  std::string updated_at;
  std::string appointment_date;
  std::string note;
  std::optional<PortalFee> fee;  // "fee": {...}; nullopt when absent or null
};
Result<PortalDossierStatus> ReadStatusAnswer(std::string_view body, const JsonLimits& limits = DefaultAnswerLimits());

// 200 to POST /api/v1/kiosks/heartbeat. Commands are strings or {"command": "..."}; anything
// else in the list is skipped (counted in `skipped`), so one odd command does not hide the rest.
struct HeartbeatAnswer {
  std::string server_time;
  std::vector<std::string> commands;
  int skipped = 0;
};
Result<HeartbeatAnswer> ReadHeartbeatAnswer(std::string_view body, const JsonLimits& limits = DefaultAnswerLimits());

// 201 to POST /api/v1/kiosks/enroll.
struct EnrolAnswer {
  std::string kiosk_id;
  std::string commune_code;
  std::string commune_name;
  std::string certificate;  // PEM
  std::string ca_chain;     // PEM, may be empty
  std::string expires_at;
};
Result<EnrolAnswer> ReadEnrolAnswer(std::string_view body, const JsonLimits& limits = DefaultAnswerLimits());

// 200 to GET /api/v1/procedures: the catalog, checked whole (offline/domain/catalog.h).
Result<Catalog> ReadCatalogAnswer(std::string_view body, const JsonLimits& limits);

// The error envelope {"error": {"code", "message", "details"}} of a non-2xx answer. Never fails:
// an unreadable body gives an empty envelope with `readable` false. `details` is rebuilt, not
// copied: an array (at most 100 entries) of objects holding only the string members "field",
// "message" and "sha256" — whatever else the portal sent is dropped.
struct PortalError {
  std::string code;        // "validation_failed", ... : [a-z0-9_.-], at most 64 ("" when none)
  std::string message;     // the portal's text, for staff only: may echo a citizen's data, so it is
                           // stored sealed and never logged (docs/security.md, "portal")
  nlohmann::json details;  // array (may be empty)
  bool readable = true;
};
PortalError ReadPortalErrorBody(std::string_view body, const JsonLimits& limits = DefaultAnswerLimits());

// The details a staff member reads for a parked item, from what the store keeps (which may be an
// older, unchecked copy): "field: message" lines, odd entries skipped. Never throws.
struct AttentionReason {
  std::string field;
  std::string message;
};
std::vector<AttentionReason> ReadAttentionReasons(const nlohmann::json& stored);

}  // namespace mck
