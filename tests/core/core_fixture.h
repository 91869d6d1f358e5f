// The fixture of the kiosk/core tests: a real Store in a fresh directory (removed after), a
// ManualClock, the commune catalog of the UI tests (counters CT, DD, HT, TP, XH), kiosk 7.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <memory>

#include "offline/domain/catalog.h"
#include "offline/domain/config.h"
#include "offline/store/store.h"
#include "tests/support/sample_dossier.h"

namespace mck::test {

struct Core {
  std::filesystem::path dir;
  ManualClock clock;
  KioskConfig config;
  std::unique_ptr<Store> store;
  Catalog catalog;

  explicit Core(TimePoint start = std::chrono::system_clock::now()) : clock(start) {
    std::string t = (std::filesystem::temp_directory_path() / "mck-core-uc-XXXXXX").string();
    REQUIRE(mkdtemp(t.data()) != nullptr);
    dir = t;
    config.kiosk_number = 7;
    config.commune_name = "UBND xã Mẫu";
    StoreOptions so;
    so.data_dir = dir / "data";
    so.kiosk_number = 7;
    so.catalog_seed = std::filesystem::path(MCK_SOURCE_DIR) / "tests" / "ui" / "catalog-commune.json";
    so.clock = &clock;
    auto s = Store::Open(so);
    REQUIRE(s.ok());
    store = std::move(s.value());
    auto c = store->catalog().Load();
    REQUIRE(c.ok());
    catalog = std::move(c.value());
  }
  ~Core() { std::filesystem::remove_all(dir); }

  nlohmann::json BirthRegistration() const {
    return {{"procedure_code", "1.001193"},
            {"channel", "kiosk"},
            {"applicant", mck::test::SampleApplicant()},
            {"fields",
             {{"child_name", "Nguyễn Văn An"},
              {"child_dob", FormatDate(VietnamDate(clock.Now()))},
              {"child_gender", "Nam"},
              {"birth_place", "Trạm y tế xã Mẫu"},
              {"relationship", "Mẹ"}}},
            {"documents", {{{"id", "birth_certificate"}, {"presented_at_counter", true}}}}};
  }
};

}  // namespace mck::test
