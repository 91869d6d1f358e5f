#include "tests/sync/harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "offline/domain/clock.h"
#include "offline/domain/ids.h"
#include "offline/sync/enrolment.h"
#include "tests/support/read_file.h"
#include "tests/support/sample_dossier.h"

namespace mck::test {

namespace fs = std::filesystem;
using nlohmann::json;

TempDir::TempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  REQUIRE(::mkdtemp(buf.data()) != nullptr);
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

const fs::path& CertsDir() {
  static TempDir dir("mck-certs");
  static bool made = false;
  if (!made) {
    const std::string cmd =
        std::string(MCK_SOURCE_DIR) + "/scripts/make-certs '" + dir.path().string() + "' >/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    made = true;
  }
  return dir.path();
}

fs::path FixtureCatalog() {
  return fs::path(MCK_SOURCE_DIR) / "tests/sync/fixtures/catalog.json";
}
fs::path KioskctlPath() {
  return fs::path(MCK_BINARY_DIR) / "kiosk/kioskctl";
}

namespace {
pid_t Spawn(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

bool ChildExited(pid_t pid, int* status) {
  int st = 0;
  if (::waitpid(pid, &st, WNOHANG) != pid) return false;
  if (status) *status = st;
  return true;
}

bool WaitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  std::chrono::milliseconds pause(1);
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= give_up) return false;
    // The one real-time pause of the sync tests: another process is what we wait for.
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return true;
}

int WaitChild(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

PortalSim::PortalSim(Options options) : options_(std::move(options)) {
  static int counter = 0;
  const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(++counter);
  ready_file_ = options_.db.parent_path() / ("sim-ready-" + tag + ".json");
  log_file_ = options_.db.parent_path() / ("sim-" + tag + ".log");
  std::vector<std::string> args = {(fs::path(MCK_BINARY_DIR) / "tests/portal_sim/portal-sim").string(),
                                   "--certs",
                                   CertsDir().string(),
                                   "--server-cert",
                                   options_.server_cert,
                                   "--db",
                                   options_.db.string(),
                                   "--ready-file",
                                   ready_file_.string(),
                                   "--catalog",
                                   FixtureCatalog().string(),
                                   "--port",
                                   std::to_string(options_.port)};
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  pid_ = Spawn(args, log_file_);
  bool exited = false;
  const bool started = WaitFor(
      [&] {
        exited = ChildExited(pid_);
        return exited || fs::exists(ready_file_);
      },
      std::chrono::seconds(30));
  if (exited) {
    pid_ = -1;
    FAIL("portal-sim exited before it was ready: " << ReadAll(log_file_));
  }
  if (!started) FAIL("portal-sim did not start: " << ReadAll(log_file_));
  json ready = json::parse(ReadAll(ready_file_));
  port_ = ready["port"];
  admin_port_ = ready["admin_port"];
  fs::remove(ready_file_);
}

PortalSim::~PortalSim() {
  Stop();
}

void PortalSim::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  // httplib lets running handlers finish; a deliberately slow one is not worth waiting for.
  if (WaitFor([&] { return ChildExited(pid_); }, std::chrono::seconds(2))) {
    pid_ = -1;
    return;
  }
  ::kill(pid_, SIGKILL);
  WaitChild(pid_);
  pid_ = -1;
}

json PortalSim::Admin(const std::string& method, const std::string& path, const json& body) {
  httplib::Client cli("127.0.0.1", admin_port_);
  cli.set_read_timeout(30, 0);
  httplib::Result r =
      method == "GET" ? cli.Get(path.c_str())
                      : cli.Post(path.c_str(), body.is_null() ? std::string("{}") : body.dump(), "application/json");
  REQUIRE(r);
  INFO(path << ": " << r->body);
  REQUIRE(r->status / 100 == 2);
  return json::parse(r->body);
}

void PortalSim::AddToken(const std::string& token, const std::string& commune_code) {
  json body = {{"token", token}};
  if (!commune_code.empty()) body["commune_code"] = commune_code;
  Admin("POST", "/admin/tokens", body);
}

Kiosk::Kiosk(int number) : number_(number), dir_("mck-kiosk") {
  WriteConfig();
}

void Kiosk::WriteConfig() const {
  // key_protection chosen explicitly: the tests must not depend on whether this machine has a TPM.
  std::ofstream(config_file()) << "[kiosk]\nnumber = " << number_ << "\ndata_dir = \"data\"\ncatalog_seed = \""
                               << FixtureCatalog().string() << "\"\n[portal]\nconnect_timeout_s = 5\n"
                               << "transfer_timeout_s = " << transfer_timeout_s_
                               << "\nsync_interval_s = 30\nheartbeat_interval_s = 300\n"
                               << "[security]\nkey_protection = \"" << KeyProtectionName(key_protection_.mode)
                               << "\"\ntpm_tcti = \"" << key_protection_.tpm_tcti << "\"\n";
}

void Kiosk::SetTransferTimeout(int seconds) {
  transfer_timeout_s_ = seconds;
  WriteConfig();
}

void Kiosk::SetKeyProtection(const KeyProtectionOptions& protection) {
  key_protection_ = protection;
  WriteConfig();
}

StoreOptions Kiosk::store_options(const Clock* clock) const {
  StoreOptions o;
  o.data_dir = dir() / "data";
  o.kiosk_number = number_;
  o.catalog_seed = FixtureCatalog();
  o.clock = clock;
  o.key_protection = key_protection_;
  return o;
}

std::unique_ptr<Store> Kiosk::OpenStore(const Clock* clock) const {
  auto s = Store::Open(store_options(clock));
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(s.value());
}

SyncSetup Kiosk::sync_setup(const Clock* clock) const {
  SyncSetup s;
  s.store = store_options(clock);
  s.clock = clock;
  s.connect_timeout = std::chrono::seconds(5);
  s.transfer_timeout = std::chrono::seconds(20);
  return s;
}

std::unique_ptr<Syncer> Kiosk::OpenSyncer(const SyncOptions& options, const Clock* clock,
                                          bool reuse_connections) const {
  SyncSetup setup = sync_setup(clock);
  setup.reuse_connections = reuse_connections;
  auto syncer = Syncer::Open(setup, options);
  INFO(syncer.status().ToString());
  REQUIRE(syncer.ok());
  return std::move(syncer.value());
}

SyncOptions Kiosk::sync_options() const {
  SyncOptions o;
  o.backoff.base = std::chrono::milliseconds(20);
  o.backoff.cap = std::chrono::milliseconds(500);
  o.lease = std::chrono::seconds(30);
  o.chunk_bytes = 16 * 1024;
  return o;
}

void Kiosk::Enrol(PortalSim& sim, const std::string& token) {
  auto store = OpenStore();
  EnrolRequest req;
  req.portal_url = sim.url();
  req.token = token;
  req.ca_file = CertsDir() / "ca.pem";
  req.hostname = "kiosk-test";
  req.software_version = "test";
  auto e = mck::Enrol(*store, store_options().data_dir, req);
  INFO(e.status().ToString());
  REQUIRE(e.ok());
}

json DossierBody(const std::string& procedure) {
  const CivilDate today = VietnamDate(std::chrono::system_clock::now());
  const std::string child_dob = FormatDate(CivilFromDays(DaysFromCivil(today) - 10));
  json fields = procedure == "2.000815"
                    ? json{{"copies", 2}}
                    : json{{"child_name", "Nguyễn Văn An"}, {"child_dob", child_dob}, {"child_gender", "Nam"}};
  json docs = procedure == "2.000815" ? json::array({{{"id", "original"}, {"presented_at_counter", true}}})
                                      : json::array({{{"id", "birth_certificate"}, {"presented_at_counter", true}}});
  return {{"procedure_code", procedure},
          {"channel", "kiosk"},
          {"applicant", mck::test::SampleApplicant("Thôn Mẫu, xã Mẫu")},
          {"fields", fields},
          {"documents", docs}};
}

std::vector<std::string> Kiosk::SubmitDossiers(Store& store, int n, int attachment_every, std::mt19937_64& rng,
                                               const std::string& procedure) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) {
    std::vector<NewAttachment> atts;
    if (attachment_every > 0 && i % attachment_every == 0) {
      NewAttachment a;
      a.name = "giay-chung-sinh.jpg";
      a.media_type = "image/jpeg";
      a.data.resize(2048 + rng() % (58 * 1024));
      for (auto& c : a.data) c = static_cast<char>(rng());
      atts.push_back(std::move(a));
    }
    auto s = store.dossiers().Submit(DossierBody(procedure), atts, "2026-11-01.test");
    INFO(s.status().ToString());
    REQUIRE(s.ok());
    ids.push_back(s->client_id);
  }
  return ids;
}

int RunKioskctl(const std::vector<std::string>& args, std::string* out, std::string* err) {
  TempDir tmp("mck-ctl");
  std::vector<std::string> full = {KioskctlPath().string()};
  full.insert(full.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (const auto& a : full) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const fs::path o = tmp.path() / "out", e = tmp.path() / "err";
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fo = ::open(o.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int fe = ::open(e.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fo, 1);
    ::dup2(fe, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const int rc = WaitChild(pid);
  if (out) *out = ReadAll(o);
  if (err) *err = ReadAll(e);
  return rc;
}

pid_t SpawnKioskctl(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<std::string> full = {KioskctlPath().string()};
  full.insert(full.end(), args.begin(), args.end());
  return Spawn(full, log);
}

}  // namespace mck::test
