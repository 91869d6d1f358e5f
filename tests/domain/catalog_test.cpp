#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <sstream>

#include "offline/domain/catalog.h"

using namespace mck;
using nlohmann::json;

namespace {
json MinimalCatalog() {
  return json::parse(R"({"version": "v1", "procedures": [
    {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "processing_days": 1, "fee_vnd": 0,
     "counter": "HT", "form": [{"id": "child_name", "label": "Họ tên", "type": "text", "required": true}],
     "documents": [{"id": "birth_certificate", "name": "Giấy chứng sinh", "required": true}]},
    {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực", "processing_days": 1,
     "fee_vnd": 2000, "counter": "CT", "form": [], "documents": []}]})");
}
}  // namespace

TEST_CASE("the sample catalog in config/ parses and has 15 or more procedures with forms") {
  std::ifstream in(std::string(MCK_SOURCE_DIR) + "/config/procedures.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto c = ParseCatalogText(ss.str());
  INFO(c.status().ToString());
  REQUIRE(c.ok());
  CHECK(c->procedures.size() >= 15);
  for (const auto& p : c->procedures) {
    INFO(p.code);
    CHECK_FALSE(p.form.empty());
    CHECK_FALSE(p.documents.empty());
    CHECK_FALSE(p.counter.empty());
  }
  CHECK(c->Find("1.001193") != nullptr);
}

TEST_CASE("a catalog round-trips through JSON") {
  auto c = ParseCatalog(MinimalCatalog());
  REQUIRE(c.ok());
  auto again = ParseCatalog(CatalogToJson(*c));
  REQUIRE(again.ok());
  CHECK(again->procedures.size() == 2);
  CHECK(again->procedures[0].form[0].label == "Họ tên");
  CHECK(again->Counters() == std::vector<std::string>{"HT", "CT"});
}

TEST_CASE("catalog errors name the JSON path and the reason") {
  struct Case {
    std::function<void(json&)> mutate;
    std::string path;
  };
  const std::vector<Case> cases = {
      {[](json& j) { j.erase("version"); }, "catalog.version"},
      {[](json& j) { j["procedures"] = 3; }, "procedures"},
      {[](json& j) { j["procedures"][0]["form"][0]["type"] = "colour"; }, "procedures[0].form[0].type"},
      {[](json& j) { j["procedures"][0]["form"][0]["pattern"] = "([a-"; }, "procedures[0].form[0].pattern"},
      {[](json& j) { j["procedures"][1]["code"] = "1.001193"; }, "procedures[1].code"},
      {[](json& j) { j["procedures"][0]["processing_days"] = -1; }, "procedures[0].processing_days"},
      {[](json& j) { j["procedures"][0]["form"].push_back(j["procedures"][0]["form"][0]); },
       "procedures[0].form[1].id"},
      {[](json& j) { j["procedures"][0]["form"][0]["type"] = "select"; }, "procedures[0].form[0].options"},
      {[](json& j) { j["procedures"][1]["name"] = ""; }, "procedures[1].name"},
  };
  for (const auto& c : cases) {
    json doc = MinimalCatalog();
    c.mutate(doc);
    auto r = ParseCatalog(doc);
    REQUIRE_FALSE(r.ok());
    INFO(r.status().message_en());
    CHECK(r.status().message_en().rfind(c.path + ":", 0) == 0);
    CHECK(r.status().message_vi().rfind(c.path + ":", 0) == 0);
  }
  CHECK_FALSE(ParseCatalogText("{not json").ok());
}

TEST_CASE("procedure search ignores diacritics and case and needs every word") {
  auto c = ParseCatalog(MinimalCatalog());
  REQUIRE(c.ok());
  auto hits = SearchProcedures(*c, "dang ky khai sinh");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0]->code == "1.001193");
  CHECK(SearchProcedures(*c, "CHUNG THUC").size() == 1);
  CHECK(SearchProcedures(*c, "chứng thực").size() == 1);
  CHECK(SearchProcedures(*c, "khai sinh chứng").empty());
  CHECK(SearchProcedures(*c, "").size() == 2);
  CHECK(SearchProcedures(*c, "2.000815").size() == 1);
}
