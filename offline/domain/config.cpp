#include "offline/domain/config.h"

#include <toml++/toml.h>
#include <fstream>
#include <sstream>

#include "offline/domain/utf8.h"
#include "offline/domain/vietqr.h"

namespace mck {

namespace {

Status At(const std::filesystem::path& file, const toml::source_region& where, const std::string& en,
          const std::string& vi) {
  const std::string loc = file.string() + ":" + std::to_string(where.begin.line) + ": ";
  return Status::Error(Code::kInvalidArgument, loc + en, loc + vi);
}

struct Reader {
  const std::filesystem::path& file;
  const toml::table& root;

  Status CheckKeys(const toml::table& t, std::initializer_list<const char*> known, const std::string& prefix) {
    for (auto&& [key, node] : t) {
      bool ok = false;
      for (const char* k : known) ok = ok || key.str() == k;
      if (!ok) {
        return At(file, node.source(), "unknown key '" + prefix + std::string(key.str()) + "'",
                  "khoá không hợp lệ '" + prefix + std::string(key.str()) + "'");
      }
    }
    return Status::Ok();
  }

  Status Int(const toml::table& t, const char* key, int min, int max, int* out) {
    const toml::node* n = t.get(key);
    if (!n) return Status::Ok();
    auto v = n->value<int64_t>();
    if (!n->is_integer() || !v || *v < min || *v > max) {
      return At(file, n->source(),
                std::string(key) + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max),
                std::string(key) + " phải là số nguyên từ " + std::to_string(min) + " đến " + std::to_string(max));
    }
    *out = static_cast<int>(*v);
    return Status::Ok();
  }

  Status Str(const toml::table& t, const char* key, std::string* out) {
    const toml::node* n = t.get(key);
    if (!n) return Status::Ok();
    if (!n->is_string()) {
      return At(file, n->source(), std::string(key) + " must be a string", std::string(key) + " phải là chuỗi ký tự");
    }
    *out = *n->value<std::string>();
    return Status::Ok();
  }

  Status Bool(const toml::table& t, const char* key, bool* out) {
    const toml::node* n = t.get(key);
    if (!n) return Status::Ok();
    if (!n->is_boolean()) {
      return At(file, n->source(), std::string(key) + " must be true or false",
                std::string(key) + " phải là true hoặc false");
    }
    *out = *n->value<bool>();
    return Status::Ok();
  }

  Status OneOf(const toml::table& t, const char* key, std::initializer_list<const char*> allowed, std::string* out) {
    MCK_RETURN_IF_ERROR(Str(t, key, out));
    const toml::node* n = t.get(key);
    if (!n) return Status::Ok();
    std::string list;
    for (const char* a : allowed) {
      if (*out == a) return Status::Ok();
      list += std::string(list.empty() ? "" : ", ") + a;
    }
    return At(file, n->source(), std::string(key) + " must be one of: " + list,
              std::string(key) + " phải là một trong: " + list);
  }

  const toml::table* Section(const char* name, Status* st) {
    const toml::node* n = root.get(name);
    if (!n) return nullptr;
    if (!n->is_table()) {
      *st = At(file, n->source(), std::string("[") + name + "] must be a table",
               std::string("[") + name + "] phải là một bảng");
      return nullptr;
    }
    return n->as_table();
  }
};

std::filesystem::path Resolve(const std::filesystem::path& base, const std::string& p) {
  if (p.empty()) return {};
  std::filesystem::path path(p);
  return path.is_absolute() ? path : base / path;
}

}  // namespace

// [security]: where the kiosk's keys are kept (offline/store/key_vault.h).
static Status ParseSecurity(Reader& r, KioskConfig* c) {
  Status st;
  if (auto* t = r.Section("security", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"key_protection", "tpm_tcti"}, "security."));
    MCK_RETURN_IF_ERROR(r.OneOf(*t, "key_protection", {"tpm", "file"}, &c->key_protection));
    MCK_RETURN_IF_ERROR(r.Str(*t, "tpm_tcti", &c->tpm_tcti));
  }
  return st;
}

// [signing]: the officers' PKCS#11 token (drivers/token/officer_token.h, docs/signing.md).
static Status ParseSigning(Reader& r, KioskConfig* c) {
  Status st;
  if (auto* t = r.Section("signing", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"module", "token_label", "token_serial", "ca_file"}, "signing."));
    MCK_RETURN_IF_ERROR(r.Str(*t, "module", &c->signing_module));
    if (!c->signing_module.empty() && c->signing_module.front() != '/') {
      return At(r.file, t->get("module")->source(), "signing.module must be an absolute path to a PKCS#11 module",
                "signing.module phải là đường dẫn tuyệt đối tới thư viện PKCS#11");
    }
    MCK_RETURN_IF_ERROR(r.Str(*t, "token_label", &c->signing_token_label));
    MCK_RETURN_IF_ERROR(r.Str(*t, "token_serial", &c->signing_token_serial));
    MCK_RETURN_IF_ERROR(r.Str(*t, "ca_file", &c->signing_ca_file));
    // The kiosk checks each signature against the officers' CA before it queues the decision
    // (a wrong certificate is refused at the counter, not days later by the portal).
    if (!c->signing_module.empty() && c->signing_ca_file.empty()) {
      return At(r.file, t->source(), "signing.ca_file (the officers' CA certificates, PEM) is required with signing.module",
                "signing.ca_file (chứng thư của tổ chức cấp chứng thư số cho cán bộ, PEM) là bắt buộc khi có signing.module");
    }
  }
  return st;
}

// [suggestions]: field id = ["answer", ...]. Each answer is a tap instead of typing, so it must be
// what the field would accept from the keyboard: valid UTF-8, NFC, one line, not too long.
static Status ParseSuggestions(Reader& r, KioskConfig* c) {
  Status st;
  const toml::table* t = r.Section("suggestions", &st);
  if (!t) return st;
  for (auto&& [key, node] : *t) {
    const std::string field(key.str());
    const toml::array* a = node.as_array();
    if (!a || a->size() > 6) {
      return At(r.file, node.source(), "suggestions." + field + " must be a list of at most 6 strings",
                "suggestions." + field + " phải là danh sách tối đa 6 chuỗi");
    }
    std::vector<std::string> answers;
    for (const toml::node& v : *a) {
      const std::optional<std::string> text = v.value<std::string>();
      const auto nfc = text && IsValidUtf8(*text) ? ToNfc(*text) : std::nullopt;
      const size_t points = nfc ? Utf8Length(*nfc) : 0;
      if (!v.is_string() || !nfc || *nfc != *text || points < 1 || points > 100 ||
          text->find_first_of("\r\n\t") != std::string::npos) {
        return At(r.file, v.source(),
                  "suggestions." + field + ": each answer is one line of 1 to 100 characters of UTF-8 in NFC",
                  "suggestions." + field + ": mỗi gợi ý là một dòng 1 đến 100 ký tự UTF-8 dạng NFC");
      }
      answers.push_back(*text);
    }
    c->suggestions[field] = std::move(answers);
  }
  return Status::Ok();
}

Result<KioskConfig> ParseConfig(std::string_view text, const std::filesystem::path& name) {
  toml::table root;
  try {
    root = toml::parse(text, name.string());
  } catch (const toml::parse_error& e) {
    const std::string loc = name.string() + ":" + std::to_string(e.source().begin.line) + ": ";
    return Status::Error(Code::kInvalidArgument, loc + std::string(e.description()),
                         loc + "lỗi cú pháp TOML: " + std::string(e.description()));
  }
  KioskConfig c;
  c.source_file = name;
  Reader r{name, root};
  MCK_RETURN_IF_ERROR(r.CheckKeys(
      root, {"kiosk", "portal", "privacy", "ui", "suggestions", "display", "speech", "calling_display", "payment", "staff", "devices", "security", "monitoring",
             "logging", "signing"},
      ""));
  Status st;
  const std::filesystem::path base = name.has_parent_path() ? name.parent_path() : std::filesystem::path(".");
  if (auto* t = r.Section("kiosk", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(
        *t, {"number", "commune_code", "commune_name", "province_name", "data_dir", "language", "catalog_seed"},
        "kiosk."));
    MCK_RETURN_IF_ERROR(r.Int(*t, "number", 1, 99, &c.kiosk_number));
    MCK_RETURN_IF_ERROR(r.Str(*t, "commune_code", &c.commune_code));
    MCK_RETURN_IF_ERROR(r.Str(*t, "commune_name", &c.commune_name));
    MCK_RETURN_IF_ERROR(r.Str(*t, "province_name", &c.province_name));
    std::string dir, seed;
    MCK_RETURN_IF_ERROR(r.Str(*t, "data_dir", &dir));
    if (!dir.empty()) c.data_dir = Resolve(base, dir);
    MCK_RETURN_IF_ERROR(r.Str(*t, "catalog_seed", &seed));
    if (!seed.empty()) c.catalog_seed = Resolve(base, seed);
    MCK_RETURN_IF_ERROR(r.OneOf(*t, "language", {"vi", "en"}, &c.language));
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("portal", &st)) {
    MCK_RETURN_IF_ERROR(
        r.CheckKeys(*t,
                    {"url", "connect_timeout_s", "transfer_timeout_s", "sync_interval_s", "heartbeat_interval_s",
                     "proxy", "max_answer_kib", "max_catalog_kib", "cert_renew_days", "sync_in_flight"},
                    "portal."));
    MCK_RETURN_IF_ERROR(r.Str(*t, "url", &c.portal_url));
    if (!c.portal_url.empty() && c.portal_url.rfind("https://", 0) != 0) {
      return At(name, t->get("url")->source(), "portal.url must start with https:// (TLS is mandatory)",
                "portal.url phải bắt đầu bằng https:// (bắt buộc mã hoá TLS)");
    }
    MCK_RETURN_IF_ERROR(r.Int(*t, "connect_timeout_s", 1, 120, &c.connect_timeout_s));
    MCK_RETURN_IF_ERROR(r.Int(*t, "transfer_timeout_s", 1, 3600, &c.transfer_timeout_s));
    MCK_RETURN_IF_ERROR(r.Int(*t, "sync_interval_s", 1, 86400, &c.sync_interval_s));
    MCK_RETURN_IF_ERROR(r.Int(*t, "heartbeat_interval_s", 10, 86400, &c.heartbeat_interval_s));
    MCK_RETURN_IF_ERROR(r.Str(*t, "proxy", &c.proxy));
    if (!c.proxy.empty() && c.proxy.rfind("http://", 0) != 0 && c.proxy.rfind("https://", 0) != 0) {
      return At(name, t->get("proxy")->source(), "portal.proxy must be an http:// or https:// proxy URL",
                "portal.proxy phải là địa chỉ proxy http:// hoặc https://");
    }
    MCK_RETURN_IF_ERROR(r.Int(*t, "max_answer_kib", 16, 65536, &c.max_answer_kib));
    MCK_RETURN_IF_ERROR(r.Int(*t, "max_catalog_kib", 64, 262144, &c.max_catalog_kib));
    MCK_RETURN_IF_ERROR(r.Int(*t, "cert_renew_days", 0, 365, &c.cert_renew_days));
    MCK_RETURN_IF_ERROR(r.Int(*t, "sync_in_flight", 1, 32, &c.sync_in_flight));
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("privacy", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"retention_days"}, "privacy."));
    MCK_RETURN_IF_ERROR(r.Int(*t, "retention_days", 0, 3650, &c.retention_days));
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("ui", &st)) {
    MCK_RETURN_IF_ERROR(
        r.CheckKeys(*t, {"inactivity_timeout_s", "inactivity_countdown_s", "tone_style", "large_text"}, "ui."));
    MCK_RETURN_IF_ERROR(r.Int(*t, "inactivity_timeout_s", 10, 3600, &c.inactivity_timeout_s));
    MCK_RETURN_IF_ERROR(r.Int(*t, "inactivity_countdown_s", 3, 120, &c.inactivity_countdown_s));
    MCK_RETURN_IF_ERROR(r.OneOf(*t, "tone_style", {"new", "old"}, &c.tone_style));
    MCK_RETURN_IF_ERROR(r.Bool(*t, "large_text", &c.large_text));
  }
  MCK_RETURN_IF_ERROR(st);
  MCK_RETURN_IF_ERROR(ParseSuggestions(r, &c));
  if (auto* t = r.Section("display", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"dpi", "theme"}, "display."));
    MCK_RETURN_IF_ERROR(r.Int(*t, "dpi", 50, 600, &c.dpi));
    MCK_RETURN_IF_ERROR(r.OneOf(*t, "theme", {"standard", "high_contrast"}, &c.theme));
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("speech", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"voice", "rate_wpm", "volume"}, "speech."));
    MCK_RETURN_IF_ERROR(r.OneOf(*t, "voice", {"vi", "vi-vn-x-central", "vi-vn-x-south"}, &c.speech_voice));
    MCK_RETURN_IF_ERROR(r.Int(*t, "rate_wpm", 80, 300, &c.speech_rate_wpm));
    MCK_RETURN_IF_ERROR(r.Int(*t, "volume", 0, 200, &c.speech_volume));
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("calling_display", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"enabled", "display", "width", "height", "next_count"}, "calling_display."));
    MCK_RETURN_IF_ERROR(r.Bool(*t, "enabled", &c.calling_display_enabled));
    MCK_RETURN_IF_ERROR(r.Int(*t, "display", -1, 15, &c.calling_display_index));
    MCK_RETURN_IF_ERROR(r.Int(*t, "width", 320, 7680, &c.calling_display_width));
    MCK_RETURN_IF_ERROR(r.Int(*t, "height", 240, 4320, &c.calling_display_height));
    MCK_RETURN_IF_ERROR(r.Int(*t, "next_count", 0, 6, &c.calling_display_next));
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("payment", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"bank_bin", "account", "account_name"}, "payment."));
    MCK_RETURN_IF_ERROR(r.Str(*t, "bank_bin", &c.payment_bank_bin));
    MCK_RETURN_IF_ERROR(r.Str(*t, "account", &c.payment_account));
    MCK_RETURN_IF_ERROR(r.Str(*t, "account_name", &c.payment_account_name));
    if (c.payment_configured()) {
      // The same checks as every QR built from it: a bad account is found at start, not at a citizen's slip.
      auto probe = vietqr::Encode({.bank_bin = c.payment_bank_bin, .account = c.payment_account, .amount_vnd = 1000,
                                   .purpose = "K01-000000-0001"});
      if (!probe.ok()) {
        return At(name, t->source(), "payment: " + probe.status().message_en(),
                  "payment: " + probe.status().message_vi());
      }
      if (c.payment_account_name.empty()) {
        return At(name, t->source(), "payment.account_name is required with bank_bin",
                  "payment.account_name là bắt buộc khi có bank_bin");
      }
    }
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("staff", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"pin_max_attempts", "pin_lockout_s"}, "staff."));
    MCK_RETURN_IF_ERROR(r.Int(*t, "pin_max_attempts", 1, 20, &c.pin_max_attempts));
    MCK_RETURN_IF_ERROR(r.Int(*t, "pin_lockout_s", 10, 86400, &c.pin_lockout_s));
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("devices", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t,
                                    {"printer", "printer_width_mm", "card_reader", "card_reader_name", "card_sim_file",
                                     "qr_scanner", "csca_file", "crl_file", "scanner", "scanner_options",
                                     "scan_max_pages", "scan_max_dossier_mb"},
                                    "devices."));
    MCK_RETURN_IF_ERROR(r.Str(*t, "scanner", &c.scanner));
    if (!c.scanner.empty() && c.scanner != "none" && c.scanner != "sane" && c.scanner.rfind("sane:", 0) != 0) {
      return At(name, t->get("scanner")->source(), "scanner must be \"none\", \"sane\" or \"sane:DEVICE\"",
                "scanner phải là \"none\", \"sane\" hoặc \"sane:TÊN_MÁY\"");
    }
    MCK_RETURN_IF_ERROR(r.Str(*t, "scanner_options", &c.scanner_options));
    MCK_RETURN_IF_ERROR(r.Int(*t, "scan_max_pages", 1, 200, &c.scan_max_pages));
    MCK_RETURN_IF_ERROR(r.Int(*t, "scan_max_dossier_mb", 1, 500, &c.scan_max_dossier_mb));
    MCK_RETURN_IF_ERROR(r.Str(*t, "printer", &c.printer));
    MCK_RETURN_IF_ERROR(r.Int(*t, "printer_width_mm", 58, 80, &c.printer_width_mm));
    if (c.printer_width_mm != 58 && c.printer_width_mm != 80) {
      return At(name, t->get("printer_width_mm")->source(), "printer_width_mm must be 58 or 80",
                "printer_width_mm phải là 58 hoặc 80");
    }
    MCK_RETURN_IF_ERROR(r.OneOf(*t, "card_reader", {"pcsc", "sim"}, &c.card_reader));
    MCK_RETURN_IF_ERROR(r.Str(*t, "card_reader_name", &c.card_reader_name));
    std::string sim, csca, crl;
    MCK_RETURN_IF_ERROR(r.Str(*t, "card_sim_file", &sim));
    c.card_sim_file = Resolve(base, sim).string();
    MCK_RETURN_IF_ERROR(r.Str(*t, "qr_scanner", &c.qr_scanner));
    MCK_RETURN_IF_ERROR(r.Str(*t, "csca_file", &csca));
    c.csca_file = Resolve(base, csca).string();
    MCK_RETURN_IF_ERROR(r.Str(*t, "crl_file", &crl));
    c.crl_file = Resolve(base, crl).string();
    // A relative file: printer path is relative to the config file, like every other path.
    if (c.printer.rfind("file:", 0) == 0) c.printer = "file:" + Resolve(base, c.printer.substr(5)).string();
  }
  MCK_RETURN_IF_ERROR(st);
  MCK_RETURN_IF_ERROR(ParseSecurity(r, &c));
  MCK_RETURN_IF_ERROR(ParseSigning(r, &c));
  if (auto* t = r.Section("monitoring", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"textfile"}, "monitoring."));
    std::string textfile;
    MCK_RETURN_IF_ERROR(r.Str(*t, "textfile", &textfile));
    c.metrics_textfile = Resolve(base, textfile);
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("logging", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"journal"}, "logging."));
    MCK_RETURN_IF_ERROR(r.OneOf(*t, "journal", {"auto", "on", "off"}, &c.journal));
  }
  MCK_RETURN_IF_ERROR(st);
  if (c.catalog_seed.empty()) c.catalog_seed = base / "procedures.json";
  return c;
}

Status ApplyProvisionedText(std::string_view text, const std::filesystem::path& name, KioskConfig* c) {
  toml::table root;
  try {
    root = toml::parse(text, name.string());
  } catch (const toml::parse_error& e) {
    const std::string loc = name.string() + ":" + std::to_string(e.source().begin.line) + ": ";
    return Status::Error(Code::kInvalidArgument, loc + std::string(e.description()),
                         loc + "lỗi cú pháp TOML: " + std::string(e.description()));
  }
  // Read into a copy: a refused overlay leaves *c as it was.
  KioskConfig o = *c;
  Reader r{name, root};
  MCK_RETURN_IF_ERROR(r.CheckKeys(root, {"kiosk", "portal", "devices"}, ""));
  Status st;
  if (auto* t = r.Section("kiosk", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"number", "commune_code", "commune_name"}, "kiosk."));
    MCK_RETURN_IF_ERROR(r.Int(*t, "number", 1, 99, &o.kiosk_number));
    MCK_RETURN_IF_ERROR(r.Str(*t, "commune_code", &o.commune_code));
    MCK_RETURN_IF_ERROR(r.Str(*t, "commune_name", &o.commune_name));
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("portal", &st)) {
    MCK_RETURN_IF_ERROR(r.CheckKeys(*t, {"url"}, "portal."));
    MCK_RETURN_IF_ERROR(r.Str(*t, "url", &o.portal_url));
    if (!o.portal_url.empty() && o.portal_url.rfind("https://", 0) != 0) {
      return At(name, t->get("url")->source(), "portal.url must start with https:// (TLS is mandatory)",
                "portal.url phải bắt đầu bằng https:// (bắt buộc mã hoá TLS)");
    }
  }
  MCK_RETURN_IF_ERROR(st);
  if (auto* t = r.Section("devices", &st)) {
    MCK_RETURN_IF_ERROR(
        r.CheckKeys(*t, {"printer", "printer_width_mm", "card_reader", "card_reader_name", "qr_scanner"}, "devices."));
    MCK_RETURN_IF_ERROR(r.Str(*t, "printer", &o.printer));
    MCK_RETURN_IF_ERROR(r.Int(*t, "printer_width_mm", 58, 80, &o.printer_width_mm));
    if (o.printer_width_mm != 58 && o.printer_width_mm != 80) {
      return At(name, t->get("printer_width_mm")->source(), "printer_width_mm must be 58 or 80",
                "printer_width_mm phải là 58 hoặc 80");
    }
    MCK_RETURN_IF_ERROR(r.OneOf(*t, "card_reader", {"pcsc", "sim"}, &o.card_reader));
    MCK_RETURN_IF_ERROR(r.Str(*t, "card_reader_name", &o.card_reader_name));
    MCK_RETURN_IF_ERROR(r.Str(*t, "qr_scanner", &o.qr_scanner));
    const std::filesystem::path base = name.has_parent_path() ? name.parent_path() : std::filesystem::path(".");
    if (t->get("printer") && o.printer.rfind("file:", 0) == 0) {
      o.printer = "file:" + Resolve(base, o.printer.substr(5)).string();
    }
  }
  MCK_RETURN_IF_ERROR(st);
  o.provisioned_file = name;
  *c = std::move(o);
  return Status::Ok();
}

Status ApplyProvisioned(KioskConfig* c) {
  const std::filesystem::path file = c->data_dir / kProvisionedFile;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec) && !ec) return Status::Ok();  // not provisioned: the /etc file alone
    return Status::Error(Code::kIo, file.string() + ": cannot read the provisioned values",
                         file.string() + ": không đọc được tệp cấu hình đã cài đặt cho kiosk");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ApplyProvisionedText(ss.str(), file, c);
}

Result<KioskConfig> LoadConfig(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Status::Error(Code::kNotFound, file.string() + ": cannot open the config file",
                         file.string() + ": không mở được tệp cấu hình");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseConfig(ss.str(), file);
}

}  // namespace mck
