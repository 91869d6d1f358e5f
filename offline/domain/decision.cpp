#include "offline/domain/decision.h"

#include <algorithm>

#include "offline/domain/utf8.h"

namespace mck {

namespace {
// NFC and trimmed; *bad set when the text is not valid UTF-8.
std::string Clean(const std::string& s, bool* bad) {
  auto nfc = ToNfc(Trim(s));
  if (!nfc) *bad = true;
  return nfc.value_or("");
}
}  // namespace

std::string PaperFormVi(const std::string& form) {
  if (form == "original") return "Bản chính";
  if (form == "certified_copy") return "Bản sao chứng thực";
  if (form == "copy") return "Bản chụp";
  return form;
}

Result<nlohmann::json> BuildDecisionBody(const CounterDecision& d, const Procedure* procedure) {
  std::vector<std::string> vi, en;
  bool bad_text = false;
  const bool accept = d.decision == "accept";
  if (!accept && d.decision != "request_supplement" && d.decision != "refuse") {
    vi.push_back("Quyết định phải là tiếp nhận, yêu cầu bổ sung hoặc từ chối.");
    en.push_back("decision must be accept, request_supplement or refuse");
  }
  const std::string officer = Clean(d.officer, &bad_text);
  if (officer.empty()) {
    vi.push_back("Cần ghi cán bộ tiếp nhận.");
    en.push_back("the officer is required");
  }
  const std::string reason = Clean(d.reason, &bad_text);
  if (!accept && reason.empty()) {
    vi.push_back("Cần ghi lý do khi yêu cầu bổ sung hoặc từ chối hồ sơ.");
    en.push_back("a reason is required unless the dossier is accepted");
  }
  nlohmann::json received = nlohmann::json::array();
  std::vector<std::string> seen;
  for (const auto& p : d.received) {
    const bool form_ok = p.form == "original" || p.form == "certified_copy" || p.form == "copy";
    if (!form_ok) {
      vi.push_back("Hình thức giấy tờ \"" + p.form + "\" không hợp lệ (bản chính, bản sao chứng thực, bản chụp).");
      en.push_back("paper form '" + p.form + "' is not original, certified_copy or copy");
    }
    if (p.count < 1 || p.count > 99) {
      vi.push_back("Số lượng giấy tờ phải từ 1 đến 99.");
      en.push_back("paper count must be 1..99");
    }
    if (procedure) {
      const auto& docs = procedure->documents;
      if (std::none_of(docs.begin(), docs.end(), [&](const RequiredDocument& r) { return r.id == p.id; })) {
        vi.push_back("Thủ tục này không có giấy tờ \"" + p.id + "\".");
        en.push_back("procedure " + procedure->code + " has no document '" + p.id + "'");
      }
    }
    if (std::find(seen.begin(), seen.end(), p.id) != seen.end()) {
      vi.push_back("Giấy tờ \"" + p.id + "\" được ghi hai lần.");
      en.push_back("document '" + p.id + "' is listed twice");
    }
    seen.push_back(p.id);
    received.push_back({{"id", p.id}, {"form", p.form}, {"count", p.count}});
    if (!p.digitised_sha256.empty()) {
      received.back()["digitised"] = {{"sha256", p.digitised_sha256}, {"pages", p.digitised_pages}};
    }
  }
  nlohmann::json supplement = nlohmann::json::array();
  for (const auto& s : d.supplement) {
    if (const std::string c = Clean(s, &bad_text); !c.empty()) supplement.push_back(c);
  }
  if (d.decision == "request_supplement" && supplement.empty() && !reason.empty()) supplement.push_back(reason);
  if (bad_text) {
    vi.push_back("Văn bản nhập vào có ký tự không hợp lệ.");
    en.push_back("text is not valid UTF-8");
  }
  if (!vi.empty()) {
    std::string v, e;
    for (size_t i = 0; i < vi.size(); ++i) {
      v += (i ? "\n" : "") + vi[i];
      e += (i ? "; " : "") + en[i];
    }
    return Status::Error(Code::kInvalidArgument, e, v);
  }
  nlohmann::json body = {{"decision", d.decision}, {"officer", officer}, {"documents_received", received}};
  if (!reason.empty()) body["reason"] = reason;
  if (!supplement.empty()) body["supplement"] = supplement;
  return body;
}

}  // namespace mck
