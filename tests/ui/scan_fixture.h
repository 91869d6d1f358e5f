// The scan screen's test kiosk: the App (state + screen machine) with the REAL scanner service
// over SANE's `test` backend in a private SANE_CONFIG_DIR (tests/drivers/scanner/sane_test_backend.h),
// a real Store, and the faults the driver's tests inject (read-return-value), set through the
// service's test hooks on its worker: before the first page of a scan, or after page N.
// Everything the App and its workers write to the log (std::cerr and mck::Log) is captured for
// the tests that check no personal data reaches it. Used by scan_flow_test.cpp and
// scan_failure_test.cpp.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <streambuf>
#include <string>
#include <vector>

#include "kiosk/app/app.h"
#include "kiosk/app/scan_service.h"
#include "offline/domain/log.h"
#include "tests/drivers/scanner/sane_test_backend.h"
#include "tests/support/cannot_run.h"
#include "tests/ui/app_fixture.h"

// At the top of a test: a ScanFixture without SANE's test backend cannot run (a failure under
// MCK_REQUIRE_ALL=1).
#define MCK_NEEDS_SANE(f) \
  if (!(f).ready()) MCK_CANNOT_RUN("needs SANE's test backend (libsane1) and /etc/sane.d/test.conf")

namespace mck::app::uitest {

// The applicant the scan tests type (what the log must never hold).
inline const std::vector<std::string>& ScanTestPersonalData() {
  static const std::vector<std::string> v = {"024190001234", "15/03/1990", "15031990", "1990-03-15",
                                             "Nguyễn Thị Hoà", "Nguyeenx", "Hoaf"};
  return v;
}

// std::cerr and mck::Log into one string, from any thread, while it lives.
class LogCapture {
 public:
  LogCapture() : old_(std::cerr.rdbuf(&buf_)) {
    SetLogSink([this](const LogRecord& r) { buf_.Append(StderrLine(r) + "\n"); });
  }
  ~LogCapture() {
    SetLogSink(nullptr);
    std::cerr.rdbuf(old_);
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string text() { return buf_.Text(); }

 private:
  class Buf final : public std::streambuf {
   public:
    void Append(const std::string& s) {
      std::lock_guard<std::mutex> lock(mu_);
      text_ += s;
    }
    std::string Text() {
      std::lock_guard<std::mutex> lock(mu_);
      return text_;
    }

   protected:
    int overflow(int c) override {
      if (c != traits_type::eof()) Append(std::string(1, static_cast<char>(c)));
      return c;
    }
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      Append(std::string(s, static_cast<size_t>(n)));
      return n;
    }

   private:
    std::mutex mu_;
    std::string text_;
  };
  Buf buf_;
  std::streambuf* old_;
};

struct ScanFixtureOptions {
  int max_pages = 20;       // [devices] scan_max_pages
  int max_dossier_mb = 25;  // [devices] scan_max_dossier_mb
  // The kiosk's folder (its data in dir/data); empty: a fresh temporary one, removed at the end.
  std::filesystem::path dir;
};

struct ScanFixture : AppDriver {
  test::SaneTestBackend sane;
  ScanFixtureOptions options;
  std::filesystem::path dir;
  LogCapture log;  // before any worker starts, restored after they stopped
  ManualClock clock{std::chrono::system_clock::now()};
  KioskConfig config;
  std::unique_ptr<Store> store;
  Strings strings;
  std::unique_ptr<SaneScanService> scanner;
  // After page `fault_after` of a scan, the backend answers `fault` to every read (0: never).
  std::atomic<int> fault_after{0};
  std::string fault = "SANE_STATUS_JAMMED";
  // Before the first page of the next scans, the backend answers this to every read ("": none).
  std::string fault_before;
  std::mutex fault_mu;  // fault_before: set by the test, read on the scanner's worker
  std::atomic<bool> fault_failed{false};

  // Call ready() first: false when SANE's test backend is missing (the test must MCK_CANNOT_RUN).
  explicit ScanFixture(ScanFixtureOptions o = {})
      : options(std::move(o)), dir(options.dir.empty() ? MakeTempDir("mck-scan") : options.dir) {
    if (!sane.ready()) return;
    SetTestConfig(config, dir);
    config.printer = "none";
    config.scanner = "sane:test:0";
    config.scan_max_pages = options.max_pages;
    config.scan_max_dossier_mb = options.max_dossier_mb;
    const StoreOptions so = TestStoreOptions(config, clock);
    store = OpenTestStore(so);
    LoadTestStrings(strings);
    SaneScanServiceOptions s = ScanOptionsFromConfig(config);
    s.settings.extra = {{"test-picture", "Grid"}};
    s.after_page = [this](scanner::Scanner& sc, int n) {  // on the scanner's worker: no Catch macros
      if (n == fault_after.load() && !sc.SetOption("read-return-value", fault).ok()) fault_failed = true;
    };
    s.before_scan = [this](scanner::Scanner& sc) {
      std::lock_guard<std::mutex> lock(fault_mu);
      if (!fault_before.empty() && !sc.SetOption("read-return-value", fault_before).ok()) fault_failed = true;
    };
    scanner = std::make_unique<SaneScanService>(s, events);
    AppDeps deps = TestAppDeps(config, *store, clock, strings, events, so);
    deps.scanner = scanner.get();
    StartApp(deps);
    REQUIRE(PumpUntil([&] { return app->has_scanner(); }));
    CHECK(app->scanner_has_feeder());
  }
  ~ScanFixture() {
    app.reset();
    scanner.reset();
    store.reset();
    std::error_code ec;
    if (options.dir.empty()) std::filesystem::remove_all(dir, ec);
  }
  bool ready() const { return sane.ready(); }

  void FailBeforeFirstPage(const std::string& sane_status) {
    std::lock_guard<std::mutex> lock(fault_mu);
    fault_before = sane_status;
  }

  // The citizen types who they are, picks 2.000913 (two required papers: contract,
  // identity_paper) and fills its form: the documents screen.
  void ToDocuments() {
    Do(intent::Start{});
    Go(ScreenId::kIdentify);
    Do(intent::IdentifyTyped{});
    Type("applicant.id_number", InputKind::kDigits, "024190001234");
    Type("applicant.date_of_birth", InputKind::kDate, "15031990");
    Type("applicant.full_name", InputKind::kText, "Nguyeenx Thij Hoaf");
    Do(intent::SetValue{.key = "applicant.gender", .value = "Nữ"});
    Do(intent::ApplicantDone{});
    REQUIRE(app->screen() == ScreenId::kProcedure);
    Do(intent::ChooseProcedure{.code = "2.000913"});
    Do(intent::BeforeStartDone{});
    Type("fields.copies", InputKind::kDigits, "1");
    Do(intent::FormDone{});
    REQUIRE(app->screen() == ScreenId::kDocuments);
  }
  // Starts a scan and waits for its answer.
  void Scan(bool feeder) {
    const int before = app->scan().completed;
    Do(intent::ScanStart{.feeder = feeder});
    REQUIRE(app->scan().scan_request != 0);
    REQUIRE(PumpUntil([&] { return app->scan().completed == before + 1; }));
  }
  // "Xong": the pages bound into one PDF, back on the documents screen.
  void Done() {
    Do(intent::ScanDone{});
    REQUIRE(PumpUntil([&] { return app->screen() == ScreenId::kDocuments; }));
  }
  std::vector<uint64_t> Ids() const {
    std::vector<uint64_t> out;
    for (const auto& p : app->scan().pages) out.push_back(p.id);
    return out;
  }
  std::vector<std::string> Jpegs() const {
    std::vector<std::string> out;
    for (const auto& p : app->scan().pages) out.push_back(p.jpeg);
    return out;
  }
  // The log so far holds none of the applicant's data and no paper's name.
  void CheckLogHasNoPersonalData() {
    const std::string text = log.text();
    INFO(text);
    for (const auto& v : ScanTestPersonalData()) CHECK(text.find(v) == std::string::npos);
    if (const Procedure* p = app ? app->procedure() : nullptr) {
      for (const auto& d : p->documents) CHECK(text.find(d.name) == std::string::npos);
    }
  }
};

}  // namespace mck::app::uitest
