#include <catch2/catch.hpp>

#include "offline/domain/validation.h"

using namespace mck;
using nlohmann::json;

namespace {

const CivilDate kToday{2026, 11, 26};

Catalog TestCatalog() {
  auto c = ParseCatalog(json::parse(R"({"version": "v1", "procedures": [
    {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "processing_days": 1, "fee_vnd": 0, "counter": "HT",
     "form": [
       {"id": "child_name", "label": "Họ, chữ đệm, tên của trẻ", "type": "text", "required": true, "max_len": 10},
       {"id": "child_dob", "label": "Ngày sinh", "type": "date", "required": true},
       {"id": "child_gender", "label": "Giới tính", "type": "select", "options": ["Nam", "Nữ"], "required": true},
       {"id": "copies", "label": "Số bản sao", "type": "number", "min": 0, "max": 10},
       {"id": "contact_phone", "label": "Điện thoại", "type": "phone"},
       {"id": "email", "label": "Email", "type": "email"},
       {"id": "father_id", "label": "Số định danh của cha", "type": "id_number"},
       {"id": "agree", "label": "Tôi cam đoan", "type": "checkbox", "required": true},
       {"id": "book_no", "label": "Quyển số", "type": "text", "pattern": "[0-9]{1,4}", "help": "chỉ gồm chữ số"}],
     "documents": [{"id": "birth_certificate", "name": "Giấy chứng sinh", "required": true}]}]})"));
  REQUIRE(c.ok());
  return *c;
}

json GoodDossier() {
  return json::parse(R"({"procedure_code": "1.001193",
    "applicant": {"id_number": "024190001234", "full_name": "Nguyễn Thị Hoà", "date_of_birth": "1990-03-15",
                  "gender": "Nữ", "phone": "0912345678"},
    "fields": {"child_name": "Trần An", "child_dob": "2026-11-02", "child_gender": "Nam", "agree": true},
    "documents": [{"id": "birth_certificate", "presented_at_counter": true}]})");
}

std::vector<std::string> Fields(const ValidatedDossier& v) {
  std::vector<std::string> out;
  for (const auto& e : v.errors) out.push_back(e.field);
  return out;
}

}  // namespace

TEST_CASE("a good dossier validates and is normalised") {
  json d = GoodDossier();
  d["applicant"]["full_name"] = "  Nguyễn Thị Hoa\xCC\x80  ";  // decomposed, padded
  auto v = ValidateDossier(TestCatalog(), d, kToday);
  INFO((v.errors.empty() ? std::string() : v.errors[0].field + " " + v.errors[0].message_en));
  REQUIRE(v.ok());
  CHECK(v.body["applicant"]["full_name"] == "Nguyễn Thị Hoà");
  CHECK(v.body["channel"] == "kiosk");
  CHECK(v.body["applicant"]["identity_source"] == "manual");
  CHECK(v.body["applicant"]["chip_verified"] == false);
  CHECK(v.body["applicant"]["assurance"] == "typed");
}

TEST_CASE("every field error is reported at once, with its path") {
  json d = GoodDossier();
  d["applicant"]["id_number"] = "02419000123";
  d["applicant"]["phone"] = "12345";
  d["fields"]["child_name"] = "Một cái tên quá dài";
  d["fields"]["child_dob"] = "2026-02-30";
  d["fields"]["child_gender"] = "Khác";
  d["fields"]["copies"] = 11;
  d["fields"]["email"] = "not-an-email";
  d["fields"]["father_id"] = "abc";
  d["fields"]["agree"] = false;
  d["fields"]["book_no"] = "12a";
  d["fields"]["unknown"] = "x";
  auto v = ValidateDossier(TestCatalog(), d, kToday);
  const auto f = Fields(v);
  for (const char* expected :
       {"applicant.id_number", "applicant.phone", "fields.child_name", "fields.child_dob", "fields.child_gender",
        "fields.copies", "fields.email", "fields.father_id", "fields.agree", "fields.book_no", "fields.unknown"}) {
    INFO(expected);
    CHECK(std::find(f.begin(), f.end(), expected) != f.end());
  }
  for (const auto& e : v.errors) {
    CHECK_FALSE(e.message_vi.empty());
    CHECK_FALSE(e.message_en.empty());
  }
}

TEST_CASE("required fields and applicant identity are checked") {
  json d = GoodDossier();
  d["fields"].erase("child_dob");
  d["applicant"]["date_of_birth"] = "1991-03-15";  // disagrees with the ID number's year
  d["applicant"].erase("gender");
  auto v = ValidateDossier(TestCatalog(), d, kToday);
  const auto f = Fields(v);
  CHECK(std::find(f.begin(), f.end(), "fields.child_dob") != f.end());
  CHECK(std::find(f.begin(), f.end(), "applicant.id_number") != f.end());
  CHECK(std::find(f.begin(), f.end(), "applicant.gender") != f.end());
}

TEST_CASE("a date of birth in the future and a fake chip_verified are refused") {
  json d = GoodDossier();
  d["applicant"]["date_of_birth"] = "2027-01-01";
  d["applicant"]["chip_verified"] = true;
  auto v = ValidateDossier(TestCatalog(), d, kToday);
  const auto f = Fields(v);
  CHECK(std::find(f.begin(), f.end(), "applicant.date_of_birth") != f.end());
  CHECK(std::find(f.begin(), f.end(), "applicant.chip_verified") != f.end());
}

namespace {
// The errors of a GoodDossier whose applicant has `source`, and `assurance` / `chip_verified`
// where given (null: left out).
std::vector<std::string> AssuranceErrors(const char* source, json assurance, json chip_verified, json* body = nullptr) {
  json d = GoodDossier();
  d["applicant"]["identity_source"] = source;
  if (!assurance.is_null()) d["applicant"]["assurance"] = assurance;
  if (!chip_verified.is_null()) d["applicant"]["chip_verified"] = chip_verified;
  auto v = ValidateDossier(TestCatalog(), d, kToday);
  if (body) *body = v.body;
  return Fields(v);
}
bool Has(const std::vector<std::string>& f, const char* field) {
  return std::find(f.begin(), f.end(), field) != f.end();
}
}  // namespace

TEST_CASE("the applicant's assurance: one of four words, matching its source, and chip_verified only with it") {
  json body;
  // Derived when absent: a chip read is chip_no_csca at most, never verified by default.
  CHECK(AssuranceErrors("chip", nullptr, nullptr, &body).empty());
  CHECK(body["applicant"]["assurance"] == "chip_no_csca");
  CHECK(body["applicant"]["chip_verified"] == false);
  CHECK(AssuranceErrors("qr", nullptr, nullptr, &body).empty());
  CHECK(body["applicant"]["assurance"] == "qr");
  // A verified chip keeps both words in step.
  CHECK(AssuranceErrors("chip", "chip_verified", nullptr, &body).empty());
  CHECK(body["applicant"]["chip_verified"] == true);
  CHECK(AssuranceErrors("chip", "chip_verified", true).empty());
  // The old hash-only claim is no longer "verified": chip_verified true without the level is refused.
  CHECK(Has(AssuranceErrors("chip", nullptr, true), "applicant.chip_verified"));
  CHECK(Has(AssuranceErrors("chip", "chip_no_csca", true), "applicant.chip_verified"));
  CHECK(Has(AssuranceErrors("chip", "chip_verified", false), "applicant.chip_verified"));
  // Unknown words and levels that do not fit the source.
  CHECK(Has(AssuranceErrors("chip", "verified", nullptr), "applicant.assurance"));
  CHECK(Has(AssuranceErrors("chip", 3, nullptr), "applicant.assurance"));
  CHECK(Has(AssuranceErrors("manual", "chip_verified", nullptr), "applicant.assurance"));
  CHECK(Has(AssuranceErrors("qr", "chip_no_csca", nullptr), "applicant.assurance"));
  CHECK(Has(AssuranceErrors("manual", "qr", nullptr), "applicant.assurance"));
  // Typed fits any source (a chip whose data did not match its SOD is worth no more).
  CHECK(AssuranceErrors("chip", "typed", nullptr).empty());
  CHECK(AssuranceErrors("manual", "typed", false).empty());
}

TEST_CASE("a stored applicant's assurance is read leniently: older bodies never read as verified") {
  CHECK(ApplicantAssurance(json::parse(R"({"identity_source": "chip", "chip_verified": true})")) ==
        Assurance::kChipNoCsca);
  CHECK(ApplicantAssurance(json::parse(R"({"identity_source": "qr"})")) == Assurance::kQrOnly);
  CHECK(ApplicantAssurance(json::parse(R"({"identity_source": "manual"})")) == Assurance::kTyped);
  CHECK(ApplicantAssurance(json::parse(R"({"identity_source": "chip", "assurance": "chip_verified"})")) ==
        Assurance::kChipVerified);
  CHECK(ApplicantAssurance(json::parse(R"({"identity_source": "chip", "assurance": 7})")) == Assurance::kChipNoCsca);
  CHECK(ApplicantAssurance(json::parse(R"([1, 2])")) == Assurance::kTyped);
  CHECK(ApplicantAssurance(json()) == Assurance::kTyped);
}

TEST_CASE("unknown procedure, documents and kiosk-assigned keys are refused") {
  json d = GoodDossier();
  d["procedure_code"] = "9.999999";
  d["client_id"] = "x";
  auto v = ValidateDossier(TestCatalog(), d, kToday);
  auto f = Fields(v);
  CHECK(std::find(f.begin(), f.end(), "procedure_code") != f.end());
  CHECK(std::find(f.begin(), f.end(), "client_id") != f.end());
  json d2 = GoodDossier();
  d2["documents"].push_back({{"id", "passport"}});
  f = Fields(ValidateDossier(TestCatalog(), d2, kToday));
  CHECK(std::find(f.begin(), f.end(), "documents[1].id") != f.end());
}

TEST_CASE("a single form value is validated for the UI as the citizen types") {
  const Catalog c = TestCatalog();
  const Procedure& p = c.procedures[0];
  CHECK_FALSE(ValidateFieldValue(*p.FindField("child_dob"), "2026-11-02", kToday).has_value());
  auto e = ValidateFieldValue(*p.FindField("child_dob"), "", kToday);
  REQUIRE(e.has_value());
  CHECK(e->message_vi == "Vui lòng nhập Ngày sinh");
  CHECK_FALSE(ValidateFieldValue(*p.FindField("copies"), "3", kToday).has_value());
  CHECK_FALSE(ValidateFieldValue(*p.FindField("contact_phone"), "02043123456", kToday).has_value());
  CHECK(ValidateFieldValue(*p.FindField("book_no"), "x1", kToday)->message_vi == "Quyển số: chỉ gồm chữ số");
  CHECK_FALSE(ValidateFieldValue(*p.FindField("contact_phone"), json(), kToday).has_value());
}

TEST_CASE("a paper digitised at the kiosk: {sha256, pages} is accepted, anything else is refused") {
  const Catalog catalog = TestCatalog();
  json good = GoodDossier();
  good["documents"][0]["digitised"] = {{"sha256", std::string(64, 'a')}, {"pages", 2}};
  auto v = ValidateDossier(catalog, good, kToday);
  CHECK(v.errors.empty());
  for (const json& bad : {json{{"sha256", std::string(64, 'a')}, {"pages", 0}},
                          json{{"sha256", std::string(63, 'a')}, {"pages", 1}},
                          json{{"sha256", std::string(64, 'A')}, {"pages", 1}},
                          json{{"pages", 1}}, json("yes")}) {
    json body = GoodDossier();
    body["documents"][0]["digitised"] = bad;
    CAPTURE(bad.dump());
    auto r = ValidateDossier(catalog, body, kToday);
    CHECK(Fields(r) == std::vector<std::string>{"documents[0].digitised"});
  }
}
