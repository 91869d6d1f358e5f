// The scanner's failures at screen level (issue 13, docs/scanning.md "Failures are calm and lose
// nothing"): the App with the REAL scanner service over SANE's test backend (scan_fixture.h), each
// failure injected as the driver's tests inject it, and for each: the calm message the screen
// shows (its catalog key and words), the pages scanned before it still there (count and bytes),
// no "Đang quét…" left running, the next action working, and nothing of the citizen in the log.
// Disk full at submission runs on a REAL full file system: a small tmpfs as the data directory,
// in a mount namespace of the test's own (root; CI runs as root).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "offline/domain/ids.h"
#include "tests/ui/scan_fixture.h"

using namespace mck;
using namespace mck::app;
using Fixture = mck::app::uitest::ScanFixture;

namespace {

// The message on the scan screen is `key`, in both catalogs, and its Vietnamese words hold `words`.
void CheckMessage(Fixture& f, const std::string& key, const std::string& words) {
  CHECK(f.app->scan().message_key == key);
  REQUIRE(f.strings.vi().count(key) == 1);
  CHECK(f.strings.en().count(key) == 1);
  CHECK(f.strings.vi().at(key).find(words) != std::string::npos);
  CHECK_FALSE(f.app->scan().busy());  // no "Đang quét…" left on screen
}

// A tmpfs of `size` mounted at `at`, in a mount namespace of this thread's own (threads started
// afterwards share it: the App's workers). Unmounted, and the namespace left, at the end.
class TmpfsMount {
 public:
  TmpfsMount(const std::filesystem::path& at, const std::string& size) : at_(at) {
    old_ns_ = ::open("/proc/thread-self/ns/mnt", O_RDONLY | O_CLOEXEC);
    why_ = Mount(size);
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
    if (unshared_ && old_ns_ >= 0) (void)::setns(old_ns_, CLONE_NEWNS);
    if (old_ns_ >= 0) ::close(old_ns_);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool ok() const { return mounted_; }
  const std::string& why() const { return why_; }

 private:
  // "" when mounted, else why not.
  std::string Mount(const std::string& size) {
    if (::geteuid() != 0) return "not root";
    if (::unshare(CLONE_NEWNS) != 0) return std::string("unshare(CLONE_NEWNS): ") + std::strerror(errno);
    unshared_ = true;
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      return std::string("mount --make-rprivate /: ") + std::strerror(errno);
    std::filesystem::create_directories(at_);
    const std::string opts = "size=" + size + ",mode=0700";
    if (::mount("tmpfs", at_.c_str(), "tmpfs", 0, opts.c_str()) != 0)
      return std::string("mount tmpfs: ") + std::strerror(errno);
    mounted_ = true;
    return "";
  }
  std::filesystem::path at_;
  int old_ns_ = -1;
  bool unshared_ = false, mounted_ = false;
  std::string why_;
};

// Writes `file` until the file system refuses (ENOSPC): the disk is full. Returns the bytes written.
size_t FillDisk(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  size_t total = 0;
  const std::string chunk(64 * 1024, 'x');
  for (size_t n = chunk.size(); n > 0;) {  // 64 KiB writes, then smaller ones for the last bytes
    const ssize_t w = ::write(fd, chunk.data(), n);
    if (w > 0) {
      total += static_cast<size_t>(w);
    } else {
      REQUIRE(errno == ENOSPC);
      n /= 2;
    }
  }
  ::close(fd);
  return total;
}

}  // namespace

TEST_CASE("scan screen: an empty feeder, or the glass scanned with its cover open, says so calmly and keeps the pages") {
  const auto [fault, feeder, key, words] = GENERATE(
      std::make_tuple(std::string("SANE_STATUS_NO_DOCS"), true, std::string("scan.problem.feeder_empty"),
                      std::string("Khay nạp giấy đang trống")),
      std::make_tuple(std::string("SANE_STATUS_COVER_OPEN"), false, std::string("scan.problem.cover_open"),
                      std::string("Nắp máy quét đang mở")));
  CAPTURE(fault);
  Fixture f;
  MCK_NEEDS_SANE(f);
  f.ToDocuments();
  f.Do(intent::ScanOpen{.document_id = "contract"});
  f.Scan(false);
  f.Scan(false);
  REQUIRE(f.app->scan().pages.size() == 2);
  const auto ids = f.Ids();
  const auto jpegs = f.Jpegs();
  // The next scan finds no paper in the feeder / the lid open, before its first page.
  f.FailBeforeFirstPage(fault);
  f.Scan(feeder);
  REQUIRE_FALSE(f.fault_failed.load());
  CheckMessage(f, key, words);
  CHECK(f.Ids() == ids);  // nothing already scanned is lost, nor changed
  CHECK(f.Jpegs() == jpegs);
  // The citizen puts the papers in / closes the lid and scans again: the pages come after the two.
  f.FailBeforeFirstPage("");
  f.Scan(feeder);
  CHECK(f.app->scan().message_key.empty());
  const size_t added = feeder ? 10 : 1;  // the test feeder holds 10 pages
  REQUIRE(f.app->scan().pages.size() == 2 + added);
  const auto now = f.Ids();
  CHECK(std::vector<uint64_t>(now.begin(), now.begin() + 2) == ids);
  f.Done();
  const DigitisedPaper* paper = f.app->digitised("contract");
  REQUIRE(paper != nullptr);
  CHECK(paper->pages.size() == 2 + added);
  const auto body = f.app->BuildDossierBody();
  CHECK(body["documents"][0]["digitised"]["pages"] == 2 + added);
  CHECK(body["documents"][0]["digitised"]["sha256"] == Sha256Hex(paper->pdf));
  f.CheckLogHasNoPersonalData();
}

TEST_CASE("scan screen: the scanner unplugged mid-page keeps the pages before it, and plugged back the scan goes on") {
  Fixture f;
  MCK_NEEDS_SANE(f);
  f.ToDocuments();
  f.Do(intent::ScanOpen{.document_id = "contract"});
  // Page 2 of the feeder run ends before the lines it announced: the device went away.
  f.fault = "SANE_STATUS_EOF";
  f.fault_after = 1;
  f.Scan(true);
  REQUIRE_FALSE(f.fault_failed.load());
  CheckMessage(f, "scan.problem.device_gone", "vẫn được giữ");
  REQUIRE(f.app->scan().pages.size() == 1);  // page 1 kept; the page cut short is not
  const auto ids = f.Ids();
  const auto jpegs = f.Jpegs();
  CHECK(jpegs[0].size() > 1000);
  f.fault_after = 0;
  // Plugged back in: the next feeder run adds its pages after page 1.
  f.Scan(true);
  CHECK(f.app->scan().message_key.empty());
  REQUIRE(f.app->scan().pages.size() == 11);
  CHECK(f.app->scan().pages[0].id == ids[0]);
  CHECK(f.app->scan().pages[0].jpeg == jpegs[0]);
  f.Done();
  REQUIRE(f.app->digitised("contract") != nullptr);
  CHECK(f.app->digitised("contract")->pages.size() == 11);
  f.CheckLogHasNoPersonalData();
}

TEST_CASE("scan screen: the dossier's size bound stops at the pages that fit, says so, and the dossier still submits") {
  // 1 MB for the dossier's scans: four grid pages (~214 KB each as JPEG) fit, the fifth does not.
  Fixture f({.max_pages = 20, .max_dossier_mb = 1, .dir = {}});
  MCK_NEEDS_SANE(f);
  f.ToDocuments();
  f.Do(intent::ScanOpen{.document_id = "contract"});
  f.Scan(true);
  CheckMessage(f, "scan.max_bytes", "mức tối đa");
  const size_t kept = f.app->scan().pages.size();
  CHECK(kept >= 2);
  CHECK(kept < 10);  // the feeder ran 10; the pages beyond the bound are not kept
  size_t bytes = 0;
  for (const auto& j : f.Jpegs()) bytes += j.size();
  CHECK(bytes <= 1000u * 1000u);
  const auto ids = f.Ids();
  const auto jpegs = f.Jpegs();
  // One more scan adds nothing and says so again (refused at once, or its page not kept); the
  // pages stay as they were.
  const int before = f.app->scan().completed;
  f.Do(intent::ScanStart{.feeder = false});
  if (f.app->scan().scan_request != 0) REQUIRE(f.PumpUntil([&] { return f.app->scan().completed == before + 1; }));
  CheckMessage(f, "scan.max_bytes", "mức tối đa");
  CHECK(f.Ids() == ids);
  CHECK(f.Jpegs() == jpegs);
  // Deleting a page makes room: the glass's page takes its place at the end.
  f.Do(intent::ScanDelete{.index = 0});
  f.Scan(false);
  CHECK(f.app->scan().message_key.empty());
  REQUIRE(f.app->scan().pages.size() == kept);
  CHECK(f.app->scan().pages.back().id != ids.back());
  // "Xong" binds what fits; the other paper is brought on paper; the dossier is stored with it.
  f.Done();
  const DigitisedPaper* paper = f.app->digitised("contract");
  REQUIRE(paper != nullptr);
  CHECK(paper->pages.size() == kept);
  const std::string sha = paper->sha256;
  f.Do(intent::ToggleDocument{.document_id = "identity_paper"});
  f.Do(intent::DocumentsDone{});
  REQUIRE(f.app->screen() == ScreenId::kReview);
  f.Do(intent::Submit{});
  f.Pump();
  REQUIRE(f.app->screen() == ScreenId::kSubmitted);
  auto list = f.store->dossiers().List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  auto rec = f.store->dossiers().Get(list->front().provisional_code);
  REQUIRE(rec.ok());
  CHECK(rec->body["documents"][0]["digitised"]["sha256"] == sha);
  CHECK(rec->body["documents"][0]["digitised"]["pages"] == kept);
  auto att = f.store->dossiers().Attachment(sha);
  REQUIRE(att.ok());
  CHECK(Sha256Hex(*att) == sha);
  f.CheckLogHasNoPersonalData();
}

TEST_CASE("disk full at submission: the scanned papers are kept, the citizen is told calmly, and once space is back the dossier is stored whole") {
  const auto dir = uitest::MakeTempDir("mck-scan-full");
  {
    // 16 MiB: the store and two scanned papers fit; the disk is then filled to the last byte.
    TmpfsMount tmpfs(dir / "data", "16m");
    if (!tmpfs.ok()) MCK_CANNOT_RUN("needs root and mount namespaces to mount a small tmpfs: " << tmpfs.why());
    Fixture f({.dir = dir});
    MCK_NEEDS_SANE(f);
    f.ToDocuments();
    f.Do(intent::ScanOpen{.document_id = "contract"});
    f.Scan(true);
    REQUIRE(f.app->scan().pages.size() == 10);
    f.Done();
    f.Do(intent::ScanOpen{.document_id = "identity_paper"});
    f.Scan(false);
    f.Scan(false);
    f.Done();
    const DigitisedPaper contract = *f.app->digitised("contract");
    const DigitisedPaper identity = *f.app->digitised("identity_paper");
    REQUIRE(contract.pages.size() == 10);
    REQUIRE(identity.pages.size() == 2);
    f.Do(intent::DocumentsDone{});
    REQUIRE(f.app->screen() == ScreenId::kReview);

    const auto filler = dir / "data" / "filler";
    CHECK(FillDisk(filler) > 0);
    f.Do(intent::Submit{});
    f.Pump();
    CHECK(f.app->screen() == ScreenId::kReview);  // never "Đã nộp hồ sơ" for what is not stored
    CHECK(f.app->notice() == "submit.failed");
    CHECK(f.strings.vi().at("submit.failed").find("Không có thông tin nào bị mất") != std::string::npos);
    CHECK_FALSE(f.app->submitting());
    CHECK_FALSE(f.app->session().submitted);
    // The scanned papers are all still there, page for page, byte for byte.
    REQUIRE(f.app->digitised("contract") != nullptr);
    REQUIRE(f.app->digitised("identity_paper") != nullptr);
    CHECK(f.app->digitised("contract")->pdf == contract.pdf);
    CHECK(f.app->digitised("contract")->pages.size() == 10);
    CHECK(f.app->digitised("identity_paper")->pdf == identity.pdf);
    CHECK(f.app->Value("applicant.full_name") == "Nguyễn Thị Hoà");
    auto none = f.store->dossiers().List();
    REQUIRE(none.ok());
    CHECK(none->empty());  // nothing half stored
    CHECK(f.store->outbox().Depth().value() == 0);

    // Space is freed; the same tap stores the dossier with both papers, their bytes unchanged.
    std::filesystem::remove(filler);
    f.Do(intent::Submit{});
    f.Pump();
    REQUIRE(f.app->screen() == ScreenId::kSubmitted);
    auto list = f.store->dossiers().List();
    REQUIRE(list.ok());
    REQUIRE(list->size() == 1);
    auto rec = f.store->dossiers().Get(list->front().provisional_code);
    REQUIRE(rec.ok());
    CHECK(rec->provisional_code.substr(rec->provisional_code.size() - 4) == "0001");  // no code consumed
    const auto& docs = rec->body["documents"];
    REQUIRE(docs.size() == 2);
    for (const auto* paper : {&contract, &identity}) {
      const size_t i = paper == &contract ? 0 : 1;
      CAPTURE(i);
      CHECK(docs[i]["digitised"]["sha256"] == Sha256Hex(paper->pdf));
      CHECK(docs[i]["digitised"]["pages"] == paper->pages.size());
      auto att = f.store->dossiers().Attachment(Sha256Hex(paper->pdf));
      REQUIRE(att.ok());
      CHECK(*att == paper->pdf);
    }
    auto check = f.store->Check();
    REQUIRE(check.ok());
    CHECK(check->ok());  // integrity and the audit chain
    f.CheckLogHasNoPersonalData();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
