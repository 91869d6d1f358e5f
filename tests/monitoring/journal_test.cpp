// Journal logging (offline/domain/log.h, kiosk/core/journal.h): the fields an entry carries,
// that a dossier's client id becomes MCK_CLIENT_ID and nothing else of the citizen goes out,
// and when the journal is used.
#include <catch2/catch.hpp>

#include <mutex>

#include "kiosk/core/journal.h"
#include "offline/domain/log.h"
#include "offline/sync/syncer.h"
#include "tests/support/sample_dossier.h"
#include "tests/sync/fake_portal.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;

namespace {

std::string Field(const std::vector<std::pair<std::string, std::string>>& f, const std::string& key) {
  for (const auto& [k, v] : f)
    if (k == key) return v;
  return "<absent>";
}

// Captures mck::Log entries for the test's lifetime.
struct Capture {
  std::mutex mu;
  std::vector<LogRecord> records;
  Capture() {
    SetLogSink([this](const LogRecord& r) {
      std::lock_guard<std::mutex> lock(mu);
      records.push_back(r);
    });
  }
  ~Capture() { SetLogSink(nullptr); }
};

}  // namespace

TEST_CASE("journal: an entry's fields are its message, syslog priority, component and the dossier's client id") {
  const std::string id = "3f2b8c1e-5a4d-4e6f-9a7b-1c2d3e4f5a6b";
  auto f = JournalFields({Severity::kWarning, "sync", "dossier not delivered (unavailable)", id});
  CHECK(Field(f, "MESSAGE") == "dossier not delivered (unavailable)");
  CHECK(Field(f, "PRIORITY") == "4");
  CHECK(Field(f, "MCK_COMPONENT") == "sync");
  CHECK(Field(f, "MCK_CLIENT_ID") == id);
  CHECK(Field(f, "SYSLOG_IDENTIFIER") == "mot-cua");
  CHECK(Field(JournalFields({Severity::kError, "kiosk", "x", ""}), "PRIORITY") == "3");
  CHECK(f.size() == 5);
}

TEST_CASE("journal: a client id that is not a UUID (an ID number, a name) is dropped, and a bad component is 'other'") {
  for (const std::string& bad :
       {std::string("024190001234"), std::string("Nguyễn Thị Hoà"), std::string("0912345678")}) {
    auto f = JournalFields({Severity::kWarning, "sync", "m", bad});
    CHECK(Field(f, "MCK_CLIENT_ID") == "<absent>");
    for (const auto& [k, v] : f) CHECK(v.find(bad) == std::string::npos);
    CHECK(StderrLine({Severity::kWarning, "sync", "m", bad}) == "sync: m");
  }
  CHECK(Field(JournalFields({Severity::kInfo, "Hoà\nX=1", "m", ""}), "MCK_COMPONENT") == "other");
  CHECK(StderrLine({Severity::kInfo, "kiosk", "cannot start", "3f2b8c1e-5a4d-4e6f-9a7b-1c2d3e4f5a6b"}) ==
        "kiosk: cannot start [dossier 3f2b8c1e-5a4d-4e6f-9a7b-1c2d3e4f5a6b]");
}

TEST_CASE("journal: used when asked, or in auto mode when stderr is the stream JOURNAL_STREAM names") {
  CHECK(WantJournal("on", nullptr, 0, 0));
  CHECK_FALSE(WantJournal("off", "8:12345", 8, 12345));
  CHECK(WantJournal("auto", "8:12345", 8, 12345));
  CHECK_FALSE(WantJournal("auto", "8:12345", 8, 999));  // stderr redirected away from the journal
  CHECK_FALSE(WantJournal("auto", nullptr, 8, 12345));
  CHECK_FALSE(WantJournal("auto", "", 0, 0));
  CHECK_FALSE(WantJournal("auto", "8:12345x", 8, 12345));
  CHECK(JournalAvailable());  // libsystemd-dev is a build dependency here and in the package
}

TEST_CASE("journal: a failed delivery is logged with the dossier's client id and none of the citizen's data") {
  ManualClock clock{std::chrono::system_clock::now()};
  Kiosk kiosk;
  auto store = kiosk.OpenStore(&clock);
  FakePortal portal{clock};
  SyncOptions o = kiosk.sync_options();
  o.send_heartbeat = false;
  o.refresh_catalog = false;
  o.poll_status = false;
  std::mt19937_64 rng{5};
  auto ids = kiosk.SubmitDossiers(*store, 1, 0, rng);
  portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(503), 1);
  Capture cap;
  Syncer syncer(*store, portal, clock, o);
  REQUIRE(syncer.RunOnce().ok());
  std::lock_guard<std::mutex> lock(cap.mu);
  REQUIRE(cap.records.size() == 1);
  auto f = JournalFields(cap.records[0]);
  CHECK(Field(f, "MCK_CLIENT_ID") == ids[0]);
  CHECK(Field(f, "MCK_COMPONENT") == "sync");
  CHECK(Field(f, "PRIORITY") == "4");
  const auto applicant = SampleApplicant("Thôn Mẫu, xã Mẫu");
  for (const auto& [k, v] : f) {
    for (const char* key : {"full_name", "id_number", "phone", "date_of_birth"}) {
      CHECK(v.find(applicant[key].get<std::string>()) == std::string::npos);
    }
  }
}
