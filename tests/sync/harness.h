// Test harness for the sync tests: throwaway certificates, the portal simulator as a child
// process on a free loopback port, kiosks in temporary data directories, kioskctl children.
// Everything runs against real HTTPS on 127.0.0.1; nothing is mocked.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "offline/store/store.h"
#include "offline/sync/syncer.h"

namespace mck::test {

// A fresh directory under $TMPDIR, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "mck-sync");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The certificates of scripts/make-certs, made once per test process.
const std::filesystem::path& CertsDir();
std::filesystem::path FixtureCatalog();
std::filesystem::path KioskctlPath();

// portal-sim as a child process. The constructor waits until it accepts (or fails the test).
class PortalSim {
 public:
  struct Options {
    std::filesystem::path db;             // required: survives restarts
    int port = 0;                         // 0: any free port
    std::string server_cert = "server";   // server | wrong-server | selfsigned | wrong-name
    std::vector<std::string> extra_args;  // fault flags, --seed, ...
  };
  explicit PortalSim(Options options);
  ~PortalSim();  // Stop()
  void Stop();   // SIGTERM, then waits
  int port() const { return port_; }
  int admin_port() const { return admin_port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  // Calls the admin endpoint; fails the test on a transport error or a non-2xx answer.
  nlohmann::json Admin(const std::string& method, const std::string& path,
                       const nlohmann::json& body = nlohmann::json());
  void AddToken(const std::string& token, const std::string& commune_code = "");
  void SetFaults(const nlohmann::json& faults) { Admin("POST", "/admin/faults", faults); }

 private:
  Options options_;
  std::filesystem::path ready_file_, log_file_;
  pid_t pid_ = -1;
  int port_ = 0, admin_port_ = 0;
};

// A kiosk: its own data directory and kiosk.toml.
class Kiosk {
 public:
  explicit Kiosk(int number = 7);
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path config_file() const { return dir_.path() / "kiosk.toml"; }
  StoreOptions store_options(const Clock* clock = nullptr) const;
  // How the kiosk keeps its keys ("file" unless set): in store_options() and in kiosk.toml.
  void SetKeyProtection(const KeyProtectionOptions& protection);
  // [portal] transfer_timeout_s in kiosk.toml (20 s unless set).
  void SetTransferTimeout(int seconds);
  std::unique_ptr<Store> OpenStore(const Clock* clock = nullptr) const;
  // Enrols through the library (as `kioskctl enroll` does).
  void Enrol(PortalSim& sim, const std::string& token);
  // Submits n valid dossiers; every `attachment_every`-th one (0: none) carries a random file of
  // 2–60 KB. Returns the client ids.
  std::vector<std::string> SubmitDossiers(Store& store, int n, int attachment_every, std::mt19937_64& rng,
                                          const std::string& procedure = "1.001193");
  // Short backoff, lease and chunks for tests.
  SyncOptions sync_options() const;
  // Timeouts for tests; the store (and the Syncer) on `clock` (null: the system clock).
  SyncSetup sync_setup(const Clock* clock = nullptr) const;
  // Syncer::Open over this kiosk's data directory (fails the test when it cannot).
  std::unique_ptr<Syncer> OpenSyncer(const SyncOptions& options, const Clock* clock = nullptr,
                                     bool reuse_connections = true) const;

 private:
  void WriteConfig() const;
  int number_;
  TempDir dir_;
  KeyProtectionOptions key_protection_;
  int transfer_timeout_s_ = 20;
};

// A portal simulator (its database in a temporary folder, seed 11) and a kiosk enrolled with it
// by `token`: how most sync tests begin.
struct EnrolledKiosk {
  TempDir dir{"mck-simdb"};
  PortalSim sim{{dir.path() / "sim.db", 0, "server", {"--seed", "11"}}};
  Kiosk kiosk;
  explicit EnrolledKiosk(const std::string& token = "TOKEN-A") {
    sim.AddToken(token);
    kiosk.Enrol(sim, token);
  }
};

// A valid dossier body for the fixture catalog.
nlohmann::json DossierBody(const std::string& procedure = "1.001193");

// Runs kioskctl with args; returns the exit code; stdout into *out when given.
int RunKioskctl(const std::vector<std::string>& args, std::string* out = nullptr, std::string* err = nullptr);
// Starts kioskctl in the background (stdout/stderr to log); returns its pid.
pid_t SpawnKioskctl(const std::vector<std::string>& args, const std::filesystem::path& log);
// Waits for a child; returns its exit status (-signal when killed).
int WaitChild(pid_t pid);
// True once the child has exited (reaped; its status in *status when given), false while it runs.
bool ChildExited(pid_t pid, int* status = nullptr);

// For conditions only another process can make true (portal-sim, kioskctl): polls `pred` with a
// short growing backoff until it holds (true) or `timeout` of real time passed (false). Anything
// inside this process waits on an event or a ManualClock instead.
bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

}  // namespace mck::test
