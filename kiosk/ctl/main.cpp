// kioskctl: the technicians' and tests' command line over the same libraries as the kiosk.
// Global options, accepted anywhere: --config FILE, --data-dir DIR, --json, --help.
// Commands are registered by the cmd_*.cpp files (see command.h).
#include <algorithm>
#include <iostream>
#include <sstream>

#include "kiosk/ctl/command.h"

using mck::ctl::CommandSpec;

namespace {

std::vector<std::string> SplitWords(const char* words) {
  std::vector<std::string> out;
  std::istringstream in(words);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

void PrintUsage(std::ostream& out) {
  out << "kioskctl " << MCK_VERSION << " — Một Cửa Kiosk command line\n\n"
      << "Usage: kioskctl [--config FILE] [--data-dir DIR] [--json] COMMAND ...\n\nCommands:\n";
  std::vector<CommandSpec> cmds = mck::ctl::Commands();
  std::sort(cmds.begin(), cmds.end(),
            [](const CommandSpec& a, const CommandSpec& b) { return std::string(a.words) < b.words; });
  for (const auto& c : cmds) {
    out << "  " << c.words << (c.usage[0] ? " " : "") << c.usage << "\n      " << c.summary << "\n";
  }
  out << "\nExit codes: 0 ok, 1 failed (disk, portal, device), 2 bad input, 3 stored data faulty.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args;
  std::optional<std::filesystem::path> config, data_dir;
  bool json = false, help = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string& name) -> std::optional<std::string> {
      if (a == name) {
        if (i + 1 >= argc) return std::string();
        return std::string(argv[++i]);
      }
      if (a.rfind(name + "=", 0) == 0) return a.substr(name.size() + 1);
      return std::nullopt;
    };
    if (auto v = value("--config")) {
      if (v->empty()) {
        std::cerr << "--config cần đường dẫn tệp / needs a FILE\n";
        return 2;
      }
      config = *v;
    } else if (auto d = value("--data-dir")) {
      if (d->empty()) {
        std::cerr << "--data-dir cần thư mục / needs a DIR\n";
        return 2;
      }
      data_dir = *d;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--help" || a == "-h") {
      help = true;
    } else {
      args.push_back(a);
    }
  }
  if (args.empty() || (help && args.empty())) {
    PrintUsage(help ? std::cout : std::cerr);
    return help ? 0 : 2;
  }
  if (args[0] == "help") {
    PrintUsage(std::cout);
    return 0;
  }
  // The longest registered command whose words prefix the arguments.
  const CommandSpec* best = nullptr;
  size_t best_len = 0;
  for (const auto& c : mck::ctl::Commands()) {
    auto words = SplitWords(c.words);
    if (words.size() <= args.size() && words.size() > best_len &&
        std::equal(words.begin(), words.end(), args.begin())) {
      best = &c;
      best_len = words.size();
    }
  }
  if (!best) {
    std::cerr << "Lệnh không hợp lệ / unknown command: " << args[0] << "\n\n";
    PrintUsage(std::cerr);
    return 2;
  }
  if (help) {
    std::cout << "Usage: kioskctl " << best->words << " " << best->usage << "\n" << best->summary << "\n";
    return 0;
  }
  mck::ctl::Context ctx(std::vector<std::string>(args.begin() + static_cast<long>(best_len), args.end()), config,
                        data_dir, json);
  return best->fn(ctx);
}
