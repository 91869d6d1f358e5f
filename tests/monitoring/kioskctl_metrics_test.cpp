// `kioskctl metrics` on a real data directory with queued dossiers: stdout and --out give the
// same figures, Debian's promtool accepts the file, and a seeded citizen's name, ID number and
// phone are nowhere in it.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "offline/domain/ids.h"
#include "offline/sync/metrics.h"
#include "tests/support/cannot_run.h"
#include "tests/support/sample_dossier.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;

namespace {

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Drops the lines that may change between two runs: the time of writing (a second apart), the
// oldest dossier's age in seconds (the same second apart: 0 then 1 under ASan) and the free disk
// space (other programs write to the same disk).
std::string WithoutTimestamp(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("mck_metrics_generated_timestamp_seconds ", 0) != 0 &&
        line.rfind("mck_outbox_oldest_unsent_age_seconds ", 0) != 0 && line.rfind("mck_data_disk_free_bytes ", 0) != 0)
      out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("kioskctl metrics: promtool accepts the file of a data dir with queued dossiers, with no personal data") {
  Kiosk kiosk;
  std::mt19937_64 rng{9};
  {
    auto store = kiosk.OpenStore();
    kiosk.SubmitDossiers(*store, 4, 2, rng);
    // One with a paper scanned at the kiosk (docs/scanning.md "The count").
    nlohmann::json body = DossierBody();
    const std::string pdf = "%PDF-1.5 scanned";
    body["documents"][0]["digitised"] = {{"sha256", Sha256Hex(pdf)}, {"pages", 2}};
    REQUIRE(store->dossiers().Submit(body, {{"scan.pdf", "application/pdf", pdf}}, "v").ok());
    REQUIRE(AddSyncFailures(*store, {{"unavailable", 5}, {"security", 1}}).ok());
  }
  TempDir out("mck-metrics");
  const auto file = out.path() / "mot_cua.prom";
  std::string stdout_text, err;
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "metrics"}, &stdout_text, &err) == 0);
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "metrics", "--out", file.string()}, nullptr, &err) ==
          0);
  const std::string text = Slurp(file);
  CHECK(WithoutTimestamp(text) == WithoutTimestamp(stdout_text));
  CHECK(text.find("mck_outbox_queue_depth 5\n") != std::string::npos);
  CHECK(text.find("mck_dossiers_digitised_total 1\n") != std::string::npos);
  CHECK(text.find("mck_documents_digitised_total 1\n") != std::string::npos);
  CHECK(text.find("mck_dossiers_digitised_today 1\n") != std::string::npos);
  CHECK(text.find("mck_outbox_oldest_unsent_age_seconds ") != std::string::npos);
  CHECK(text.find("mck_sync_failures_total{cause=\"unavailable\"} 5\n") != std::string::npos);
  CHECK(text.find("mck_sync_failures_total{cause=\"security\"} 1\n") != std::string::npos);
  CHECK(text.find("mck_build_info{version=\"") != std::string::npos);
  CHECK(text.find("mck_data_disk_free_bytes ") != std::string::npos);

  const auto applicant = SampleApplicant("Thôn Mẫu, xã Mẫu");
  for (const char* key : {"full_name", "id_number", "phone", "date_of_birth", "address"}) {
    INFO(key);
    CHECK(text.find(applicant[key].get<std::string>()) == std::string::npos);
  }
  CHECK(text.find("Nguyễn Văn An") == std::string::npos);  // the child's name in the dossier's fields

  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    MCK_CANNOT_RUN("promtool not found (Debian package prometheus): the file was not checked");
  }
  const std::string cmd = "promtool check metrics < '" + file.string() + "' 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string report;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) report.append(buf, n);
  const int rc = ::pclose(p);
  INFO("promtool: " << report);
  CHECK(rc == 0);
  CHECK(report.empty());  // no lint remarks either
}

TEST_CASE("kioskctl metrics: usage errors exit 2") {
  Kiosk kiosk;
  std::string err;
  CHECK(RunKioskctl({"--config", kiosk.config_file().string(), "metrics", "--out"}, nullptr, &err) == 2);
  CHECK(RunKioskctl({"--config", kiosk.config_file().string(), "metrics", "extra"}, nullptr, &err) == 2);
}
