// A civil servant's decision on a dossier at the counter (portal-api.md "Counter decisions"):
// accept (with the papers received, for the Mẫu 01 receipt), request a supplement, or refuse.
// Built and checked here once, for the staff screen and for `kioskctl dossier decide`.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "offline/domain/catalog.h"
#include "offline/domain/dossier.h"
#include "offline/domain/status.h"

namespace mck {

struct ReceivedPaper {
  std::string id;                 // the procedure's document id ("birth_certificate")
  std::string form = "original";  // original | certified_copy | copy
  int count = 1;
  // Scanned at the counter (docs/scanning.md "At the counter"): the SHA-256 (hex) of its PDF, one
  // of the decision's attachments, and its pages; empty: not scanned there.
  std::string digitised_sha256;
  int digitised_pages = 0;
};

struct CounterDecision {
  std::string decision;                 // accept | request_supplement | refuse
  std::string officer;                  // the officer's staff id or name, as the portal knows them
  std::vector<ReceivedPaper> received;  // papers checked at the counter (accept)
  std::string reason;                   // required unless accept
  std::vector<std::string> supplement;  // what to bring (request_supplement)
  // The PDFs of the papers scanned at the counter, stored as attachments of the dossier with the
  // decision (DecisionStore::Submit); personal data, wiped by whoever holds the decision.
  std::vector<NewAttachment> attachments;
};

// The portal's decision body, NFC and trimmed; `decided_at` is left to the store. Every problem
// at once in one kInvalidArgument Status (Vietnamese lines for the screen, English for logs).
// `procedure` may be null (the catalog no longer has it): paper ids are then not checked.
Result<nlohmann::json> BuildDecisionBody(const CounterDecision& decision, const Procedure* procedure);

// "Bản chính" for "original", ... ; the portal's word when unknown.
std::string PaperFormVi(const std::string& form);

}  // namespace mck
