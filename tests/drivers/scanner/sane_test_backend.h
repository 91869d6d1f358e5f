// SANE's `test` backend in a private SANE_CONFIG_DIR (docs/scanning.md, runtime facts): dll.conf
// names only `test`, test.conf is the system's copy with geometry_max raised to A4's 297 mm.
// libsane reads SANE_CONFIG_DIR once per process (and caches it), so the directory is one per test
// process, made by the first object and removed at exit; each object rewrites the two files
// (which SANE reads again at every sane_init) and SANE_CONFIG_DIR stays set for child processes.
#pragma once

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace mck::test {

class SaneTestBackend {
 public:
  // `devices`: how many test devices (0 = an empty config: no scanner at all).
  explicit SaneTestBackend(int devices = 1) : dir_(ProcessDir().path) {
    std::ifstream in(kSystemConf);
    if (!in || dir_.empty() || !std::filesystem::exists(BackendLibrary())) return;
    // The backend stays mapped after sane_exit (RTLD_NODELETE): the reader thread's buffer it
    // never frees when a page is cancelled mid-read is then reported by LeakSanitizer (the ASan
    // build) under libsane-test.so, which tests/drivers/scanner/lsan.supp names, instead of an
    // unloaded "<unknown module>" that no suppression can name.
    static void* const keep = ::dlopen(BackendLibrary().c_str(), RTLD_NOW | RTLD_NODELETE);
    (void)keep;
    std::stringstream ss;
    ss << in.rdbuf();
    std::string conf = ss.str();
    conf = std::regex_replace(conf, std::regex(R"(^geometry_max .*$)", std::regex::multiline), "geometry_max 297.0");
    conf = std::regex_replace(conf, std::regex(R"(^number_of_devices .*$)", std::regex::multiline),
                              "number_of_devices " + std::to_string(devices > 0 ? devices : 1));
    std::ofstream(dir_ / "test.conf") << conf;
    std::ofstream(dir_ / "dll.conf") << (devices > 0 ? "test\n" : "# no backend\n");
    ::setenv("SANE_CONFIG_DIR", dir_.c_str(), 1);
    ready_ = true;
  }
  SaneTestBackend(const SaneTestBackend&) = delete;
  SaneTestBackend& operator=(const SaneTestBackend&) = delete;

  // False when libsane's test backend or its config is not installed (libsane1, sane-utils).
  bool ready() const { return ready_; }
  const std::filesystem::path& dir() const { return dir_; }

  static std::filesystem::path BackendLibrary() {
    for (const char* p : {"/usr/lib/x86_64-linux-gnu/sane/libsane-test.so.1", "/usr/lib/aarch64-linux-gnu/sane/libsane-test.so.1",
                          "/usr/lib/sane/libsane-test.so.1"})
      if (std::filesystem::exists(p)) return p;
    return "/usr/lib/x86_64-linux-gnu/sane/libsane-test.so.1";
  }

 private:
  static constexpr const char* kSystemConf = "/etc/sane.d/test.conf";
  struct Dir {
    std::filesystem::path path;
    Dir() {
      char tmpl[] = "/tmp/mck-sane-XXXXXX";
      if (::mkdtemp(tmpl) != nullptr) path = tmpl;
    }
    ~Dir() {
      std::error_code ec;
      if (!path.empty()) std::filesystem::remove_all(path, ec);
    }
  };
  static const Dir& ProcessDir() {
    static const Dir dir;
    return dir;
  }
  std::filesystem::path dir_;
  bool ready_ = false;
};

}  // namespace mck::test
