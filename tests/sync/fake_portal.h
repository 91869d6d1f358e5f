// FakePortal — an in-process PortalTransport for unit tests of the sync engine, enrolment-free
// and without sockets: enough of /work/shared/portal-api.md (the contract portal-sim implements
// over real HTTPS) to run the Syncer against it with a ManualClock, plus scripted faults per
// request and a record of every request seen.
//
// Implemented: POST /api/v1/dossiers (Idempotency-Key: 201 the first time, 200 with the same
// answer for a replay, 409 for the same key with another body, 428 while a listed attachment is
// incomplete), HEAD/PATCH /api/v1/attachments/{sha256} (tus offsets, 409 on a wrong offset, 422
// on a SHA-256 mismatch), POST /api/v1/ratings, POST /api/v1/dossiers/{ref}/decisions,
// GET /api/v1/dossiers/{code} and ?client_id=, GET /api/v1/procedures with ETag/304, and
// POST /api/v1/kiosks/heartbeat (with queued commands). Not implemented: enrolment, validation
// of dossier bodies (script a 422 instead), client certificates (script a 401 instead).
//
// Thread-safety: every method may be called from any thread (the Syncer's worker sends while the
// test scripts and reads); WaitForRequests lets a test wait for the worker without sleeping.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/clock.h"
#include "offline/sync/transport.h"

namespace mck::test {

// What the next matching request gets instead of the real answer.
struct FakeFault {
  long status = 0;          // answer with this status (500, 503, 429, 422, 401, ...) ...
  std::string retry_after;  // ... and this Retry-After ("2" or an HTTP date) when not empty
  nlohmann::json details;   // ... and these error details (422)
  // Or no answer at all: kCannotConnect and kTls (nothing reached the portal), kTimeout or
  // kDropped (the connection broke). With `applied`, the portal did the work first and only the
  // answer was lost (a replay then gets the first answer).
  TransportFailure failure = TransportFailure::kNone;
  bool applied = false;
  // With `status`: answer exactly this body (a hostile or broken portal), not an error envelope.
  std::optional<std::string> raw_body;
  // Throw std::runtime_error from Send (a broken transport or parser below the engine).
  bool throws = false;

  static FakeFault Answer(long status, std::string retry_after = {}, nlohmann::json details = nlohmann::json()) {
    FakeFault f;
    f.status = status;
    f.retry_after = std::move(retry_after);
    f.details = std::move(details);
    return f;
  }
  static FakeFault Raw(long status, std::string body) {
    FakeFault f;
    f.status = status;
    f.raw_body = std::move(body);
    return f;
  }
  static FakeFault Throw() {
    FakeFault f;
    f.throws = true;
    return f;
  }
  static FakeFault NoAnswer(TransportFailure failure, bool applied = false) {
    FakeFault f;
    f.failure = failure;
    f.applied = applied;
    return f;
  }
};

struct SeenRequest {
  PortalRequest request;  // `cancel` is cleared
  SteadyPoint at;         // on the fake's clock
  long status = 0;        // 0 when there was no answer
  TransportFailure failure = TransportFailure::kNone;
};

class FakePortal final : public PortalTransport {
 public:
  explicit FakePortal(const Clock& clock) : clock_(clock) {}

  PortalReply Send(const PortalRequest& request) override;
  TransportStats stats() const override;

  // Scripts the next `times` requests whose "METHOD path" starts with `match` (e.g.
  // "POST /api/v1/dossiers", "HEAD /api/v1/attachments/"), in the order scripted.
  void Fail(const std::string& match, FakeFault fault, int times = 1);

  // Portal-side changes: a dossier's status (by official code), the catalog, a command for the
  // next heartbeat.
  void SetStatus(const std::string& dossier_code, const std::string& status);
  void SetCatalog(std::string body, std::string etag);
  void QueueCommand(const std::string& command);

  // What was seen. Requests() copies the record.
  std::vector<SeenRequest> Requests() const;
  size_t RequestCount() const;
  // How many requests of `match` (as for Fail) were answered with a 2xx.
  int Succeeded(const std::string& match) const;
  // Dossiers held, by client_id; each holds once however often it was posted.
  size_t DossierCount() const;
  std::string OfficialCode(const std::string& client_id) const;
  nlohmann::json LastHeartbeat() const;
  // Blocks until at least n requests were seen (true) or `real_timeout` of real time passed.
  bool WaitForRequests(size_t n, std::chrono::milliseconds real_timeout) const;

 private:
  struct Stored {
    std::string body;  // the request body, for the same-key check
    long status = 0;
    std::string answer;
  };
  struct Attachment {
    std::string data;
    int64_t length = -1;
    bool complete = false;
  };
  // The real answer (no fault); mu_ held.
  PortalResponse Answer(const PortalRequest& r);
  PortalResponse PostDossier(const PortalRequest& r);
  PortalResponse Attachments(const PortalRequest& r, const std::string& sha);
  PortalResponse Idempotent(const PortalRequest& r, long status, const nlohmann::json& answer);

  const Clock& clock_;
  mutable std::mutex mu_;
  mutable std::condition_variable seen_cv_;
  std::vector<std::pair<std::string, FakeFault>> script_;
  std::vector<SeenRequest> seen_;
  std::map<std::string, Stored> replies_;              // Idempotency-Key → first answer
  std::map<std::string, nlohmann::json> dossiers_;     // client_id → status record
  std::map<std::string, std::string> code_to_client_;  // official code → client_id
  std::map<std::string, Attachment> attachments_;
  std::string catalog_, etag_;
  std::deque<std::string> commands_;
  nlohmann::json last_heartbeat_;
  int sequence_ = 0;
};

}  // namespace mck::test
