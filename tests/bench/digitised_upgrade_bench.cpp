// digitised_upgrade_bench: what the upgrade from schema 3 to 4 costs a kiosk (docs/scanning.md
// "The count"): N dossiers (one in three with 2 digitised papers, all with a 20 KB attachment),
// the file taken back to schema 3, then Store::Open times the upgrade — backup, migration, and the
// count of the digitised papers of every stored body (one AES-GCM open and one JSON parse each).
// The same file with every body purged (NULL) is the baseline without the counting.
// Usage: digitised_upgrade_bench [DIR] [N]   (DIR defaults to ./bench-upgrade, N to 3000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "offline/domain/ids.h"
#include "offline/store/store.h"
#include "tests/support/sample_dossier.h"

namespace {

using mck::Db;
using mck::StoreOptions;

StoreOptions Options(const std::filesystem::path& dir) {
  StoreOptions o;
  o.data_dir = dir;
  o.kiosk_number = 7;
  return o;
}

void Check(const mck::Status& st, const char* what) {
  if (!st.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, st.ToString().c_str());
    std::exit(1);
  }
}

// Makes `n` dossiers, then takes the file back to schema 3 (`purge`: bodies set NULL first).
void Make(const std::filesystem::path& dir, int n, bool purge) {
  std::filesystem::remove_all(dir);
  {
    auto store = mck::Store::Open(Options(dir));
    Check(store.status(), "open");
    for (int i = 0; i < n; ++i) {
      nlohmann::json body = {{"procedure_code", "1.001193"},
                             {"channel", "kiosk"},
                             {"applicant", mck::test::SampleApplicant("Thôn Mẫu, xã Mẫu")},
                             {"fields", {{"child_name", "Nguyễn Văn An"}, {"child_dob", "2026-11-02"}}},
                             {"documents", nlohmann::json::array()}};
      std::vector<mck::NewAttachment> atts{{"anh.jpg", "image/jpeg", std::string(20000, 'j') + std::to_string(i)}};
      if (i % 3 == 0) {
        for (int k = 0; k < 2; ++k) {
          atts.push_back({"scan.pdf", "application/pdf", "%PDF " + std::to_string(i) + "/" + std::to_string(k)});
          body["documents"].push_back({{"id", "birth_certificate"},
                                       {"digitised", {{"sha256", mck::Sha256Hex(atts.back().data)}, {"pages", 1}}}});
        }
      }
      Check((*store)->dossiers().Submit(body, atts, "v").status(), "submit");
    }
  }
  auto db = Db::Open((dir / "kiosk.db").string());
  Check(db.status(), "db");
  if (purge) Check((*db)->Exec("UPDATE dossiers SET body_sealed = NULL"), "purge");
  Check((*db)->Exec("DROP INDEX dossiers_digitised_day"), "drop index");
  Check((*db)->Exec("ALTER TABLE dossiers DROP COLUMN digitised_documents"), "drop column");
  Check((*db)->Exec("PRAGMA user_version = 3"), "user_version");
  Check((*db)->Exec("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
}

double TimeUpgrade(const std::filesystem::path& dir, int64_t* counted) {
  const auto t0 = std::chrono::steady_clock::now();
  auto store = mck::Store::Open(Options(dir));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  Check(store.status(), "upgrade");
  auto c = (*store)->dossiers().Digitised("2000-01-01");
  Check(c.status(), "count");
  *counted = c->dossiers_total;
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir = argc > 1 ? argv[1] : "bench-upgrade";
  const int n = std::max(10, argc > 2 ? std::atoi(argv[2]) : 3000);
  int64_t counted = 0, none = 0;
  Make(dir / "kept", n, false);
  Make(dir / "purged", n, true);
  const double kept = TimeUpgrade(dir / "kept", &counted);
  const double purged = TimeUpgrade(dir / "purged", &none);
  std::printf("upgrade schema 3 -> 4 (backup + migration + count), %d dossiers, 20 KB attachment each\n", n);
  std::printf("  %9.1f ms  every body stored (%lld dossiers with digitised papers counted)\n", kept,
              static_cast<long long>(counted));
  std::printf("  %9.1f ms  every body purged (baseline: nothing to count)\n", purged);
  std::printf("  %9.1f us  per stored body, the difference\n", (kept - purged) * 1000.0 / n);
  std::filesystem::remove_all(dir);
  return counted == (n + 2) / 3 && none == 0 ? 0 : 1;
}
