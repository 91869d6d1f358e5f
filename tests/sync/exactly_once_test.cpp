// Exactly once under faults: the portal fails, drops connections and pushes back; the sync runner
// (`kioskctl sync --drain`, a separate process) is killed with SIGKILL mid-flight again and
// again; and still every dossier arrives exactly once, with every attachment intact. And two
// runners at once never post the same dossier twice.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>

#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

std::vector<std::string> RunnerArgs(const Kiosk& kiosk) {
  // Short leases and backoff so that the test finishes in well under a minute.
  return {"--config", kiosk.config_file().string(), "sync", "--drain", "--json", "--lease-s",  "6", "--backoff-base-ms",
          "20",       "--backoff-cap-ms",           "400",  "--batch", "8",      "--chunk-kb", "16"};
}

// Every local dossier accepted, the portal holding each exactly once under the same code, the
// daily sequences without a gap (a dossier created twice would have used up a number), and every
// attachment's bytes matching their SHA-256.
void CheckExactlyOnce(Store& store, PortalSim& sim, size_t expected) {
  auto local = store.dossiers().List();
  REQUIRE(local.ok());
  REQUIRE(local->size() == expected);
  std::map<std::string, std::string> local_codes;
  for (const auto& d : *local) {
    INFO(d.provisional_code << " " << DossierStateName(d.state) << " " << d.last_error.value_or(""));
    REQUIRE(d.state == DossierState::kAccepted);
    local_codes[d.client_id] = d.dossier_code.value_or("");
  }
  auto held = sim.Admin("GET", "/admin/dossiers");
  REQUIRE(held.size() == expected);
  std::map<std::string, std::set<int>> sequences;  // agency-day → numbers
  std::set<std::string> shas;
  for (const auto& d : held) {
    const std::string client_id = d["client_id"], code = d["dossier_code"];
    REQUIRE(local_codes.count(client_id) == 1);
    CHECK(local_codes[client_id] == code);
    sequences[code.substr(0, code.size() - 5)].insert(std::stoi(code.substr(code.size() - 4)));
    for (const auto& s : d["attachments"]) shas.insert(s.get<std::string>());
  }
  for (const auto& [prefix, numbers] : sequences) {
    INFO(prefix);
    CHECK(*numbers.begin() == 1);
    CHECK(*numbers.rbegin() == static_cast<int>(numbers.size()));
  }
  std::map<std::string, json> atts;
  for (const auto& a : sim.Admin("GET", "/admin/attachments")) atts[a["sha256"]] = a;
  for (const auto& sha : shas) {
    INFO(sha);
    REQUIRE(atts.count(sha) == 1);
    CHECK(atts[sha]["complete"] == true);
    CHECK(atts[sha]["data_sha256"] == sha);
  }
  auto check = store.Check();
  REQUIRE(check.ok());
  CHECK(check->ok());
}

}  // namespace

TEST_CASE(
    "500 dossiers arrive exactly once through 5xx and 429 answers and dropped connections and SIGKILLed runners") {
  TempDir dir("mck-simdb");
  PortalSim sim({dir.path() / "sim.db", 0, "server", {"--seed", "2026"}});
  sim.AddToken("TOKEN-X");
  Kiosk kiosk;
  kiosk.Enrol(sim, "TOKEN-X");
  auto store = kiosk.OpenStore();
  std::mt19937_64 rng(500);
  kiosk.SubmitDossiers(*store, 500, 5, rng);  // 100 of them with an attachment (2–60 KB, 16 KB chunks)

  // 30% 5xx, 1% 429 with Retry-After: 1 (each one pauses the runner at least a second, so they
  // are kept rare to keep the test short), 8% dropped connections, before or after the portal
  // committed the request.
  sim.SetFaults({{"p500", 0.20},
                 {"p503", 0.10},
                 {"retry_after_on_503", false},
                 {"p429", 0.01},
                 {"retry_after_s", 1},
                 {"p_drop_request", 0.04},
                 {"p_drop_response", 0.04}});

  const std::filesystem::path log = dir.path() / "runner.log";
  // Each runner is killed once it has got a random amount of work done (5 to 40 acceptances)
  // — wherever it is in its next request by then.
  std::uniform_int_distribution<int> progress(5, 40);
  int kills = 0;
  for (int round = 0; round < 6; ++round) {
    const int64_t target = store->outbox().Depth().value() - progress(rng);
    const pid_t pid = SpawnKioskctl(RunnerArgs(kiosk), log);
    bool exited = false;
    REQUIRE(WaitFor(
        [&] {
          exited = ChildExited(pid);
          return exited || store->outbox().Depth().value() <= target;
        },
        std::chrono::seconds(60)));
    if (!exited) {
      if (::kill(pid, SIGKILL) == 0) ++kills;
      WaitChild(pid);
    }
  }
  INFO("runners killed: " << kills);
  CHECK(kills >= 4);
  const int64_t left_after_kills = store->outbox().Depth().value();
  CHECK(left_after_kills < 500);  // the killed runners did get work done

  // The last runner, still under faults, drains what is left.
  std::string out, err;
  const int rc = RunKioskctl(RunnerArgs(kiosk), &out, &err);
  INFO(err);
  REQUIRE(rc == 0);
  CHECK(json::parse(out)["remaining"] == 0);

  auto stats = sim.Admin("GET", "/admin/stats");
  INFO(stats.dump());
  CHECK(stats["counters"]["fault.500"].get<int>() > 0);
  CHECK(stats["counters"]["fault.429"].get<int>() > 0);
  CHECK(stats["counters"]["fault.drop_response"].get<int>() > 0);
  CHECK(stats["counters"]["idempotency.replay"].get<int>() > 0);  // answers lost, then replayed
  CHECK(stats["max_posts_per_key"].get<int>() > 1);               // resends did happen...
  CheckExactlyOnce(*store, sim, 500);                             // ...and changed nothing
}

TEST_CASE("two runners at once never post the same dossier twice") {
  TempDir dir("mck-simdb");
  PortalSim sim({dir.path() / "sim.db", 0, "server", {}});
  sim.AddToken("TOKEN-Y");
  Kiosk kiosk;
  kiosk.Enrol(sim, "TOKEN-Y");
  auto store = kiosk.OpenStore();
  std::mt19937_64 rng(2);
  kiosk.SubmitDossiers(*store, 300, 10, rng);

  std::vector<std::string> args = {"--config", kiosk.config_file().string(), "sync", "--drain", "--json", "--batch",
                                   "4"};
  const pid_t a = SpawnKioskctl(args, dir.path() / "a.log");
  const pid_t b = SpawnKioskctl(args, dir.path() / "b.log");
  REQUIRE(WaitChild(a) == 0);
  REQUIRE(WaitChild(b) == 0);

  auto posts = sim.Admin("GET", "/admin/posts?endpoint=dossiers");
  REQUIRE(posts.size() == 300);
  for (auto it = posts.begin(); it != posts.end(); ++it) {
    INFO(it.key());
    CHECK(it.value() == 1);  // each key was POSTed once, not "answered once"
  }
  // Between them the runners recorded 300 acceptances: none was recorded twice.
  auto accepted = [](const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string line, last;
    while (std::getline(in, line))
      if (!line.empty()) last += line;
    return json::parse(last)["accepted"].get<int>();
  };
  const int by_a = accepted(dir.path() / "a.log"), by_b = accepted(dir.path() / "b.log");
  INFO("runner a accepted " << by_a << ", runner b " << by_b);
  CHECK(by_a + by_b == 300);
  CheckExactlyOnce(*store, sim, 300);
}
