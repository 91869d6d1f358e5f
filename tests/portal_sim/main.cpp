// portal-sim — the provincial portal's kiosk gateway over HTTPS on loopback (docs/portal.md).
//
//   portal-sim --certs DIR [--server-cert NAME] [--db FILE] [--port N] [--admin-port N]
//              [--ready-file FILE] [--catalog FILE] [--token T]... [--commune-code C]
//              [--commune-name N] [--seed N] [--threads N] [fault flags]
// Fault flags: --p500 X --p503 X --p429 X --retry-after S --p-drop-request X
//              --p-drop-response X --p-slow X --slow-ms N --fail-procedure CODE --refuse-value PATH=V --down
// Proof mode: --allow-duplicates (dossiers created again for a repeated client_id, and counted;
//              sim_proofs.cpp), with the hold and delivery log on the admin listener.
// --certs DIR holds what scripts/make-certs made; --server-cert NAME picks the certificate the
// listener presents (server, wrong-server, selfsigned, wrong-name). Port 0 picks a free port;
// the ready file receives {"port", "admin_port", "pid"} once both listeners accept.
#include <openssl/ssl.h>
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tests/portal_sim/sim.h"
#include "tests/portal_sim/sim_hostile.h"
#include "tests/support/read_file.h"

namespace {

int Usage(const std::string& why) {
  std::cerr << "portal-sim: " << why << "\n"
            << "usage: portal-sim --certs DIR [--server-cert NAME] [--db FILE] [--port N] [--admin-port N]\n"
            << "       [--ready-file FILE] [--catalog FILE] [--token T]... [--commune-code C] [--commune-name N]\n"
            << "       [--seed N] [--threads N] [--p500 X] [--p503 X] [--p429 X] [--retry-after S]\n"
            << "       [--p-drop-request X] [--p-drop-response X] [--p-slow X] [--slow-ms N]\n"
            << "       [--fail-procedure CODE] [--refuse-value fields.X=V] [--down] [--allow-duplicates]\n"
            << "       [--officer-ca FILE] [--require-signature]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using nlohmann::json;
  portal_sim::Sim sim;
  auto& cfg = sim.config;
  std::string certs_dir, server_cert_name = "server";
  std::vector<std::string> tokens;
  json faults = json::object();
  cfg.catalog_path = std::string(MCK_SOURCE_DIR) + "/config/procedures.json";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "portal-sim: " << a << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    auto number = [&](const std::string& v) { return std::strtod(v.c_str(), nullptr); };
    if (a == "--certs")
      certs_dir = next();
    else if (a == "--server-cert")
      server_cert_name = next();
    else if (a == "--db")
      cfg.db_path = next();
    else if (a == "--port")
      cfg.port = std::atoi(next().c_str());
    else if (a == "--admin-port")
      cfg.admin_port = std::atoi(next().c_str());
    else if (a == "--ready-file")
      cfg.ready_file = next();
    else if (a == "--catalog")
      cfg.catalog_path = next();
    else if (a == "--token")
      tokens.push_back(next());
    else if (a == "--commune-code")
      cfg.default_commune_code = next();
    else if (a == "--commune-name")
      cfg.default_commune_name = next();
    else if (a == "--seed")
      cfg.seed = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--threads")
      cfg.threads = std::max(2, std::atoi(next().c_str()));
    else if (a == "--p500")
      faults["p500"] = number(next());
    else if (a == "--p503")
      faults["p503"] = number(next());
    else if (a == "--p429")
      faults["p429"] = number(next());
    else if (a == "--retry-after")
      faults["retry_after_s"] = std::atoi(next().c_str());
    else if (a == "--p-drop-request")
      faults["p_drop_request"] = number(next());
    else if (a == "--p-drop-response")
      faults["p_drop_response"] = number(next());
    else if (a == "--p-slow")
      faults["p_slow"] = number(next());
    else if (a == "--slow-ms")
      faults["slow_ms"] = std::atoi(next().c_str());
    else if (a == "--fail-procedure")
      faults["fail_procedure"] = next();
    else if (a == "--refuse-value")
      faults["refuse_value"] = next();
    else if (a == "--down")
      faults["down"] = true;
    else if (a == "--allow-duplicates")
      cfg.allow_duplicates = true;
    else if (a == "--officer-ca") {
      const std::string file = next();
      cfg.officer_ca_pem = mck::test::ReadAll(file);
      if (cfg.officer_ca_pem.empty()) return Usage("cannot read " + file);
    } else if (a == "--require-signature")
      cfg.require_signature = true;
    else if (a == "--help" || a == "-h")
      return Usage("help") == 2 ? 0 : 0;
    else
      return Usage("unknown argument " + a);
  }
  if (certs_dir.empty()) return Usage("--certs DIR is required (make it with scripts/make-certs DIR)");
  cfg.server_cert = certs_dir + "/" + server_cert_name + ".pem";
  cfg.server_key = certs_dir + "/" + server_cert_name + ".key";
  cfg.ca_cert = certs_dir + "/ca.pem";
  cfg.ca_key = certs_dir + "/ca.key";
  if (cfg.db_path.empty()) cfg.db_path = certs_dir + "/portal-sim.db";
  sim.rng.seed(cfg.seed);
  sim.ca_pem = mck::test::ReadAll(cfg.ca_cert);
  if (sim.ca_pem.empty()) return Usage("cannot read " + cfg.ca_cert);
  std::string error;
  if (!sim.faults.Apply(faults, &error)) return Usage(error);
  if (!sim.SetCatalog(mck::test::ReadAll(cfg.catalog_path), &error)) return Usage(cfg.catalog_path + ": " + error);
  if (mck::Status st = portal_sim::OpenSimDb(sim); !st.ok()) return Usage(cfg.db_path + ": " + st.message_en());
  for (const auto& t : tokens) {
    auto ins = sim.db->Prepare("INSERT OR IGNORE INTO tokens(token, commune_code, commune_name) VALUES(?,?,?)");
    ins->Bind(1, t).Bind(2, cfg.default_commune_code).Bind(3, cfg.default_commune_name);
    if (!ins->Run().ok()) return Usage("cannot store token");
  }

  // TLS: TLS 1.2+, the chosen server certificate, and client certificates verified against the
  // CA when presented (enrolment comes before the kiosk has one; the handlers insist on one for
  // everything else).
  httplib::SSLServer api([&](SSL_CTX& ctx) {
    SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
    if (SSL_CTX_use_certificate_chain_file(&ctx, cfg.server_cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(&ctx, cfg.server_key.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(&ctx) != 1 ||
        SSL_CTX_load_verify_locations(&ctx, cfg.ca_cert.c_str(), nullptr) != 1) {
      return false;
    }
    SSL_CTX_set_client_CA_list(&ctx, SSL_load_client_CA_file(cfg.ca_cert.c_str()));
    SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
    static const unsigned char kSessionContext[] = "portal-sim";
    SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
    return true;
  });
  if (!api.is_valid()) return Usage("cannot load " + cfg.server_cert + " / " + cfg.server_key);
  const size_t threads = static_cast<size_t>(cfg.threads);
  api.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  api.set_tcp_nodelay(true);  // headers and body go in separate writes: no Nagle delay between them
  api.set_keep_alive_max_count(100000);
  api.set_keep_alive_timeout(30);
  api.set_read_timeout(30);
  api.set_write_timeout(30);
  portal_sim::RegisterApi(api, sim);
  // Every answer carries Date (RFC 9110), which the kiosk uses to measure its clock skew.
  api.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    portal_sim::AfterHandler(req);  // proof mode: the "after" hold and the delivery's fate
    char buf[64];
    const time_t now = ::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    res.set_header("Date", buf);
  });

  httplib::Server admin;
  admin.new_task_queue = [] { return new httplib::ThreadPool(4); };
  portal_sim::RegisterAdmin(admin, sim);
  portal_sim::RegisterProofAdmin(admin, sim);
  portal_sim::RegisterAuditAdmin(admin, sim);
  portal_sim::RegisterHostile(admin, sim);
  portal_sim::RegisterRenewalAdmin(admin);

  const int port = cfg.port ? (api.bind_to_port(cfg.host, cfg.port) ? cfg.port : -1) : api.bind_to_any_port(cfg.host);
  const int admin_port = cfg.admin_port ? (admin.bind_to_port(cfg.host, cfg.admin_port) ? cfg.admin_port : -1)
                                        : admin.bind_to_any_port(cfg.host);
  if (port <= 0 || admin_port <= 0) return Usage("cannot bind the listeners on " + cfg.host);

  // Stop cleanly on SIGTERM/SIGINT: a thread waits for the signal and stops both servers.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread api_thread([&] { api.listen_after_bind(); });
  std::thread admin_thread([&] { admin.listen_after_bind(); });
  while (!api.is_running() || !admin.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const json ready = {{"port", port}, {"admin_port", admin_port}, {"pid", static_cast<int>(::getpid())}};
  if (!cfg.ready_file.empty()) {
    const std::string tmp = cfg.ready_file + ".tmp";
    { std::ofstream(tmp) << ready.dump() << "\n"; }
    std::rename(tmp.c_str(), cfg.ready_file.c_str());
  }
  std::cout << "portal-sim listening on https://" << cfg.host << ":" << port << " (admin http://" << cfg.host << ":"
            << admin_port << ")" << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  api.stop();
  admin.stop();
  api_thread.join();
  admin_thread.join();
  return 0;
}
