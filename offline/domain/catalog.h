// The procedure catalog in the portal's format (shared/portal-api.md, "Procedure catalog"):
// procedures with their form schema and documents checklist. Parsing checks every field so that a
// bad catalog from a file or the portal is refused whole, with the place and the reason.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "offline/domain/status.h"

namespace mck {

enum class FieldType { kText, kMultiline, kDate, kNumber, kPhone, kEmail, kIdNumber, kSelect, kCheckbox };

const char* FieldTypeName(FieldType t);
std::optional<FieldType> ParseFieldType(std::string_view s);

struct FormField {
  std::string id;
  std::string label;
  FieldType type = FieldType::kText;
  bool required = false;
  std::optional<int> max_len;          // code points
  std::optional<std::string> pattern;  // ECMAScript regex, whole-value match
  std::optional<double> min, max;      // numbers: value; dates: not used
  std::vector<std::string> options;    // select
  std::string help;
};

struct RequiredDocument {
  std::string id;
  std::string name;
  bool required = false;
};

// How the fee grows with the form (catalog `fee_rule`, optional; offline/domain/fee.h): `fee_vnd`
// is the price of one unit — a copy, or a page of a copy — with a lower price from one page on and
// a cap per copy (TT 226/2016/TT-BTC: 2,000 đ a page, from the third 1,000 đ, at most 200,000 đ).
struct FeeRule {
  std::string copies_field;      // a number field of the form: copies ("" = one)
  std::string pages_field;       // a number field: pages per copy ("" = the fee is per copy)
  int later_from_page = 0;       // from this page on, `later_page_vnd` (0: every page at fee_vnd)
  int64_t later_page_vnd = 0;
  int64_t max_per_copy_vnd = 0;  // 0: no cap
};

struct Procedure {
  std::string code;  // "1.001193"
  std::string name;
  std::string field;  // lĩnh vực, "Hộ tịch"
  int processing_days = 0;
  int64_t fee_vnd = 0;
  std::optional<FeeRule> fee_rule;
  std::string counter;  // queue counter, "HT"
  std::vector<FormField> form;
  std::vector<RequiredDocument> documents;

  const FormField* FindField(std::string_view id) const;
};

struct Catalog {
  std::string version;
  std::vector<Procedure> procedures;

  const Procedure* Find(std::string_view code) const;
  // Distinct counters in catalog order.
  std::vector<std::string> Counters() const;
};

// Parses and checks a catalog document. Errors name the JSON path ("procedures[3].form[1].type").
Result<Catalog> ParseCatalog(const nlohmann::json& doc);
Result<Catalog> ParseCatalogText(std::string_view text);
nlohmann::json CatalogToJson(const Catalog& c);

// Procedures whose name, code or field match every word of the query, ignoring case and
// diacritics ("dang ky khai sinh" finds "Đăng ký khai sinh"). Empty query: all.
std::vector<const Procedure*> SearchProcedures(const Catalog& c, std::string_view query);

}  // namespace mck
