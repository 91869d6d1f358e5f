// Certificate renewal against the real portal simulator over TLS (offline/sync/renewal.h,
// docs/portal.md "Certificate renewal"): a sync pass renews a certificate with 10 days left and
// the next request presents the new one; a refused renewal leaves the old pair working; a power
// cut at any step of a renewal leaves a working pair.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include "offline/store/key_vault.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/renewal.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kDay = 24 * 3600;

// Enrols `kiosk` with a certificate valid `days` days, then puts the simulator back to a year.
void EnrolShortLived(PortalSim& sim, Kiosk& kiosk, const std::string& token, int64_t days) {
  sim.AddToken(token);
  sim.Admin("POST", "/admin/certificates", {{"validity_s", days * kDay}});
  kiosk.Enrol(sim, token);
  sim.Admin("POST", "/admin/certificates", {{"validity_s", 365 * kDay}});
}

Enrolment Load(const Kiosk& kiosk) {
  auto store = kiosk.OpenStore();
  auto e = LoadEnrolment(*store);
  REQUIRE(e.ok());
  return *e;
}

std::string Serial(const fs::path& cert) {
  auto info = ReadCertificateInfo(cert);
  REQUIRE(info.ok());
  return info->serial_hex;
}

// The serial of the certificate this kiosk presented in its last request.
std::string PresentedSerial(PortalSim& sim, const std::string& kiosk_id) {
  const json j = sim.Admin("GET", "/admin/certificates");
  return j["peer_serials"].value(kiosk_id, "");
}

std::string Setting(const Kiosk& kiosk, const char* key) {
  auto store = kiosk.OpenStore();
  auto v = store->settings().Get(key);
  REQUIRE(v.ok());
  return v->value_or("");
}

// One pass with a heartbeat and without renewal: the pair the settings name must work.
void PassWithoutRenewal(const Kiosk& kiosk) {
  SyncOptions o = kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  o.cert_renew_days = 0;
  auto syncer = kiosk.OpenSyncer(o);
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  INFO(sum->error.ToString());
  CHECK(sum->error.ok());
  CHECK_FALSE(sum->certificate_renewed);
}

}  // namespace

TEST_CASE("a certificate with 10 days left is renewed in a sync pass and the next request presents the new one") {
  TempDir dir{"mck-renew"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "5"}}};
  Kiosk kiosk;
  EnrolShortLived(sim, kiosk, "TOKEN-R1", 10);
  const Enrolment before = Load(kiosk);
  const std::string old_serial = Serial(before.cert_file);
  auto old_info = ReadCertificateInfo(before.cert_file);
  REQUIRE(old_info.ok());
  const int64_t days_left = CertificateDaysLeft(old_info->not_after_unix, std::chrono::system_clock::now());
  CHECK((days_left == 9 || days_left == 10));  // 10 days to the second, minus the enrolment's seconds

  SyncOptions o = kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  REQUIRE(o.cert_renew_days == 30);  // the default
  auto syncer = kiosk.OpenSyncer(o);
  auto first = syncer->RunOnce();
  REQUIRE(first.ok());
  INFO(first->error.ToString());
  REQUIRE(first->error.ok());
  CHECK(first->certificate_renewed);

  const Enrolment after = Load(kiosk);
  const std::string new_serial = Serial(after.cert_file);
  CHECK(new_serial != old_serial);
  CHECK(after.cert_file != before.cert_file);
  auto new_info = ReadCertificateInfo(after.cert_file);
  REQUIRE(new_info.ok());
  CHECK(CertificateDaysLeft(new_info->not_after_unix, std::chrono::system_clock::now()) >= 364);
  CHECK(new_info->subject_cn == before.kiosk_id);
  CHECK(after.cert_expires_at != before.cert_expires_at);
  // The new key is kept as the old one was (file mode here: the plain 0600 file); the old is gone.
  CHECK(fs::exists(after.key_file));
  CHECK((fs::status(after.key_file).permissions() & fs::perms::group_read) == fs::perms::none);
  CHECK_FALSE(fs::exists(before.key_file));
  CHECK_FALSE(fs::exists(before.cert_file));
  CHECK(Setting(kiosk, settings::kCertRenewalError).empty());
  CHECK_FALSE(Setting(kiosk, settings::kCertRenewedAt).empty());

  // The same Syncer's next request presents the new certificate...
  auto second = syncer->RunOnce();
  REQUIRE(second.ok());
  CHECK(second->error.ok());
  CHECK_FALSE(second->certificate_renewed);  // a year left now
  CHECK(PresentedSerial(sim, before.kiosk_id) == new_serial);
  // ...and so does a restarted kiosk.
  syncer.reset();
  PassWithoutRenewal(kiosk);
  CHECK(PresentedSerial(sim, before.kiosk_id) == new_serial);
  const json state = sim.Admin("GET", "/admin/certificates");
  REQUIRE(state["issued"].size() == 1);
  CHECK(state["issued"][0]["serial"] == new_serial);
}

TEST_CASE("a certificate with more days left than cert_renew_days is not renewed") {
  TempDir dir{"mck-renew"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "6"}}};
  Kiosk kiosk;
  EnrolShortLived(sim, kiosk, "TOKEN-R0", 40);
  SyncOptions o = kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  auto syncer = kiosk.OpenSyncer(o);
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK_FALSE(sum->certificate_renewed);
  CHECK(sim.Admin("GET", "/admin/certificates")["issued"].empty());
}

TEST_CASE("a renewal the portal refuses leaves the old certificate working and is reported") {
  const int refusal = GENERATE(500, 401);
  TempDir dir{"mck-renew"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "7"}}};
  Kiosk kiosk;
  EnrolShortLived(sim, kiosk, "TOKEN-R2", 10);
  const Enrolment before = Load(kiosk);
  const std::string old_serial = Serial(before.cert_file);
  sim.Admin("POST", "/admin/certificates", {{"refuse_renewal", refusal}});

  SyncOptions o = kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  {
    auto syncer = kiosk.OpenSyncer(o);
    auto sum = syncer->RunOnce();
    REQUIRE(sum.ok());
    CHECK(sum->error.ok());  // the pass itself went on
    CHECK_FALSE(sum->certificate_renewed);
  }
  const Enrolment after = Load(kiosk);
  CHECK(after.cert_file == before.cert_file);
  CHECK(after.key_file == before.key_file);
  CHECK(fs::exists(before.key_file));
  CHECK(Serial(after.cert_file) == old_serial);
  CHECK_FALSE(Setting(kiosk, settings::kCertRenewalError).empty());
  // Diagnostics report it, with the days left.
  std::string out, err;
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "diag", "--json"}, &out, &err) == 0);
  const json diag = json::parse(out);
  CHECK_FALSE(diag["certificate"]["renewal_error"].get<std::string>().empty());
  CHECK(diag["certificate"]["days_left"].get<int>() >= 9);
  CHECK(diag["certificate"]["days_left"].get<int>() <= 10);
  CHECK(diag["certificate"]["serial"] == old_serial);
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "metrics"}, &out, &err) == 0);
  CHECK(out.find("mck_client_certificate_renewal_failing 1") != std::string::npos);
  PassWithoutRenewal(kiosk);
  CHECK(PresentedSerial(sim, before.kiosk_id) == old_serial);

  // Once the portal accepts again, the next due pass renews and clears the error.
  sim.Admin("POST", "/admin/certificates", {{"refuse_renewal", 0}});
  auto syncer = kiosk.OpenSyncer(o);
  auto sum = syncer->RunOnce();
  REQUIRE(sum.ok());
  CHECK(sum->certificate_renewed);
  CHECK(Setting(kiosk, settings::kCertRenewalError).empty());
}

TEST_CASE("a power cut at any step of a renewal leaves a working pair") {
  const std::string stage =
      GENERATE(std::string("key_saved"), std::string("cert_written"), std::string("settings_switched"));
  INFO("killed after " << stage);
  TempDir dir{"mck-renew"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "8"}}};
  Kiosk kiosk;
  EnrolShortLived(sim, kiosk, "TOKEN-R3", 10);
  const Enrolment before = Load(kiosk);
  const std::string old_serial = Serial(before.cert_file);

  // A child renews and dies (_exit: no destructor, no clean-up) right after `stage`.
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto store = kiosk.OpenStore();
    auto e = LoadEnrolment(*store);
    HttpOptions h;
    h.base_url = e->portal_url;
    h.ca_file = e->ca_file;
    if (!LoadClientKey(*e, &h).ok()) ::_exit(3);
    auto http = HttpClient::Create(std::move(h));
    if (!http.ok()) ::_exit(4);
    auto r = RenewCertificate(*store, **http, std::chrono::system_clock::now(), [&](std::string_view at) {
      if (at == stage) ::_exit(42);
    });
    ::_exit(r.ok() ? 0 : 5);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 42);  // it died at that step

  const Enrolment after = Load(kiosk);
  REQUIRE(fs::exists(after.cert_file));
  auto key = LoadSecret(after.key_protection, after.key_file);
  REQUIRE(key.ok());
  SecureWipe(*key);
  PassWithoutRenewal(kiosk);  // the named pair talks mTLS
  const std::string presented = PresentedSerial(sim, before.kiosk_id);
  if (stage == "settings_switched") {
    CHECK(presented != old_serial);
    CHECK(presented == Serial(after.cert_file));
  } else {
    CHECK(presented == old_serial);
    CHECK(after.cert_file == before.cert_file);
  }
  // A later renewal still works from there.
  SyncOptions o = kiosk.sync_options();
  o.heartbeat_interval = std::chrono::seconds(0);
  if (stage != "settings_switched") {
    auto syncer = kiosk.OpenSyncer(o);
    auto sum = syncer->RunOnce();
    REQUIRE(sum.ok());
    CHECK(sum->certificate_renewed);
    CHECK(syncer->RunOnce().ok());
    CHECK(PresentedSerial(sim, before.kiosk_id) == Serial(Load(kiosk).cert_file));
  }
}

TEST_CASE("kioskctl cert show, cert renew and diag give the certificate's days left before and after") {
  TempDir dir{"mck-renew"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "9"}}};
  Kiosk kiosk;
  EnrolShortLived(sim, kiosk, "TOKEN-R4", 10);
  const std::string cfg = kiosk.config_file().string();
  std::string out, err;
  REQUIRE(RunKioskctl({"--config", cfg, "--json", "cert", "show"}, &out, &err) == 0);
  const json before = json::parse(out);
  CHECK(before["days_left"].get<int>() <= 10);
  CHECK(before["renew_days"] == 30);
  REQUIRE(RunKioskctl({"--config", cfg, "--json", "cert", "renew"}, &out, &err) == 0);
  INFO(err);
  const json renewed = json::parse(out);
  CHECK(renewed["old_serial"] == before["serial"]);
  CHECK(renewed["serial"] != before["serial"]);
  CHECK(renewed["days_left"].get<int>() >= 364);
  REQUIRE(RunKioskctl({"--config", cfg, "diag", "--json"}, &out, &err) == 0);
  const json diag = json::parse(out);
  CHECK(diag["certificate"]["serial"] == renewed["serial"]);
  CHECK(diag["certificate"]["days_left"].get<int>() >= 364);
  CHECK(diag["enrolment"]["enrolled"] == true);
  CHECK(diag["certificate"]["renewal_error"] == "");
  REQUIRE(RunKioskctl({"--config", cfg, "diag"}, &out, &err) == 0);
  CHECK(out.find("days left") != std::string::npos);
  // The kiosk talks with the pair kioskctl made.
  PassWithoutRenewal(kiosk);
  CHECK(PresentedSerial(sim, diag["enrolment"]["kiosk_id"].get<std::string>()) == renewed["serial"]);

  SECTION("a refused renewal is exit 1 and leaves the certificate as it was") {
    sim.Admin("POST", "/admin/certificates", {{"refuse_renewal", 500}});
    CHECK(RunKioskctl({"--config", cfg, "--json", "cert", "renew"}, &out, &err) == 1);
    REQUIRE(RunKioskctl({"--config", cfg, "--json", "cert", "show"}, &out, &err) == 0);
    CHECK(json::parse(out)["serial"] == renewed["serial"]);
    CHECK_FALSE(json::parse(out)["renewal_error"].get<std::string>().empty());
  }
}
