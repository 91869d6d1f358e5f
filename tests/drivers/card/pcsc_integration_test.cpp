// The chip reader against real peers: Debian's pcscd with the vsmartcard-vpcd virtual reader, and
// the project's own virtual eMRTD card (vcard/emrtd_card.py, written independently in Python) on
// 127.0.0.1:35963. Run through run_pcsc_tests.sh, which starts and stops pcscd and makes the
// throwaway CSCA; these tests start and stop the card.
//
// Environment (set by the wrapper): MCK_VCARD (the card script), MCK_PKI (csca.pem,
// other-csca.pem, ds.pem, ds.key), MCK_KIOSKCTL (optional), MCK_PCSCD_RESTART=1 when the wrapper
// owns pcscd and this test may restart it.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "drivers/card/face_image.h"
#include "drivers/card/mrz.h"
#include "drivers/card/pcsc_reader.h"
#include "drivers/card/qr.h"
#include "tests/support/read_file.h"

#include "tests/drivers/card/pcsc_support.h"

using namespace mck::card;
using namespace mck::card::pcsc_test;
using namespace std::chrono_literals;

TEST_CASE("pcsc: a CCCD is read end to end: BAC, secure messaging, DG1/DG13/SOD verified, signature checked",
          "[pcsc]") {
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI")});
  PcscCardReader reader(Options(Env("MCK_PKI") + "/csca.pem"));
  auto list = reader.ListReaders();
  REQUIRE(list.ok());
  CHECK(std::find(list->begin(), list->end(), kSlot0) != list->end());

  size_t progress_calls = 0, last_done = 0, last_total = 0;
  auto id = reader.Read("", CccdKey(), [&](size_t done, size_t total) {
    ++progress_calls;
    last_done = done;
    last_total = total;
  });
  INFO((id.ok() ? std::string() : id.status().ToString()));
  REQUIRE(id.ok());
  CHECK(id->source == "chip");
  CHECK(id->id_number == "024090000017");
  CHECK(id->full_name == "Nguyễn Văn Thử");
  CHECK(id->date_of_birth.value() == "1990-03-15");
  CHECK(id->gender.value() == "Nam");
  CHECK(id->nationality.value() == "Việt Nam");
  CHECK(id->ethnicity.value() == "Kinh");
  CHECK(id->religion.value() == "Không");
  CHECK(id->date_of_issue.value() == "2021-05-10");
  CHECK(id->date_of_expiry.value() == "2030-03-15");
  CHECK(id->father_name.value() == "Nguyễn Văn Cha");
  CHECK(id->mother_name.value() == "Lê Thị Mẹ");
  CHECK(id->spouse_name.value() == "Trần Thị Vợ");
  CHECK(id->old_id_number.value() == "121234567");
  REQUIRE(id->mrz.has_value());
  CHECK(id->mrz->document_number == "090000017");
  CHECK(id->mrz->surname == "NGUYEN");
  CHECK(id->mrz->given_names == "VAN THU");
  CHECK(id->chip_verified);
  CHECK(id->sod_signature_valid.value_or(false));
  CHECK(id->key_proof == "ca");  // the card offers Chip Authentication (DG14) and DG15
  CHECK(id->assurance == mck::Assurance::kChipVerified);
  CHECK(id->face_jp2.empty());  // DG2 not asked for
  CHECK(progress_calls > 0);
  CHECK(last_done <= last_total);
  const EmrtdStats& s = reader.last_stats();
  CHECK(s.bac_attempts == 1);   // the first renewal-age expiry (2030, age 40) is the card's
  CHECK(s.pace_attempts == 0);  // no EF.CardAccess on this (BAC-only) card: straight to BAC
  // EF.SOD (its hash list names the data groups: no EF.COM), DG14, DG1, DG13; DG15 is not read
  // after a Chip Authentication (it would prove nothing more), DG14 is not read twice.
  std::vector<std::string> names;
  for (const auto& [name, size] : s.files) names.push_back(name);
  CHECK(names == std::vector<std::string>{"EF.SOD", "DG14", "DG1", "DG13"});
  CHECK(s.chip_auth_attempts == 1);
  CHECK(s.active_auth_attempts == 0);
  // The fewest APDUs for this read: READ BINARY of EF.CardAccess by its short EF identifier
  // (the key has a CAN: the card answers 6A82, no PACE), SELECT AID, GET CHALLENGE, EXTERNAL
  // AUTHENTICATE; MSE:Set AT and GENERAL AUTHENTICATE of Chip Authentication; per file one READ
  // BINARY per 2 kB chunk, the first by short EF identifier (no SELECT) giving the length.
  int fewest = 1 + 3 + 2;
  for (const auto& [name, size] : s.files) fewest += static_cast<int>((size + kExtendedChunk - 1) / kExtendedChunk);
  CHECK(s.apdus == fewest);

  SECTION("a CSCA that did not sign it: the card is refused as not genuine") {
    PcscCardReader other(Options(Env("MCK_PKI") + "/other-csca.pem"));
    auto o = other.Read("", CccdKey(), nullptr);
    REQUIRE_FALSE(o.ok());
    CHECK(o.failure() == CardFailure::kNotGenuine);
    CHECK(o.status().code() == mck::Code::kSecurity);
  }
  SECTION("the face (DG2) on request, hashed too, in extended-length chunks") {
    PcscOptions o = Options();
    o.read_face = true;
    PcscCardReader face(o);
    auto f = face.Read("", CccdKey(), nullptr);
    REQUIRE(f.ok());
    CHECK(f->chip_verified);
    CHECK_FALSE(f->sod_signature_valid.has_value());
    CHECK(f->assurance == mck::Assurance::kChipNoCsca);  // no CSCA configured: never verified
    REQUIRE(f->face_jp2.size() > 12);
    CHECK(f->face_jp2.substr(4, 4) == "jP  ");
    // 12 kB of DG2 at 2 kB per READ BINARY: far fewer APDUs than 223-byte chunks would need.
    CHECK(face.last_stats().apdus < 20);
    // A real JPEG 2000 (vcard/face.jp2): the staff screen's decoder makes its 240 x 320 pixels.
    auto pixels = DecodeFaceImage(f->face_jp2);
    REQUIRE(pixels.ok());
    CHECK(pixels->width == 240);
    CHECK(pixels->height == 320);
  }
  SECTION("the face asked for by one read only (AccessKey::read_face, the staff screen's read)") {
    AccessKey key = CccdKey();
    key.read_face = true;
    auto f = reader.Read("", key, nullptr);
    REQUIRE(f.ok());
    CHECK(f->face_jp2.size() > 12000);
    auto again = reader.Read("", CccdKey(), nullptr);  // the next read without: no DG2
    REQUIRE(again.ok());
    CHECK(again->face_jp2.empty());
  }
  SECTION("short APDUs only, when extended length is not allowed") {
    PcscOptions o = Options();
    o.allow_extended = false;
    o.read_face = true;
    PcscCardReader short_reader(o);
    auto f = short_reader.Read("", CccdKey(), nullptr);
    REQUIRE(f.ok());
    CHECK(f->chip_verified);
    CHECK(short_reader.last_stats().apdus > 60);
  }
  SECTION("the same read from the QR's data, through kioskctl") {
    const std::string ctl = Env("MCK_KIOSKCTL");
    if (ctl.empty()) return;
    const std::string out = "/tmp/mck-kioskctl-" + std::to_string(getpid()) + ".json";
    const std::string cmd =
        ctl + " card read --driver pcsc --reader '" + kSlot0 +
        "' --qr '024090000017|121234567|Nguyễn Văn Thử|15031990|Nam|Thôn Ví Dụ|10052021' --json > " + out;
    REQUIRE(system(cmd.c_str()) == 0);
    const auto j = nlohmann::json::parse(mck::test::ReadAll(out));
    unlink(out.c_str());
    CHECK(j["source"] == "chip");
    CHECK(j["chip_verified"] == true);
    CHECK(j["key_proof"] == "ca");
    CHECK(j["assurance"] == "chip_no_csca");  // kioskctl's default config names no CSCA
    CHECK(j["full_name"] == "Nguyễn Văn Thử");
    CHECK(j["date_of_expiry"] == "2030-03-15");
    CHECK(j["mrz"]["document_number"] == "090000017");
    CHECK(j["ethnicity"] == "Kinh");
  }
}

TEST_CASE("pcsc: the ICAO specimen passport (TD3) with the worked example's nonces", "[pcsc][icao]") {
  VirtualCard card({"--profile", "passport", "--pki", Env("MCK_PKI"), "--icao-example"});
  PcscOptions o = Options(Env("MCK_PKI") + "/csca.pem");
  // RND.IFD, then K.IFD, of ICAO 9303-11 Appendix D.
  int call = 0;
  o.random = [&call](uint8_t* out, size_t n) {
    const Bytes v = FromHex(call++ == 0 ? "781723860C06C226" : "0B795240CB7049B01C19B33E32804F0B");
    REQUIRE(v.size() == n);
    std::copy(v.begin(), v.end(), out);
  };
  PcscCardReader reader(o);
  AccessKey key;
  key.document_number = "L898902C";
  key.date_of_birth = "690806";
  key.date_of_expiry = "940623";
  auto id = reader.Read("", key, nullptr);
  INFO((id.ok() ? std::string() : id.status().ToString()));
  REQUIRE(id.ok());
  CHECK(id->mrz->surname == "ERIKSSON");
  CHECK(id->mrz->given_names == "ANNA MARIA");
  CHECK(id->mrz->document_number == "L898902C");
  CHECK(id->date_of_birth.value() == "1969-08-06");
  CHECK(id->gender.value() == "Nữ");
  CHECK(id->chip_verified);
  CHECK(id->sod_signature_valid.value_or(false));
  CHECK_FALSE(id->ethnicity.has_value());  // no DG13 on a passport
  // The card saw the worked example's EXTERNAL AUTHENTICATE, and the reader's first protected
  // command verified under the example's session keys and SSC (the byte-exact protected SELECT
  // of Appendix D.4 is card_core_tests' "secure messaging matches ICAO 9303-11 D.4").
  CHECK(card.Output().find("ICAO-EXAMPLE-MATCH") != std::string::npos);
}

TEST_CASE("pcsc: PACE-CAN end to end: EF.CardAccess, generic mapping on P-256, AES secure messaging, SOD verified",
          "[pcsc][pace]") {
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI"), "--pace"});
  PcscCardReader reader(Options(Env("MCK_PKI") + "/csca.pem"));
  AccessKey can_only;
  can_only.can = "000017";  // the last 6 digits of 024090000017; no date of birth needed
  auto id = reader.Read("", can_only, nullptr);
  INFO((id.ok() ? std::string() : id.status().ToString()));
  REQUIRE(id.ok());
  CHECK(id->id_number == "024090000017");
  CHECK(id->full_name == "Nguyễn Văn Thử");
  CHECK(id->date_of_expiry.value() == "2030-03-15");
  CHECK(id->chip_verified);
  CHECK(id->sod_signature_valid.value_or(false));
  CHECK(reader.last_stats().pace_attempts == 1);
  CHECK(reader.last_stats().bac_attempts == 0);
  CHECK(reader.last_stats().files.size() == 4);  // EF.SOD, DG14, DG1, DG13
  CHECK(id->key_proof == "ca");  // Chip Authentication after PACE: AES keys replaced by AES keys
  CHECK(id->assurance == mck::Assurance::kChipVerified);

  // READ BINARY of EF.CardAccess by short EF identifier, MSE:Set AT, four GENERAL
  // AUTHENTICATEs, SELECT AID, Chip Authentication's two, then per file one READ BINARY per 2 kB
  // chunk (the first by short EF identifier: no SELECT).
  int fewest = 1 + 5 + 1 + 2;
  for (const auto& [name, size] : reader.last_stats().files) {
    fewest += static_cast<int>((size + kExtendedChunk - 1) / kExtendedChunk);
  }
  CHECK(reader.last_stats().apdus == fewest);

  SECTION("with the full CCCD key (CAN and BAC data), PACE is used and BAC is not") {
    auto both = reader.Read("", CccdKey(), nullptr);
    REQUIRE(both.ok());
    CHECK(both->chip_verified);
    CHECK(reader.last_stats().pace_attempts == 1);
    CHECK(reader.last_stats().bac_attempts == 0);
    // The same card still in the reader: EF.CardAccess is not read again (1 APDU fewer).
    CHECK(reader.last_stats().apdus == fewest - 1);
  }
  SECTION("the card taken out and put back: EF.CardAccess is read again") {
    card.Stop();  // returns when pcscd has seen the card go
    VirtualCard again({"--profile", "cccd", "--pki", Env("MCK_PKI"), "--pace"});
    auto back = reader.Read("", can_only, nullptr);
    REQUIRE(back.ok());
    CHECK(reader.last_stats().apdus == fewest);
  }
  SECTION("the face in extended-length chunks under AES secure messaging") {
    PcscOptions o = Options();
    o.read_face = true;
    PcscCardReader face(o);
    auto f = face.Read("", can_only, nullptr);
    REQUIRE(f.ok());
    CHECK(f->chip_verified);
    CHECK(f->face_jp2.size() > 12000);
  }
  SECTION("a wrong CAN is refused by the chip, distinctly") {
    AccessKey wrong;
    wrong.can = "000018";
    auto w = reader.Read("", wrong, nullptr);
    REQUIRE_FALSE(w.ok());
    CHECK(w.failure() == CardFailure::kWrongKey);
    CHECK(w.status().code() == mck::Code::kRejected);
    CHECK(w.status().message_vi().find("CAN") != std::string::npos);
    CHECK(reader.last_stats().pace_attempts == 1);
  }
  SECTION("a wrong CAN with right BAC data falls back to BAC") {
    AccessKey k = CccdKey();
    k.can = "999999";
    auto b = reader.Read("", k, nullptr);
    INFO((b.ok() ? std::string() : b.status().ToString()));
    REQUIRE(b.ok());
    CHECK(b->chip_verified);
    CHECK(reader.last_stats().pace_attempts == 1);
    CHECK(reader.last_stats().bac_attempts == 1);
  }
}

TEST_CASE("pcsc: a BAC-only card read with only a CAN asks for the date of birth", "[pcsc][pace]") {
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI")});
  PcscCardReader reader(Options());
  AccessKey can_only;
  can_only.can = "000017";
  auto id = reader.Read("", can_only, nullptr);
  REQUIRE_FALSE(id.ok());
  CHECK(id.failure() == CardFailure::kBadKey);
  CHECK(reader.last_stats().pace_attempts == 0);
}

TEST_CASE("pcsc: a wrong key is refused by the chip (6300), distinctly", "[pcsc]") {
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI")});
  PcscCardReader reader(Options());
  auto key = AccessKeyFromIdNumber("024090000017", {1990, 3, 16});  // wrong day of birth
  REQUIRE(key.ok());
  auto id = reader.Read("", *key, nullptr);
  REQUIRE_FALSE(id.ok());
  CHECK(id.failure() == CardFailure::kWrongKey);
  CHECK(id.status().code() == mck::Code::kRejected);
  CHECK(id.status().message_vi().find("Thẻ không chấp nhận") != std::string::npos);
  // Every expiry the renewal ages allow was tried, then the reader gave up.
  CHECK(reader.last_stats().bac_attempts >= 2);
  // The right key still works on the same card afterwards.
  auto ok = reader.Read("", CccdKey(), nullptr);
  CHECK(ok.ok());
  // kioskctl names the kind and exits 2 (the input is at fault).
  const std::string ctl = Env("MCK_KIOSKCTL");
  if (ctl.empty()) return;
  const std::string out = "/tmp/mck-kioskctl-wrongkey-" + std::to_string(getpid()) + ".json";
  const std::string cmd = ctl + " card read --driver pcsc --reader '" + kSlot0 +
                          "' --id 024090000017 --dob 1990-03-16 --json > " + out + " 2> " + out + ".err";
  const int rc = system(cmd.c_str());
  INFO(mck::test::ReadAll(out + ".err"));
  unlink((out + ".err").c_str());
  REQUIRE(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 2);
  const auto j = nlohmann::json::parse(mck::test::ReadAll(out));
  unlink(out.c_str());
  CHECK(j["card_failure"] == "wrong_key");
}

TEST_CASE("pcsc: a card pulled away mid-read is reported as removed", "[pcsc]") {
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI"), "--pull-after", "9"});
  PcscCardReader reader(Options());
  auto id = reader.Read("", CccdKey(), nullptr);
  REQUIRE_FALSE(id.ok());
  INFO(id.status().ToString());
  CHECK(id.failure() == CardFailure::kCardRemoved);
  CHECK(id.status().code() == mck::Code::kUnavailable);
  CHECK(id.status().message_vi().find("rút ra") != std::string::npos);
}

TEST_CASE("pcsc: a card that advertises but refuses extended length is read again with short APDUs", "[pcsc]") {
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI"), "--refuse-extended"});
  PcscOptions o = Options();
  o.read_face = true;
  PcscCardReader reader(o);
  auto id = reader.Read("", CccdKey(), nullptr);
  INFO((id.ok() ? std::string() : id.status().ToString()));
  REQUIRE(id.ok());
  CHECK(id->chip_verified);
  CHECK(id->key_proof == "ca");           // Chip Authentication in short APDUs too
  CHECK(reader.last_stats().apdus > 60);  // the second, short-APDU pass
}

TEST_CASE("pcsc: a card pulled right after Chip Authentication is removed, not a clone", "[pcsc]") {
  // APDU 8 is Chip Authentication's GENERAL AUTHENTICATE (EF.CardAccess probe, SELECT AID, GET
  // CHALLENGE, EXTERNAL AUTHENTICATE, EF.SOD, DG14, MSE:Set AT, GA); the 9th, DG1's first READ
  // BINARY, is the proof under the new keys: a card gone then is not a failed proof.
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI"), "--pull-after", "8"});
  PcscCardReader reader(Options(Env("MCK_PKI") + "/csca.pem"));
  auto id = reader.Read("", CccdKey(), nullptr);
  REQUIRE_FALSE(id.ok());
  INFO(id.status().ToString());
  CHECK(id.failure() == CardFailure::kCardRemoved);
  CHECK(reader.last_stats().chip_auth_attempts == 1);
}

TEST_CASE("pcsc: a chip that refuses short EF identifiers is read with SELECT + READ BINARY", "[pcsc]") {
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI"), "--no-sfi"});
  PcscOptions o = Options(Env("MCK_PKI") + "/csca.pem");
  o.read_face = true;
  PcscCardReader reader(o);
  auto id = reader.Read("", CccdKey(), nullptr);
  INFO((id.ok() ? std::string() : id.status().ToString()));
  REQUIRE(id.ok());
  CHECK(id->key_proof == "ca");
  CHECK(id->assurance == mck::Assurance::kChipVerified);
  CHECK(id->face_jp2.substr(4, 4) == "jP  ");
  const EmrtdStats& s = reader.last_stats();
  CHECK(s.files.size() == 5);  // EF.SOD, DG14, DG1, DG13, DG2
  // EF.CardAccess: the SFI form refused (6A86), then SELECT 011C (6A82); EF.SOD: the SFI form
  // refused once, then a SELECT per file; the rest as with short EF identifiers.
  int fewest = 2 + 3 + 2 + 1;
  for (const auto& [name, size] : s.files) fewest += 1 + static_cast<int>((size + kExtendedChunk - 1) / kExtendedChunk);
  CHECK(s.apdus == fewest);
}

TEST_CASE("pcsc: a card without the eMRTD application is not an ID card", "[pcsc]") {
  VirtualCard card({"--profile", "not-emrtd"});
  PcscCardReader reader(Options());
  auto id = reader.Read("", CccdKey(), nullptr);
  REQUIRE_FALSE(id.ok());
  CHECK(id.failure() == CardFailure::kNotAnIdCard);
}

TEST_CASE("pcsc: a DG13 changed after signing is read but not verified", "[pcsc]") {
  VirtualCard card({"--profile", "cccd", "--pki", Env("MCK_PKI"), "--tamper-dg13"});
  PcscCardReader reader(Options(Env("MCK_PKI") + "/csca.pem"));
  auto id = reader.Read("", CccdKey(), nullptr);
  REQUIRE(id.ok());
  CHECK_FALSE(id->chip_verified);
  CHECK(id->sod_signature_valid.value_or(false));  // the SOD itself is intact
  CHECK(id->assurance == mck::Assurance::kTyped);  // the chip's data proves nothing
}

TEST_CASE("pcsc: an empty slot and an absent reader are distinct results", "[pcsc]") {
  PcscCardReader reader(PcscOptions{});
  auto empty = reader.Read("Virtual PCD 00 01", CccdKey(), nullptr);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.failure() == CardFailure::kNoCard);
  auto absent = reader.Read("No Such Reader 99", CccdKey(), nullptr);
  REQUIRE_FALSE(absent.ok());
  CHECK(absent.failure() == CardFailure::kNoReader);
  AccessKey bad;
  bad.document_number = "090000017";
  bad.date_of_birth = "9003";
  auto malformed = reader.Read("", bad, nullptr);
  CHECK(malformed.failure() == CardFailure::kBadKey);
}

TEST_CASE("pcsc: Cancel wakes a blocked WaitForChange from another thread", "[pcsc]") {
  PcscCardReader reader(PcscOptions{});
  auto first = reader.WaitForChange(0ms);  // the initial state
  REQUIRE(first.ok());
  // On a loaded machine the wait may not have started when the first Cancel() comes (a Cancel()
  // before WaitForChange begins is not meant to carry over): cancel again until it returns. Once
  // blocked, one Cancel() ends it (SCardCancel), and one that lands while it is about to block
  // is seen within a wait slice (250 ms); that race failed this test under load before.
  std::atomic<bool> returned{false};
  std::thread canceller([&] {
    while (!returned) {
      std::this_thread::sleep_for(200ms);
      reader.Cancel();
    }
  });
  const auto start = std::chrono::steady_clock::now();
  auto ev = reader.WaitForChange(20s);
  returned = true;
  canceller.join();
  CHECK(ev.ok());
  CHECK(std::chrono::steady_clock::now() - start < 10s);
}

namespace {
pid_t PcscdPid() {
  std::ifstream in("/run/pcscd/pcscd.pid");
  std::string text;
  std::getline(in, text, '\0');
  return text.empty() ? 0 : static_cast<pid_t>(std::stol(text));
}
// True once every thread of `pid` is in the stopped state. kill(SIGSTOP) returns as soon as the
// signal is queued and one thread is woken to take it; the others stop only when that thread has
// run. On a loaded machine the thread serving our socket can answer a request in between (seen in
// CI: the "frozen" pcscd answered ListReaders). So wait until /proc says every thread is stopped.
bool AllThreadsStopped(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return false;
  bool all = true;
  int seen = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(dir + "/" + e->d_name + "/stat");
    std::string stat;
    std::getline(in, stat);
    const size_t paren = stat.rfind(')');  // the command name may hold spaces and parentheses
    if (paren == std::string::npos || paren + 2 >= stat.size()) continue;  // the thread just ended
    ++seen;
    const char state = stat[paren + 2];
    all = all && (state == 'T' || state == 't');
  }
  closedir(d);
  return all && seen > 0;
}
bool Alive(pid_t pid) { return pid > 0 && kill(pid, 0) == 0; }
void StartPcscd() {
  // The wrapper's pcscd is gone; start the next one the same way (the wrapper stops it at the end).
  REQUIRE(system("(pcscd -f >/dev/null 2>&1 &) ; for i in $(seq 50); do [ -S /run/pcscd/pcscd.comm ] && break; sleep "
                 "0.1; done") == 0);
  std::this_thread::sleep_for(300ms);
}
}  // namespace

TEST_CASE("pcsc: after pcscd restarts, the same reader object re-establishes its context", "[pcsc]") {
  if (Env("MCK_PCSCD_RESTART") != "1") return;
  // A failed REQUIRE below must not leave the machine without pcscd: every later test case
  // would then fail too (seen under load: one failure here became eight).
  struct RestartOnExit {
    ~RestartOnExit() {
      // A pcscd killed by the test leaves its socket and pid file behind: look at the process.
      if (!Alive(PcscdPid())) {
        unlink("/run/pcscd/pcscd.comm");
        unlink("/run/pcscd/pcscd.pid");
        (void)!system(
            "(pcscd -f >/dev/null 2>&1 &) ; for i in $(seq 100); do [ -S /run/pcscd/pcscd.comm ] && "
            "break; sleep 0.1; done");
      }
    }
  } restart_on_exit;
  PcscCardReader reader(PcscOptions{});
  REQUIRE(reader.ListReaders().ok());
  for (int round = 0; round < 4; ++round) {
    INFO("round " << round);
    if (round % 2 == 0) {
      // pcscd stopped between two calls: the next call finds the socket closed (usually
      // SCARD_E_NO_SERVICE; now and then the close is a reset, see below).
      REQUIRE(
          system(
              "kill $(tr -d '\\0' < /run/pcscd/pcscd.pid) && while [ -e /run/pcscd/pcscd.pid ]; do sleep 0.1; done") ==
          0);
    } else {
      // pcscd dies while a call is in flight: frozen, so our request sits unread in its socket,
      // then killed. The kernel resets such a socket and pcsc-lite reports the ECONNRESET as
      // SCARD_W_SECURITY_VIOLATION ("Access denied."), the code that once failed this test in CI.
      const pid_t pid = PcscdPid();
      REQUIRE(pid > 0);
      REQUIRE(kill(pid, SIGSTOP) == 0);
      bool stopped = false;
      for (int i = 0; i < 500 && !(stopped = AllThreadsStopped(pid)); ++i) std::this_thread::sleep_for(10ms);
      REQUIRE(stopped);
      std::thread killer([pid] {
        std::this_thread::sleep_for(300ms);
        kill(pid, SIGKILL);
      });
      auto down = reader.ListReaders();
      killer.join();
      REQUIRE_FALSE(down.ok());
      INFO(down.status().ToString());
      CHECK(down.failure() == CardFailure::kServiceDown);
      unlink("/run/pcscd/pcscd.comm");  // SIGKILL left them behind
      unlink("/run/pcscd/pcscd.pid");
    }
    auto down = reader.ListReaders();
    REQUIRE_FALSE(down.ok());
    INFO(down.status().ToString());
    CHECK(down.failure() == CardFailure::kServiceDown);
    // A read asked for while pcscd is down says so too: never "card removed" (the kiosk's
    // message for it is "the card reader is paused").
    auto read = reader.Read("", CccdKey(), nullptr);
    REQUIRE_FALSE(read.ok());
    CHECK(read.failure() == CardFailure::kServiceDown);
    StartPcscd();
    auto up = reader.ListReaders();
    INFO((up.ok() ? std::string() : up.status().ToString()));
    REQUIRE(up.ok());
    CHECK(std::find(up->begin(), up->end(), kSlot0) != up->end());
  }
}
