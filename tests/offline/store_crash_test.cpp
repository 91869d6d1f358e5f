// A child process submits dossiers in a loop and is killed with SIGKILL at random moments, many
// times. Afterwards the database must be intact, the audit chain must verify, every dossier the
// child reported as stored must be there and complete, and no provisional code may repeat or skip.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "offline/domain/ids.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {

[[noreturn]] void ChildLoop(const StoreOptions& opts, int fd, unsigned seed) {
  ManualClock clock(TestEpoch());
  StoreOptions o = opts;
  o.clock = &clock;
  auto store = Store::Open(o);
  if (!store.ok()) _exit(3);
  // The kill is timed from here: on a loaded machine opening the store may take longer than
  // the whole random delay, and the kills would then land before any submit.
  if (::write(fd, "ready\n", 6) != 6) _exit(5);
  std::mt19937 rng(seed);
  for (int i = 0; i < 100000; ++i) {
    std::vector<NewAttachment> atts;
    const int n = static_cast<int>(rng() % 3);
    for (int k = 0; k < n; ++k) {
      atts.push_back({"scan-" + std::to_string(k) + ".jpg", "image/jpeg",
                      std::string(1000 + rng() % 20000, static_cast<char>('a' + rng() % 26)) + std::to_string(rng())});
    }
    const std::string name = "Nguyễn Văn Thử " + std::to_string(seed) + "-" + std::to_string(i);
    auto sub = (*store)->dossiers().Submit(SampleBody(name), atts, "v");
    if (!sub.ok()) _exit(4);
    std::string line = sub->client_id + " " + sub->provisional_code + " " + std::to_string(n);
    for (const auto& a : atts) line += " " + Sha256Hex(a.data);
    line += " " + std::to_string(seed) + "-" + std::to_string(i) + "\n";
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
  }
  _exit(0);
}

}  // namespace

TEST_CASE("a dossier survives SIGKILL during submit: wholly there or wholly absent, codes never reused") {
  TempDir dir;
  const StoreOptions opts = TestOptions(dir, nullptr);
  { OpenStore(opts); }  // create the schema once, so kills land in submits, not in set-up

  std::mt19937 rng(20261126);
  struct Reported {
    std::string code;
    std::vector<std::string> shas;
    std::string tag;
  };
  std::map<std::string, Reported> reported;
  // At least 40 kills, and as many more (up to 400) as it takes for 20 reported dossiers.
  const int kRuns = 40;
  int run = 0;
  for (; run < 400 && (run < kRuns || reported.size() <= 20); ++run) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      ChildLoop(opts, fds[1], static_cast<unsigned>(run));
    }
    ::close(fds[1]);
    std::string ready;
    char c = 0;
    while (ready != "ready\n" && ::read(fds[0], &c, 1) == 1) ready += c;
    INFO("child " << run << " said \"" << ready << "\" before its first submit");
    REQUIRE(ready == "ready\n");  // the child opened the store
    std::this_thread::sleep_for(std::chrono::microseconds(2000 + rng() % 60000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));  // it was killed mid-loop, not finished or failed
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      if (lines.eof()) break;  // a torn last line (no newline): not a report
      std::istringstream f(line);
      std::string id, code, tag;
      int n = 0;
      f >> id >> code >> n;
      Reported r{code, {}, ""};
      for (int k = 0; k < n; ++k) {
        std::string sha;
        f >> sha;
        r.shas.push_back(sha);
      }
      f >> r.tag;
      reported[id] = r;
    }
  }
  INFO("dossiers reported by the children: " << reported.size() << " in " << run << " runs");
  REQUIRE(reported.size() > 20);

  auto store = OpenStore(opts);
  auto check = store->Check().value();
  CHECK(check.integrity_ok);
  CHECK(check.audit_ok);
  INFO(check.integrity_message << " / " << check.audit_message);

  for (const auto& [id, r] : reported) {
    auto rec = store->dossiers().Get(id);
    REQUIRE(rec.ok());
    CHECK(rec->provisional_code == r.code);
    CHECK(rec->body["applicant"]["full_name"] == "Nguyễn Văn Thử " + r.tag);
    REQUIRE(rec->body["attachments"].size() == r.shas.size());
    for (const auto& sha : r.shas) {
      auto bytes = store->dossiers().Attachment(sha);
      REQUIRE(bytes.ok());
      CHECK(Sha256Hex(*bytes) == sha);
    }
  }
  // Every stored dossier (reported or not) is complete, and the codes run 1..N with no gap or repeat.
  auto all = store->dossiers().List().value();
  std::set<std::string> codes;
  for (const auto& d : all) {
    CHECK(codes.insert(d.provisional_code).second);
    auto rec = store->dossiers().Get(d.client_id).value();
    CHECK(rec.body["attachments"].size() == store->dossiers().Attachments(d.client_id).value().size());
  }
  for (size_t i = 1; i <= all.size(); ++i) {
    char expect[32];
    std::snprintf(expect, sizeof expect, "K07-261126-%04zu", i);
    CHECK(codes.count(expect) == 1);
  }
  CHECK(store->outbox().Depth().value() == static_cast<int64_t>(all.size()));
}
