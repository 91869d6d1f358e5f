// `kioskctl diag bundle DIR`: the support bundle holds no personal data. A store is seeded with a
// citizen whose name (typed in NFD), ID number, phone and date of birth are known; the same values
// are planted in log files the bundle collects and in the sync's recorded error; then every file of
// the bundle is searched for them in NFC and NFD (and the other forms a person or a program may
// write them in): none may be found. And the scrubber's forms and patterns, one by one.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "kiosk/core/scrubber.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"
#include "tests/sync/harness.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// "Phạm Thị Xuân Quỳnh" as typed in NFD (combining marks after the base letters).
const std::string kNameNfd = "Pha\xCC\xA3m Thi\xCC\xA3 Xua\xCC\x82n Quy\xCC\x80nh";
const std::string kNameNfc = ToNfc(kNameNfd).value();
const std::string kIdNumber = "001190123456";
const std::string kPhone = "0987654321";
const std::string kBirth = "1985-07-21";
const std::string kAddress = "Số 12 ngõ Trạm, phường Hàng Bông";
// A dossier client id whose last group is all digits: it must stay readable.
const std::string kClientId = "7c9e6679-7425-40de-944b-123456789012";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every form a seeded value may take: NFC and NFD, and the other ways of writing it.
std::vector<std::string> Forbidden() {
  return {kNameNfc,       kNameNfd, "PHẠM THỊ XUÂN QUỲNH", "Pham Thi Xuan Quynh",   kIdNumber,   kPhone, "+84987654321",
          "0987 654 321", kBirth,   "21/07/1985",          ToNfc(kAddress).value(), "Xuân Quỳnh"};
}

std::vector<std::string> Found(const fs::path& dir) {
  std::vector<std::string> hits;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string text = Slurp(e.path());
    for (const auto& v : Forbidden()) {
      if (text.find(v) != std::string::npos) hits.push_back(e.path().filename().string() + ": " + v);
    }
  }
  return hits;
}

}  // namespace

TEST_CASE("kioskctl diag bundle: no seeded citizen's name, ID number, phone or birth date in any file") {
  Kiosk kiosk;
  const fs::path data = kiosk.store_options().data_dir;
  {
    auto store = kiosk.OpenStore();
    json body = DossierBody();
    body["applicant"]["full_name"] = kNameNfd;
    body["applicant"]["id_number"] = kIdNumber;
    body["applicant"]["phone"] = kPhone;
    body["applicant"]["date_of_birth"] = kBirth;
    body["applicant"]["address"] = kAddress;
    auto sub = store->dossiers().Submit(body, {}, "2026-11-01.test");
    INFO(sub.status().ToString());
    REQUIRE(sub.ok());
    // A leak the rules forbid, planted where diagnostics reads: the recorded sync error.
    REQUIRE(store->settings().Put("sync.last_error", "portal said: applicant " + kIdNumber + " unknown").ok());
  }
  fs::create_directories(data / "logs");
  std::ofstream(data / "kiosk.log") << "2026-12-06T10:00:00+07:00 sync pass finished, 1 sent\n"
                                    << "dossier " << kClientId << " accepted\n"
                                    << "applicant " << kNameNfc << " / " << kNameNfd << " / PHẠM THỊ XUÂN QUỲNH\n"
                                    << "id=" << kIdNumber << " phone=" << kPhone << " alt=+84987654321 "
                                    << "spaced=0987 654 321\n"
                                    << "dob=" << kBirth << " or 21/07/1985; unaccented Pham Thi Xuan Quynh\n"
                                    << "address: " << kAddress << "; first names Xuân Quỳnh\n";
  std::ofstream(data / "logs" / "app.log") << "typed by hand: " << kNameNfd << " " << kIdNumber << "\n";

  TempDir out("mck-bundle");
  const fs::path bundle = out.path() / "bundle";
  std::string stdout_text, err;
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "--json", "diag", "bundle", bundle.string()},
                      &stdout_text, &err) == 0);
  INFO(err);
  const json answer = json::parse(stdout_text);
  CHECK(answer["log_files"] == 2);
  for (const char* f :
       {"diagnostics.json", "diagnostics.txt", "config.toml", "metrics.prom", "db-check.txt", "version.txt",
        "MANIFEST.txt", "logs/kiosk.log", "logs/logs_app.log", "logs/journal-mot-cua-kiosk.txt"}) {
    INFO(f);
    CHECK(fs::is_regular_file(bundle / f));
  }
  // The seeded values were there to find (the store, the logs, the recorded error)...
  CHECK(Slurp(data / "kiosk.log").find(kIdNumber) != std::string::npos);
  // ...and none is in the bundle, in any form.
  const auto hits = Found(bundle);
  for (const auto& h : hits) UNSCOPED_INFO(h);
  CHECK(hits.empty());
  // What support needs is still there.
  const std::string log = Slurp(bundle / "logs" / "kiosk.log");
  CHECK(log.find("sync pass finished, 1 sent") != std::string::npos);
  CHECK(log.find(kClientId) != std::string::npos);
  const json diag = json::parse(Slurp(bundle / "diagnostics.json"));
  CHECK(diag["sync"]["queue_depth"] == 1);
  CHECK(diag["certificate"].contains("days_left"));
  CHECK(Slurp(bundle / "db-check.txt").find("exit 0") != std::string::npos);
  CHECK(Slurp(bundle / "MANIFEST.txt").find("replacements:") != std::string::npos);
}

TEST_CASE("the bundle's configuration keeps its settings and loses its secrets") {
  const std::string in =
      "[portal]\nurl = \"https://p.example\"\nenrol_token = \"T-123\"\n[staff]\npin_max_attempts = 5\n"
      "technician_pin = \"482913\"\nPassword=\"x\"\n";
  const std::string out = core::RemoveConfigSecrets(in);
  CHECK(out.find("T-123") == std::string::npos);
  CHECK(out.find("482913") == std::string::npos);
  CHECK(out.find("\"x\"") == std::string::npos);
  CHECK(out.find("enrol_token = \"[removed]\"") != std::string::npos);
  CHECK(out.find("pin_max_attempts = 5") != std::string::npos);
  CHECK(out.find("url = \"https://p.example\"") != std::string::npos);
}

TEST_CASE("the scrubber finds a known value in its other forms and IDs and phones by pattern") {
  core::Scrubber s;
  s.AddKnown(kNameNfd, core::Scrubber::Kind::kName);
  s.AddKnown(kBirth, core::Scrubber::Kind::kDate);
  s.AddKnown(kPhone, core::Scrubber::Kind::kPhone);
  CHECK(s.Scrub("a " + kNameNfc + " b") == "a [redacted-name] b");
  CHECK(s.Scrub("a " + kNameNfd + " b") == "a [redacted-name] b");
  CHECK(s.Scrub("PHẠM THỊ XUÂN QUỲNH") == "[redacted-name]");
  CHECK(s.Scrub("pham thi XUAN quynh.") == "[redacted-name].");
  CHECK(s.Scrub("21/07/1985 21.07.1985 19850721") == "[redacted-date] [redacted-date] [redacted-date]");
  CHECK(s.Scrub("84987654321") == "[redacted-phone]");
  // Unknown citizens: by pattern.
  CHECK(s.Scrub("cccd 079203004567.") == "cccd [redacted-id_number].");
  CHECK(s.Scrub("call 0912.345.678 or +84 912 345 678") == "call [redacted-phone] or [redacted-phone]");
  // Not personal data: longer numbers, hex, a UUID's last group, timestamps.
  CHECK(s.Scrub("1733500000123 ab079203004567 " + kClientId) == "1733500000123 ab079203004567 " + kClientId);
  CHECK(s.Scrub("2026-12-06T10:00:00+07:00") == "2026-12-06T10:00:00+07:00");
  // Bad bytes do not stop it.
  CHECK(s.Scrub(std::string("\xff ") + kIdNumber) == "? [redacted-id_number]");
}

// docs/scanning.md "The count": kioskctl diag (text and --json) reports the dossiers with papers
// digitised at the kiosk, today and in total.
TEST_CASE("kioskctl diag reports the dossiers with digitised papers, today and in total") {
  Kiosk kiosk;
  {
    auto store = kiosk.OpenStore();
    for (int scans : {2, 0, 1}) {
      json body = DossierBody();
      std::vector<NewAttachment> atts;
      for (int i = 0; i < scans; ++i) {
        atts.push_back({"scan.pdf", "application/pdf", "%PDF-1.5 " + std::to_string(scans) + "/" + std::to_string(i)});
        body["documents"].push_back({{"id", "birth_certificate"},
                                     {"digitised", {{"sha256", Sha256Hex(atts.back().data)}, {"pages", 1}}}});
      }
      REQUIRE(store->dossiers().Submit(body, atts, "2026-11-01.test").ok());
    }
  }
  std::string out, err;
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "--json", "diag"}, &out, &err) == 0);
  INFO(out << err);
  const json diag = json::parse(out);
  CHECK(diag["digitised"] == json{{"dossiers_today", 2}, {"dossiers_total", 2}, {"documents_total", 3}});
  REQUIRE(RunKioskctl({"--config", kiosk.config_file().string(), "diag"}, &out, &err) == 0);
  CHECK(out.find("Hồ sơ có giấy tờ số hoá / dossiers with digitised papers: hôm nay / today 2; tổng / total 2 (3 "
                 "giấy tờ / papers)") != std::string::npos);
}
