// No personal data in the clear on disk — looked for where it would really be: in the database,
// the WAL and the WAL index while the store is OPEN (committed frames not yet checkpointed),
// in the middle of a commit (frames written, not yet synced), and after a crash (SIGKILL while
// writing, the files read before anything reopens them and folds the WAL away). The search is for
// the applicant's name, ID number and phone, an officer's name in a decision and a rating's
// comment, each in NFC (what the store keeps) and NFD (what a keyboard may have sent).
//
// Each scan also looks for a value the store keeps in the clear on purpose (the provisional code)
// and must find it: a scan that reads nothing cannot pass.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "offline/domain/utf8.h"
#include "tests/offline/fault_vfs.h"
#include "tests/offline/store_fixture.h"

using namespace mck;
using namespace mck::test;

namespace {

// NFD as typed by hand (combining marks after the base letter): "Phạm Thị Xuân Quỳnh".
const std::string kNameNfd = "Pha\xCC\xA3m Thi\xCC\xA3 Xua\xCC\x82n Quy\xCC\x80nh";
const std::string kIdNumber = "001190123456";
const std::string kPhone = "0987654321";
const std::string kOfficer = "Đặng Thị Thu Hường";
const std::string kComment = "Chị Hường ở quầy hộ tịch hướng dẫn rất tận tình";

struct Secret {
  std::string what, bytes;
};

std::vector<Secret> Secrets() {
  std::vector<Secret> s;
  for (const auto& [what, text] : std::vector<std::pair<std::string, std::string>>{
           {"applicant name", kNameNfd}, {"officer name", kOfficer}, {"rating comment", kComment}}) {
    const std::string nfc = ToNfc(text).value();
    s.push_back({what + " (NFC)", nfc});
    if (nfc != text) s.push_back({what + " (as typed, NFD)", text});
    // A name's last word on its own (a column could hold just the given name).
    if (what != "rating comment") s.push_back({what + " (given name, NFC)", nfc.substr(nfc.rfind(' ') + 1)});
  }
  s.push_back({"ID number", kIdNumber});
  s.push_back({"phone", kPhone});
  return s;
}

struct Files {
  std::string db, wal, shm;
  std::string all() const { return db + wal + shm; }
};

Files Read(const std::filesystem::path& data_dir) {
  return {ReadAll(data_dir / "kiosk.db"), ReadAll(data_dir / "kiosk.db-wal"), ReadAll(data_dir / "kiosk.db-shm")};
}

// The secrets found in the files ("" when none).
std::string Leaks(const Files& f) {
  std::string found;
  const std::string all = f.all();
  for (const auto& s : Secrets()) {
    if (all.find(s.bytes) != std::string::npos) found += s.what + "; ";
  }
  return found;
}

// One dossier, a decision naming the officer, a rating with the comment.
std::string WriteEverything(Store& store) {
  auto sub = store.dossiers().Submit(SampleBody(kNameNfd, kIdNumber, kPhone), {}, "v");
  REQUIRE(sub.ok());
  REQUIRE(store.decisions()
              .Submit(sub->client_id,
                      {{"decision", "request_supplement"}, {"officer", kOfficer}, {"reason", "Thiếu giấy chứng sinh"}})
              .ok());
  Rating r;
  r.dossier_code = sub->provisional_code;
  r.counter = "HT";
  r.scores = {{"thai_do", 5}};
  r.comment = kComment;
  REQUIRE(store.ratings().Submit(r).ok());
  // The portal's words may echo the citizen: a status poll's text and a refusal's reasons.
  const std::string name = ToNfc(kNameNfd).value();
  REQUIRE(store.dossiers()
              .UpdatePortalStatus(sub->client_id, "dang_xu_ly", "Hồ sơ của bà " + name + " đang được xử lý",
                                  "2026-12-06T09:00:00+07:00", "")
              .ok());
  auto refused = store.dossiers().Submit(SampleBody(kNameNfd, kIdNumber, kPhone), {}, "v");
  REQUIRE(refused.ok());
  const auto leased = store.outbox().Lease("plaintext", 10, std::chrono::seconds(60));
  REQUIRE(leased.ok());
  for (const OutboxItem& item : *leased) {
    if (item.ref != refused->client_id) continue;
    const nlohmann::json details = {{{"field", "applicant.full_name"}, {"message", "Họ tên " + name + " sai"}}};
    REQUIRE(store.outbox()
                .RecordNeedsAttention(item, "portal dossier: HTTP 422 validation_failed: " + name + " " + kIdNumber,
                                      details)
                .ok());
  }
  REQUIRE(store.dossiers().Get(refused->client_id).value().state == DossierState::kNeedsAttention);
  REQUIRE(store.dossiers().Get(sub->client_id).value().portal_status_text ==
          std::optional<std::string>("Hồ sơ của bà " + name + " đang được xử lý"));
  return sub->provisional_code;
}

}  // namespace

TEST_CASE("no personal data in the database, WAL or WAL index while the store is open, committed and mid-commit") {
  TempDir dir;
  FaultVfs vfs("mck-plaintext");
  StoreOptions opts = TestOptions(dir, nullptr);
  opts.vfs = vfs.name();
  auto store = OpenStore(opts);
  // The store stays open: what it committed sits in the WAL, not yet checkpointed.
  const std::string code = WriteEverything(*store);
  Files open = Read(opts.data_dir);
  INFO("db " << open.db.size() << " B, wal " << open.wal.size() << " B, shm " << open.shm.size() << " B");
  REQUIRE(open.wal.size() > 4096);
  REQUIRE(open.shm.size() > 0);
  CHECK(open.wal.find(code) != std::string::npos);  // the scan does see the new frames
  CHECK(Leaks(open) == "");

  // Mid-commit: at the WAL's sync the frames of the transaction are written and not yet durable.
  std::optional<Files> during;
  vfs.SetSyncHook([&] {
    if (!during) during = Read(opts.data_dir);
  });
  auto sub = store->dossiers().Submit(SampleBody(kNameNfd, kIdNumber, kPhone),
                                      {{"cccd.jpg", "image/jpeg", "ảnh thẻ của " + ToNfc(kNameNfd).value()}}, "v");
  vfs.SetSyncHook(nullptr);
  REQUIRE(sub.ok());
  REQUIRE(during.has_value());
  CHECK(during->wal.find(sub->provisional_code) != std::string::npos);
  CHECK(Leaks(*during) == "");
  CHECK(during->all().find("ảnh thẻ của") == std::string::npos);  // the attachment's bytes
}

TEST_CASE("no personal data on disk after a crash while writing, before anything reopens the files") {
  TempDir dir;
  const StoreOptions opts = TestOptions(dir, nullptr);
  { OpenStore(opts); }
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto s = Store::Open(opts);
    if (!s.ok()) ::_exit(3);
    for (int i = 0;; ++i) {
      const std::string code = WriteEverything(**s);
      const std::string line = code + "\n";
      if (::write(fds[1], line.data(), line.size()) < 0) ::_exit(5);
    }
  }
  ::close(fds[1]);
  // Wait (on the pipe, no timer) until the child has committed 20 rounds, then kill it wherever
  // it is in the next one.
  std::string out, last_code;
  char c;
  int lines = 0;
  while (lines < 20 && ::read(fds[0], &c, 1) == 1) {
    if (c != '\n') {
      out += c;
      continue;
    }
    last_code = out;
    out.clear();
    ++lines;
  }
  REQUIRE(::kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  ::close(fds[0]);
  REQUIRE(WIFSIGNALED(status));  // it was killed while writing, it did not stop by itself
  REQUIRE(WTERMSIG(status) == SIGKILL);
  REQUIRE(lines == 20);

  const Files after = Read(opts.data_dir);  // nothing has opened the database since
  INFO("db " << after.db.size() << " B, wal " << after.wal.size() << " B, shm " << after.shm.size() << " B");
  REQUIRE(after.wal.size() > 4096);
  CHECK(after.all().find(last_code) != std::string::npos);
  CHECK(Leaks(after) == "");
}
