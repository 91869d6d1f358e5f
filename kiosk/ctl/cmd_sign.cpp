// kioskctl sign: the officers' signing token and the signatures of counter decisions
// (docs/signing.md). `sign token` lists what the configured token holds (no PIN needed: the
// certificates are public objects), for the technician setting up a counter; `sign verify` checks
// the signatures of a dossier's stored decisions against the officers' CA.
#include <iostream>

#include "drivers/token/officer_token.h"
#include "kiosk/core/decision_signer.h"
#include "kiosk/core/documents.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/domain/signature.h"

namespace mck::ctl {
namespace {

using nlohmann::json;

// "2027-01-31" from Unix seconds, Vietnam date.
std::string SignDay(std::int64_t unix_seconds) { return SigningTimeVn(unix_seconds).substr(0, 10); }

int SignToken(Context& ctx) {
  if (!ctx.ExpectArgs(0, "sign token [--json]")) return kExitBadInput;
  auto config = ctx.Config();
  if (!config.ok()) return ctx.Fail(config.status());
  const KioskConfig& c = **config;
  if (c.signing_module.empty()) {
    return ctx.Fail(Status::Error(Code::kFailedPrecondition, "no signing token is configured ([signing] module)",
                                  "Kiosk chưa được cài đặt thiết bị ký số ([signing] module)."));
  }
  auto tok = token::OfficerToken::Open(c.signing_module, {c.signing_token_label, c.signing_token_serial});
  if (!tok.ok()) return ctx.Fail(tok.error().status);
  auto certs = tok.value()->Certificates();
  if (!certs.ok()) return ctx.Fail(certs.error().status);
  auto pin = tok.value()->ReadPinState();
  const std::string pin_vi = pin.ok() ? pin.value().DescribeVi() : "";
  if (ctx.json()) {
    json list = json::array();
    for (const auto& x : certs.value()) {
      list.push_back({{"name", x.subject_cn}, {"serial", x.serial_hex}, {"id", x.id_hex},
                      {"not_before", SigningTimeVn(x.not_before)}, {"not_after", SigningTimeVn(x.not_after)},
                      {"for_signing", x.for_signing}});
    }
    PrintJson({{"label", tok.value()->label()}, {"serial", tok.value()->serial()}, {"certificates", list},
               {"pin", pin.ok() ? json{{"count_low", pin.value().count_low}, {"final_try", pin.value().final_try},
                                       {"locked", pin.value().locked}}
                                : json(nullptr)}});
    return kExitOk;
  }
  std::cout << "Thiết bị ký số / token: " << tok.value()->label() << " (số sê-ri / serial " << tok.value()->serial()
            << ")\n";
  if (!pin_vi.empty()) std::cout << "  Mã PIN / PIN: " << pin_vi << "\n";
  if (certs.value().empty()) std::cout << "  Không có chứng thư số kèm khoá / no certificate with its key\n";
  for (const auto& x : certs.value()) {
    std::cout << "  " << x.subject_cn << " — chứng thư / certificate " << x.serial_hex << ", hiệu lực / valid "
              << SignDay(x.not_before) << " → " << SignDay(x.not_after)
              << (x.for_signing ? "" : " — KHÔNG dùng để ký / not for signing") << "\n";
  }
  return kExitOk;
}

int SignVerify(Context& ctx) {
  const auto ca_file = ctx.TakeOption("--ca");
  if (!ctx.ExpectArgs(1, "sign verify ID [--ca FILE] [--json]")) return kExitBadInput;
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  KioskConfig with_ca = config;
  if (ca_file) with_ca.signing_ca_file = *ca_file;
  auto ca = core::ReadOfficerCa(with_ca);
  if (!ca.ok()) return ctx.Fail(ca.status());
  auto rec = store.dossiers().Get(ctx.args()[0]);
  if (!rec.ok()) return ctx.Fail(rec.status());
  core::WipeBody(rec->body);  // only its codes
  auto decisions = store.decisions().For(*rec);
  if (!decisions.ok()) return ctx.Fail(decisions.status());
  bool all_good = true;
  json out = json::array();
  for (auto& d : *decisions) {
    json row = {{"idempotency_key", d.idempotency_key}, {"decision", d.decision}, {"decided_at", d.decided_at}};
    if (d.body.value("purged", false)) {
      row["signature"] = "purged";  // the body went with the retention; its signature with it
    } else if (!d.body.contains("signature")) {
      row["signature"] = "unsigned";
    } else {
      const SignatureVerdict v = VerifyDecisionSignature(d.body, *ca);
      row["signature"] = v.ok() ? "valid" : SignatureProblemName(v.problem);
      if (!v.signer.subject_cn.empty()) {
        row["signer"] = {{"name", v.signer.subject_cn}, {"serial", v.signer.serial_hex},
                         {"signed_at", SigningTimeVn(v.signing_time)}};
      }
      if (!v.ok()) {
        all_good = false;
        row["message_vi"] = v.status.message_vi();
        row["message_en"] = v.status.message_en();
      }
    }
    core::WipeBody(d.body);
    out.push_back(row);
  }
  if (ctx.json()) {
    PrintJson({{"dossier", rec->provisional_code}, {"decisions", out}});
  } else {
    if (out.empty()) std::cout << "Hồ sơ chưa có quyết định / no decision on this dossier\n";
    for (const auto& row : out) {
      const std::string sig = row["signature"];
      std::cout << row["decided_at"].get<std::string>() << "  " << row["decision"].get<std::string>() << "  ";
      if (sig == "valid") {
        std::cout << "chữ ký hợp lệ / valid signature: " << row["signer"]["name"].get<std::string>() << ", "
                  << row["signer"]["signed_at"].get<std::string>() << "\n";
      } else if (sig == "unsigned" || sig == "purged") {
        std::cout << (sig == "unsigned" ? "chưa ký số / unsigned\n" : "đã xoá theo thời hạn lưu / purged\n");
      } else {
        std::cout << "CHỮ KÝ KHÔNG HỢP LỆ / INVALID SIGNATURE (" << sig << "): " << row["message_vi"].get<std::string>()
                  << " / " << row["message_en"].get<std::string>() << "\n";
      }
    }
  }
  return all_good ? kExitOk : kExitFailed;
}

const CommandRegistration kSignToken({"sign token", "[--json]",
                                      "The configured signing token: its certificates and PIN state", SignToken});
const CommandRegistration kSignVerify({"sign verify", "ID [--ca FILE] [--json]",
                                       "Verify the signatures of a dossier's counter decisions", SignVerify});

}  // namespace
}  // namespace mck::ctl
