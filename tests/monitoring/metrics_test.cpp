// Fleet monitoring (offline/sync/metrics.h): the Prometheus text the sync worker writes after a
// pass, for a store with known queued dossiers and failures (the sync engine on a ManualClock
// against the in-process fake portal), its escaping, and the atomic replacement of the file.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "offline/domain/ids.h"
#include "offline/domain/log.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/metrics.h"
#include "offline/sync/syncer.h"
#include "tests/support/read_file.h"
#include "tests/support/sample_dossier.h"
#include "tests/sync/fake_portal.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using std::chrono::seconds;

namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The sync engine over a kiosk's store, all on one ManualClock (whole seconds).
struct Bench {
  ManualClock clock{std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now())};
  Kiosk kiosk;
  std::unique_ptr<Store> store = kiosk.OpenStore(&clock);
  FakePortal portal{clock};
  SyncOptions options;
  std::mt19937_64 rng{11};
  TempDir out{"mck-metrics"};
  std::string printer = "paper_low";

  Bench() {
    options = kiosk.sync_options();
    options.backoff.base = seconds(2);
    options.backoff.cap = seconds(60);
    options.send_heartbeat = false;
    options.refresh_catalog = false;
    options.poll_status = false;
    options.seed = 3;
    options.software_version = "1.4.0";
    options.printer_state = [this] { return printer; };
    options.card_reader_state = [] { return std::string("ok"); };
    options.metrics_textfile = out.path() / "mot_cua.prom";
  }
  int64_t Unix() const { return UnixSeconds(clock.Now()); }
};

// The digitised-papers lines of a store with none (docs/scanning.md "The count").
const char* const kNoDigitised =
    "# HELP mck_dossiers_digitised_total Dossiers submitted with papers digitised at the kiosk.\n"
    "# TYPE mck_dossiers_digitised_total counter\nmck_dossiers_digitised_total 0\n"
    "# HELP mck_documents_digitised_total Papers digitised at the kiosk, in submitted dossiers.\n"
    "# TYPE mck_documents_digitised_total counter\nmck_documents_digitised_total 0\n"
    "# HELP mck_dossiers_digitised_today Dossiers with digitised papers submitted today (Vietnam date, +07:00).\n"
    "# TYPE mck_dossiers_digitised_today gauge\nmck_dossiers_digitised_today 0\n";

std::string Expected(const std::string& version, int64_t now, int64_t depth, int64_t oldest, int64_t success,
                     int64_t pass, int64_t unavailable, const std::string& printer, int64_t cert_at, int64_t days,
                     int64_t help_open = 0, int64_t help_age = 0) {
  std::ostringstream o;
  o << "# HELP mck_build_info The kiosk software version (always 1).\n# TYPE mck_build_info gauge\n"
    << "mck_build_info{version=\"" << version << "\"} 1\n"
    << "# HELP mck_metrics_generated_timestamp_seconds When this file was written (Unix time).\n"
    << "# TYPE mck_metrics_generated_timestamp_seconds gauge\nmck_metrics_generated_timestamp_seconds " << now
    << "\n# HELP mck_outbox_queue_depth Dossiers not yet accepted by the portal (queued or sending).\n"
    << "# TYPE mck_outbox_queue_depth gauge\nmck_outbox_queue_depth " << depth << "\n"
    << "# HELP mck_outbox_oldest_unsent_age_seconds Age of the oldest dossier not yet accepted (0: none).\n"
    << "# TYPE mck_outbox_oldest_unsent_age_seconds gauge\nmck_outbox_oldest_unsent_age_seconds " << oldest
    << "\n# HELP mck_help_requests_open Citizens' help requests staff have not dismissed yet.\n"
    << "# TYPE mck_help_requests_open gauge\nmck_help_requests_open " << help_open << "\n"
    << "# HELP mck_help_oldest_open_age_seconds How long the oldest open help request has waited (0: none).\n"
    << "# TYPE mck_help_oldest_open_age_seconds gauge\nmck_help_oldest_open_age_seconds " << help_age << "\n"
    << kNoDigitised
    << "# HELP mck_sync_last_success_timestamp_seconds End of the last sync pass that reached the portal "
       "without an error (Unix time; 0: never).\n"
    << "# TYPE mck_sync_last_success_timestamp_seconds gauge\nmck_sync_last_success_timestamp_seconds " << success
    << "\n# HELP mck_sync_last_pass_timestamp_seconds End of the last sync pass (Unix time; 0: never).\n"
    << "# TYPE mck_sync_last_pass_timestamp_seconds gauge\nmck_sync_last_pass_timestamp_seconds " << pass << "\n"
    << "# HELP mck_sync_failures_total Outbox items not delivered on a try, and passes stopped, by cause.\n"
    << "# TYPE mck_sync_failures_total counter\n";
  for (const char* c : {"already_exists", "corrupt", "failed_precondition", "internal", "invalid_argument", "io",
                        "not_found", "rejected", "security", "timeout", "unavailable"}) {
    o << "mck_sync_failures_total{cause=\"" << c << "\"} " << (std::string(c) == "unavailable" ? unavailable : 0)
      << "\n";
  }
  o << "# HELP mck_printer_state The receipt printer's state (1 for the current one).\n"
    << "# TYPE mck_printer_state gauge\n";
  for (const char* s : {"ok", "paper_low", "paper_out", "cover_open", "offline", "unknown"})
    o << "mck_printer_state{state=\"" << s << "\"} " << (printer == s ? 1 : 0) << "\n";
  o << "# HELP mck_printer_paper_low 1 when the printer reports paper near its end.\n"
    << "# TYPE mck_printer_paper_low gauge\nmck_printer_paper_low " << (printer == "paper_low" ? 1 : 0) << "\n"
    << "# HELP mck_printer_paper_out 1 when the printer is out of paper.\n"
    << "# TYPE mck_printer_paper_out gauge\nmck_printer_paper_out " << (printer == "paper_out" ? 1 : 0) << "\n"
    << "# HELP mck_card_reader_state The chip-card reader's state (1 for the current one).\n"
    << "# TYPE mck_card_reader_state gauge\n"
    << "mck_card_reader_state{state=\"ok\"} 1\nmck_card_reader_state{state=\"no_reader\"} 0\n"
    << "mck_card_reader_state{state=\"error\"} 0\nmck_card_reader_state{state=\"unknown\"} 0\n"
    << "# HELP mck_client_certificate_expiry_timestamp_seconds The kiosk's client certificate notAfter (Unix "
       "time).\n"
    << "# TYPE mck_client_certificate_expiry_timestamp_seconds gauge\n"
    << "mck_client_certificate_expiry_timestamp_seconds " << cert_at << "\n"
    << "# HELP mck_client_certificate_days_left Whole days until the client certificate expires (negative: "
       "expired).\n"
    << "# TYPE mck_client_certificate_days_left gauge\nmck_client_certificate_days_left " << days << "\n"
    << "# HELP mck_client_certificate_renewal_failing 1 when the last certificate renewal failed (the old "
       "certificate is still used).\n"
    << "# TYPE mck_client_certificate_renewal_failing gauge\nmck_client_certificate_renewal_failing 0\n";
  return o.str();
}

}  // namespace

TEST_CASE("metrics: the file after a pass has the exact figures of the store (queue, age, failures, states)") {
  Bench b;
  const int64_t cert_at = b.Unix() + 20 * 86400 + 7200;  // 20 days and 2 hours from now
  REQUIRE(b.store->settings().Put(settings::kCertExpiresAt, FormatRfc3339Vietnam(FromUnixSeconds(cert_at))).ok());
  auto ids = b.kiosk.SubmitDossiers(*b.store, 3, 0, b.rng);
  b.clock.Advance(std::chrono::minutes(30));
  auto help = b.store->help().Ask("form");  // a citizen asks for help an hour before the pass
  REQUIRE(help.ok());
  b.clock.Advance(std::chrono::minutes(60));  // the oldest is 90 minutes old when the pass runs
  b.portal.Fail("POST /api/v1/dossiers", FakeFault::Answer(500), 3);
  auto syncer = std::make_unique<Syncer>(*b.store, b.portal, b.clock, b.options);
  auto first = syncer->RunOnce();
  REQUIRE(first.ok());
  REQUIRE(first->retried == 3);
  const int64_t t1 = b.Unix();
  CHECK(Slurp(b.options.metrics_textfile) ==
        Expected("1.4.0", t1, 3, 5400, 0, t1, 3, "paper_low", cert_at, 20, 1, 3600));  // 20 d 0 h 30 min left
  REQUIRE(b.store->help().Dismiss(help->request.id).ok());  // staff helped: none open at the next pass

  // The portal is back: everything is delivered, the counters keep their totals.
  b.printer = "paper_out";
  b.clock.Advance(std::chrono::minutes(10));
  auto second = syncer->RunOnce();
  REQUIRE(second.ok());
  REQUIRE(second->accepted == 3);
  const int64_t t2 = b.Unix();
  CHECK(Slurp(b.options.metrics_textfile) == Expected("1.4.0", t2, 0, 0, t2, t2, 3, "paper_out", cert_at, 20));
  // The counters are in the store: a new engine (a restarted kiosk) carries on from them.
  auto m = CollectMetrics(*b.store, {"1.4.0", b.clock.Now(), {}, std::nullopt, std::nullopt});
  REQUIRE(m.ok());
  CHECK(m->sync_failures["unavailable"] == 3);
  CHECK(m->printer_state == "paper_out");  // the last state the worker recorded
  CHECK(m->last_success_unix == t2);
}

TEST_CASE("metrics: dossiers with digitised papers, since the store began and today in Vietnam time") {
  Bench b;
  auto submit = [&](int scans) {
    nlohmann::json body = DossierBody();
    std::vector<NewAttachment> atts;
    for (int i = 0; i < scans; ++i) {
      atts.push_back({"scan.pdf", "application/pdf", "%PDF " + std::to_string(i) + FormatRfc3339Vietnam(b.clock.Now())});
      body["documents"].push_back({{"id", "birth_certificate"},
                                   {"digitised", {{"sha256", Sha256Hex(atts.back().data)}, {"pages", 1}}}});
    }
    REQUIRE(b.store->dossiers().Submit(body, atts, "v").ok());
  };
  submit(2);
  submit(0);
  // The next Vietnam day starts at 17:00 UTC: move to 00:05 there.
  const int64_t now = b.Unix();
  const int64_t next_vn_midnight = ((now + 7 * 3600) / 86400 + 1) * 86400 - 7 * 3600;
  b.clock.Advance(std::chrono::seconds(next_vn_midnight - now + 300));
  submit(1);
  submit(3);
  auto m = CollectMetrics(*b.store, {"1.4.0", b.clock.Now(), {}, std::nullopt, std::nullopt});
  REQUIRE(m.ok());
  CHECK(m->digitised_dossiers_total == 3);
  CHECK(m->digitised_documents_total == 6);
  CHECK(m->digitised_dossiers_today == 2);
  const std::string text = RenderPrometheus(*m);
  CHECK(text.find("# TYPE mck_dossiers_digitised_total counter\nmck_dossiers_digitised_total 3\n") != std::string::npos);
  CHECK(text.find("# TYPE mck_documents_digitised_total counter\nmck_documents_digitised_total 6\n") != std::string::npos);
  CHECK(text.find("# TYPE mck_dossiers_digitised_today gauge\nmck_dossiers_digitised_today 2\n") != std::string::npos);
}

TEST_CASE("metrics: label values are escaped, and states that are not short words never become labels") {
  KioskMetrics m;
  m.version = "1.0 \"beta\"\\x\nnext";
  m.printer_state = "Nguyễn Thị Hoà";  // free text from a broken device callback
  m.card_reader_state = "no_reader";
  const std::string text = RenderPrometheus(m);
  CHECK(text.find("mck_build_info{version=\"1.0 \\\"beta\\\"\\\\x\\nnext\"} 1\n") != std::string::npos);
  CHECK(text.find("mck_printer_state{state=\"other\"} 1\n") != std::string::npos);
  CHECK(text.find("Nguy") == std::string::npos);
  CHECK(text.find("mck_card_reader_state{state=\"no_reader\"} 1\n") != std::string::npos);
  CHECK(text.find("mck_client_certificate") == std::string::npos);  // not enrolled: no certificate figures
  CHECK(PromEscapeLabel("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
}

TEST_CASE("metrics: days left counts whole days, and an expired certificate is negative") {
  KioskMetrics m;
  m.now_unix = 1'800'000'000;
  m.cert_not_after_unix = m.now_unix + 14 * 86400 - 1;
  CHECK(RenderPrometheus(m).find("mck_client_certificate_days_left 13\n") != std::string::npos);
  m.cert_not_after_unix = m.now_unix - 1;
  CHECK(RenderPrometheus(m).find("mck_client_certificate_days_left -1\n") != std::string::npos);
  m.cert_not_after_unix = m.now_unix;
  CHECK(RenderPrometheus(m).find("mck_client_certificate_days_left 0\n") != std::string::npos);
}

TEST_CASE("metrics: the file is replaced by rename (new inode, 0644 whatever the umask, no temporary left)") {
  TempDir dir("mck-metrics");
  const auto path = dir.path() / "mot_cua.prom";
  const mode_t old_mask = ::umask(077);
  REQUIRE(WriteFileAtomically(path, "old 1\n").ok());
  std::ifstream held(path);  // a reader that opened the old file
  struct stat before {};
  REQUIRE(::stat(path.c_str(), &before) == 0);
  REQUIRE(WriteFileAtomically(path, "new 2\n").ok());
  ::umask(old_mask);
  struct stat after {};
  REQUIRE(::stat(path.c_str(), &after) == 0);
  CHECK(after.st_ino != before.st_ino);
  CHECK((after.st_mode & 0777) == 0644);
  std::string line;
  std::getline(held, line);
  CHECK(line == "old 1");  // the old reader still has the whole old file
  CHECK(Slurp(path) == "new 2\n");
  int entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);
  CHECK_FALSE(WriteFileAtomically(dir.path() / "missing" / "x.prom", "x").ok());
}

TEST_CASE("metrics: a reader racing the writer only ever sees a whole file") {
  TempDir dir("mck-metrics");
  const auto path = dir.path() / "mot_cua.prom";
  const std::string a(256 * 1024, 'a'), bb(192 * 1024, 'b');
  REQUIRE(WriteFileAtomically(path, a).ok());
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, reads{0};
  std::thread reader([&] {
    while (!done) {
      const std::string s = Slurp(path);
      if (s != a && s != bb) ++torn;
      ++reads;
    }
  });
  for (int i = 0; i < 40; ++i) REQUIRE(WriteFileAtomically(path, i % 2 ? a : bb).ok());
  done = true;
  reader.join();
  CHECK(reads > 0);
  CHECK(torn == 0);
}
