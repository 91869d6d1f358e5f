#include "tests/offline/store_fixture.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "offline/domain/validation.h"

namespace mck::test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/mck-test-XXXXXX";
  char* made = ::mkdtemp(tmpl.data());
  REQUIRE(made != nullptr);
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TimePoint TestEpoch() {
  return *ParseRfc3339("2026-11-26T09:00:00+07:00");
}

std::filesystem::path WriteTestCatalog(const std::filesystem::path& dir) {
  const auto path = dir / "procedures.json";
  std::ofstream(path) << R"({"version": "test-1", "procedures": [
    {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "processing_days": 1, "fee_vnd": 0,
     "counter": "HT",
     "form": [{"id": "child_name", "label": "Họ, chữ đệm, tên của trẻ", "type": "text", "required": true},
              {"id": "child_dob", "label": "Ngày sinh", "type": "date", "required": true},
              {"id": "child_gender", "label": "Giới tính", "type": "select", "options": ["Nam", "Nữ"], "required": true}],
     "documents": [{"id": "birth_certificate", "name": "Giấy chứng sinh", "required": true}]}]})";
  return path;
}

StoreOptions TestOptions(const TempDir& dir, const Clock* clock) {
  StoreOptions o;
  o.data_dir = dir.path() / "data";
  o.kiosk_number = 7;
  o.retention_days = 30;
  o.catalog_seed = WriteTestCatalog(dir.path());
  o.clock = clock;
  return o;
}

std::unique_ptr<Store> OpenStore(const StoreOptions& o) {
  auto s = Store::Open(o);
  INFO(s.status().ToString());
  REQUIRE(s.ok());
  return std::move(s.value());
}

nlohmann::json SampleBody(const std::string& name, const std::string& id, const std::string& phone) {
  nlohmann::json body = {
      {"procedure_code", "1.001193"},
      {"channel", "kiosk"},
      {"applicant",
       {{"id_number", id},
        {"full_name", name},
        {"date_of_birth", "1990-03-15"},
        {"gender", "Nữ"},
        {"address", "Thôn Ví Dụ, xã Mẫu"},
        {"phone", phone},
        {"identity_source", "manual"},
        {"chip_verified", false}}},
      {"fields", {{"child_name", "Trần Văn An"}, {"child_dob", "2026-11-02"}, {"child_gender", "Nam"}}},
      {"documents", {{{"id", "birth_certificate"}, {"presented_at_counter", true}}}},
      {"attachments", nlohmann::json::array()}};
  return body;
}

}  // namespace mck::test
