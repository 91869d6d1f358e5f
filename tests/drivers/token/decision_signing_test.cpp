// A counter decision signed on the officer's token end to end (docs/signing.md "At the counter"):
// CounterDecisions::Record with a DecisionSigner on a SoftHSM2 token stores the body with its
// signature, the sync engine sends it once and portal-sim (verifying against the officer CA and
// requiring signatures) records the signer. Each token failure — wrong PIN, no token, a token
// removed after the PIN, an expired certificate, a certificate of another CA — refuses the
// decision with its own message, and NOTHING is recorded or queued.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <fstream>

#include "kiosk/core/decide.h"
#include "kiosk/core/decision_signer.h"
#include "kiosk/core/documents.h"
#include "offline/domain/ids.h"
#include "offline/domain/signature.h"
#include "tests/drivers/token/token_fixture.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

// A simulator that verifies decisions against the officer CA and requires them signed; a kiosk
// enrolled with it whose one dossier the portal has accepted; a SoftHSM2 token.
struct Counter {
  TempDir dir{"mck-simdb"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server",
                 {"--seed", "3", "--officer-ca", Pki().ca_pem().string(), "--require-signature"}}};
  Kiosk kiosk;
  std::unique_ptr<Store> store;
  std::string client_id;
  SoftHsmToken token;
  KioskConfig config;
  SystemClock clock;
  Catalog catalog;

  Counter() {
    sim.AddToken("TOKEN-D");
    kiosk.Enrol(sim, "TOKEN-D");
    store = kiosk.OpenStore();
    std::mt19937_64 rng(9);
    client_id = kiosk.SubmitDossiers(*store, 1, 0, rng).front();
    REQUIRE(kiosk.OpenSyncer(kiosk.sync_options())->RunOnce()->accepted == 1);
    config.signing_module = kSoftHsmModule;
    config.signing_token_label = token.label();
    config.signing_ca_file = Pki().ca_pem().string();
    config.commune_name = "UBND xã Mẫu";
  }

  static CounterDecision Accept() {
    CounterDecision d;
    d.decision = "accept";
    d.officer = "CB07";
    ReceivedPaper p;
    p.id = "birth_certificate";
    d.received = {p};
    return d;
  }

  // Records the decision signed with `pin`; on a refusal the signer's reason is in *refusal.
  Result<core::RecordedDecision> Decide(const std::string& pin, core::SigningRefusal* refusal = nullptr,
                                        bool pull_token_after_pin = false) {
    core::DecisionSigner signer(config, pin, clock);
    std::unique_ptr<P11KitServer> server;
    if (pull_token_after_pin) {
      // The officer types the PIN, then the token goes (through p11-kit's client module).
      server = std::make_unique<P11KitServer>(token);
      config.signing_module = kP11KitClientModule;
      config.signing_token_label.clear();
      REQUIRE(signer.Unlock().ok());
      server->Kill();
    }
    auto r = core::CounterDecisions(*store, catalog, config, clock).Record(client_id, Accept(), signer.Hook());
    if (!r.ok() && refusal != nullptr) {
      REQUIRE(signer.refusal().has_value());
      *refusal = *signer.refusal();
    }
    return r;
  }

  // One number from the kiosk's SQLite file, read by another connection.
  int64_t Count(const char* sql) {
    sqlite3* h = nullptr;
    REQUIRE(sqlite3_open_v2(store->database_path().c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(h, sql, -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    const int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return n;
  }
  int64_t Queued() { return Count("SELECT count(*) FROM outbox WHERE kind = 'decision'"); }

  // Nothing of a decision on this kiosk: no row, nothing queued, no audit row.
  void CheckNothingRecorded() {
    CHECK(Count("SELECT count(*) FROM decisions") == 0);
    CHECK(Queued() == 0);
    CHECK(Count("SELECT count(*) FROM audit_log WHERE action LIKE 'decision.%'") == 0);
  }
};

}  // namespace

TEST_CASE("a decision signed on the officer's token is stored with its signature, sent once and verified by the portal") {
  Counter c;
  c.token.Import("good", "01");
  auto r = c.Decide(kUserPin);
  INFO((r.ok() ? std::string() : r.status().ToString()));
  REQUIRE(r.ok());
  // Stored as it will be sent: the signature verifies over the stored body.
  auto rec = c.store->dossiers().Get(c.client_id);
  REQUIRE(rec.ok());
  core::WipeBody(rec->body);
  auto stored = c.store->decisions().For(*rec);
  REQUIRE(stored->size() == 1);
  const SignatureVerdict v = VerifyDecisionSignature(stored->front().body, Pki().ca_bundle());
  INFO(v.status.ToString());
  CHECK(v.ok());
  CHECK(v.signer.subject_cn == "Nguyễn Văn An");
  // Mẫu 01 (assembled right after the decision) says who signed it and when.
  REQUIRE(r->official.has_value());
  CHECK(r->official->signed_by == "Nguyễn Văn An");
  CHECK(r->official->signed_at.substr(19) == "+07:00");
  // A changed byte: no "Đã ký số" for it.
  json changed = stored->front().body;
  changed["documents_received"][0]["count"] = 2;
  CHECK_FALSE(core::VerifiedSigner(changed, Pki().ca_bundle()).has_value());
  CHECK(core::VerifiedSigner(stored->front().body, Pki().ca_bundle())->name == "Nguyễn Văn An");

  CHECK(c.Queued() == 1);
  CHECK(c.Count("SELECT count(*) FROM audit_log WHERE action = 'decision.submitted' AND detail LIKE '% signed'") == 1);
  auto sum = c.kiosk.OpenSyncer(c.kiosk.sync_options())->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->delivered == 1);
  CHECK(c.Queued() == 0);
  const json decisions = c.sim.Admin("GET", "/admin/decisions");
  REQUIRE(decisions.size() == 1);
  CHECK(decisions[0]["signer"]["name"] == "Nguyễn Văn An");
}

TEST_CASE("each signing failure refuses the decision with its own message, and nothing is recorded or queued") {
  Counter c;
  core::SigningRefusal why;
  SECTION("a wrong PIN, the PIN pad again with what the token says of its tries") {
    c.token.Import("good", "01");
    auto r = c.Decide("000000", &why);
    REQUIRE_FALSE(r.ok());
    CHECK(why.why == "wrong_pin");
    CHECK(why.wrong_pin);
    CHECK(r.status().message_vi().find("Mã PIN của thiết bị ký số không đúng") != std::string::npos);
    CHECK(r.status().message_vi().find("không cho biết còn bao nhiêu lần thử") != std::string::npos);
    c.CheckNothingRecorded();
    // The right PIN then signs the same decision.
    CHECK(c.Decide(kUserPin).ok());
  }
  SECTION("no token plugged in") {
    c.config.signing_token_label = "Token cua nguoi khac";
    REQUIRE_FALSE(c.Decide(kUserPin, &why).ok());
    CHECK(why.why == "token_absent");
    CHECK(why.status.message_vi().find("Vui lòng cắm token") != std::string::npos);
    c.CheckNothingRecorded();
  }
  SECTION("the token pulled out after the PIN was typed") {
    c.token.Import("good", "01");
    REQUIRE_FALSE(c.Decide(kUserPin, &why, true).ok());
    CHECK(why.why == "token_removed");
    CHECK(why.status.message_vi().find("chưa được ký và chưa được gửi") != std::string::npos);
    c.CheckNothingRecorded();
  }
  SECTION("an expired certificate") {
    c.token.Import("expired", "01");
    REQUIRE_FALSE(c.Decide(kUserPin, &why).ok());
    CHECK(why.why == "certificate_expired");
    CHECK(why.status.message_vi().find("đã hết hạn") != std::string::npos);
    c.CheckNothingRecorded();
  }
  SECTION("a certificate of another CA, refused by the kiosk before the portal sees it") {
    c.token.Import("foreign", "01");
    REQUIRE_FALSE(c.Decide(kUserPin, &why).ok());
    CHECK(why.why == "signature_untrusted");
    CHECK(why.status.message_vi().find("sai chứng thư") != std::string::npos);
    c.CheckNothingRecorded();
  }
  SECTION("the token of another officer than the one signed in") {
    c.token.Import("good", "01");  // Nguyễn Văn An's
    core::DecisionSigner signer(c.config, kUserPin, c.clock);
    signer.ExpectSigner("Lê Văn Minh");
    auto r = core::CounterDecisions(*c.store, c.catalog, c.config, c.clock).Record(c.client_id, Counter::Accept(), signer.Hook());
    REQUIRE_FALSE(r.ok());
    CHECK(signer.refusal()->why == "signer_mismatch");
    CHECK(r.status().message_vi().find("không phải của cán bộ đang đăng nhập") != std::string::npos);
    c.CheckNothingRecorded();
    // The same officer's certificate without diacritics or case ("NGUYEN VAN AN") is theirs.
    core::DecisionSigner same(c.config, kUserPin, c.clock);
    same.ExpectSigner("NGUYEN VAN AN");
    CHECK(core::CounterDecisions(*c.store, c.catalog, c.config, c.clock).Record(c.client_id, Counter::Accept(), same.Hook()).ok());
  }
  SECTION("the officers' CA file missing") {
    c.token.Import("good", "01");
    c.config.signing_ca_file = (c.dir.path() / "none.pem").string();
    REQUIRE_FALSE(c.Decide(kUserPin, &why).ok());
    CHECK(why.why == "ca_missing");
    c.CheckNothingRecorded();
  }
}

namespace {
// kioskctl with `stdin_line` on its standard input (the token's PIN) and the counter's config
// plus [signing]; stdout and stderr together in *out.
int Kioskctl(Counter& c, const std::string& stdin_line, std::vector<std::string> args, std::string* out) {
  std::vector<std::string> argv = {"sh", "-c", "printf \"%s\\n\" \"$0\" | \"$@\"", stdin_line, KioskctlPath().string(),
                                   "--config", c.kiosk.config_file().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, out);
}
json JsonIn(const std::string& text) {
  const auto at = text.find('{');
  return at == std::string::npos ? json() : json::parse(text.substr(at), nullptr, false);
}
}  // namespace

TEST_CASE("kioskctl dossier decide --sign signs on the token, sign verify checks it, sign token lists the certificate") {
  Counter c;
  c.token.Import("good", "01");
  std::ofstream(c.kiosk.config_file(), std::ios::app)
      << "[signing]\nmodule = \"" << kSoftHsmModule << "\"\ntoken_label = \"" << c.token.label() << "\"\nca_file = \""
      << Pki().ca_pem().string() << "\"\n";
  std::string out;
  REQUIRE(Kioskctl(c, "", {"sign", "token", "--json"}, &out) == 0);
  const json tok = JsonIn(out);
  INFO(out);
  REQUIRE(tok["certificates"].size() == 1);
  CHECK(tok["certificates"][0]["name"] == "Nguyễn Văn An");
  CHECK(tok["certificates"][0]["for_signing"] == true);

  const std::vector<std::string> decide = {"dossier", "decide", c.client_id, "accept", "--officer", "CB07",
                                           "--received", "birth_certificate", "--sign", "--json"};
  // A wrong PIN: refused, the token's word on stderr, nothing recorded.
  CHECK(Kioskctl(c, "000000", decide, &out) != 0);
  CHECK(out.find("wrong_pin") != std::string::npos);
  CHECK(out.find("000000") == std::string::npos);  // the PIN is never echoed
  c.CheckNothingRecorded();

  REQUIRE(Kioskctl(c, kUserPin, decide, &out) == 0);
  const json made = JsonIn(out);
  INFO(out);
  CHECK(made["signed_by"]["name"] == "Nguyễn Văn An");
  CHECK(c.Queued() == 1);

  REQUIRE(Kioskctl(c, "", {"sign", "verify", c.client_id, "--json"}, &out) == 0);
  const json verdict = JsonIn(out);
  INFO(out);
  REQUIRE(verdict["decisions"].size() == 1);
  CHECK(verdict["decisions"][0]["signature"] == "valid");
  CHECK(verdict["decisions"][0]["signer"]["name"] == "Nguyễn Văn An");
  // Against another CA the same signature is not trusted: exit 1 and the reason.
  CHECK(Kioskctl(c, "", {"sign", "verify", c.client_id, "--ca", Pki().other_ca_pem().string(), "--json"}, &out) == 1);
  CHECK(JsonIn(out)["decisions"][0]["signature"] == "untrusted");
}
