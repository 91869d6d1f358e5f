// Exactly once under faults: the portal fails, drops connections and pushes back; the sync runner
// (`kioskctl sync --drain`, a separate process) is killed with SIGKILL mid-request again and
// again; and still every dossier arrives exactly once, with every attachment intact. And two
// runners at once never post the same dossier twice.
//
// Proofs that these cannot pass by accident:
// - every kill is shown to land mid-request: portal-sim holds one dossier POST (its proof mode,
//   tests/portal_sim/sim_proofs.cpp) before or after committing it; the runner is killed while
//   held; waitpid shows it died of that SIGKILL (not of its own accord), and the portal saw the
//   client's end of the held connection close only after the kill;
// - both concurrent runners are shown to send at the same time: the first POST is held until the
//   other runner has had a dossier created, and each runner reports acceptances of its own;
// - each test runs twice: against the normal simulator (idempotent, as the portal contract says)
//   and with --allow-duplicates, where the simulator forgets idempotency and creates a dossier
//   again for every repeated POST. There, every repeat must be explained by an answer the kiosk
//   never got (cut by the portal, or its runner killed while waiting for it): the kiosk's leases
//   and outbox, not the portal, keep the rest to exactly once.
// - the runners post a batch's dossiers several at once and record their acceptances in one
//   transaction (group commit, docs/sync.md "Overlapped delivery"): an answer that reached a
//   runner killed before its batch's commit is lost as surely as one cut on the wire, and is
//   counted as such; a test kills a runner exactly inside that window (one POST of the batch held
//   after the portal committed it, the others answered) and shows the re-sends replayed.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "tests/support/read_file.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

std::vector<std::string> RunnerArgs(const Kiosk& kiosk) {
  // Short leases and backoff so that the test finishes in well under a minute; four dossier
  // POSTs of a batch at once (the default, said here so the test does not move with it). The
  // portal-wide pause starts on the items' own ladder (--portal-doublings 0): its fleet-wide
  // spread (docs/sync.md) is the province bench's business, not exactly once's, and from the
  // cap it made each of the 500-dossier cases about 250 s.
  return {"--config",         kiosk.config_file().string(),
          "sync",             "--drain",
          "--json",           "--lease-s",
          "6",                "--backoff-base-ms",
          "20",               "--backoff-cap-ms",
          "400",              "--batch",
          "8",                "--chunk-kb",
          "16",               "--in-flight",
          "4",                "--portal-doublings",
          "0"};
}

// Every local dossier accepted, the portal holding each exactly once under the same code, the
// daily sequences without a gap (a dossier created twice would have used up a number), and every
// attachment's bytes matching their SHA-256.
void CheckExactlyOnce(Store& store, PortalSim& sim, size_t expected, bool allow_duplicates) {
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
  if (allow_duplicates) {
    // The simulator kept every repeat: keep, per client id, the one the kiosk recorded.
    json kept = json::array();
    for (const auto& d : held) {
      if (local_codes.count(d["client_id"]) && local_codes[d["client_id"]] == d["dossier_code"]) kept.push_back(d);
    }
    held = kept;
  }
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
    if (allow_duplicates) break;  // a repeat used up a number there, by design
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

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The simulator's delivery log, by Idempotency-Key.
std::map<std::string, std::vector<json>> Deliveries(PortalSim& sim) {
  std::map<std::string, std::vector<json>> by_key;
  for (const auto& d : sim.Admin("GET", "/admin/deliveries")) by_key[d["key"]].push_back(d);
  return by_key;
}

// A delivery, by key and start: (key, started_ms).
using DeliveryId = std::pair<std::string, int64_t>;

// After a runner was killed at kill_ms: the deliveries the portal answered before the kill whose
// dossier the kiosk has not recorded as accepted. Their answers died with the runner before its
// batch's commit (group commit): lost answers, like those cut on the wire.
void NoteAnswersLostInCrash(Store& store, PortalSim& sim, int64_t kill_ms, std::set<DeliveryId>* lost) {
  std::set<std::string> accepted;
  const auto local = store.dossiers().List().value();  // a copy: the Result is a temporary
  for (const auto& d : local)
    if (d.state == DossierState::kAccepted) accepted.insert(d.client_id);
  for (const auto& d : sim.Admin("GET", "/admin/deliveries")) {
    const int64_t finished = d["finished_ms"].get<int64_t>();
    if (d["answer_lost"].get<bool>() || finished == 0 || finished > kill_ms) continue;
    if (!accepted.count(d["key"].get<std::string>())) lost->insert({d["key"], d["started_ms"].get<int64_t>()});
  }
}

// Every dossier was created at the portal once, or again only after an answer the kiosk never
// got (cut on the wire, or received by a runner killed before its batch's commit: `lost_in_crash`);
// of its deliveries exactly one answer reached the kiosk's store (the code it recorded), and no two
// deliveries of one dossier were in flight at once. Returns how many repeats lost answers caused.
int CheckNoDuplicateOfTheKiosk(Store& store, PortalSim& sim, const std::set<DeliveryId>& lost_in_crash) {
  auto by_key = Deliveries(sim);
  auto local = store.dossiers().List().value();
  REQUIRE(by_key.size() == local.size());
  int repeats = 0;
  for (const auto& d : local) {
    INFO(d.provisional_code << " " << d.client_id);
    REQUIRE(by_key.count(d.client_id) == 1);
    auto& list = by_key[d.client_id];
    std::sort(list.begin(), list.end(), [](const json& a, const json& b) {
      return a["started_ms"].get<int64_t>() < b["started_ms"].get<int64_t>();
    });
    int answered = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      INFO(list[i].dump());
      const bool lost = list[i]["answer_lost"].get<bool>() ||
                        lost_in_crash.count({d.client_id, list[i]["started_ms"].get<int64_t>()}) > 0;
      if (!lost) {
        ++answered;
        CHECK(list[i]["code"] == d.dossier_code.value_or(""));
      }
      if (i > 0) CHECK(list[i - 1]["finished_ms"].get<int64_t>() <= list[i]["started_ms"].get<int64_t>());
    }
    CHECK(answered == 1);  // a second answered delivery would be the kiosk's own duplicate
    repeats += static_cast<int>(list.size()) - 1;
  }
  return repeats;
}

// Holds a dossier POST ("before" or "after" the portal commits it, the (skip+1)-th from now),
// starts a runner, waits until the hold catches it, kills the runner, and proves the kill landed
// mid-request. Returns false when the runner's own deadline ended the request before the kill
// (then the round proves nothing and is not counted).
bool KillMidRequest(PortalSim& sim, const std::vector<std::string>& args, const std::filesystem::path& log,
                    const std::string& stage, int skip, int64_t* killed_at = nullptr) {
  sim.Admin("POST", "/admin/hold", {{"stage", stage}, {"skip", skip}});
  const pid_t pid = SpawnKioskctl(args, log);
  bool exited = false;
  json hold;
  REQUIRE(WaitFor(
      [&] {
        exited = ChildExited(pid);
        if (exited) return true;
        hold = sim.Admin("GET", "/admin/hold");
        return hold["held"].get<bool>();
      },
      std::chrono::seconds(90)));
  REQUIRE_FALSE(exited);  // the runner was still at work when the portal caught its request
  const int64_t kill_ms = NowMs();
  if (killed_at) *killed_at = kill_ms;
  REQUIRE(::kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));  // it died of the kill, not of its own accord
  REQUIRE(WTERMSIG(status) == SIGKILL);
  // The kernel closes a killed process's sockets: the portal sees the held connection close.
  REQUIRE(WaitFor(
      [&] {
        hold = sim.Admin("GET", "/admin/hold");
        return !hold["peer_closed_ms"].is_null();
      },
      std::chrono::seconds(10)));
  sim.Admin("POST", "/admin/release");
  INFO(hold.dump());
  // Closed after the kill: the runner was still waiting for this answer when it died.
  return hold["peer_closed_ms"].get<int64_t>() >= kill_ms;
}

}  // namespace

namespace {

void KillRunnersMidRequest(bool allow_duplicates) {
  TempDir dir("mck-simdb");
  std::vector<std::string> sim_args = {"--seed", "2026"};
  if (allow_duplicates) sim_args.push_back("--allow-duplicates");
  PortalSim sim({dir.path() / "sim.db", 0, "server", sim_args});
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
  // Each runner gets some work done (5 to 30 dossier POSTs reach the portal), then its next
  // POST is held — before the portal processes it or after it committed — and the runner is
  // killed while it waits for the answer.
  std::uniform_int_distribution<int> progress(5, 30);
  int proven = 0, rounds = 0;
  std::set<DeliveryId> lost_in_crash;
  for (; proven < 5 && rounds < 10; ++rounds) {
    const std::string stage = rounds % 2 == 0 ? "after" : "before";
    int64_t kill_ms = 0;
    if (KillMidRequest(sim, RunnerArgs(kiosk), log, stage, progress(rng), &kill_ms)) ++proven;
    NoteAnswersLostInCrash(*store, sim, kill_ms, &lost_in_crash);
  }
  std::cout << "runners SIGKILLed mid-request (proven): " << proven << " in " << rounds << " rounds" << std::endl;
  CHECK(proven >= 5);
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
  CHECK(stats["max_posts_per_key"].get<int>() > 1);  // resends did happen...
  if (!allow_duplicates) {
    CHECK(stats["counters"]["idempotency.replay"].get<int>() > 0);  // answers lost, then replayed
  } else {
    const int repeats = CheckNoDuplicateOfTheKiosk(*store, sim, lost_in_crash);
    std::cout << "allow-duplicates: " << repeats << " dossiers created again after a lost answer ("
              << lost_in_crash.size() << " answers died with a killed runner before its batch's commit), 0 otherwise"
              << std::endl;
    CHECK(repeats > 0);  // the mode does record repeats: lost answers were resent and created again
  }
  CheckExactlyOnce(*store, sim, 500, allow_duplicates);  // ...and changed nothing
}

void TwoRunnersAtOnce(bool allow_duplicates) {
  TempDir dir("mck-simdb");
  std::vector<std::string> sim_args;
  if (allow_duplicates) sim_args.push_back("--allow-duplicates");
  PortalSim sim({dir.path() / "sim.db", 0, "server", sim_args});
  sim.AddToken("TOKEN-Y");
  Kiosk kiosk;
  // The held runner waits for the other one to start and send: under ASan on a loaded CI machine
  // that start can take longer than the usual 20 s timeout, which would end the hold early and
  // turn into a second POST of the held dossier. 120 s leaves the proof to the hold alone.
  kiosk.SetTransferTimeout(120);
  kiosk.Enrol(sim, "TOKEN-Y");
  auto store = kiosk.OpenStore();
  std::mt19937_64 rng(2);
  kiosk.SubmitDossiers(*store, 300, 10, rng);

  // The first dossier the portal creates keeps its answer until the OTHER runner has had one
  // created too (the held runner is blocked in that request, so the next creation is the other
  // one's): the two runners provably work at the same time.
  sim.Admin("POST", "/admin/hold", {{"stage", "after"}, {"skip", 0}});
  // Batches of 4, posted 4 at once: before its held POST is answered, the held runner can have
  // made at most 4 deliveries (its first batch, the held one included); a 5th is the other's.
  constexpr int kBatch = 4;
  std::vector<std::string> args = {"--config", kiosk.config_file().string(), "sync", "--drain", "--json", "--batch",
                                   std::to_string(kBatch), "--in-flight", std::to_string(kBatch)};
  const pid_t a = SpawnKioskctl(args, dir.path() / "a.log");
  const pid_t b = SpawnKioskctl(args, dir.path() / "b.log");
  // What each runner printed and what the simulator saw, shown with any failure below.
  auto runners = [&] {
    return "runner a:\n" + ReadAll(dir.path() / "a.log") + "\nrunner b:\n" + ReadAll(dir.path() / "b.log") +
           "\nhold: " + sim.Admin("GET", "/admin/hold").dump() +
           "\ndeliveries: " + std::to_string(sim.Admin("GET", "/admin/deliveries").size());
  };
  const bool held =
      WaitFor([&] { return sim.Admin("GET", "/admin/hold")["held"].get<bool>(); }, std::chrono::seconds(60));
  const bool overlapped =
      held && WaitFor([&] { return sim.Admin("GET", "/admin/deliveries").size() > kBatch; }, std::chrono::seconds(60));
  if (!overlapped) UNSCOPED_INFO(runners());
  REQUIRE(held);
  REQUIRE(overlapped);
  const json hold = sim.Admin("POST", "/admin/release");
  const int exit_a = WaitChild(a), exit_b = WaitChild(b);
  INFO(runners());
  INFO("released hold: " << hold.dump());
  CHECK(hold["peer_closed_ms"].is_null());  // the held runner was still waiting for its answer
  REQUIRE(exit_a == 0);
  REQUIRE(exit_b == 0);

  auto posts = sim.Admin("GET", "/admin/posts?endpoint=dossiers");
  REQUIRE(posts.size() == 300);
  for (auto it = posts.begin(); it != posts.end(); ++it) {
    INFO(it.key());
    CHECK(it.value() == 1);  // each key was POSTed once, not "answered once"
  }
  // The held delivery spans the other runner's first one.
  auto log = sim.Admin("GET", "/admin/deliveries");
  REQUIRE(log.size() == 300);  // no repeats, even where the simulator would have kept them
  // The held delivery, found by its key: when both runners' first requests arrive together,
  // which creation the hold catches and which one the log lists first are races (seen once: the
  // held one second in the log), not proofs.
  const auto held_entry = std::find_if(log.begin(), log.end(), [&](const json& d) { return d["key"] == hold["key"]; });
  REQUIRE(held_entry != log.end());
  const int64_t held_finished = (*held_entry)["finished_ms"].get<int64_t>();
  // Overlap: more deliveries started before the held one finished than the held runner's batch
  // holds, so the other runner's among them (serialised runners could not).
  CHECK(std::count_if(log.begin(), log.end(), [&](const json& d) {
          return d["started_ms"].get<int64_t>() < held_finished;
        }) > kBatch);
  for (const auto& [key, list] : Deliveries(sim)) CHECK(list.size() == 1);
  // Between them the runners recorded 300 acceptances: none was recorded twice, and each sent.
  auto accepted = [](const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string line, last;
    while (std::getline(in, line))
      if (!line.empty()) last += line;
    return json::parse(last)["accepted"].get<int>();
  };
  const int by_a = accepted(dir.path() / "a.log"), by_b = accepted(dir.path() / "b.log");
  INFO("runner a accepted " << by_a << ", runner b " << by_b);
  CHECK(by_a > 0);
  CHECK(by_b > 0);
  CHECK(by_a + by_b == 300);
  CheckExactlyOnce(*store, sim, 300, allow_duplicates);
}

// The group commit's window, made certain: a runner posts a batch of 8 dossiers 4 at once; the
// portal holds the answer of one of them AFTER committing it, and answers the 7 others. The
// runner cannot commit the batch before it has every answer, so when it is SIGKILLed there, the
// portal holds 8 dossiers the kiosk has not recorded as accepted. The next runner posts them again
// with the same Idempotency-Keys; the portal replays its answers; every dossier is at the portal
// once, under the code the kiosk records.
void KillInsideABatch() {
  TempDir dir("mck-simdb");
  PortalSim sim({dir.path() / "sim.db", 0, "server", {}});
  sim.AddToken("TOKEN-B");
  Kiosk kiosk;
  kiosk.Enrol(sim, "TOKEN-B");
  auto store = kiosk.OpenStore();
  std::mt19937_64 rng(15);
  constexpr int kDossiers = 40, kBatch = 8;
  const auto ids = kiosk.SubmitDossiers(*store, kDossiers, 0, rng);  // no attachments: all overlapped

  // The 11th dossier POST (the 3rd of the second batch) is held after the portal committed it.
  sim.Admin("POST", "/admin/hold", {{"stage", "after"}, {"skip", 10}});
  const pid_t pid = SpawnKioskctl(RunnerArgs(kiosk), dir.path() / "runner.log");
  // Held, and the portal has answered every other POST of the two batches (15 of 16 created).
  json hold;
  bool exited = false;
  REQUIRE(WaitFor(
      [&] {
        exited = ChildExited(pid);
        if (exited) return true;
        hold = sim.Admin("GET", "/admin/hold");
        if (!hold["held"].get<bool>()) return false;
        int answered = 0;
        for (const auto& d : sim.Admin("GET", "/admin/deliveries"))
          if (d["finished_ms"].get<int64_t>() > 0 && !d["answer_lost"].get<bool>()) ++answered;
        return answered == 2 * kBatch - 1;
      },
      std::chrono::seconds(60)));
  REQUIRE_FALSE(exited);
  const int64_t kill_ms = NowMs();
  REQUIRE(::kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
  REQUIRE(WaitFor([&] { return !sim.Admin("GET", "/admin/hold")["peer_closed_ms"].is_null(); },
                  std::chrono::seconds(10)));
  hold = sim.Admin("POST", "/admin/release");
  INFO("hold: " << hold.dump());
  CHECK(hold["peer_closed_ms"].get<int64_t>() >= kill_ms);  // the runner was still waiting for it

  // Inside the window: the portal created 16 dossiers; the kiosk recorded the first batch's 8
  // and none of the second's, though the portal had answered 7 of them before the kill.
  auto created = sim.Admin("GET", "/admin/deliveries");
  REQUIRE(created.size() == 2 * kBatch);
  std::set<std::string> accepted_locally;
  const auto local = store->dossiers().List().value();  // a copy: the Result is a temporary
  for (const auto& d : local)
    if (d.state == DossierState::kAccepted) accepted_locally.insert(d.client_id);
  CHECK(accepted_locally.size() == static_cast<size_t>(kBatch));
  int answered_not_recorded = 0;
  for (const auto& d : created) {
    if (accepted_locally.count(d["key"].get<std::string>())) continue;
    if (d["finished_ms"].get<int64_t>() > 0 && d["finished_ms"].get<int64_t>() <= kill_ms) ++answered_not_recorded;
  }
  CHECK(answered_not_recorded == kBatch - 1);
  CHECK(store->outbox().Depth().value() == kDossiers - kBatch);

  // The next runner (after the dead one's 6 s leases) delivers the rest: the second batch again,
  // under the same keys, answered by replay.
  std::string out, err;
  const int rc = RunKioskctl(RunnerArgs(kiosk), &out, &err);
  INFO(err);
  REQUIRE(rc == 0);
  CHECK(json::parse(out)["remaining"] == 0);
  CHECK(store->outbox().Depth().value() == 0);
  auto stats = sim.Admin("GET", "/admin/stats");
  INFO(stats.dump());
  CHECK(stats["counters"]["idempotency.replay"].get<int>() == kBatch);  // the second batch, replayed
  CHECK(stats["dossiers"].get<int>() == kDossiers);
  // Counted by dossier at the portal: each client id exactly once.
  std::map<std::string, int> at_portal;
  for (const auto& d : sim.Admin("GET", "/admin/dossiers")) ++at_portal[d["client_id"].get<std::string>()];
  REQUIRE(at_portal.size() == ids.size());
  for (const auto& id : ids) {
    INFO(id);
    CHECK(at_portal[id] == 1);
  }
  auto posts = sim.Admin("GET", "/admin/posts?endpoint=dossiers");
  int posted_twice = 0;
  for (auto it = posts.begin(); it != posts.end(); ++it) {
    CHECK(it.value().get<int>() <= 2);
    if (it.value().get<int>() == 2) ++posted_twice;
  }
  CHECK(posted_twice == kBatch);  // the killed batch, and only it
  CheckExactlyOnce(*store, sim, kDossiers, false);  // accepted, same codes, no gap in the numbers
}

}  // namespace

TEST_CASE(
    "500 dossiers arrive exactly once through 5xx and 429 answers, dropped connections and runners "
    "SIGKILLed mid-request") {
  KillRunnersMidRequest(false);
}

TEST_CASE(
    "with a portal that would keep duplicates, runners SIGKILLed mid-request still create no dossier twice "
    "except after a lost answer") {
  KillRunnersMidRequest(true);
}

TEST_CASE("two runners at once never post the same dossier twice") {
  TwoRunnersAtOnce(false);
}

TEST_CASE("two runners at once create no duplicate even at a portal that would keep them") {
  TwoRunnersAtOnce(true);
}

TEST_CASE("a runner SIGKILLed inside a batch, after the portal accepted and before the batch's commit, "
          "causes only replays") {
  KillInsideABatch();
}
