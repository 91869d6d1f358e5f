// kioskctl diag [--json] — the kiosk's diagnostics report (kiosk/core/diagnostics.h).
// kioskctl diag bundle DIR [--lines N] — a folder for the support desk: the report (JSON and
// text), the effective configuration with secrets removed, the last N lines of the kiosk's own
// logs it can reach (the journal of mot-cua-kiosk when journalctl works, *.log files in the data
// directory), `kioskctl db check`, the metrics, version information — every file passed through
// the scrubber (kiosk/core/scrubber.h), so no personal data leaves the kiosk. Nothing is
// compressed: a technician can read it, and so can a grep.
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <deque>
#include <fstream>
#include <iostream>
#include <sstream>

#include "kiosk/core/diagnostics.h"
#include "kiosk/core/scrubber.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/store/store.h"
#include "offline/sync/metrics.h"

namespace mck::ctl {
namespace {

namespace fs = std::filesystem;

Result<core::DiagnosticsReport> Collect(Context& ctx) {
  auto cfg = ctx.Config();
  if (!cfg.ok()) return cfg.status();
  auto store = ctx.OpenStore();
  if (!store.ok()) return store.status();
  core::DiagnosticsInputs in;
  in.version = MCK_VERSION;
  in.now = std::chrono::system_clock::now();
  return core::CollectDiagnostics(**store, **cfg, in);
}

int Diag(Context& ctx) {
  if (!ctx.ExpectArgs(0, "diag [--json]")) return kExitBadInput;
  auto r = Collect(ctx);
  if (!r.ok()) return ctx.Fail(r.status());
  if (ctx.json()) {
    PrintJson(core::DiagnosticsJson(*r));
  } else {
    std::cout << core::DiagnosticsText(*r);
  }
  return kExitOk;
}

// The last `n` lines of a text.
std::string Tail(const std::string& text, size_t n) {
  std::deque<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > n) lines.pop_front();
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs argv (no shell), its stdout and stderr together; *code gets the exit status (-1: not run).
std::string Capture(const std::vector<std::string>& argv, int* code) {
  *code = -1;
  int fds[2];
  if (::pipe(fds) != 0) return "";
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return "";
  }
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

struct Bundle {
  fs::path dir;
  core::Scrubber scrubber;
  std::vector<std::string> files;
  Status Write(const std::string& name, const std::string& text) {
    const fs::path p = dir / name;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << scrubber.Scrub(text);
    out.close();
    if (!out) return Status::Error(Code::kIo, p.string() + ": cannot write", "Không ghi được tệp " + p.string());
    ::chmod(p.c_str(), 0600);
    files.push_back(name);
    return Status::Ok();
  }
};

int DiagBundle(Context& ctx) {
  auto lines_opt = ctx.TakeOption("--lines");
  if (!ctx.ExpectArgs(1, "diag bundle DIR [--lines N]")) return kExitBadInput;
  const size_t lines = lines_opt ? static_cast<size_t>(std::max(1L, std::atol(lines_opt->c_str()))) : 2000;
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  Bundle b;
  b.dir = fs::absolute(ctx.args()[0]);
  std::error_code ec;
  fs::create_directories(b.dir, ec);
  ::chmod(b.dir.c_str(), 0700);
  if (ec || !fs::is_directory(b.dir)) {
    return ctx.Fail(Status::Error(Code::kIo, b.dir.string() + ": cannot create the folder",
                                  "Không tạo được thư mục " + b.dir.string()));
  }
  // The scrubber knows every personal value the store holds before anything is written.
  if (Status st = b.scrubber.AddFromStore(**store); !st.ok()) return ctx.Fail(st);

  core::DiagnosticsInputs in;
  in.version = MCK_VERSION;
  in.now = std::chrono::system_clock::now();
  auto report = core::CollectDiagnostics(**store, **cfg, in);
  if (!report.ok()) return ctx.Fail(report.status());
  std::vector<Status> written;
  written.push_back(b.Write("diagnostics.json", core::DiagnosticsJson(*report).dump(2) + "\n"));
  written.push_back(b.Write("diagnostics.txt", core::DiagnosticsText(*report)));
  const fs::path config_file = (*cfg)->source_file;
  std::string config_text = config_file.empty() ? std::string() : ReadFile(config_file);
  config_text = "# " + config_file.string() + " (secrets removed); data_dir in effect: " + (*cfg)->data_dir.string() +
                "\n" + core::RemoveConfigSecrets(config_text);
  written.push_back(b.Write("config.toml", config_text));

  MetricsInputs mi;
  mi.version = MCK_VERSION;
  mi.now = in.now;
  mi.data_dir = (*cfg)->data_dir;
  auto m = CollectMetrics(**store, mi);
  written.push_back(b.Write("metrics.prom", m.ok() ? RenderPrometheus(*m) : "# " + m.status().message_en() + "\n"));

  // `kioskctl db check`, run as its own process on the same configuration.
  int code = -1;
  std::vector<std::string> check = {"/proc/self/exe", "--data-dir", (*cfg)->data_dir.string(), "db", "check"};
  if (!config_file.empty()) check.insert(check.begin() + 1, {"--config", config_file.string()});
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) check[0] = std::string(self, static_cast<size_t>(n));
  std::string check_out = Capture(check, &code);
  written.push_back(b.Write("db-check.txt", "$ kioskctl db check  (exit " + std::to_string(code) + ")\n" + check_out));

  // Logs: the journal of the kiosk's unit, then *.log files under the data directory.
  std::string journal = Capture(
      {"journalctl", "-u", "mot-cua-kiosk", "-n", std::to_string(lines), "--no-pager", "-o", "short-iso"}, &code);
  written.push_back(b.Write(
      "logs/journal-mot-cua-kiosk.txt",
      code == 0 ? journal
                : "# journalctl not available or refused (exit " + std::to_string(code) + "): " + Tail(journal, 5)));
  int logs = 0;
  for (auto it = fs::recursive_directory_iterator((*cfg)->data_dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".log") continue;
    const std::string rel = fs::relative(it->path(), (*cfg)->data_dir).string();
    std::string flat = rel;
    for (char& c : flat) c = c == '/' ? '_' : c;
    written.push_back(b.Write("logs/" + flat, Tail(ReadFile(it->path()), lines)));
    ++logs;
  }

  utsname u{};
  ::uname(&u);
  written.push_back(b.Write("version.txt", std::string("mot-cua-kiosk ") + MCK_VERSION + "\nkernel " + u.sysname + " " +
                                               u.release + " " + u.machine + "\n"));
  std::string manifest = "Một Cửa Kiosk support bundle — no personal data (every file scrubbed).\n";
  for (const auto& f : b.files) manifest += "  " + f + "\n";
  manifest += "known personal values looked for: " + std::to_string(b.scrubber.known_values()) + "\nreplacements:";
  for (const auto& [kind, count] : b.scrubber.counts()) manifest += " " + kind + "=" + std::to_string(count);
  written.push_back(b.Write("MANIFEST.txt", manifest + "\n"));
  for (const Status& st : written) {
    if (!st.ok()) return ctx.Fail(st);
  }
  if (ctx.json()) {
    PrintJson(
        {{"dir", b.dir.string()}, {"files", b.files}, {"log_files", logs}, {"replacements", b.scrubber.counts()}});
  } else {
    std::cout << "Đã ghi gói chẩn đoán / bundle written: " << b.dir.string() << " (" << b.files.size()
              << " tệp/files)\n";
  }
  return kExitOk;
}

const CommandRegistration kDiag({"diag", "[--json]",
                                 "The kiosk's diagnostics: version, enrolment, certificate days left, key protection, "
                                 "queue, last sync, latency, clock skew, disk, devices, purge",
                                 Diag});
const CommandRegistration kDiagBundle({"diag bundle", "DIR [--lines N]",
                                       "Write a support bundle to DIR (diagnostics, config without secrets, logs, db "
                                       "check, metrics), scrubbed of personal data",
                                       DiagBundle});

}  // namespace
}  // namespace mck::ctl
