// A power cut, not only SIGKILL. SIGKILL leaves the kernel's page cache to finish every write;
// a power cut loses what was not synced. A child process writes through the fault VFS in
// power-cut mode (fault_vfs.h: writes wait in memory until xSync; at a seeded random write or
// sync the power goes, and every unsynced write is lost, written or torn at a sector), submitting
// dossiers (some with attachments), issuing tickets, queuing decisions and ratings, and reporting
// each one the store confirmed (what the screen would have shown as done). Then the parent opens
// the files with the normal VFS, as after the reboot: every confirmed dossier is there, whole
// (it decrypts, its body and attachments equal what was confirmed), every confirmed ticket,
// decision and rating is there, and PRAGMA integrity_check and the audit chain pass. Rounds
// accumulate on the same files (a cut on top of a recovered cut).
//
// The control: the same rounds on a disk whose xSync lies (acknowledges and writes nothing, as
// synchronous=OFF or a lying cache would) must lose something the store confirmed — proof that
// the checks can fail.
//
// Seed: MCK_POWER_CUT_SEED (a number) replays a run; the seed in use is printed.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "offline/domain/ids.h"
#include "tests/offline/fault_vfs.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {

// What the child reported as confirmed.
struct Confirmed {
  std::map<std::string, std::string> dossiers;           // client id → SHA-256 of the stored body
  std::map<std::string, std::vector<std::string>> atts;  // client id → attachment SHA-256s
  std::set<int64_t> tickets;                             // issued ticket ids
  std::map<std::string, std::string> decisions;          // key → dossier client id
  std::set<std::string> ratings;                         // keys
};

uint64_t Seed() {
  const char* v = std::getenv("MCK_POWER_CUT_SEED");
  return v && *v ? std::strtoull(v, nullptr, 10) : 20261206;
}

void Report(int fd, const std::string& line) {
  const std::string l = line + "\n";
  if (::write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size())) ::_exit(5);
}

// The child: opens the store through the VFS, arms the cut, works until the power goes.
[[noreturn]] void Workload(const StoreOptions& base, int fd, uint64_t seed, int64_t cut_after, bool syncs_lie) {
  FaultVfs vfs("mck-power-cut");
  ManualClock clock(TestEpoch());
  StoreOptions o = base;
  o.clock = &clock;
  o.vfs = vfs.name();
  auto opened = Store::Open(o);
  if (!opened.ok()) ::_exit(3);
  Store& store = **opened;
  std::mt19937_64 rng(seed);
  std::vector<std::string> ids;
  if (auto list = store.dossiers().List(); list.ok()) {
    for (const auto& d : *list) ids.push_back(d.client_id);
  }
  vfs.PowerCutAfter(cut_after, seed ^ 0x9e3779b97f4a7c15ULL, syncs_lie);
  for (int i = 0; i < 100000; ++i) {
    const int what = static_cast<int>(rng() % 10);
    if (what < 6 || ids.empty()) {
      std::vector<NewAttachment> atts;
      if (rng() % 3 == 0) {
        NewAttachment a{"scan.jpg", "image/jpeg", std::string(512 + rng() % 12000, '\0')};
        for (auto& c : a.data) c = static_cast<char>(rng());
        atts.push_back(std::move(a));
      }
      const std::string tag = std::to_string(seed) + "-" + std::to_string(i);
      auto sub = store.dossiers().Submit(SampleBody("Nguyễn Thị Mất Điện " + tag), atts, "v");
      if (!sub.ok()) ::_exit(4);
      auto rec = store.dossiers().Get(sub->client_id);
      if (!rec.ok()) ::_exit(4);
      std::string line = "D " + sub->client_id + " " + Sha256Hex(rec->body.dump());
      for (const auto& a : atts) line += " " + Sha256Hex(a.data);
      Report(fd, line);
      ids.push_back(sub->client_id);
    } else if (what < 8) {
      auto t = store.tickets().Reserve("HT", std::nullopt);
      if (!t.ok() || !store.tickets().SetState(t->id, TicketState::kIssued).ok()) ::_exit(4);
      Report(fd, "T " + std::to_string(t->id));
    } else if (what < 9) {
      const std::string& id = ids[rng() % ids.size()];
      auto key = store.decisions().Submit(id, {{"decision", "request_supplement"},
                                               {"officer", "Trần Văn Cán Bộ"},
                                               {"reason", "Thiếu bản chính giấy chứng sinh"}});
      if (!key.ok()) ::_exit(4);
      Report(fd, "X " + *key + " " + id);
    } else {
      Rating r;
      r.counter = "HT";
      r.scores = {{"thai_do", 1 + static_cast<int>(rng() % 5)}};
      r.comment = "Cán bộ hướng dẫn tận tình";
      auto key = store.ratings().Submit(r);
      if (!key.ok()) ::_exit(4);
      Report(fd, "R " + *key);
    }
    clock.Advance(std::chrono::seconds(1));
  }
  ::_exit(0);  // never reached when the cut comes in time
}

// Runs one child to its power cut; adds what it confirmed. Returns false (with *why) when the
// child did not end by the cut.
bool RunToPowerCut(const StoreOptions& opts, uint64_t seed, int64_t cut_after, bool syncs_lie, Confirmed& c,
                   std::string* why) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    Workload(opts, fds[1], seed, cut_after, syncs_lie);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream f(line);
    std::string kind, a, b;
    f >> kind >> a;
    if (kind == "D") {
      f >> c.dossiers[a];
      for (std::string sha; f >> sha;) c.atts[a].push_back(sha);
    } else if (kind == "T") {
      c.tickets.insert(std::stoll(a));
    } else if (kind == "X") {
      f >> c.decisions[a];
    } else if (kind == "R") {
      c.ratings.insert(a);
    }
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != FaultVfs::kPowerCutExitCode) {
    *why = "the child did not end by the power cut (status " + std::to_string(status) + ")";
    return false;
  }
  return true;
}

int64_t CountRows(const std::filesystem::path& db, const std::string& table, const std::string& key) {
  sqlite3* h = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    const std::string sql = "SELECT count(*) FROM " + table + " WHERE idempotency_key = ?";
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(s, 1, key.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(h);
  return n;
}

// After the reboot: everything confirmed is there and whole. Returns the problems found.
std::vector<std::string> CheckAfterReboot(const StoreOptions& base, const Confirmed& c) {
  std::vector<std::string> problems;
  ManualClock clock(TestEpoch());
  StoreOptions o = base;
  o.clock = &clock;
  auto opened = Store::Open(o);
  if (!opened.ok()) return {"the store does not open: " + opened.status().ToString()};
  Store& store = **opened;
  auto check = store.Check();
  if (!check.ok()) return {"Check failed: " + check.status().ToString()};
  if (!check->integrity_ok) problems.push_back("integrity_check: " + check->integrity_message);
  if (!check->audit_ok) problems.push_back("audit chain: " + check->audit_message);
  for (const auto& [id, sha] : c.dossiers) {
    auto rec = store.dossiers().Get(id);
    if (!rec.ok()) {
      problems.push_back("confirmed dossier " + id + " is lost: " + rec.status().ToString());
      continue;
    }
    if (Sha256Hex(rec->body.dump()) != sha) problems.push_back("dossier " + id + " has another body");
    auto it = c.atts.find(id);
    for (const auto& a : it == c.atts.end() ? std::vector<std::string>{} : it->second) {
      auto bytes = store.dossiers().Attachment(a);
      if (!bytes.ok() || Sha256Hex(*bytes) != a) problems.push_back("dossier " + id + ": attachment lost or torn");
    }
  }
  std::set<int64_t> issued;
  if (auto today = store.tickets().Today(TicketState::kIssued); today.ok()) {
    for (const auto& t : *today) issued.insert(t.id);
  }
  for (int64_t t : c.tickets) {
    if (!issued.count(t)) problems.push_back("issued ticket " + std::to_string(t) + " is lost");
  }
  for (const auto& [key, id] : c.decisions) {
    if (CountRows(store.database_path(), "decisions", key) != 1) problems.push_back("decision " + key + " is lost");
  }
  for (const auto& key : c.ratings) {
    if (CountRows(store.database_path(), "ratings", key) != 1) problems.push_back("rating " + key + " is lost");
  }
  return problems;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size() && i < 10; ++i) s += "\n  " + v[i];
  return s;
}

}  // namespace

TEST_CASE(
    "after a power cut at a random write, every dossier, ticket, decision and rating the store confirmed is "
    "there, whole") {
  TempDir dir;
  const StoreOptions opts = TestOptions(dir, nullptr);
  { OpenStore(opts); }  // the schema exists before the first cut
  const uint64_t seed = Seed();
  std::cout << "power-cut seed: " << seed << " (MCK_POWER_CUT_SEED=" << seed << " replays it)" << std::endl;
  std::mt19937_64 rng(seed);
  Confirmed c;
  const int kRounds = 40;
  for (int round = 0; round < kRounds; ++round) {
    const uint64_t round_seed = rng();
    const int64_t cut_after = 1 + static_cast<int64_t>(rng() % 300);
    INFO("seed " << seed << ", round " << round << " (round seed " << round_seed << ", cut after " << cut_after
                 << " writes and syncs)");
    std::string why;
    REQUIRE(RunToPowerCut(opts, round_seed, cut_after, false, c, &why));
    const auto problems = CheckAfterReboot(opts, c);
    INFO("confirmed so far: " << c.dossiers.size() << " dossiers, " << c.tickets.size() << " tickets, "
                              << c.decisions.size() << " decisions, " << c.ratings.size() << " ratings");
    REQUIRE(Join(problems) == "");
  }
  std::cout << "power cuts: " << kRounds << " rounds; confirmed and found whole after the cuts: " << c.dossiers.size()
            << " dossiers, " << c.tickets.size() << " tickets, " << c.decisions.size() << " decisions, "
            << c.ratings.size() << " ratings" << std::endl;
  CHECK(c.dossiers.size() > 40);  // the cuts fell among real work, not only at start-up
  CHECK(c.decisions.size() + c.ratings.size() > 5);
}

TEST_CASE("the power-cut check catches a disk that acknowledges syncs it never did (the control)") {
  TempDir dir;
  const StoreOptions opts = TestOptions(dir, nullptr);
  { OpenStore(opts); }
  std::mt19937_64 rng(Seed());
  Confirmed c;
  std::vector<std::string> problems;
  int rounds = 0;
  for (; rounds < 20 && problems.empty(); ++rounds) {
    std::string why;
    REQUIRE(RunToPowerCut(opts, rng(), 40 + static_cast<int64_t>(rng() % 200), /*syncs_lie=*/true, c, &why));
    problems = CheckAfterReboot(opts, c);
  }
  std::cout << "lying-sync control: loss found after " << rounds << " round(s):" << Join(problems) << std::endl;
  CHECK_FALSE(problems.empty());
}
