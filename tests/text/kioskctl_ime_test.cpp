// `kioskctl ime`: runs the real program and reads what it prints.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

// Runs kioskctl with the arguments (already shell-quoted) and captures stdout.
Run Kioskctl(const std::string& args) {
  const std::string cmd = std::string("'") + MCK_KIOSKCTL + "' " + args + " 2>/dev/null";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A config file with the given tone style, in a fresh temporary folder.
std::filesystem::path ConfigWithToneStyle(const std::string& style) {
  const auto dir = std::filesystem::temp_directory_path() / ("mck-ime-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ifstream in(std::string(MCK_SOURCE_DIR) + "/config/kiosk.toml");
  REQUIRE(in);
  std::string toml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = toml.find("tone_style = \"new\"");
  REQUIRE(at != std::string::npos);
  toml.replace(at, 18, "tone_style = \"" + style + "\"");
  const auto path = dir / "kiosk.toml";
  std::ofstream(path) << toml;
  return path;
}

}  // namespace

TEST_CASE("kioskctl ime prints the composed text") {
  auto r = Kioskctl("ime telex 'Nguyeenx Thij Hoaf' --tone-style new");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Nguyễn Thị Hoà\n");
  r = Kioskctl("ime telex 'Nguyeenx Thij Hoaf' --tone-style old");
  CHECK(r.out == "Nguyễn Thị Hòa\n");
  r = Kioskctl("ime vni 'Nguye6n4 Thi5 Hoa2' --tone-style=new");
  CHECK(r.out == "Nguyễn Thị Hoà\n");
  r = Kioskctl("ime telex Nguyeenx Thij Hoaf --tone-style new");  // unquoted words
  CHECK(r.out == "Nguyễn Thị Hoà\n");
}

TEST_CASE("kioskctl ime --json") {
  auto r = Kioskctl("--json ime telex 'DDaamf Sen' --tone-style old");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["method"] == "telex");
  CHECK(j["keys"] == "DDaamf Sen");
  CHECK(j["text"] == "Đầm Sen");
  CHECK(j["tone_style"] == "old");
}

TEST_CASE("kioskctl ime takes the tone style from the configuration") {
  const auto old_cfg = ConfigWithToneStyle("old");
  auto r = Kioskctl("--config '" + old_cfg.string() + "' ime telex hoaf");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "hòa\n");
  r = Kioskctl("--config '" + old_cfg.string() + "' ime telex hoaf --tone-style new");  // the option wins
  CHECK(r.out == "hoà\n");
  std::filesystem::remove_all(old_cfg.parent_path());
}

TEST_CASE("kioskctl ime refuses bad usage with exit code 2") {
  CHECK(Kioskctl("ime").exit_code == 2);
  CHECK(Kioskctl("ime telex").exit_code == 2);
  CHECK(Kioskctl("ime qwerty abc").exit_code == 2);
  CHECK(Kioskctl("ime telex abc --tone-style modern").exit_code == 2);
  CHECK(Kioskctl("ime telex abc --colour").exit_code == 2);
}
