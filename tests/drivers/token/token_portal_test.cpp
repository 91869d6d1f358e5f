// Signed counter decisions at the portal simulator (real HTTPS on loopback, docs/signing.md): a
// decision signed on the SoftHSM2 token is accepted and its signer recorded; a tampered one and
// one signed by a certificate of another CA are refused with 422 naming "signature" and the
// reason, and nothing is recorded; with --require-signature an unsigned decision is refused.
#include <catch2/catch.hpp>

#include <ctime>

#include "drivers/token/officer_token.h"
#include "offline/domain/ids.h"
#include "offline/domain/signature.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/syncer.h"
#include "tests/drivers/token/token_fixture.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

// A simulator verifying against the officer CA, a kiosk enrolled with it and one dossier there.
struct SignedPortal {
  TempDir dir{"mck-simdb"};
  PortalSim sim;
  Kiosk kiosk;
  std::unique_ptr<Store> store;
  std::unique_ptr<HttpClient> http;
  std::string code;

  explicit SignedPortal(std::vector<std::string> extra) : sim({dir.path() / "sim.db", 0, "server", std::move(extra)}) {
    sim.AddToken("TOKEN-S");
    kiosk.Enrol(sim, "TOKEN-S");
    store = kiosk.OpenStore();
    std::mt19937_64 rng(5);
    const std::string client_id = kiosk.SubmitDossiers(*store, 1, 0, rng).front();
    auto syncer = kiosk.OpenSyncer(kiosk.sync_options());
    REQUIRE(syncer->RunOnce()->accepted == 1);
    code = *store->dossiers().Get(client_id)->dossier_code;
    auto e = LoadEnrolment(*store);
    REQUIRE(e.ok());
    HttpOptions h;
    h.base_url = e->portal_url;
    h.ca_file = e->ca_file;
    REQUIRE(LoadClientKey(*e, &h).ok());
    auto client = HttpClient::Create(std::move(h));
    REQUIRE(client.ok());
    http = std::move(client.value());
  }

  std::pair<int, json> PostDecision(const json& body) {
    PortalRequest req;
    req.method = "POST";
    req.path = "/api/v1/dossiers/" + code + "/decisions";
    req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", NewUuidV4()}};
    req.body = body.dump();
    auto resp = http->Send(req);
    REQUIRE(resp.ok());
    return {resp->status, json::parse(resp->body, nullptr, false)};
  }
};

json Accept() {
  return {{"decision", "accept"},
          {"officer", "CB07"},
          {"documents_received", {{{"id", "birth_certificate"}, {"form", "original"}, {"count", 1}}}}};
}

// The body with its "signature", signed on a fresh SoftHSM2 token holding `officer`.
json Signed(json body, const std::string& officer) {
  SoftHsmToken t;
  t.Import(officer, "01");
  std::string pin = kUserPin;
  auto cms = token::SignWithToken(kSoftHsmModule, {t.label(), ""}, pin, "01", CanonicalDecisionBytes(body),
                                  static_cast<std::int64_t>(std::time(nullptr)));
  SecureWipe(pin);
  INFO((cms.ok() ? std::string() : cms.error().status.ToString()));
  REQUIRE(cms.ok());
  body["signature"] = SignatureMember(cms.value());
  return body;
}

}  // namespace

TEST_CASE("portal-sim accepts a decision signed on the token and records its signer, refuses bad ones with 422") {
  SignedPortal p({"--seed", "3", "--officer-ca", Pki().ca_pem().string()});

  json tampered = Signed(Accept(), "good");
  tampered["officer"] = "CB99";
  auto [status, answer] = p.PostDecision(tampered);
  INFO(answer.dump());
  CHECK(status == 422);
  CHECK(answer["error"]["code"] == "validation_failed");
  CHECK(answer["error"]["details"][0]["field"] == "signature");
  CHECK(answer["error"]["details"][0]["reason"] == "tampered");

  auto [status2, answer2] = p.PostDecision(Signed(Accept(), "foreign"));
  INFO(answer2.dump());
  CHECK(status2 == 422);
  CHECK(answer2["error"]["details"][0]["field"] == "signature");
  CHECK(answer2["error"]["details"][0]["reason"] == "untrusted");
  CHECK(p.sim.Admin("GET", "/admin/decisions").empty());  // nothing recorded

  auto [status3, answer3] = p.PostDecision(Signed(Accept(), "good"));
  INFO(answer3.dump());
  CHECK(status3 == 201);
  CHECK(answer3["status"] == "processing");
  const json decisions = p.sim.Admin("GET", "/admin/decisions");
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0]["signer"]["name"] == "Nguyễn Văn An");
  CHECK(decisions[0]["signer"]["serial"] == "1001");
  CHECK(decisions[0]["signer"]["signed_at"].get<std::string>().size() == 25);

  // Unsigned decisions stay accepted without --require-signature (the counter is not wired yet).
  auto [status4, answer4] = p.PostDecision(Accept());
  CHECK(status4 == 201);
  CHECK(p.sim.Admin("GET", "/admin/decisions")[1]["signer"].is_null());
}

TEST_CASE("portal-sim with --require-signature refuses an unsigned decision") {
  SignedPortal p({"--seed", "3", "--officer-ca", Pki().ca_pem().string(), "--require-signature"});
  auto [status, answer] = p.PostDecision(Accept());
  INFO(answer.dump());
  CHECK(status == 422);
  CHECK(answer["error"]["details"][0]["field"] == "signature");
  CHECK(answer["error"]["details"][0]["reason"] == "required");
  CHECK(p.sim.Admin("GET", "/admin/decisions").empty());
}
