#include "kiosk/core/identity_assurance.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace mck::core {

AssuranceText DescribeAssurance(Assurance level, std::string_view identity_source) {
  switch (level) {
    case Assurance::kChipVerified:
      return {"assurance.chip_verified", "Đã xác thực chíp (chữ ký + khóa)", "Chip verified (signature + key)", false};
    case Assurance::kChipNoCsca:
      return {"assurance.chip_no_csca", "Đọc từ chíp, chưa xác thực nguồn (chưa cấu hình CSCA hoặc chưa có khóa)",
              "Read from the chip, origin not verified (no CSCA configured, or no key proof)", true};
    case Assurance::kQrOnly:
      return {"assurance.qr", "Từ mã QR trên thẻ (không xác thực)", "From the card's QR code (not verified)", true};
    case Assurance::kTyped:
      if (identity_source == "chip") {
        return {"assurance.chip_unchecked", "Đọc từ chíp nhưng dữ liệu không khớp — coi như nhập tay",
                "Read from the chip but the data did not match — treat as typed", true};
      }
      return {"assurance.typed", "Nhập tay", "Typed by hand", true};
  }
  return {"assurance.typed", "Nhập tay", "Typed by hand", true};
}

AssuranceText AssuranceWarning() {
  return {"assurance.warning", "Danh tính chưa được chíp xác thực: đối chiếu thẻ căn cước trước khi tiếp nhận.",
          "Identity not verified by the chip: check the ID card before accepting.", true};
}

const char* CheckLevelName(CheckLevel level) {
  switch (level) {
    case CheckLevel::kOk: return "ok";
    case CheckLevel::kWarning: return "warning";
    case CheckLevel::kError: return "error";
  }
  return "error";
}

namespace {

// How many PEM certificates the file holds (0 for DER or a master list: still usable by the driver).
int CountPemCertificates(const std::string& text) {
  int n = 0;
  for (size_t at = text.find("-----BEGIN CERTIFICATE-----"); at != std::string::npos;
       at = text.find("-----BEGIN CERTIFICATE-----", at + 1)) {
    ++n;
  }
  return n;
}

DiagnosticLine CscaLine(const KioskConfig& config) {
  if (config.csca_file.empty()) {
    return {"card.csca", CheckLevel::kWarning,
            "CSCA: chưa cấu hình — thẻ chíp sẽ không bao giờ được coi là đã xác thực",
            "CSCA: not configured (devices.csca_file) — no chip card will ever count as verified"};
  }
  std::error_code ec;
  const std::filesystem::path path = config.csca_file;
  std::ifstream in(path, std::ios::binary);
  if (!std::filesystem::is_regular_file(path, ec) || !in) {
    return {"card.csca", CheckLevel::kError,
            "CSCA: không đọc được tệp " + path.string() + " — thẻ chíp sẽ không được coi là đã xác thực",
            "CSCA: cannot read " + path.string() + " — no chip card will count as verified"};
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty()) {
    return {"card.csca", CheckLevel::kError, "CSCA: tệp " + path.string() + " rỗng",
            "CSCA: " + path.string() + " is empty"};
  }
  const int n = CountPemCertificates(text);
  const std::string count_vi = n > 0 ? ", " + std::to_string(n) + " chứng thư" : "";
  const std::string count_en = n > 0 ? ", " + std::to_string(n) + " certificate(s)" : "";
  return {"card.csca", CheckLevel::kOk, "CSCA: đã cấu hình (" + path.string() + count_vi + ")",
          "CSCA: configured (" + path.string() + count_en + ")"};
}

}  // namespace

std::vector<DiagnosticLine> CardSetupDiagnostics(const KioskConfig& config) {
  std::vector<DiagnosticLine> out;
  if (config.card_reader == "pcsc") {
    const std::string name = config.card_reader_name.empty() ? "đầu đọc đầu tiên" : config.card_reader_name;
    const std::string name_en = config.card_reader_name.empty() ? "first reader" : config.card_reader_name;
    out.push_back(
        {"card.reader", CheckLevel::kOk, "Đầu đọc thẻ: PC/SC (" + name + ")", "Card reader: PC/SC (" + name_en + ")"});
    out.push_back(CscaLine(config));
  } else if (config.card_reader == "sim") {
    out.push_back({"card.reader", CheckLevel::kWarning,
                   "Đầu đọc thẻ: mô phỏng (chỉ để thử) — mức xác thực lấy từ tệp mô phỏng",
                   "Card reader: simulated (testing only) — assurance levels come from the simulator's file"});
  } else {
    out.push_back({"card.reader", CheckLevel::kError, "Đầu đọc thẻ: \"" + config.card_reader + "\" không hợp lệ",
                   "Card reader: \"" + config.card_reader + "\" is not a known driver"});
  }
  return out;
}

}  // namespace mck::core
