#include "kiosk/core/decide.h"

#include <iostream>

#include "kiosk/core/documents.h"

namespace mck::core {

Result<RecordedDecision> CounterDecisions::Record(const std::string& dossier_key, const CounterDecision& d,
                                                  const DecisionStore::SignDecision& sign) {
  auto rec = store_.dossiers().Get(dossier_key);
  if (!rec.ok()) return rec.status();
  WipeBody(rec->body);  // only the codes are needed here
  auto body = BuildDecisionBody(d, catalog_.Find(rec->procedure_code));
  if (!body.ok()) return body.status();
  RecordedDecision out;
  out.decision = d.decision;
  // The portal knows the dossier by its official code once it has one, else by the client id.
  out.ref = rec->dossier_code.value_or(rec->client_id);
  out.provisional_code = rec->provisional_code;
  auto key = store_.decisions().Submit(out.ref, *body, d.attachments, sign);
  if (!key.ok()) return key.status();
  out.idempotency_key = *key;
  out.decided_at = FormatRfc3339Vietnam(clock_.Now());
  const std::string officer = (*body)["officer"].get<std::string>();
  if (Status st = store_.settings().Put("staff.officer", officer); !st.ok()) {
    // Only a convenience for the next decision: the decision itself is recorded.
    std::cerr << "core: remembering the officer failed: " << st.ToString() << "\n";
  }
  WipeBody(*body);
  if (d.decision == "accept") {
    auto official = DossierDocuments(store_, catalog_, config_, clock_).Official(rec->client_id);
    if (official.ok()) {
      out.official = std::move(official.value());
    } else {
      out.official_status = official.status();
    }
  }
  return out;
}

}  // namespace mck::core
