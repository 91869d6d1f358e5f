#include "offline/domain/digitised.h"

#include <algorithm>

namespace mck {

using nlohmann::json;

namespace {

bool LowerHex64(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status Bad(const std::string& path, const std::string& en, const std::string& vi) {
  return Status::Error(Code::kInvalidArgument, path + ": " + en, "Giấy tờ đã số hoá không hợp lệ (" + path + "): " + vi);
}

}  // namespace

Result<int> CountDigitisedDocuments(const json& body, const std::vector<std::string>& shas, const std::string& list) {
  if (!body.is_object() || !body.contains(list) || !body[list].is_array()) return 0;
  const json& docs = body[list];
  int count = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    const json& d = docs[i];
    if (!d.is_object() || !d.contains("digitised")) continue;
    const std::string path = list + "[" + std::to_string(i) + "].digitised";
    const json& g = d["digitised"];
    if (!g.is_object()) return Bad(path, "must be an object {sha256, pages}", "phải có mã SHA-256 và số trang");
    if (!g.contains("sha256") || !LowerHex64(g["sha256"]))
      return Bad(path + ".sha256", "must be 64 lowercase hex digits", "mã SHA-256 phải gồm 64 chữ số hệ 16");
    if (!g.contains("pages") || !g["pages"].is_number_integer() || g["pages"].get<int64_t>() < 1 ||
        g["pages"].get<int64_t>() > 1000)
      return Bad(path + ".pages", "must be a whole number from 1 to 1000", "số trang phải từ 1 đến 1000");
    const std::string& sha = g["sha256"].get_ref<const std::string&>();
    if (std::find(shas.begin(), shas.end(), sha) == shas.end())
      return Bad(path + ".sha256", "is not one of the dossier's attachments",
                 "không có tệp đính kèm nào của hồ sơ trùng với bản quét này");
    ++count;
  }
  return count;
}

Result<int> CountDigitisedInStoredBody(const json& body) {
  std::vector<std::string> shas;
  if (body.is_object() && body.contains("attachments") && body["attachments"].is_array()) {
    for (const auto& a : body["attachments"]) {
      if (a.is_object() && a.contains("sha256") && a["sha256"].is_string()) shas.push_back(a["sha256"]);
    }
  }
  return CountDigitisedDocuments(body, shas);
}

}  // namespace mck
