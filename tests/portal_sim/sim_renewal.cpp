// Certificate renewal (docs/portal.md, "Certificate renewal", our addition to the contract):
// POST /api/v1/kiosks/{kiosk_id}/certificate over mTLS with the kiosk's current certificate and a
// CSR from a new key pair → 201 {"certificate", "ca_chain", "expires_at"}. The old certificate
// stays valid until it expires (the simulator knows kiosks by CN, so both work).
//
// For tests, on the admin listener: POST /admin/certificates {"validity_s": N} sets how long the
// certificates issued from then on (enrolment and renewal) are valid, {"refuse_renewal": 500|401|0}
// makes every renewal fail with that status (0: stop); GET /admin/certificates lists them, every
// certificate issued, and the serial of the certificate each kiosk presented last.
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "offline/domain/ids.h"
#include "tests/portal_sim/sim.h"
#include "tests/portal_sim/sim_http.h"

namespace portal_sim {

using httplib::Request;
using httplib::Response;
using nlohmann::json;

namespace {

struct RenewalState {
  std::mutex mu;
  int64_t validity_s = 365LL * 24 * 3600;
  int refuse_status = 0;
  json issued = json::array();                     // {"kiosk_id", "serial", "expires_at", "kind"}
  std::map<std::string, std::string> peer_serial;  // kiosk id → serial of the certificate it presented last
};

RenewalState& State() {
  static RenewalState s;
  return s;
}

std::string SerialHex(X509* cert) {
  std::string out;
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
    if (char* hex = BN_bn2hex(bn)) {
      out = hex;
      OPENSSL_free(hex);
    }
    BN_free(bn);
  }
  return out;
}

std::string SerialOfPem(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  if (!x) return "";
  std::string s = SerialHex(x);
  X509_free(x);
  return s;
}

void RenewCertificate(Sim& sim, const Request& req, Response& res) {
  auto c = Begin(sim, req, res, "certificate");
  if (!c) return;
  if (c->fault == Fault::kDropRequest) return DropConnection(req);
  if (req.matches.size() < 2 || req.matches[1] != c->kiosk_id) {
    return SendError(res, 403, "wrong_kiosk", "a kiosk renews only its own certificate");
  }
  const std::string key = req.get_header_value("Idempotency-Key");
  if (!mck::IsUuid(key)) return SendError(res, 400, "idempotency_key_required", "Idempotency-Key must be a UUID");
  const json body = json::parse(req.body, nullptr, false);
  if (!body.is_object()) return SendError(res, 400, "invalid_json", "the body must be a JSON object");
  {
    std::lock_guard<std::mutex> lock(State().mu);
    if (State().refuse_status != 0) {
      const int status = State().refuse_status;
      return SendError(res, status, status == 401 ? "client_certificate_required" : "internal_error",
                       "certificate renewal refused (simulated)");
    }
  }
  std::lock_guard<std::mutex> lock(sim.mu);
  const std::string scope = c->kiosk_id + ":certificate";
  const std::string hash = mck::Sha256Hex(body.dump());
  auto s = sim.db->Prepare("SELECT body_hash, status, response FROM idempotency WHERE scope = ? AND key = ?");
  mck::Status st;
  if (s.ok() && (s->Bind(1, scope).Bind(2, key), s->Step(&st))) {
    if (s->Text(0) != hash) return SendError(res, 409, "idempotency_key_reused", "key used with another body");
    res.status = static_cast<int>(s->Int(1));
    res.set_content(s->Text(2), "application/json");
    return Finish(req, res, *c);
  }
  std::string error;
  auto cert = SignKioskCsr(sim, body.value("csr", ""), c->kiosk_id, c->commune_code, &error);
  if (!cert) return SendError(res, 422, "invalid_csr", error, json::array({{{"field", "csr"}, {"message", error}}}));
  const json answer = {{"certificate", cert->pem}, {"ca_chain", sim.ca_pem}, {"expires_at", cert->expires_at}};
  auto ins =
      sim.db->Prepare("INSERT INTO idempotency(scope, key, body_hash, status, response, at) VALUES(?,?,?,?,?,?)");
  if (!ins.ok() ||
      !(ins->Bind(1, scope).Bind(2, key).Bind(3, hash).Bind(4, 201).Bind(5, answer.dump()).Bind(6, NowVn()),
        ins->Run().ok())) {
    return SendError(res, 500, "internal_error", "could not record the renewal");
  }
  {
    std::lock_guard<std::mutex> state_lock(State().mu);
    State().issued.push_back({{"kiosk_id", c->kiosk_id},
                              {"serial", SerialOfPem(cert->pem)},
                              {"expires_at", cert->expires_at},
                              {"kind", "renewal"}});
  }
  sim.Count("certificate.renewed");
  res.status = 201;
  res.set_content(answer.dump(), "application/json");
  Finish(req, res, *c);
}

json StateJson() {
  RenewalState& s = State();
  json peers = json::object();
  for (const auto& [k, v] : s.peer_serial) peers[k] = v;
  return {
      {"validity_s", s.validity_s}, {"refuse_renewal", s.refuse_status}, {"issued", s.issued}, {"peer_serials", peers}};
}

}  // namespace

int64_t KioskCertValiditySeconds() {
  std::lock_guard<std::mutex> lock(State().mu);
  return State().validity_s;
}

void NotePeerCertificate(const Request& req, const std::string& kiosk_id) {
  if (!req.ssl) return;
  X509* peer = SSL_get1_peer_certificate(req.ssl);
  if (!peer) return;
  const std::string serial = SerialHex(peer);
  X509_free(peer);
  std::lock_guard<std::mutex> lock(State().mu);
  State().peer_serial[kiosk_id] = serial;
}

void RegisterRenewal(httplib::Server& api, Sim& sim) {
  api.Post(R"(/api/v1/kiosks/([^/]+)/certificate)",
           [&](const Request& q, Response& r) { RenewCertificate(sim, q, r); });
}

void RegisterRenewalAdmin(httplib::Server& admin) {
  admin.Get("/admin/certificates", [](const Request&, Response& res) {
    std::lock_guard<std::mutex> lock(State().mu);
    res.set_content(StateJson().dump(), "application/json");
  });
  admin.Post("/admin/certificates", [](const Request& req, Response& res) {
    const json j = json::parse(req.body, nullptr, false);
    std::lock_guard<std::mutex> lock(State().mu);
    if (!j.is_object()) return SendError(res, 400, "invalid_json", "body must be an object");
    if (j.contains("validity_s")) {
      if (!j["validity_s"].is_number_integer() || j["validity_s"].get<int64_t>() < 60) {
        return SendError(res, 400, "invalid_validity", "validity_s: whole seconds, at least 60");
      }
      State().validity_s = j["validity_s"].get<int64_t>();
    }
    if (j.contains("refuse_renewal")) {
      const int s = j["refuse_renewal"].is_number_integer() ? j["refuse_renewal"].get<int>() : -1;
      if (s != 0 && (s < 400 || s > 599)) return SendError(res, 400, "invalid_status", "refuse_renewal: 0 or 4xx/5xx");
      State().refuse_status = s;
    }
    res.set_content(StateJson().dump(), "application/json");
  });
}

}  // namespace portal_sim
