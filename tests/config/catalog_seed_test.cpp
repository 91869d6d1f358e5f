// config/procedures.json, the catalog the kiosk seeds itself with until the portal sends one:
// it parses, is NFC, and its field patterns accept real answers and refuse wrong ones.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "offline/domain/catalog.h"
#include "offline/domain/utf8.h"
#include "offline/domain/validation.h"

namespace {

std::string SeedText() {
  std::ifstream in(std::string(MCK_SOURCE_DIR) + "/config/procedures.json", std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

mck::Catalog Seed() {
  auto c = mck::ParseCatalogText(SeedText());
  INFO((c.ok() ? std::string() : c.status().message_en()));
  REQUIRE(c.ok());
  return *c;
}

bool Accepts(const mck::FormField& f, const nlohmann::json& v) {
  return !mck::ValidateFieldValue(f, v, mck::CivilDate{2026, 11, 22}).has_value();
}

}  // namespace

TEST_CASE("the catalog seed parses and is NFC") {
  const std::string text = SeedText();
  CHECK(mck::ToNfc(text) == text);
  const auto c = Seed();
  CHECK(c.procedures.size() >= 15);
}

TEST_CASE("every seed procedure has a counter, a form and a documents checklist") {
  const std::set<std::string> counters = {"HT", "CT", "XH", "DD", "TP"};
  for (const auto& p : Seed().procedures) {
    INFO(p.code << " " << p.name);
    CHECK(counters.count(p.counter) == 1);
    CHECK(!p.form.empty());
    CHECK(!p.documents.empty());
    CHECK(p.processing_days >= 1);
    for (const auto& f : p.form) {
      INFO(f.id);
      if (f.type == mck::FieldType::kText || f.type == mck::FieldType::kMultiline) CHECK(f.max_len.has_value());
      if (f.type == mck::FieldType::kNumber) CHECK((f.min.has_value() && f.max.has_value()));
    }
  }
}

TEST_CASE("search without diacritics finds seed procedures") {
  const auto c = Seed();
  auto found = mck::SearchProcedures(c, "dang ky khai sinh");
  REQUIRE(!found.empty());
  CHECK(found[0]->code == "1.001193");
  CHECK(!mck::SearchProcedures(c, "chung thuc ban sao").empty());
  CHECK(!mck::SearchProcedures(c, "hoa giai dat dai").empty());
}

TEST_CASE("seed field patterns accept real answers and refuse wrong ones") {
  const auto c = Seed();
  const auto* birth = c.Find("1.001193");
  REQUIRE(birth);
  const auto* name = birth->FindField("child_name");
  REQUIRE(name);
  CHECK(Accepts(*name, "Nguyễn Thị Hoà"));
  CHECK(Accepts(*name, "H'Hen Niê"));
  CHECK(Accepts(*name, "Nguyễn Trần Minh-Anh"));
  CHECK_FALSE(Accepts(*name, "Nguyen Van 2"));
  CHECK_FALSE(Accepts(*name, "a@b"));
  CHECK_FALSE(Accepts(*name, ""));  // required

  const auto* death = c.Find("1.000656");
  REQUIRE(death);
  const auto* time = death->FindField("death_time");
  REQUIRE(time);
  CHECK(Accepts(*time, "14:30"));
  CHECK(Accepts(*time, "00:05"));
  CHECK(Accepts(*time, ""));  // optional
  CHECK_FALSE(Accepts(*time, "25:00"));
  CHECK_FALSE(Accepts(*time, "2h30"));

  const auto* welfare = c.Find("1.001776");
  REQUIRE(welfare);
  const auto* bank = welfare->FindField("bank_account");
  REQUIRE(bank);
  CHECK(Accepts(*bank, "1234567890123"));
  CHECK_FALSE(Accepts(*bank, "1234-5678"));
  const auto* commit = welfare->FindField("commitment");
  REQUIRE(commit);
  CHECK(Accepts(*commit, true));
  CHECK_FALSE(Accepts(*commit, false));  // the declaration must be ticked

  const auto* copies = c.Find("2.000815");
  REQUIRE(copies);
  const auto* pages = copies->FindField("pages");
  REQUIRE(pages);
  CHECK(Accepts(*pages, 3));
  CHECK_FALSE(Accepts(*pages, 0));
}
