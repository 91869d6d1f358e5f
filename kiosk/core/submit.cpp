#include "kiosk/core/submit.h"

#include "kiosk/core/documents.h"
#include "offline/domain/ids.h"

namespace mck::core {

SubmitOutcome DossierSubmission::Submit(const nlohmann::json& body, std::vector<NewAttachment> attachments) {
  SubmitOutcome out;
  auto validated = ValidateDossier(catalog_, body, VietnamDate(clock_.Now()));
  if (!validated.ok()) {
    for (auto& a : attachments) SecureWipe(a.data);
    out.problem = SubmitOutcome::Problem::kInvalid;
    out.errors = std::move(validated.errors);
    out.status = Status::Error(Code::kInvalidArgument, "dossier is not valid", "Hồ sơ chưa hợp lệ");
    return out;
  }
  auto stored = store_.dossiers().Submit(validated.body, attachments, catalog_.version);
  for (auto& a : attachments) SecureWipe(a.data);
  WipeBody(validated.body);
  if (!stored.ok()) {
    out.problem = SubmitOutcome::Problem::kNotStored;
    out.status = stored.status();
    return out;
  }
  out.dossier = stored.value();
  // Durable now. The slip is assembled from what the store holds, as every reprint will be.
  auto rec = store_.dossiers().Get(out.dossier.client_id);
  if (!rec.ok()) {
    out.slip_status = rec.status();
    return out;
  }
  auto slip = DossierDocuments(store_, catalog_, config_, clock_).SlipFrom(*rec, /*reprint=*/false);
  WipeBody(rec->body);
  if (slip.ok()) {
    out.slip = std::move(slip.value());
  } else {
    out.slip_status = slip.status();
  }
  return out;
}

}  // namespace mck::core
