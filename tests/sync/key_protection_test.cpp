// The mTLS client key sealed to the TPM (swtpm here, tests/support/swtpm.h): enrolment against the
// portal simulator leaves no private key in the clear anywhere in the data directory, the syncer
// still talks mutual TLS with the key unsealed into memory, and the heartbeat and kioskctl say
// how the keys are kept. A copy of the directory without the TPM cannot pose as the kiosk.
#include <catch2/catch.hpp>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "offline/store/key_vault.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "tests/support/read_file.h"
#include "tests/support/swtpm.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

// True when `bytes` parse as a private key in any form OpenSSL reads (PEM, or DER of any type).
bool ParsesAsPrivateKey(const std::string& bytes) {
  if (bytes.find("PRIVATE KEY") != std::string::npos) return true;
  BIO* b = BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()));
  EVP_PKEY* k = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  if (!k) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    k = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(bytes.size()));
  }
  const bool found = k != nullptr;
  EVP_PKEY_free(k);
  return found;
}

// Every regular file under dir that holds or parses as a private key.
std::vector<std::string> FilesWithPrivateKeys(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && ParsesAsPrivateKey(ReadAll(e.path()))) out.push_back(e.path().string());
  }
  return out;
}

KeyProtectionOptions Tpm(const std::string& tcti) {
  KeyProtectionOptions o;
  o.mode = KeyProtection::kTpm;
  o.tpm_tcti = tcti;
  return o;
}

}  // namespace

TEST_CASE("with TPM protection the client key is sealed, never in a file in the clear, and mTLS still works") {
  TempDir dir{"mck-tpm"};
  Swtpm tpm(dir.path() / "tpm");
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "3"}}};
  sim.AddToken("TOKEN-T");
  Kiosk kiosk;
  kiosk.SetKeyProtection(Tpm(tpm.tcti()));
  kiosk.Enrol(sim, "TOKEN-T");
  const fs::path data = kiosk.store_options().data_dir;
  CHECK(FilesWithPrivateKeys(data).empty());
  CHECK_FALSE(fs::exists(data / "portal" / "kiosk.key"));
  CHECK(fs::exists(data / "portal" / "kiosk.key.sealed"));
  CHECK_FALSE(fs::exists(data / "store.key"));
  CHECK(fs::exists(data / "store.key.sealed"));

  {
    auto store = kiosk.OpenStore();
    std::mt19937_64 rng(7);
    kiosk.SubmitDossiers(*store, 2, 1, rng);
  }
  SyncOptions o = kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  {
    auto syncer = kiosk.OpenSyncer(o);
    auto sum = syncer->RunOnce();
    REQUIRE(sum.ok());
    INFO(sum->error.ToString());
    CHECK(sum->error.ok());
    CHECK(sum->accepted == 2);
  }
  auto kiosks = sim.Admin("GET", "/admin/kiosks");
  REQUIRE(kiosks.size() == 1);
  const json hb = json::parse(kiosks[0]["last_heartbeat"].get<std::string>());
  CHECK(hb["key_protection"] == "tpm");
  CHECK(FilesWithPrivateKeys(data).empty());  // nothing unsealed to disk by the sync either

  std::string out, err;
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "security", "status", "--json"}, &out, &err) == 0);
  const json status = json::parse(out);
  CHECK(status["key_protection"] == "tpm");
  CHECK(status["store_key"] == "sealed");
  CHECK(status["client_key"] == "sealed");
  CHECK(status["weaker"] == false);

  SECTION("a copy of the data directory with another TPM cannot pose as the kiosk") {
    tpm.Stop();
    Swtpm thief(dir.path() / "thief-tpm");
    SyncSetup setup = kiosk.sync_setup();
    setup.store.key_protection = Tpm(thief.tcti());
    auto stolen = Syncer::Open(setup, o);
    REQUIRE_FALSE(stolen.ok());
    CHECK(stolen.status().code() == Code::kSecurity);
  }
}

TEST_CASE("with file protection the heartbeat and kioskctl report the weaker keys") {
  TempDir dir{"mck-tpm"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "4"}}};
  sim.AddToken("TOKEN-F");
  Kiosk kiosk;
  kiosk.Enrol(sim, "TOKEN-F");
  SyncOptions o = kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  {
    auto syncer = kiosk.OpenSyncer(o);
    REQUIRE(syncer->RunOnce().ok());
  }
  auto kiosks = sim.Admin("GET", "/admin/kiosks");
  REQUIRE(kiosks.size() == 1);
  CHECK(json::parse(kiosks[0]["last_heartbeat"].get<std::string>())["key_protection"] == "file");
  std::string out, err;
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "security", "status"}, &out, &err) == 0);
  CHECK_THAT(out, Catch::Contains("key protection: file"));
  CHECK_THAT(out, Catch::Contains("WEAKER"));
  CHECK_THAT(out, Catch::Contains("client key: plain"));
}

TEST_CASE("the portal simulator refuses a heartbeat with an unknown key_protection word") {
  TempDir dir{"mck-tpm"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "5"}}};
  sim.AddToken("TOKEN-H");
  Kiosk kiosk;
  kiosk.Enrol(sim, "TOKEN-H");
  auto store = kiosk.OpenStore();
  auto e = LoadEnrolment(*store);
  REQUIRE(e.ok());
  HttpOptions h;
  h.base_url = e->portal_url;
  h.ca_file = e->ca_file;
  REQUIRE(LoadClientKey(*e, &h).ok());
  auto http = HttpClient::Create(std::move(h));
  REQUIRE(http.ok());
  PortalRequest req;
  req.method = "POST";
  req.path = "/api/v1/kiosks/heartbeat";
  req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", "3f1c6a44-1a52-4c1e-9a55-0c6a8f2b7d10"}};
  req.body = R"({"key_protection": "none"})";
  auto resp = (*http)->Send(req);
  REQUIRE(resp.ok());
  CHECK(resp->status == 422);
}

TEST_CASE("with TPM protection a renewed client key is sealed too, and the old sealed key is gone") {
  TempDir dir{"mck-tpm"};
  Swtpm tpm(dir.path() / "tpm");
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "6"}}};
  sim.AddToken("TOKEN-RT");
  sim.Admin("POST", "/admin/certificates", {{"validity_s", 10 * 24 * 3600}});
  Kiosk kiosk;
  kiosk.SetKeyProtection(Tpm(tpm.tcti()));
  kiosk.Enrol(sim, "TOKEN-RT");
  sim.Admin("POST", "/admin/certificates", {{"validity_s", 365 * 24 * 3600}});
  const fs::path data = kiosk.store_options().data_dir;
  SyncOptions o = kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  {
    auto syncer = kiosk.OpenSyncer(o);
    auto sum = syncer->RunOnce();
    REQUIRE(sum.ok());
    INFO(sum->error.ToString());
    CHECK(sum->error.ok());
    CHECK(sum->certificate_renewed);
    REQUIRE(syncer->RunOnce().ok());
  }
  auto store = kiosk.OpenStore();
  auto e = LoadEnrolment(*store);
  REQUIRE(e.ok());
  CHECK(e->key_file != data / "portal" / "kiosk.key");
  CHECK(fs::exists(SealedKeyPath(e->key_file)));
  CHECK_FALSE(fs::exists(e->key_file));
  CHECK_FALSE(fs::exists(data / "portal" / "kiosk.key.sealed"));  // the old one, shredded
  CHECK(FilesWithPrivateKeys(data).empty());
  const json certs = sim.Admin("GET", "/admin/certificates");
  REQUIRE(certs["issued"].size() == 1);
  CHECK(certs["peer_serials"][e->kiosk_id] == certs["issued"][0]["serial"]);
}
