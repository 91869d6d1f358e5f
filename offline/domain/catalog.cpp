#include "offline/domain/catalog.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "offline/domain/json_read.h"
#include "offline/domain/utf8.h"

namespace mck {

using nlohmann::json;

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kText: return "text";
    case FieldType::kMultiline: return "multiline";
    case FieldType::kDate: return "date";
    case FieldType::kNumber: return "number";
    case FieldType::kPhone: return "phone";
    case FieldType::kEmail: return "email";
    case FieldType::kIdNumber: return "id_number";
    case FieldType::kSelect: return "select";
    case FieldType::kCheckbox: return "checkbox";
  }
  return "text";
}

std::optional<FieldType> ParseFieldType(std::string_view s) {
  for (FieldType t : {FieldType::kText, FieldType::kMultiline, FieldType::kDate, FieldType::kNumber, FieldType::kPhone,
                      FieldType::kEmail, FieldType::kIdNumber, FieldType::kSelect, FieldType::kCheckbox}) {
    if (s == FieldTypeName(t)) return t;
  }
  return std::nullopt;
}

const FormField* Procedure::FindField(std::string_view id) const {
  for (const auto& f : form)
    if (f.id == id) return &f;
  return nullptr;
}

const Procedure* Catalog::Find(std::string_view code) const {
  for (const auto& p : procedures)
    if (p.code == code) return &p;
  return nullptr;
}

std::vector<std::string> Catalog::Counters() const {
  std::vector<std::string> out;
  for (const auto& p : procedures) {
    bool seen = false;
    for (const auto& c : out) seen = seen || c == p.counter;
    if (!seen) out.push_back(p.counter);
  }
  return out;
}

namespace {

constexpr size_t kMaxPatternBytes = 256;

// libstdc++ compiles a bounded repetition by copying its operand: "((a{999}){999}){999}" fits in
// 256 bytes and needs 10^9 states. The product of the repetition bounds is kept small.
constexpr uint64_t kMaxPatternRepeat = 1000;
uint64_t PatternRepeatProduct(const std::string& p) {
  uint64_t product = 1;
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
      continue;
    }
    if (c == '[') {
      in_class = true;
    } else if (c == '{') {
      uint64_t bound = 0, n = 0;
      size_t j = i + 1;
      for (; j < p.size() && (std::isdigit(static_cast<unsigned char>(p[j])) || p[j] == ','); ++j) {
        if (p[j] == ',') {
          bound = std::max(bound, n);
          n = 0;
        } else {
          n = std::min<uint64_t>(n * 10 + static_cast<uint64_t>(p[j] - '0'), kMaxPatternRepeat + 1);
        }
      }
      bound = std::max(bound, n);
      product = std::min<uint64_t>(product * std::max<uint64_t>(bound, 1), kMaxPatternRepeat + 1);
      i = j - 1;
    }
  }
  return product;
}

Status Bad(const std::string& path, const std::string& en, const std::string& vi) {
  return Status::Error(Code::kInvalidArgument, path + ": " + en, path + ": " + vi);
}

Status GetString(const json& obj, const char* key, const std::string& path, bool required, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Bad(path + "." + key, "is missing", "thiếu trường bắt buộc");
    return Status::Ok();
  }
  if (!it->is_string()) return Bad(path + "." + key, "must be a string", "phải là chuỗi ký tự");
  auto nfc = ToNfc(it->get<std::string>());
  if (!nfc) return Bad(path + "." + key, "is not valid UTF-8", "không phải UTF-8 hợp lệ");
  *out = *nfc;
  if (required && out->empty()) return Bad(path + "." + key, "is empty", "đang để trống");
  return Status::Ok();
}

Status ParseField(const json& j, const std::string& path, FormField* f) {
  if (!j.is_object()) return Bad(path, "must be an object", "phải là một đối tượng");
  MCK_RETURN_IF_ERROR(GetString(j, "id", path, true, &f->id));
  MCK_RETURN_IF_ERROR(GetString(j, "label", path, true, &f->label));
  std::string type;
  MCK_RETURN_IF_ERROR(GetString(j, "type", path, true, &type));
  auto t = ParseFieldType(type);
  if (!t) return Bad(path + ".type", "unknown field type '" + type + "'", "loại trường không hợp lệ '" + type + "'");
  f->type = *t;
  if (j.contains("required")) {
    if (!j["required"].is_boolean()) return Bad(path + ".required", "must be true or false", "phải là true hoặc false");
    f->required = j["required"].get<bool>();
  }
  if (j.contains("max_len")) {
    if (!j["max_len"].is_number_integer() || j["max_len"].get<int>() <= 0) {
      return Bad(path + ".max_len", "must be a positive integer", "phải là số nguyên dương");
    }
    f->max_len = j["max_len"].get<int>();
  }
  for (const char* k : {"min", "max"}) {
    if (j.contains(k)) {
      if (!j[k].is_number()) return Bad(path + "." + k, "must be a number", "phải là số");
      (std::string(k) == "min" ? f->min : f->max) = j[k].get<double>();
    }
  }
  if (j.contains("pattern")) {
    std::string pattern;
    MCK_RETURN_IF_ERROR(GetString(j, "pattern", path, true, &pattern));
    // std::regex compiles and matches recursively: a long pattern can exhaust a thread's stack.
    if (pattern.size() > kMaxPatternBytes) {
      return Bad(path + ".pattern", "is longer than " + std::to_string(kMaxPatternBytes) + " bytes",
                 "biểu thức chính quy quá dài");
    }
    if (PatternRepeatProduct(pattern) > kMaxPatternRepeat) {
      return Bad(path + ".pattern", "repeats too much (bounds multiply past " + std::to_string(kMaxPatternRepeat) + ")",
                 "biểu thức chính quy lặp quá nhiều");
    }
    try {
      std::regex re(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      return Bad(path + ".pattern", "is not a valid regular expression", "biểu thức chính quy không hợp lệ");
    }
    f->pattern = pattern;
  }
  MCK_RETURN_IF_ERROR(GetString(j, "help", path, false, &f->help));
  if (j.contains("options")) {
    if (!j["options"].is_array()) return Bad(path + ".options", "must be an array", "phải là một mảng");
    for (size_t i = 0; i < j["options"].size(); ++i) {
      const auto& o = j["options"][i];
      if (!o.is_string())
        return Bad(path + ".options[" + std::to_string(i) + "]", "must be a string", "phải là chuỗi ký tự");
      auto nfc = ToNfc(o.get<std::string>());
      if (!nfc) return Bad(path + ".options", "is not valid UTF-8", "không phải UTF-8 hợp lệ");
      f->options.push_back(*nfc);
    }
  }
  if (f->type == FieldType::kSelect && f->options.empty()) {
    return Bad(path + ".options", "a select field needs options", "trường lựa chọn cần danh sách lựa chọn");
  }
  return Status::Ok();
}

Status ParseFeeRule(const json& j, const std::string& path, FeeRule* r) {
  if (!j.is_object()) return Bad(path, "must be an object", "phải là một đối tượng");
  MCK_RETURN_IF_ERROR(GetString(j, "copies_field", path, false, &r->copies_field));
  MCK_RETURN_IF_ERROR(GetString(j, "pages_field", path, false, &r->pages_field));
  auto whole = [&](const char* key, int64_t* out) -> Status {
    if (!j.contains(key)) return Status::Ok();
    if (!j[key].is_number_integer() || j[key].get<int64_t>() < 0)
      return Bad(path + "." + key, "must be a whole number >= 0", "phải là số nguyên không âm");
    *out = j[key].get<int64_t>();
    return Status::Ok();
  };
  int64_t from = 0;
  MCK_RETURN_IF_ERROR(whole("later_from_page", &from));
  if (from == 1 || from > 10000) return Bad(path + ".later_from_page", "must be 0 or 2..10000", "phải là 0 hoặc từ 2 đến 10000");
  r->later_from_page = static_cast<int>(from);
  MCK_RETURN_IF_ERROR(whole("later_page_vnd", &r->later_page_vnd));
  MCK_RETURN_IF_ERROR(whole("max_per_copy_vnd", &r->max_per_copy_vnd));
  if (r->later_from_page > 0 && r->pages_field.empty())
    return Bad(path + ".pages_field", "a price from a page on needs the pages field", "cần trường số trang");
  return Status::Ok();
}

// The fee rule names number fields of the form.
Status CheckFeeRuleFields(const Procedure& p, const std::string& path) {
  if (!p.fee_rule) return Status::Ok();
  for (const std::string* f : {&p.fee_rule->copies_field, &p.fee_rule->pages_field}) {
    if (f->empty()) continue;
    const FormField* ff = p.FindField(*f);
    if (!ff || ff->type != FieldType::kNumber || !ff->required)
      return Bad(path + ".fee_rule", "names '" + *f + "', which is not a required number field of the form",
                 "nêu trường '" + *f + "' không phải trường số bắt buộc của tờ khai");
  }
  return Status::Ok();
}

Status ParseProcedure(const json& j, const std::string& path, Procedure* p) {
  if (!j.is_object()) return Bad(path, "must be an object", "phải là một đối tượng");
  MCK_RETURN_IF_ERROR(GetString(j, "code", path, true, &p->code));
  MCK_RETURN_IF_ERROR(GetString(j, "name", path, true, &p->name));
  MCK_RETURN_IF_ERROR(GetString(j, "field", path, true, &p->field));
  MCK_RETURN_IF_ERROR(GetString(j, "counter", path, true, &p->counter));
  if (!j.contains("processing_days") || !j["processing_days"].is_number_integer() ||
      j["processing_days"].get<int>() < 0) {
    return Bad(path + ".processing_days", "must be a whole number of days", "phải là số ngày (số nguyên)");
  }
  p->processing_days = j["processing_days"].get<int>();
  if (!j.contains("fee_vnd") || !j["fee_vnd"].is_number_integer() || j["fee_vnd"].get<int64_t>() < 0) {
    return Bad(path + ".fee_vnd", "must be a whole number of đồng", "phải là số đồng (số nguyên)");
  }
  p->fee_vnd = j["fee_vnd"].get<int64_t>();
  if (j.contains("fee_rule")) MCK_RETURN_IF_ERROR(ParseFeeRule(j["fee_rule"], path + ".fee_rule", &p->fee_rule.emplace()));
  if (!j.contains("form") || !j["form"].is_array()) return Bad(path + ".form", "must be an array", "phải là một mảng");
  for (size_t i = 0; i < j["form"].size(); ++i) {
    FormField f;
    const std::string fp = path + ".form[" + std::to_string(i) + "]";
    MCK_RETURN_IF_ERROR(ParseField(j["form"][i], fp, &f));
    if (p->FindField(f.id))
      return Bad(fp + ".id", "duplicate field id '" + f.id + "'", "mã trường bị trùng '" + f.id + "'");
    p->form.push_back(std::move(f));
  }
  if (j.contains("documents")) {
    if (!j["documents"].is_array()) return Bad(path + ".documents", "must be an array", "phải là một mảng");
    for (size_t i = 0; i < j["documents"].size(); ++i) {
      const auto& d = j["documents"][i];
      const std::string dp = path + ".documents[" + std::to_string(i) + "]";
      if (!d.is_object()) return Bad(dp, "must be an object", "phải là một đối tượng");
      RequiredDocument doc;
      MCK_RETURN_IF_ERROR(GetString(d, "id", dp, true, &doc.id));
      MCK_RETURN_IF_ERROR(GetString(d, "name", dp, true, &doc.name));
      if (d.contains("required") && !d["required"].is_null()) {
        if (!d["required"].is_boolean())
          return Bad(dp + ".required", "must be true or false", "phải là true hoặc false");
        doc.required = d["required"].get<bool>();
      }
      p->documents.push_back(std::move(doc));
    }
  }
  return CheckFeeRuleFields(*p, path);
}

}  // namespace

Result<Catalog> ParseCatalog(const json& doc) {
  if (!doc.is_object()) return Bad("catalog", "must be a JSON object", "phải là một đối tượng JSON");
  Catalog c;
  MCK_RETURN_IF_ERROR(GetString(doc, "version", "catalog", true, &c.version));
  if (!doc.contains("procedures") || !doc["procedures"].is_array()) {
    return Bad("procedures", "must be an array", "phải là một mảng");
  }
  for (size_t i = 0; i < doc["procedures"].size(); ++i) {
    Procedure p;
    const std::string path = "procedures[" + std::to_string(i) + "]";
    MCK_RETURN_IF_ERROR(ParseProcedure(doc["procedures"][i], path, &p));
    if (c.Find(p.code))
      return Bad(path + ".code", "duplicate procedure code '" + p.code + "'", "mã thủ tục bị trùng '" + p.code + "'");
    c.procedures.push_back(std::move(p));
  }
  return c;
}

Result<Catalog> ParseCatalogText(std::string_view text) {
  // Sized by the caller (the portal transport caps a catalog answer); nesting is capped here.
  JsonLimits limits;
  limits.max_bytes = text.size();
  auto doc = ParseJsonChecked(text, limits, "catalog");
  if (!doc.ok()) {
    return Status::Error(Code::kInvalidArgument, doc.status().message_en(), "danh mục thủ tục không phải JSON hợp lệ");
  }
  return ParseCatalog(*doc);
}

json CatalogToJson(const Catalog& c) {
  json procs = json::array();
  for (const auto& p : c.procedures) {
    json form = json::array();
    for (const auto& f : p.form) {
      json jf = {{"id", f.id}, {"label", f.label}, {"type", FieldTypeName(f.type)}, {"required", f.required}};
      if (f.max_len) jf["max_len"] = *f.max_len;
      if (f.pattern) jf["pattern"] = *f.pattern;
      if (f.min) jf["min"] = *f.min;
      if (f.max) jf["max"] = *f.max;
      if (!f.options.empty()) jf["options"] = f.options;
      if (!f.help.empty()) jf["help"] = f.help;
      form.push_back(std::move(jf));
    }
    json docs = json::array();
    for (const auto& d : p.documents) docs.push_back({{"id", d.id}, {"name", d.name}, {"required", d.required}});
    procs.push_back({{"code", p.code},
                     {"name", p.name},
                     {"field", p.field},
                     {"processing_days", p.processing_days},
                     {"fee_vnd", p.fee_vnd},
                     {"counter", p.counter},
                     {"form", std::move(form)},
                     {"documents", std::move(docs)}});
    if (p.fee_rule) {
      json r = json::object();
      const FeeRule& f = *p.fee_rule;
      if (!f.copies_field.empty()) r["copies_field"] = f.copies_field;
      if (!f.pages_field.empty()) r["pages_field"] = f.pages_field;
      if (f.later_from_page > 0) r["later_from_page"] = f.later_from_page;
      if (f.later_page_vnd > 0) r["later_page_vnd"] = f.later_page_vnd;
      if (f.max_per_copy_vnd > 0) r["max_per_copy_vnd"] = f.max_per_copy_vnd;
      procs.back()["fee_rule"] = std::move(r);
    }
  }
  return {{"version", c.version}, {"procedures", std::move(procs)}};
}

std::vector<const Procedure*> SearchProcedures(const Catalog& c, std::string_view query) {
  std::vector<std::string> words;
  const std::string q = FoldForSearch(query);
  size_t start = 0;
  while (start < q.size()) {
    size_t end = q.find(' ', start);
    if (end == std::string::npos) end = q.size();
    if (end > start) words.push_back(q.substr(start, end - start));
    start = end + 1;
  }
  std::vector<const Procedure*> out;
  for (const auto& p : c.procedures) {
    const std::string hay = FoldForSearch(p.name + " " + p.code + " " + p.field);
    bool all = true;
    for (const auto& w : words) all = all && hay.find(w) != std::string::npos;
    if (all) out.push_back(&p);
  }
  return out;
}

}  // namespace mck
