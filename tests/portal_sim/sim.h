// portal-sim: the provincial portal's kiosk gateway (../../shared/portal-api.md, docs/portal.md),
// simulated faithfully over real HTTPS on loopback, with fault injection for the sync tests.
//
// Pieces: Sim (this header) holds the configuration, the SQLite file of what was received, the
// fault dice and the counters; sim_api.cpp serves the contract on the HTTPS listener;
// sim_admin.cpp serves tests and technicians on a plain-HTTP loopback listener; sim_ca.cpp signs
// kiosk CSRs with the simulator's CA.
//
// Thread-safety: httplib runs handlers on a pool of threads. Every database access and every
// counter goes through Sim::mu (one SQLite connection, one lock): simple, and fast enough for the
// benchmark's 10,000 dossiers.
#pragma once

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "offline/domain/catalog.h"
#include "offline/store/sqlite.h"

namespace portal_sim {

struct Faults {
  double p500 = 0;        // share of API requests answered 500
  double p503 = 0;        // ... 503 (with Retry-After when retry_after_s > 0)
  double p429 = 0;        // ... 429 with Retry-After
  int retry_after_s = 1;  // on every 429, and on 503s when retry_after_on_503
  bool retry_after_on_503 = true;
  double p_drop_request = 0;   // connection cut before the request is processed (PATCH: halfway)
  double p_drop_response = 0;  // processed and committed, then the answer is cut off midway
  double p_slow = 0;
  int slow_ms = 0;
  std::string fail_procedure;     // 422 for every dossier of this procedure
  // "fields.pages=2": 422 for a dossier whose field (fields.X or applicant.Y) has that value, as
  // a portal's rule the kiosk does not know; a corrected dossier passes (docs/officers.md).
  std::string refuse_value;
  bool down = false;              // every API request 503 (maintenance), no Retry-After
  bool lose_next_upload = false;  // the next upload to complete is lost after its 204 (→ 428)
  nlohmann::json ToJson() const;
  // Applies the keys present in j (same names as ToJson); unknown keys are an error.
  bool Apply(const nlohmann::json& j, std::string* error);
};

enum class Fault { kNone, k500, k503, k429, kDropRequest, kDropResponse };

struct SimConfig {
  std::string server_cert, server_key;  // what the HTTPS listener presents
  std::string ca_cert, ca_key;          // signs kiosk certificates; verifies client certificates
  std::string db_path;
  std::string catalog_path;
  std::string host = "127.0.0.1";
  int port = 0;        // 0: any free port
  int admin_port = 0;  // 0: any free port
  std::string ready_file;
  std::string default_commune_code = "000.00.24.H03";
  std::string default_commune_name = "UBND xã Mẫu";
  int threads = 16;
  uint64_t seed = 1;
  // Proof mode (sim_proofs.cpp): dossiers without idempotency (no replay, no UNIQUE client_id),
  // so that a POST sent twice is created twice and counted, not refused.
  bool allow_duplicates = false;
  // Signed decisions (docs/signing.md): the officer CA bundle (PEM text) a decision's "signature"
  // is verified against; with require_signature an unsigned decision is refused (422).
  std::string officer_ca_pem;
  bool require_signature = false;
};

// A scripted hostile answer (sim_hostile.cpp).
struct HostileAnswer {
  std::string match;          // "POST /api/v1/dossiers"
  std::string body_contains;  // only requests whose body holds this ("" any)
  int status = 200;
  std::string body;
  int times = 1;
};

struct Sim {
  SimConfig config;
  std::mutex mu;
  std::unique_ptr<mck::Db> db;
  Faults faults;
  std::mt19937_64 rng;
  std::string catalog_body, catalog_etag;
  std::optional<mck::Catalog> catalog;
  std::string ca_pem;
  // Request arrival times (ms since the epoch) at the API listener, for the storm test.
  std::vector<std::pair<int64_t, std::string>> arrivals;             // (ms, kiosk id or "")
  std::map<std::string, int64_t> counters;                           // "requests", "fault.500", ...
  std::map<std::string, std::vector<std::string>> pending_commands;  // kiosk id → heartbeat commands
  std::vector<HostileAnswer> hostile;                                // scripted by tests

  // Under mu: rolls the dice for one request.
  Fault Roll();
  bool RollSlow();
  // Under mu: counts one more of `name`.
  void Count(const std::string& name, int64_t n = 1) { counters[name] += n; }
  // Replaces the catalog (computes its ETag); false with *error when it is not a valid catalog.
  bool SetCatalog(const std::string& body, std::string* error);
};

// Opens (creating) the simulator's SQLite file: what it received survives a restart.
mck::Status OpenSimDb(Sim& sim);
void RegisterApi(httplib::Server& server, Sim& sim);
void RegisterAdmin(httplib::Server& server, Sim& sim);
// Under mu: judges a heartbeat's audit head against the heads this kiosk reported before and
// records it (sim_audit.cpp): "ok", "truncated", "rewritten", "unproven", or "absent".
std::string CheckAuditHead(Sim& sim, const std::string& kiosk_id, const nlohmann::json& heartbeat);
void RegisterAuditAdmin(httplib::Server& admin, Sim& sim);

// Proof mode (sim_proofs.cpp): the hold, the delivery log and their admin endpoints.
void RegisterProofAdmin(httplib::Server& server, Sim& sim);
// In a dossier POST before it is processed: waits here when the hold says so.
void HoldBeforeProcessing(const httplib::Request& req, const std::string& key);
// A dossier was created (committed) for `key`; answer_cut: a fault will cut its answer.
void RecordDelivery(const std::string& key, const std::string& code, int64_t started_ms, bool answer_cut);
// After every handler (the post-routing hook): the "after" hold, and whether the answer of the
// delivery this handler made can still reach its client.
void AfterHandler(const httplib::Request& req);

struct IssuedCertificate {
  std::string pem;
  std::string expires_at;  // RFC 3339, +07:00
};
// Verifies the CSR's self-signature and issues a client certificate (CN=kiosk_id, O=commune
// code, clientAuth, one year) signed by the simulator's CA. nullopt with *error for a bad CSR.
std::optional<IssuedCertificate> SignKioskCsr(const Sim& sim, const std::string& csr_pem, const std::string& kiosk_id,
                                              const std::string& commune_code, std::string* error);

// Certificate renewal (sim_renewal.cpp): the validity of certificates issued from now on (one
// year unless a test set it on the admin listener), the record of the serial each kiosk presents
// (called by Begin once the caller is known), and the endpoints.
int64_t KioskCertValiditySeconds();
void NotePeerCertificate(const httplib::Request& req, const std::string& kiosk_id);
void RegisterRenewal(httplib::Server& api, Sim& sim);
void RegisterRenewalAdmin(httplib::Server& admin);

// The common error envelope.
void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message,
               const nlohmann::json& details = nlohmann::json::array());

int64_t NowMs();

}  // namespace portal_sim
