#include "drivers/card/sim_reader.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "offline/domain/clock.h"
#include "offline/domain/id_number.h"

namespace mck::card {
namespace {

using nlohmann::json;

Status Bad(const std::string& en, const std::string& vi) {
  return Status::Error(Code::kInvalidArgument, en, vi);
}

std::string Yymmdd(const std::optional<std::string>& iso) {
  if (!iso) return {};
  auto d = ParseDate(*iso);
  return d ? FormatYymmdd(*d) : std::string();
}

}  // namespace

std::filesystem::path DefaultSimStatePath() {
  if (const char* env = getenv("MCK_CARD_SIM_STATE"); env && *env) return env;
  return std::filesystem::temp_directory_path() / ("mck-card-sim-" + std::to_string(getuid()) + ".json");
}

Status WriteSimState(const std::filesystem::path& path, const SimState& s) {
  const json j = {{"reader", s.reader}, {"card", s.card}, {"fault", s.fault}};
  const auto tmp = path.string() + ".tmp" + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump() << "\n";
    if (!out.flush()) {
      return Status::Error(Code::kIo, "cannot write " + tmp, "Không ghi được tệp trạng thái đầu đọc mô phỏng");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    return Status::Error(Code::kIo, "cannot rename to " + path.string() + ": " + ec.message(),
                         "Không ghi được tệp trạng thái đầu đọc mô phỏng");
  return Status::Ok();
}

Result<SimState> ReadSimState(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return SimState{};
  std::stringstream ss;
  ss << in.rdbuf();
  const json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Bad(path.string() + ": not a simulator state", "Tệp trạng thái đầu đọc mô phỏng không hợp lệ");
  }
  SimState s;
  s.reader = j.value("reader", true);
  s.card = j.value("card", 0);
  s.fault = j.value("fault", "");
  return s;
}

Result<Identity> IdentityFromJson(const json& j) {
  if (!j.is_object()) return Bad("identity is not an object", "Danh tính phải là một đối tượng JSON");
  Identity id;
  auto str = [&](const char* key) -> std::optional<std::string> {
    if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
    return j[key].get<std::string>();
  };
  id.id_number = str("id_number").value_or("");
  id.full_name = str("full_name").value_or("");
  if (id.id_number.empty() || id.full_name.empty()) {
    return Bad("identity needs id_number and full_name", "Danh tính cần id_number và full_name");
  }
  id.date_of_birth = str("date_of_birth");
  id.gender = str("gender");
  id.nationality = str("nationality");
  id.ethnicity = str("ethnicity");
  id.religion = str("religion");
  id.place_of_origin = str("place_of_origin");
  id.place_of_residence = str("place_of_residence");
  id.identifying_marks = str("identifying_marks");
  id.date_of_issue = str("date_of_issue");
  id.date_of_expiry = str("date_of_expiry");
  id.father_name = str("father_name");
  id.mother_name = str("mother_name");
  id.spouse_name = str("spouse_name");
  id.old_id_number = str("old_id_number");
  for (const auto* d : {&id.date_of_birth, &id.date_of_issue, &id.date_of_expiry}) {
    if (*d && !ParseDate(**d)) return Bad("identity date is not YYYY-MM-DD", "Ngày tháng phải có dạng YYYY-MM-DD");
  }
  std::optional<CivilDate> dob;
  if (id.date_of_birth) dob = ParseDate(*id.date_of_birth);
  if (Status st =
          CheckIdNumber(id.id_number, dob, id.gender ? std::optional<std::string_view>(*id.gender) : std::nullopt);
      !st.ok()) {
    return st;
  }
  if (j.contains("mrz") && j["mrz"].is_object()) {
    const json& m = j["mrz"];
    Mrz mrz;
    mrz.document_number = m.value("document_number", "");
    mrz.surname = m.value("surname", "");
    mrz.given_names = m.value("given_names", "");
    mrz.date_of_birth = m.value("date_of_birth", "");
    mrz.date_of_expiry = m.value("date_of_expiry", "");
    mrz.nationality = m.value("nationality", "");
    mrz.sex = m.value("sex", "");
    id.mrz = mrz;
  }
  id.source = j.value("source", "chip");
  id.chip_verified = j.value("chip_verified", true);
  // A simulated card claims what its file says; by default a consistent chip without a CSCA, and a
  // chip whose hashes did not match (chip_verified false) is worth no more than typed data.
  const char* fallback = id.source == "qr" ? "qr" : id.chip_verified ? "chip_no_csca" : "typed";
  id.assurance = ParseAssurance(j.value("assurance", fallback)).value_or(Assurance::kTyped);
  return id;
}

Result<std::unique_ptr<SimCardReader>> SimCardReader::Open(const std::filesystem::path& file,
                                                           std::filesystem::path state) {
  std::ifstream in(file);
  if (!in) {
    return Status::Error(Code::kNotFound, file.string() + ": cannot open the simulated identities",
                         file.string() + ": không mở được tệp danh tính mô phỏng");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("identities") || !j["identities"].is_array()) {
    return Bad(file.string() + ": needs {\"identities\": [...]}", file.string() + ": cần {\"identities\": [...]}");
  }
  std::unique_ptr<SimCardReader> r(new SimCardReader());
  r->state_file_ = std::move(state);
  r->read_delay_ms_ = j.value("read_delay_ms", 800);
  int n = 0;
  for (const auto& item : j["identities"]) {
    ++n;
    auto id = IdentityFromJson(item);
    if (!id.ok())
      return id.status().WithContext(file.string() + ": identity " + std::to_string(n) + ": ",
                                     file.string() + ": danh tính " + std::to_string(n) + ": ");
    r->identities_.push_back(std::move(*id));
  }
  return r;
}

SimState SimCardReader::Current() {
  auto s = ReadSimState(state_file_);
  return s.ok() ? *s : SimState{};
}

bool SimCardReader::Sleep(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, d, [&] { return cancelled_; });
  return !cancelled_;
}

void SimCardReader::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
  }
  cv_.notify_all();
}

CardResult<std::vector<std::string>> SimCardReader::ListReaders() {
  if (!Current().reader) return std::vector<std::string>();
  return std::vector<std::string>{kSimReaderName};
}

CardResult<Identity> SimCardReader::Read(const std::string& reader, const AccessKey& key,
                                         const ReadProgress& progress) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = false;
  }
  const SimState s = Current();
  if (!s.reader || (!reader.empty() && reader != kSimReaderName)) {
    return MakeCardError(CardFailure::kNoReader, "simulated reader absent",
                         "Chưa kết nối đầu đọc thẻ. Vui lòng báo cán bộ kiểm tra đầu đọc, hoặc quét mã QR trên thẻ.");
  }
  if (s.card < 1 || s.card > static_cast<int>(identities_.size())) {
    return MakeCardError(CardFailure::kNoCard, "no card in the simulated reader",
                         "Chưa có thẻ trong đầu đọc. Vui lòng đặt thẻ căn cước vào đầu đọc.");
  }
  const Identity& id = identities_[static_cast<size_t>(s.card - 1)];
  if (s.fault == "not_emrtd") {
    return MakeCardError(CardFailure::kNotAnIdCard, "simulated: not an eMRTD",
                         "Thẻ này không phải thẻ căn cước gắn chíp (hoặc hộ chiếu điện tử). "
                         "Vui lòng dùng thẻ căn cước gắn chíp, hoặc quét mã QR trên thẻ.");
  }
  if (key.document_number.empty() && !key.can) {
    return MakeCardError(CardFailure::kBadKey, "no access data", "Cần số định danh và ngày sinh để mở chíp.");
  }
  const std::string docno = id.id_number.size() == 12 ? id.id_number.substr(3) : id.id_number;
  bool ok = false;
  if (!key.document_number.empty()) {
    ok = key.document_number == docno && key.date_of_birth == Yymmdd(id.date_of_birth) &&
         (key.date_of_expiry.empty() || !id.date_of_expiry || key.date_of_expiry == Yymmdd(id.date_of_expiry));
  } else {
    ok = id.id_number.size() == 12 && *key.can == id.id_number.substr(6);
  }
  if (!ok || s.fault == "wrong_key") {
    return MakeCardError(CardFailure::kWrongKey, "simulated: the chip refused the key (6300)",
                         "Thẻ không chấp nhận thông tin mở khoá (số định danh, ngày sinh, ngày hết hạn). "
                         "Vui lòng kiểm tra lại ngày sinh hoặc nhập ngày hết hạn in trên thẻ.");
  }
  // Read "slowly", in steps, watching the state file as a chip session would feel a pulled card.
  const int steps = 8;
  for (int i = 1; i <= steps; ++i) {
    if (!Sleep(std::chrono::milliseconds(read_delay_ms_ / steps))) {
      return MakeCardError(CardFailure::kCancelled, "cancelled", "Đã huỷ đọc thẻ.");
    }
    const SimState now = Current();
    if (!now.reader || (i == steps / 2 && s.fault == "reader_unplugged")) {
      return MakeCardError(CardFailure::kReaderGone, "simulated reader unplugged mid-read",
                           "Đầu đọc thẻ vừa bị ngắt kết nối. Vui lòng báo cán bộ cắm lại đầu đọc, rồi đặt thẻ lại.");
    }
    if (now.card != s.card || (i == steps / 2 && s.fault == "card_removed")) {
      return MakeCardError(CardFailure::kCardRemoved, "simulated card removed mid-read",
                           "Thẻ đã bị rút ra khi đang đọc. Vui lòng đặt thẻ lại và giữ yên cho đến khi đọc xong.");
    }
    if (progress) progress(static_cast<size_t>(i), static_cast<size_t>(steps));
  }
  return id;
}

CardResult<std::vector<CardEvent>> SimCardReader::WaitForChange(std::chrono::milliseconds timeout) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = false;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  SimState before = last_seen_.value_or(SimState{false, 0, ""});
  for (;;) {
    const SimState now = Current();
    std::vector<CardEvent> ev;
    if (now.reader && !before.reader) ev.push_back({CardEventKind::kReaderAdded, kSimReaderName});
    const int card_before = before.reader ? before.card : 0, card_now = now.reader ? now.card : 0;
    if (card_before != card_now) {
      if (card_before) ev.push_back({CardEventKind::kCardRemoved, kSimReaderName});
      if (card_now) ev.push_back({CardEventKind::kCardInserted, kSimReaderName});
    }
    if (!now.reader && before.reader) ev.push_back({CardEventKind::kReaderRemoved, kSimReaderName});
    last_seen_ = now;
    before = now;
    if (!ev.empty()) return ev;
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::milliseconds(0)) return ev;
    if (!Sleep(std::min<std::chrono::milliseconds>(std::chrono::duration_cast<std::chrono::milliseconds>(left),
                                                   std::chrono::milliseconds(50)))) {
      return ev;
    }
  }
}

}  // namespace mck::card
