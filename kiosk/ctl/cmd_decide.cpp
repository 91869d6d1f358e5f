// kioskctl dossier decide: a civil servant's decision on a dossier at the counter (accept with the
// papers received, request a supplement, refuse), queued for the portal like dossiers. The same
// checks and the same use case as the staff screen (kiosk/core/decide.h).
#include <iostream>

#include "kiosk/core/decide.h"
#include "kiosk/core/decision_signer.h"
#include "kiosk/core/documents.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/domain/decision.h"
#include "offline/domain/ids.h"
#include "offline/domain/signature.h"

namespace mck::ctl {
namespace {

using nlohmann::json;

constexpr const char* kUsage =
    "Usage: kioskctl dossier decide ID accept|request_supplement|refuse --officer NAME\n"
    "         [--received DOC_ID[:original|certified_copy|copy[:COUNT]]]... [--reason TEXT]\n"
    "         [--supplement TEXT]... [--sign] [--json]\n"
    "  --sign: sign on the officer's token ([signing] in kiosk.toml); the token's PIN is read from stdin\n";

// "birth_certificate:certified_copy:2" -> a ReceivedPaper; false when COUNT is not a number.
bool ParsePaper(const std::string& spec, ReceivedPaper* out) {
  const auto a = spec.find(':');
  out->id = spec.substr(0, a);
  if (a == std::string::npos) return !out->id.empty();
  const auto b = spec.find(':', a + 1);
  out->form = spec.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  if (b == std::string::npos) return !out->id.empty();
  const std::string n = spec.substr(b + 1);
  if (n.empty() || n.size() > 2 || n.find_first_not_of("0123456789") != std::string::npos) return false;
  out->count = std::stoi(n);
  return !out->id.empty();
}

int DossierDecide(Context& ctx) {
  CounterDecision d;
  auto officer = ctx.TakeOption("--officer");
  auto reason = ctx.TakeOption("--reason");
  while (auto r = ctx.TakeOption("--received")) {
    ReceivedPaper p;
    if (!ParsePaper(*r, &p)) {
      std::cerr << "--received " << *r << ": expected DOC_ID[:FORM[:COUNT]]\n" << kUsage;
      return kExitBadInput;
    }
    d.received.push_back(p);
  }
  while (auto s = ctx.TakeOption("--supplement")) d.supplement.push_back(*s);
  const bool sign = ctx.TakeFlag("--sign");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (ctx.args().size() != 2) {
    std::cerr << kUsage;
    return kExitBadInput;
  }
  d.decision = ctx.args()[1];
  d.officer = officer.value_or("");
  d.reason = reason.value_or("");
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  SystemClock clock;
  std::optional<core::DecisionSigner> signer;
  if (sign) {
    // One line on stdin, never an argument (it would show in `ps` and the shell's history).
    std::string pin;
    std::getline(std::cin, pin);
    while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' ')) pin.pop_back();
    signer.emplace(config, std::move(pin), clock);
    SecureWipe(pin);
    // One of this kiosk's officers: the certificate must be theirs (docs/officers.md).
    if (auto o = store.officers().Get(d.officer); o.ok()) signer->ExpectSigner(o->name);
  }
  auto recorded = core::CounterDecisions(store, catalog, config, clock)
                      .Record(ctx.args()[0], d, signer ? signer->Hook() : DecisionStore::SignDecision{});
  if (!recorded.ok()) {
    if (signer && signer->refusal()) {
      // Not signed, nothing recorded: the token's word (wrong_pin, token_absent, ...) for scripts.
      std::cerr << "kioskctl: chưa ký, chưa ghi quyết định / not signed, nothing recorded ("
                << signer->refusal()->why << ")\n";
    }
    return ctx.Fail(recorded.status());
  }
  // Mẫu 01 is printed by `kioskctl print receipt --official` (the hint below), from the same
  // assembly; the copy the use case returns is not needed here.
  if (recorded->official) core::WipeDocument(*recorded->official);
  const std::string& ref = recorded->ref;
  const std::string& code = recorded->provisional_code;
  const std::string& key = recorded->idempotency_key;
  const auto* by = signer && signer->signed_by() ? &*signer->signed_by() : nullptr;
  if (ctx.json()) {
    json out = {{"dossier", code}, {"ref", ref}, {"decision", d.decision}, {"idempotency_key", key}, {"state", "queued"}};
    out["signed_by"] = by ? json{{"name", by->name}, {"serial", by->serial_hex}, {"signed_at", SigningTimeVn(by->signed_at)}}
                          : json(nullptr);
    PrintJson(out);
    return kExitOk;
  }
  std::cout << "Đã ghi quyết định / decision recorded: " << d.decision << " — " << code
            << " (gửi lên cổng khi có mạng / queued for the portal)\n";
  if (by) {
    std::cout << "Đã ký số / signed: " << by->name << " (chứng thư / certificate " << by->serial_hex << "), "
              << SigningTimeVn(by->signed_at) << "\n";
  }
  if (d.decision == "accept") {
    std::cout << "In giấy tiếp nhận (Mẫu 01) / print the official receipt: kioskctl print receipt " << code
              << " --official\n";
  }
  return kExitOk;
}

const CommandRegistration kDecide({"dossier decide",
                                   "ID accept|request_supplement|refuse --officer NAME [--received DOC[:FORM[:N]]]... "
                                   "[--reason TEXT] [--supplement TEXT]... [--sign] [--json]",
                                   "Record a counter decision on a dossier (queued for the portal)", DossierDecide});

}  // namespace
}  // namespace mck::ctl
