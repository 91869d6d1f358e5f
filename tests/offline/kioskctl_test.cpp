// kioskctl as technicians and scripts use it: real program, real files, exit codes and messages.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "offline/store/migrations.h"
#include "tests/offline/store_fixture.h"
#include "tests/support/cannot_run.h"

using namespace mck;
using namespace mck::test;
using nlohmann::json;

namespace {

struct Run {
  int code = -1;
  std::string out, err;
};

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs a shell command line; `prefix` may wrap kioskctl (ulimit, setpriv).
Run Shell(const std::string& cmdline, const std::filesystem::path& scratch) {
  const auto out = scratch / "stdout.txt", err = scratch / "stderr.txt";
  const std::string full = cmdline + " >" + Quote(out) + " 2>" + Quote(err);
  const int status = std::system(("/bin/bash -c " + Quote(full)).c_str());
  Run r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  return r;
}

struct Cli {
  TempDir dir;
  std::filesystem::path config;
  Cli() {
    WriteTestCatalog(dir.path());
    config = dir.path() / "kiosk.toml";
    std::ofstream(config) << "[kiosk]\nnumber = 7\ndata_dir = \"data\"\ncatalog_seed = \"procedures.json\"\n"
                          << "[security]\nkey_protection = \"file\"\n";
  }
  std::filesystem::path data() const { return dir.path() / "data"; }
  Run operator()(const std::string& args, const std::string& prefix = "") const {
    return Shell(prefix + Quote(KIOSKCTL_PATH) + " --config " + Quote(config) + " " + args, dir.path());
  }
  std::filesystem::path Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir.path() / name) << text;
    return dir.path() / name;
  }
};

bool Has(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("kioskctl dossier submit stores a valid dossier and prints its codes") {
  Cli cli;
  auto file = cli.Write("d.json", SampleBody().dump());
  auto r = cli("dossier submit " + file.string() + " --json");
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto j = json::parse(r.out);
  CHECK(j.size() == 2);
  CHECK(j["client_id"].get<std::string>().size() == 36);
  CHECK(Has(j["provisional_code"].get<std::string>(), "K07-"));

  auto list = cli("queue list --json");
  REQUIRE(list.code == 0);
  auto arr = json::parse(list.out);
  REQUIRE(arr.size() == 1);
  std::vector<std::string> keys;
  for (auto it = arr[0].begin(); it != arr[0].end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"attempts", "client_id", "dossier_code", "last_error", "procedure_code",
                                         "provisional_code", "state"});
  CHECK(arr[0]["state"] == "queued");
  CHECK(arr[0]["dossier_code"].is_null());

  auto show = cli("queue show " + j["provisional_code"].get<std::string>() + " --json");
  REQUIRE(show.code == 0);
  CHECK(json::parse(show.out)["body"]["applicant"]["full_name"] == "Nguyễn Thị Hoà");
  CHECK(cli("queue list --state accepted --json").out == "[]\n");
  CHECK(cli("queue list --state nonsense").code == 2);
  CHECK(cli("db check").code == 0);
}

TEST_CASE("kioskctl submit with attachments given by path") {
  Cli cli;
  cli.Write("scan.jpg", "JPEG bytes of a birth certificate");
  json body = SampleBody();
  body["attachments"] =
      json::array({{{"path", "scan.jpg"}, {"name", "giay-chung-sinh.jpg"}, {"media_type", "image/jpeg"}}});
  auto r = cli("dossier submit " + cli.Write("d.json", body.dump()).string() + " --json");
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto show = json::parse(cli("queue show " + json::parse(r.out)["client_id"].get<std::string>() + " --json").out);
  CHECK(show["body"]["attachments"][0]["size"] == 33);
  CHECK(show["body"]["attachments"][0]["name"] == "giay-chung-sinh.jpg");
}

TEST_CASE("kioskctl dossier submit never records more identity assurance than typed") {
  Cli cli;
  int n = 0;
  for (const auto& [key, value] : std::vector<std::pair<std::string, json>>{{"identity_source", "chip"},
                                                                            {"identity_source", "qr"},
                                                                            {"assurance", "chip_verified"},
                                                                            {"assurance", "qr"},
                                                                            {"chip_verified", true}}) {
    json claimed = SampleBody();
    claimed["applicant"][key] = value;
    if (key == "assurance" && value == "chip_verified") claimed["applicant"]["identity_source"] = "chip";
    auto r = cli("dossier submit " + cli.Write("claim" + std::to_string(n++) + ".json", claimed.dump()).string());
    INFO(key << " = " << value.dump() << ": " << r.err);
    CHECK(r.code == 2);
    CHECK(Has(r.err, "chỉ được ghi là nhập tay"));
  }
  CHECK(json::parse(cli("queue list --json").out).empty());
  json typed = SampleBody();
  typed["applicant"]["assurance"] = "typed";
  auto ok = cli("dossier submit " + cli.Write("typed.json", typed.dump()).string() + " --json");
  REQUIRE(ok.code == 0);
  auto show = json::parse(cli("dossier show " + json::parse(ok.out)["client_id"].get<std::string>() + " --json").out);
  CHECK(show["assurance"] == "typed");
}

TEST_CASE("kioskctl refuses bad input with exit 2, lists every field error, stores nothing") {
  Cli cli;
  auto missing = cli("dossier submit /nonexistent/d.json");
  CHECK(missing.code == 2);
  CHECK(Has(missing.err, "không mở được tệp"));

  auto malformed = cli("dossier submit " + cli.Write("bad.json", "{\"procedure_code\": ").string());
  CHECK(malformed.code == 2);
  CHECK(Has(malformed.err, "không phải JSON hợp lệ"));

  json unknown = SampleBody();
  unknown["procedure_code"] = "9.999999";
  auto u = cli("dossier submit " + cli.Write("u.json", unknown.dump()).string());
  CHECK(u.code == 2);
  CHECK(Has(u.err, "procedure_code: Thủ tục không có trong danh mục"));

  json invalid = SampleBody();
  invalid["applicant"]["id_number"] = "123";
  invalid["applicant"]["phone"] = "abc";
  invalid["fields"].erase("child_dob");
  auto v = cli("dossier submit " + cli.Write("v.json", invalid.dump()).string() + " --json");
  CHECK(v.code == 2);
  auto errs = json::parse(v.out)["errors"];
  CHECK(errs.size() == 3);
  CHECK(Has(v.err, "applicant.id_number"));
  CHECK(Has(v.err, "applicant.phone"));
  CHECK(Has(v.err, "fields.child_dob"));
  CHECK(json::parse(cli("queue list --json").out).empty());

  CHECK(cli("dossier submit").code == 2);
  CHECK(cli("dossier submit a.json --frobnicate").code == 2);
  CHECK(cli("no such command").code == 2);
}

TEST_CASE("kioskctl catalog list searches without diacritics") {
  Cli cli;
  auto r = cli("catalog list --search 'dang ky khai sinh' --json");
  REQUIRE(r.code == 0);
  auto j = json::parse(r.out);
  REQUIRE(j["procedures"].size() == 1);
  CHECK(j["procedures"][0]["name"] == "Đăng ký khai sinh");
}

TEST_CASE("kioskctl reports a broken config with file, line and reason") {
  Cli cli;
  std::ofstream(cli.config, std::ios::app) << "[devices]\nprinterr = \"file:x\"\n";
  auto r = cli("queue list");
  CHECK(r.code == 2);
  CHECK(Has(r.err, "kiosk.toml:8: khoá không hợp lệ 'devices.printerr'"));
  CHECK(Has(r.err, "unknown key 'devices.printerr'"));
}

TEST_CASE("kioskctl db check fails with exit 3 on a tampered audit chain") {
  Cli cli;
  auto file = cli.Write("d.json", SampleBody().dump());
  REQUIRE(cli("dossier submit " + file.string()).code == 0);
  REQUIRE(cli("dossier submit " + file.string()).code == 0);
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open((cli.data() / "kiosk.db").c_str(), &h) == SQLITE_OK);
  REQUIRE(sqlite3_exec(h, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'x' WHERE id = 1", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(h);
  auto r = cli("db check --json");
  CHECK(r.code == 3);
  CHECK(json::parse(r.out)["audit_ok"] == false);
}

TEST_CASE("kioskctl refuses a database from a newer version and a corrupt one with exit 3") {
  Cli cli;
  REQUIRE(cli("queue list").code == 0);
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open((cli.data() / "kiosk.db").c_str(), &h) == SQLITE_OK);
  REQUIRE(sqlite3_exec(h, "PRAGMA user_version = 42", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(h);
  auto newer = cli("queue list");
  CHECK(newer.code == 3);
  CHECK(Has(newer.err, "phiên bản phần mềm mới hơn"));

  Cli cli2;
  std::filesystem::create_directories(cli2.data());
  std::ofstream(cli2.data() / "kiosk.db", std::ios::binary) << std::string(10000, '\x13');
  auto corrupt = cli2("queue list");
  CHECK(corrupt.code == 3);
  CHECK(Has(corrupt.err, "bị hỏng"));
}

TEST_CASE("kioskctl on a full disk fails with exit 1, says so, and keeps what was stored") {
  Cli cli;
  auto file = cli.Write("d.json", SampleBody().dump());
  REQUIRE(cli("dossier submit " + file.string()).code == 0);
  // A 4 MB attachment cannot be written under a 1 MB file-size limit: the kernel answers EFBIG
  // as a full disk would answer ENOSPC, and SQLite must roll back cleanly.
  cli.Write("big.bin", std::string(4 << 20, 'b'));
  json body = SampleBody();
  body["attachments"] = json::array({{{"path", "big.bin"}, {"name", "big.bin"}, {"media_type", "application/pdf"}}});
  auto big = cli.Write("big.json", body.dump());
  auto r = cli("dossier submit " + big.string(), "trap '' XFSZ; ulimit -f 1024; exec ");
  CHECK(r.code == 1);
  INFO(r.err);
  CHECK((Has(r.err, "Ổ đĩa đã đầy") || Has(r.err, "Lỗi đọc/ghi đĩa")));
  auto list = json::parse(cli("queue list --json").out);
  CHECK(list.size() == 1);
  CHECK(cli("db check").code == 0);
}

TEST_CASE("kioskctl on a really full file system says the disk is full and loses nothing") {
  if (::geteuid() != 0 || std::system("unshare -m true 2>/dev/null") != 0) {
    MCK_CANNOT_RUN("needs root and mount namespaces (unshare -m) to mount a small tmpfs");
  }
  Cli cli;
  auto small = cli.Write("d.json", SampleBody().dump());
  cli.Write("big.bin", std::string(3 << 20, 'b'));
  json body = SampleBody();
  body["attachments"] = json::array({{{"path", "big.bin"}, {"name", "big.bin"}, {"media_type", "application/pdf"}}});
  auto big = cli.Write("big.json", body.dump());
  const std::string k = Quote(KIOSKCTL_PATH) + " --config " + Quote(cli.config) + " ";
  // In a private mount namespace: a 1 MiB tmpfs as the data directory, one dossier that fits,
  // one that cannot, then the state of the store — all before the mount goes away.
  const std::string script = "mount -t tmpfs -o size=1m tmpfs " + Quote(cli.data()) + " && " + k + "dossier submit " +
                             Quote(small) + " >/dev/null && { " + k + "dossier submit " + Quote(big) +
                             "; echo \"big=$?\" >&2; } && " + k + "queue list --json && " + k +
                             "db check >/dev/null && echo check-ok >&2";
  std::filesystem::create_directories(cli.data());
  auto r = Shell("unshare -m /bin/bash -c " + Quote(script), cli.dir.path());
  INFO(r.err);
  CHECK(Has(r.err, "big=1"));
  CHECK(Has(r.err, "Ổ đĩa đã đầy"));
  CHECK(Has(r.err, "check-ok"));
  CHECK(json::parse(r.out).size() == 1);
}

TEST_CASE("kioskctl on a read-only data directory fails with exit 1 and a clear message") {
  if (::geteuid() != 0 || std::system("command -v setpriv >/dev/null") != 0) {
    MCK_CANNOT_RUN("needs root and setpriv to run kioskctl as an unprivileged user");
  }
  Cli cli;
  auto file = cli.Write("d.json", SampleBody().dump());
  REQUIRE(cli("dossier submit " + file.string()).code == 0);
  // The data belongs to root; 'nobody' may read the folder but not write it.
  std::filesystem::permissions(cli.dir.path(), std::filesystem::perms(0755));
  std::filesystem::permissions(cli.data(), std::filesystem::perms(0755));
  for (const auto& e : std::filesystem::directory_iterator(cli.data())) {
    std::filesystem::permissions(e.path(), std::filesystem::perms(0644));
  }
  auto r = cli("dossier submit " + file.string(), "setpriv --reuid=65534 --regid=65534 --clear-groups ");
  CHECK(r.code == 1);
  INFO(r.err);
  CHECK(!r.err.empty());
  CHECK((Has(r.err, "chỉ cho phép đọc") || Has(r.err, "Không mở được") || Has(r.err, "không mở được") ||
         Has(r.err, "tệp khoá")));
}

TEST_CASE("kioskctl db restore-backup puts the pre-migration backup back after a failed upgrade") {
  Cli cli;
  auto file = cli.Write("d.json", SampleBody().dump());
  REQUIRE(cli("dossier submit " + file.string()).code == 0);
  REQUIRE(cli("queue list").code == 0);  // creates nothing new: the store exists at this program's schema
  // "The next release" migrated the store (a backup first), then it was rolled back to this one.
  ManualClock clock(TestEpoch());
  StoreOptions next = TestOptions(cli.dir, &clock);
  next.test_extra_migrations = {"ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT 'kiosk';"};
  auto newer = OpenStore(next);
  auto refused = cli("db restore-backup --latest");
  CHECK(refused.code != 0);
  CHECK(Has(refused.err, "dừng kiosk"));
  newer.reset();

  auto blocked = cli("queue list");
  CHECK(blocked.code == 3);  // a downgrade: the store from the newer program is refused
  CHECK(cli("db restore-backup").code == 2);
  CHECK(cli("db restore-backup --latest extra").code == 2);
  CHECK(cli("db restore-backup " + (cli.data() / "kiosk.db").string()).code != 0);  // not a backup

  auto r = cli("db restore-backup --latest --json");
  INFO(r.err);
  REQUIRE(r.code == 0);
  auto j = json::parse(r.out);
  CHECK(j["schema_version"] == LatestSchemaVersion());  // this program's schema
  CHECK(Has(j["restored_from"].get<std::string>(), "kiosk.db.v" + std::to_string(LatestSchemaVersion()) + "-"));
  CHECK(std::filesystem::exists(std::filesystem::path(j["replaced_dir"].get<std::string>()) / "kiosk.db"));
  auto list = cli("queue list --json");
  REQUIRE(list.code == 0);
  CHECK(json::parse(list.out).size() == 1);
  CHECK(cli("db check").code == 0);
}

TEST_CASE("kioskctl officer add, list, disable, enable, reset-pin and unlock manage the officers") {
  Cli cli;
  auto r = cli("officer add cb.lan --name 'Nguyễn Thị Lan' --title 'Công chức Tư pháp - Hộ tịch' --counter HT --counter TP",
               "echo 358024 | ");
  INFO(r.err);
  REQUIRE(r.code == 0);
  // The PIN is never an argument: one that breaks the rules is refused with its reason.
  r = cli("officer add cb.minh --name 'Lê Văn Minh'", "echo 111111 | ");
  CHECK(r.code == 2);
  CHECK(Has(r.err, "quá dễ đoán"));
  r = cli("officer add cb.lan --name 'Lan'", "echo 470258 | ");
  CHECK(r.code != 0);
  CHECK(Has(r.err, "Đã có cán bộ mã cb.lan"));
  r = cli("officer add --name 'Không mã'", "echo 470258 | ");
  CHECK(r.code == 2);
  CHECK(Has(r.err, "Usage: kioskctl officer add ID"));

  r = cli("officer list --json");
  REQUIRE(r.code == 0);
  auto j = json::parse(r.out);
  REQUIRE(j.size() == 1);
  CHECK(j[0]["id"] == "cb.lan");
  CHECK(j[0]["name"] == "Nguyễn Thị Lan");
  CHECK(j[0]["counters"] == json::array({"HT", "TP"}));
  CHECK(j[0]["disabled"] == false);

  REQUIRE(cli("officer disable cb.lan").code == 0);
  r = cli("officer list");
  CHECK(Has(r.out, "cb.lan\tNguyễn Thị Lan\tCông chức Tư pháp - Hộ tịch\tHT,TP\tdisabled"));
  REQUIRE(cli("officer enable cb.lan").code == 0);
  CHECK(cli("officer disable cb.nobody").code != 0);
  REQUIRE(cli("officer reset-pin cb.lan", "echo 470258 | ").code == 0);
  REQUIRE(cli("officer unlock cb.lan").code == 0);
  r = cli("officer list");
  CHECK(Has(r.out, "\tactive"));
  // Every change is in the audit chain, and the chain holds.
  r = cli("db check --json");
  INFO(r.out << r.err);
  CHECK(r.code == 0);
}
