// TLS is never optional: a portal that cannot prove it is the province's gets nothing.
#include <catch2/catch.hpp>

#include "offline/sync/syncer.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

// Enrols against the genuine simulator, then brings up an impostor on the same port and data.
void CheckRefused(const std::string& server_cert, const std::string& reason) {
  TempDir dir("mck-simdb");
  Kiosk kiosk;
  int port = 0;
  {
    PortalSim genuine({dir.path() / "sim.db", 0, "server", {}});
    genuine.AddToken("TOKEN-T");
    kiosk.Enrol(genuine, "TOKEN-T");
    port = genuine.port();
  }
  auto store = kiosk.OpenStore();
  std::mt19937_64 rng(9);
  kiosk.SubmitDossiers(*store, 5, 2, rng);

  PortalSim impostor({dir.path() / "sim.db", port, server_cert, {}});
  auto syncer = kiosk.OpenSyncer(kiosk.sync_options());
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->error.code() == Code::kSecurity);
  INFO(sum->error.message_en());
  CHECK(sum->error.message_en().find(reason) != std::string::npos);
  CHECK(sum->error.message_vi().find("Chứng chỉ") != std::string::npos);
  CHECK(sum->sent == 0);     // the first request failed and the run stopped: no dossier was posted
  CHECK(sum->retried == 0);  // and nothing was rescheduled as if it were a network blip
  CHECK(sum->remaining == 5);
  CHECK(store->dossiers().List(DossierState::kQueued)->size() == 5);  // leases handed back
  // Nothing reached the impostor's application: no request, no dossier, no attachment byte.
  auto stats = impostor.Admin("GET", "/admin/stats");
  CHECK(stats["counters"].value("requests", 0) == 0);
  CHECK(stats["attachments_complete"] == 0);

  // kioskctl says the same, and fails.
  std::string out, err;
  CHECK(RunKioskctl({"--config", kiosk.config_file().string(), "sync", "--once"}, &out, &err) == 1);
  CHECK(err.find("Chứng chỉ") != std::string::npos);
  CHECK(err.find(reason) != std::string::npos);
}

}  // namespace

TEST_CASE("a server certificate from another CA: nothing is sent and the error says why") {
  CheckRefused("wrong-server", "not trusted");
}

TEST_CASE("a self-signed server certificate: nothing is sent and the error says why") {
  CheckRefused("selfsigned", "self-signed");
}

TEST_CASE("a province certificate for another host name: nothing is sent and the error says why") {
  CheckRefused("wrong-name", "subject name");
}
