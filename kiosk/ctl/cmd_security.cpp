// kioskctl security status — how the kiosk's keys are kept at rest (offline/store/key_vault.h):
// sealed to the TPM, or plain files (the weaker fallback). Opening the store proves its key
// unseals on this machine; a kiosk configured "tpm" with no TPM reachable fails here, clearly.
#include <sys/stat.h>

#include <iostream>
#include <string>

#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/store/key_vault.h"
#include "offline/sync/enrolment.h"

namespace mck::ctl {
namespace {

// "sealed" (only the TPM-sealed form on disk), "plain" (a plain key file), or "none".
std::string KeyForm(const std::filesystem::path& key_file) {
  struct stat st {};
  if (::stat(key_file.c_str(), &st) == 0) return "plain";
  if (::stat(SealedKeyPath(key_file).c_str(), &st) == 0) return "sealed";
  return "none";
}

int SecurityStatus(Context& ctx) {
  if (!ctx.ExpectArgs(0, "security status [--json]")) return kExitBadInput;
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  const KeyProtectionOptions& kp = (*store)->key_protection();
  const std::filesystem::path store_key = (*cfg)->data_dir / "store.key";
  std::string client_key = "none";
  if (auto e = LoadEnrolment(**store); e.ok()) client_key = KeyForm(e->key_file);
  const bool tpm = kp.mode == KeyProtection::kTpm;
  if (ctx.json()) {
    PrintJson({{"key_protection", KeyProtectionName(kp.mode)},
               {"tpm_tcti", tpm ? nlohmann::json(kp.tpm_tcti) : nlohmann::json()},
               {"store_key", KeyForm(store_key)},
               {"client_key", client_key},
               {"weaker", !tpm}});
    return kExitOk;
  }
  std::cout << "Bảo vệ khoá / key protection: " << KeyProtectionName(kp.mode);
  if (tpm) {
    std::cout << " (niêm phong vào chip TPM / sealed to the TPM at " << kp.tpm_tcti << ")\n";
  } else {
    std::cout << " (YẾU HƠN: khoá nằm trong tệp thường, ai lấy được ổ đĩa sẽ đọc được / WEAKER: plain key files, a "
                 "disk thief reads them)\n";
  }
  std::cout << "Khoá dữ liệu / store key: " << KeyForm(store_key) << "\nKhoá kết nối cổng / client key: " << client_key
            << "\n";
  return kExitOk;
}

const CommandRegistration kSecurityStatus({"security status", "[--json]",
                                           "How the kiosk's keys are kept at rest (TPM-sealed or plain file)",
                                           SecurityStatus});

}  // namespace
}  // namespace mck::ctl
