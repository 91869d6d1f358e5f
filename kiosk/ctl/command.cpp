#include "kiosk/ctl/command.h"

#include <cstdlib>
#include <iostream>

#include "kiosk/core/journal.h"
#include "offline/store/store.h"

namespace mck::ctl {

int ExitCodeFor(const Status& st) {
  switch (st.code()) {
    case Code::kOk: return kExitOk;
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kAlreadyExists: return kExitBadInput;
    case Code::kCorrupt:
    case Code::kFailedPrecondition: return kExitDataFault;
    default: return kExitFailed;
  }
}

Context::Context(std::vector<std::string> args, std::optional<std::filesystem::path> config_path,
                 std::optional<std::filesystem::path> data_dir, bool json)
    : args_(std::move(args)), config_path_(std::move(config_path)), data_dir_(std::move(data_dir)), json_(json) {}

Context::~Context() = default;

bool Context::TakeFlag(const std::string& name) {
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (*it == name) {
      args_.erase(it);
      return true;
    }
  }
  return false;
}

std::optional<std::string> Context::TakeOption(const std::string& name) {
  for (auto it = args_.begin(); it != args_.end(); ++it) {
    if (*it == name && it + 1 != args_.end()) {
      std::string v = *(it + 1);
      args_.erase(it, it + 2);
      return v;
    }
    if (it->rfind(name + "=", 0) == 0) {
      std::string v = it->substr(name.size() + 1);
      args_.erase(it);
      return v;
    }
  }
  return std::nullopt;
}

bool Context::RejectUnknownOptions(std::ostream& err) const {
  for (const auto& a : args_) {
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      err << "Tuỳ chọn không hợp lệ / unknown option: " << a << "\n";
      return true;
    }
  }
  return false;
}

Result<const KioskConfig*> Context::Config() {
  if (config_) return &*config_;
  std::filesystem::path path;
  if (config_path_) {
    path = *config_path_;
  } else if (const char* env = std::getenv("MCK_CONFIG"); env && *env) {
    path = env;
#if MCK_DEV_TOOLS
  } else if (!std::filesystem::exists("/etc/mot-cua/kiosk.toml")) {
    path = std::filesystem::path(MCK_SOURCE_DIR) / "config" / "kiosk.toml";  // development build only
#endif
  } else {
    path = "/etc/mot-cua/kiosk.toml";
  }
  auto cfg = LoadConfig(path);
  if (!cfg.ok()) return cfg.status();
  if (data_dir_) cfg->data_dir = std::filesystem::absolute(*data_dir_);
  // The technician's per-device values (kioskctl provision) over the /etc file.
  if (Status st = ApplyProvisioned(&cfg.value()); !st.ok()) return st;
  config_ = std::move(cfg.value());
  InstallJournalLogging(config_->journal);  // under systemd (a timer, a unit): mck::Log to the journal
  return &*config_;
}

bool Context::ExpectArgs(size_t count, const std::string& usage) const {
  if (RejectUnknownOptions(std::cerr)) return false;
  if (args_.size() == count) return true;
  std::cerr << "Usage: kioskctl " << usage << "\n";
  return false;
}

Result<Context::Records> Context::OpenRecords() {
  auto cfg = Config();
  if (!cfg.ok()) return cfg.status();
  auto store = OpenStore();
  if (!store.ok()) return store.status();
  if (!catalog_) {
    auto catalog = (*store)->catalog().Load();
    if (!catalog.ok()) return catalog.status();
    catalog_ = std::move(catalog.value());
  }
  return Records{**cfg, **store, *catalog_};
}

Result<Store*> Context::OpenStore() {
  if (store_) return store_.get();
  auto cfg = Config();
  if (!cfg.ok()) return cfg.status();
  StoreOptions opts;
  opts.data_dir = (*cfg)->data_dir;
  opts.kiosk_number = (*cfg)->kiosk_number;
  opts.retention_days = (*cfg)->retention_days;
  opts.catalog_seed = (*cfg)->catalog_seed;
  opts.key_protection = KeyProtectionFor(**cfg);
  auto store = Store::Open(opts);
  if (!store.ok()) return store.status();
  store_ = std::move(store.value());
  return store_.get();
}

int Context::Fail(const Status& st) {
  std::cerr << "Lỗi: " << st.message_vi() << "\n";
  if (st.message_vi() != st.message_en()) std::cerr << "Error: " << st.message_en() << "\n";
  return ExitCodeFor(st);
}

static std::vector<CommandSpec>& Table() {
  static std::vector<CommandSpec> table;
  return table;
}

CommandRegistration::CommandRegistration(CommandSpec spec) {
  Table().push_back(spec);
}

const std::vector<CommandSpec>& Commands() {
  return Table();
}

}  // namespace mck::ctl
