// The provisioning plan: reading it from TOML and checking every value before anything runs
// (kiosk/core/provisioning.h).
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <toml++/toml.h>
#include <fstream>
#include <memory>
#include <sstream>

#include "drivers/printer/transport.h"
#include "kiosk/core/provisioning.h"
#include "offline/domain/ids.h"

namespace mck::core {

namespace {

Status Bad(const std::string& en, const std::string& vi) {
  return Status::Error(Code::kInvalidArgument, en, vi);
}

Status At(const std::filesystem::path& file, const toml::node& n, const std::string& en, const std::string& vi) {
  const std::string loc = file.string() + ":" + std::to_string(n.source().begin.line) + ": ";
  return Bad(loc + en, loc + vi);
}

// Reads one [section] of the plan: known keys only, each of the right type.
struct SectionReader {
  const std::filesystem::path& file;
  const toml::table& table;
  std::string section;

  Status Known(std::initializer_list<const char*> keys) const {
    for (auto&& [key, node] : table) {
      bool ok = false;
      for (const char* k : keys) ok = ok || key.str() == k;
      if (!ok) {
        const std::string name = section + "." + std::string(key.str());
        return At(file, node, "unknown key '" + name + "'", "khoá không hợp lệ '" + name + "'");
      }
    }
    return Status::Ok();
  }
  Status Str(const char* key, std::string* out) const {
    const toml::node* n = table.get(key);
    if (!n) return Status::Ok();
    if (!n->is_string()) {
      return At(file, *n, section + "." + key + " must be a string", section + "." + key + " phải là chuỗi ký tự");
    }
    *out = *n->value<std::string>();
    return Status::Ok();
  }
  Status Int(const char* key, int* out) const {
    const toml::node* n = table.get(key);
    if (!n) return Status::Ok();
    auto v = n->value<int64_t>();
    if (!n->is_integer() || !v || *v < -1000000 || *v > 1000000) {
      return At(file, *n, section + "." + key + " must be a whole number", section + "." + key + " phải là số nguyên");
    }
    *out = static_cast<int>(*v);
    return Status::Ok();
  }
};

bool Printable(const std::string& s) {
  for (unsigned char c : s) {
    if (c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

// The CA file: readable, at least one certificate, and a CA's.
Status CheckCaFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (file.empty() || !in) {
    return Status::Error(Code::kNotFound, "cannot read the province CA file " + file.string(),
                         "Không đọc được tệp chứng chỉ gốc (CA) của tỉnh " + file.string());
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string pem = ss.str();
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) {
    return Bad("the province CA file holds no PEM certificate: " + file.string(),
               "Tệp chứng chỉ gốc (CA) không chứa chứng chỉ PEM hợp lệ: " + file.string());
  }
  if (X509_check_ca(cert.get()) < 1) {
    return Bad("the certificate in " + file.string() + " is not a CA certificate",
               "Chứng chỉ trong " + file.string() + " không phải chứng chỉ gốc (CA)");
  }
  return Status::Ok();
}

}  // namespace

void ProvisioningPlan::Wipe() {
  SecureWipe(token);
  SecureWipe(technician_pin);
  SecureWipe(staff_pin);
}

Result<ProvisioningPlan> ParsePlan(std::string_view text, const std::filesystem::path& name) {
  toml::table root;
  try {
    root = toml::parse(text, name.string());
  } catch (const toml::parse_error& e) {
    const std::string loc = name.string() + ":" + std::to_string(e.source().begin.line) + ": ";
    return Bad(loc + std::string(e.description()), loc + "lỗi cú pháp TOML: " + std::string(e.description()));
  }
  ProvisioningPlan p;
  SectionReader top{name, root, ""};
  for (auto&& [key, node] : root) {
    const std::string k(key.str());
    if (k != "kiosk" && k != "portal" && k != "devices" && k != "pins") {
      return At(name, node, "unknown key '" + k + "'", "khoá không hợp lệ '" + k + "'");
    }
    if (!node.is_table()) return At(name, node, "[" + k + "] must be a table", "[" + k + "] phải là một bảng");
  }
  static const toml::table kEmpty;
  auto section = [&](const char* s) {
    const toml::table* t = root.get_as<toml::table>(s);
    return SectionReader{name, t ? *t : kEmpty, s};
  };
  const SectionReader kiosk = section("kiosk"), portal = section("portal"), devices = section("devices"),
                      pins = section("pins");
  MCK_RETURN_IF_ERROR(kiosk.Known({"number", "commune_code", "commune_name"}));
  MCK_RETURN_IF_ERROR(kiosk.Int("number", &p.kiosk_number));
  MCK_RETURN_IF_ERROR(kiosk.Str("commune_code", &p.commune_code));
  MCK_RETURN_IF_ERROR(kiosk.Str("commune_name", &p.commune_name));
  MCK_RETURN_IF_ERROR(portal.Known({"url", "token", "ca_file"}));
  MCK_RETURN_IF_ERROR(portal.Str("url", &p.portal_url));
  MCK_RETURN_IF_ERROR(portal.Str("token", &p.token));
  std::string ca;
  MCK_RETURN_IF_ERROR(portal.Str("ca_file", &ca));
  if (!ca.empty()) {
    const std::filesystem::path base = name.has_parent_path() ? name.parent_path() : std::filesystem::path(".");
    const std::filesystem::path cp(ca);
    p.ca_file = std::filesystem::absolute(cp.is_absolute() ? cp : base / cp);
  }
  MCK_RETURN_IF_ERROR(devices.Known({"printer", "printer_width_mm", "card_reader", "card_reader_name", "qr_scanner"}));
  MCK_RETURN_IF_ERROR(devices.Str("printer", &p.devices.printer));
  MCK_RETURN_IF_ERROR(devices.Int("printer_width_mm", &p.devices.printer_width_mm));
  MCK_RETURN_IF_ERROR(devices.Str("card_reader", &p.devices.card_reader));
  MCK_RETURN_IF_ERROR(devices.Str("card_reader_name", &p.devices.card_reader_name));
  MCK_RETURN_IF_ERROR(devices.Str("qr_scanner", &p.devices.qr_scanner));
  MCK_RETURN_IF_ERROR(pins.Known({"technician", "staff"}));
  MCK_RETURN_IF_ERROR(pins.Str("technician", &p.technician_pin));
  MCK_RETURN_IF_ERROR(pins.Str("staff", &p.staff_pin));
  return p;
}

Result<ProvisioningPlan> LoadPlan(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Status::Error(Code::kNotFound, file.string() + ": cannot open the provisioning plan",
                         file.string() + ": không mở được tệp kế hoạch cài đặt kiosk");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto plan = ParsePlan(text, file);
  SecureWipe(text);  // it holds the token and the PINs
  return plan;
}

std::vector<PlanProblem> ValidatePlan(const ProvisioningPlan& p) {
  std::vector<PlanProblem> problems;
  auto add = [&](const char* key, Status st) { problems.push_back({key, std::move(st)}); };

  if (p.kiosk_number < 1 || p.kiosk_number > 99) {
    add("kiosk.number", Bad("the kiosk number must be from 1 to 99", "Số kiosk phải từ 1 đến 99"));
  }
  if (p.commune_code.empty() || p.commune_code.size() > 32 ||
      p.commune_code.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.") !=
          std::string::npos) {
    add("kiosk.commune_code", Bad("the commune code is missing or malformed (digits, letters and dots: 000.00.24.H03)",
                                  "Mã xã trống hoặc sai dạng (chữ số, chữ cái và dấu chấm: 000.00.24.H03)"));
  }
  if (p.portal_url.rfind("https://", 0) != 0) {
    if (p.portal_url.rfind("http://", 0) == 0) {
      add("portal.url", Bad("the portal URL must use https:// (TLS is mandatory), not http://",
                            "Địa chỉ cổng dịch vụ công phải dùng https:// (bắt buộc mã hoá TLS), không dùng http://"));
    } else {
      add("portal.url", Bad("the portal URL is missing or not a URL (https://host[:port])",
                            "Địa chỉ cổng dịch vụ công trống hoặc sai dạng (https://tên-máy[:cổng])"));
    }
  } else if (p.portal_url.size() <= 8 || !Printable(p.portal_url) || p.portal_url[8] == '/' || p.portal_url[8] == ':') {
    add("portal.url", Bad("the portal URL has no host name (https://host[:port])",
                          "Địa chỉ cổng dịch vụ công thiếu tên máy chủ (https://tên-máy[:cổng])"));
  }
  if (p.token.empty() || p.token.size() > 512 || !Printable(p.token)) {
    add("portal.token", Bad("the enrolment token is missing or has spaces or control characters",
                            "Mã đăng ký (token) trống hoặc có khoảng trắng, ký tự điều khiển"));
  }
  if (Status st = CheckCaFile(p.ca_file); !st.ok()) add("portal.ca_file", st);

  const DeviceChoice& d = p.devices;
  if (!d.printer.empty() && d.printer != "none") {
    if (auto uri = printer::ParsePrinterUri(d.printer); !uri.ok()) {
      add("devices.printer",
          Bad("the printer is not usb:, serial:, tcp:// or none: " + uri.status().message_en(),
              "Máy in không hợp lệ (usb:, serial:, tcp:// hoặc none): " + uri.status().message_vi()));
    }
  }
  if (d.printer_width_mm != 58 && d.printer_width_mm != 80) {
    add("devices.printer_width_mm", Bad("printer_width_mm must be 58 or 80", "Khổ giấy máy in phải là 58 hoặc 80 mm"));
  }
  if (d.card_reader != "pcsc" && d.card_reader != "sim") {
    add("devices.card_reader", Bad("card_reader must be pcsc or sim", "Đầu đọc thẻ phải là pcsc hoặc sim"));
  }
  if (d.qr_scanner != "wedge" && d.qr_scanner != "none" && d.qr_scanner.rfind("serial:/", 0) != 0) {
    add("devices.qr_scanner",
        Bad("qr_scanner must be wedge, none or serial:/dev/…", "Máy quét QR phải là wedge, none hoặc serial:/dev/…"));
  }

  const Status tech = StaffAuth::CheckNewPin(PinRole::kTechnician, p.technician_pin);
  if (!tech.ok()) add("pins.technician", tech);
  const Status staff = StaffAuth::CheckNewPin(PinRole::kStaff, p.staff_pin);
  if (!staff.ok()) add("pins.staff", staff);
  if (tech.ok() && staff.ok() && p.technician_pin == p.staff_pin) {
    add("pins.staff", Bad("the staff PIN and the technician PIN must differ",
                          "Mã PIN cán bộ và mã PIN kỹ thuật viên phải khác nhau"));
  }
  return problems;
}

}  // namespace mck::core
