// Shared test fixture: a fresh data directory per test, a manual clock, a small catalog.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "offline/store/store.h"
#include "tests/support/read_file.h"

namespace mck::test {

// A unique empty directory under $TMPDIR, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// 2026-11-26 09:00:00 +07:00
TimePoint TestEpoch();

std::filesystem::path WriteTestCatalog(const std::filesystem::path& dir);
StoreOptions TestOptions(const TempDir& dir, const Clock* clock);
std::unique_ptr<Store> OpenStore(const StoreOptions& o);

// A valid dossier body for the test catalog, with a distinctive applicant.
nlohmann::json SampleBody(const std::string& name = "Nguyễn Thị Hoà", const std::string& id = "024190001234",
                          const std::string& phone = "0912345678");

}  // namespace mck::test
