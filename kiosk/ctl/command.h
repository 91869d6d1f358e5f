// kioskctl's command table. Each command family lives in its own file (cmd_dossier.cpp,
// cmd_card.cpp, ...) and registers its commands with a static CommandRegistration, so main.cpp
// never changes when a family is added.
//
// Exit codes (docs/kioskctl.md): 0 success; 1 the operation failed (disk, portal, device);
// 2 bad input (usage, file, validation: the message says what to fix); 3 stored data is faulty
// (corrupt database, broken audit chain, schema newer than this program).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "offline/domain/catalog.h"
#include "offline/domain/config.h"
#include "offline/domain/status.h"

namespace mck {
class Store;
}

namespace mck::ctl {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitDataFault = 3;

// Maps a Status to the exit code above.
int ExitCodeFor(const Status& st);

class Context {
 public:
  Context(std::vector<std::string> args, std::optional<std::filesystem::path> config_path,
          std::optional<std::filesystem::path> data_dir, bool json);
  ~Context();

  // Positional arguments after the command words, with flags removed as they are taken.
  const std::vector<std::string>& args() const { return args_; }
  bool json() const { return json_; }
  // Takes a boolean flag ("--once") out of args; true when it was there.
  bool TakeFlag(const std::string& name);
  // Takes "--name VALUE" or "--name=VALUE" out of args. Sets *error when the value is missing.
  std::optional<std::string> TakeOption(const std::string& name);
  // After taking flags and options: any argument left that starts with "--" is a usage error.
  bool RejectUnknownOptions(std::ostream& err) const;
  // After taking flags and options: no unknown option and exactly `count` arguments left, else
  // "Usage: kioskctl <usage>" on stderr and false (the command returns kExitBadInput).
  bool ExpectArgs(size_t count, const std::string& usage) const;

  // The configuration (--config, $MCK_CONFIG, /etc/mot-cua/kiosk.toml, or — development builds only — the source
  // tree's config/kiosk.toml), with --data-dir applied. Loaded once.
  Result<const KioskConfig*> Config();
  // The store in the configured data directory, opened once (creating it on first use).
  Result<Store*> OpenStore();
  // The configuration, the store and the catalog it holds (cache or seed): what the use cases
  // of kiosk/core need. Loaded once.
  struct Records {
    const KioskConfig& config;
    Store& store;
    const Catalog& catalog;
  };
  Result<Records> OpenRecords();

  // Prints a Status for a person: Vietnamese first, then English, on stderr. Returns its exit code.
  int Fail(const Status& st);

 private:
  std::vector<std::string> args_;
  std::optional<std::filesystem::path> config_path_;
  std::optional<std::filesystem::path> data_dir_;
  bool json_ = false;
  std::optional<KioskConfig> config_;
  std::unique_ptr<Store> store_;
  std::optional<Catalog> catalog_;
};

using CommandFn = int (*)(Context& ctx);

struct CommandSpec {
  const char* words;    // "dossier submit"
  const char* usage;    // "FILE.json [--json]"
  const char* summary;  // one line, English (technicians' tool; messages are bilingual)
  CommandFn fn;
};

struct CommandRegistration {
  explicit CommandRegistration(CommandSpec spec);
};

const std::vector<CommandSpec>& Commands();

}  // namespace mck::ctl
