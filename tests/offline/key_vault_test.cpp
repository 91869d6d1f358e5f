// Keys at rest (offline/store/key_vault.h): store.key sealed to a TPM 2.0 — swtpm here, a child
// process per test (tests/support/swtpm.h). A copy of the data directory without that TPM opens
// nothing; a plain key is migrated once; "tpm" with no TPM never falls back to a file.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <map>

#include "offline/domain/ids.h"
#include "offline/store/key_vault.h"
#include "offline/store/tpm_seal.h"
#include "tests/offline/store_fixture.h"
#include "tests/support/swtpm.h"

using namespace mck;
using namespace mck::test;

namespace {

namespace fs = std::filesystem;

bool Exists(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

// Every file of a directory with its bytes: "nothing overwritten, nothing created".
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = ReadAll(e.path());
  return out;
}

StoreOptions WithTpm(StoreOptions o, const std::string& tcti) {
  o.key_protection.mode = KeyProtection::kTpm;
  o.key_protection.tpm_tcti = tcti;
  return o;
}

// A TCTI where no TPM answers: a swtpm started and stopped again (its port is closed).
std::string DeadTcti(const fs::path& dir) {
  Swtpm gone(dir / "gone");
  const std::string tcti = gone.tcti();
  gone.Stop();
  return tcti;
}

}  // namespace

TEST_CASE("a secret sealed to one TPM unseals there and nowhere else") {
  TempDir dir;
  Swtpm tpm(dir.path() / "tpm"), other(dir.path() / "other");
  const std::string secret = "0123456789abcdef0123456789abcdef";
  auto blob = TpmSeal(tpm.tcti(), secret);
  INFO(blob.status().ToString());
  REQUIRE(blob.ok());
  CHECK(blob->find(secret) == std::string::npos);  // not in the clear in the blob
  auto back = TpmUnseal(tpm.tcti(), *blob);
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(*back == secret);
  auto stolen = TpmUnseal(other.tcti(), *blob);
  REQUIRE_FALSE(stolen.ok());
  CHECK(stolen.status().code() == Code::kSecurity);
  CHECK(TpmSeal(tpm.tcti(), std::string(129, 'x')).status().code() == Code::kInvalidArgument);
}

TEST_CASE("a store made with the TPM opens again with the same TPM and keeps no plain key") {
  TempDir dir;
  Swtpm tpm(dir.path() / "tpm");
  const auto opts = WithTpm(TestOptions(dir, nullptr), tpm.tcti());
  std::string id;
  {
    auto store = OpenStore(opts);
    id = store->dossiers().Submit(SampleBody(), {}, "v").value().client_id;
    CHECK(store->key_protection().mode == KeyProtection::kTpm);
  }
  CHECK_FALSE(Exists(opts.data_dir / "store.key"));
  REQUIRE(Exists(opts.data_dir / "store.key.sealed"));
  struct stat st {};
  REQUIRE(::stat((opts.data_dir / "store.key.sealed").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto store = OpenStore(opts);
  CHECK(store->dossiers().Get(id).value().body["applicant"]["id_number"] == "024190001234");
}

TEST_CASE("the stolen disk: a copy of the data directory opens nothing without its TPM") {
  TempDir dir;
  Swtpm tpm(dir.path() / "tpm");
  const auto opts = WithTpm(TestOptions(dir, nullptr), tpm.tcti());
  { OpenStore(opts)->dossiers().Submit(SampleBody(), {}, "v").value(); }
  const fs::path copy = dir.path() / "stolen";
  fs::copy(opts.data_dir, copy);
  StoreOptions thief = opts;
  thief.data_dir = copy;
  const auto before = Snapshot(copy);

  SECTION("with another TPM") {
    Swtpm other(dir.path() / "thief-tpm");
    auto s = Store::Open(WithTpm(thief, other.tcti()));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kSecurity);
    CHECK_THAT(s.status().message_en(), Catch::Contains("does not belong to this TPM"));
  }
  SECTION("with no TPM reachable") {
    auto s = Store::Open(WithTpm(thief, DeadTcti(dir.path())));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kUnavailable);
    CHECK_THAT(s.status().message_en(), Catch::Contains("no TPM reachable"));
  }
  SECTION("configured as \"file\": no new key is made beside the sealed one") {
    thief.key_protection = KeyProtectionOptions{};
    auto s = Store::Open(thief);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kSecurity);
    CHECK_THAT(s.status().message_en(), Catch::Contains("sealed to a TPM"));
  }
  CHECK(Snapshot(copy) == before);  // nothing read into a new key, nothing overwritten or added
  // The owner's kiosk, with its own TPM, still opens its own directory.
  CHECK(Store::Open(opts).ok());
}

TEST_CASE("a plain store.key is sealed once the TPM is configured, and the plain file removed") {
  TempDir dir;
  Swtpm tpm(dir.path() / "tpm");
  const auto plain_opts = TestOptions(dir, nullptr);
  std::string id;
  {
    auto store = OpenStore(plain_opts);
    id = store->dossiers().Submit(SampleBody(), {}, "v").value().client_id;
  }
  const fs::path key = plain_opts.data_dir / "store.key";
  const std::string plain_key = ReadAll(key);
  REQUIRE(plain_key.size() == 32);

  SECTION("no TPM reachable: refused, the plain key kept") {
    auto s = Store::Open(WithTpm(plain_opts, DeadTcti(dir.path())));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kUnavailable);
    CHECK(ReadAll(key) == plain_key);
    CHECK_FALSE(Exists(SealedKeyPath(key)));
  }
  SECTION("migrated") {
    {
      auto store = OpenStore(WithTpm(plain_opts, tpm.tcti()));
      CHECK(store->dossiers().Get(id).ok());
    }
    CHECK_FALSE(Exists(key));
    REQUIRE(Exists(SealedKeyPath(key)));
    CHECK(ReadAll(SealedKeyPath(key)).find(plain_key) == std::string::npos);
    auto again = OpenStore(WithTpm(plain_opts, tpm.tcti()));
    CHECK(again->dossiers().Get(id).value().body["applicant"]["id_number"] == "024190001234");
  }
  SECTION("a power cut after the sealed file was written: the next open finishes the job") {
    const std::string sealed_key = [&] {
      auto store = OpenStore(WithTpm(plain_opts, tpm.tcti()));
      return ReadAll(SealedKeyPath(key));
    }();
    // The state between "sealed file durable" and "plain file removed".
    {
      std::ofstream(key, std::ios::binary) << plain_key;
      ::chmod(key.c_str(), 0600);
    }
    auto store = OpenStore(WithTpm(plain_opts, tpm.tcti()));
    CHECK(store->dossiers().Get(id).ok());
    CHECK_FALSE(Exists(key));
    CHECK(ReadAll(SealedKeyPath(key)) == sealed_key);
  }
}

TEST_CASE("ShredFile overwrites the file before it unlinks it") {
  TempDir dir;
  const fs::path f = dir.path() / "secret";
  std::ofstream(f) << "SECRET-BYTES";
  // A second link keeps the inode reachable, so the overwrite can be seen.
  const fs::path link = dir.path() / "link";
  fs::create_hard_link(f, link);
  REQUIRE(ShredFile(f).ok());
  CHECK_FALSE(Exists(f));
  CHECK(ReadAll(link) == std::string(12, '\0'));
  CHECK(ShredFile(f).ok());  // already gone
}

TEST_CASE("key_protection from the config: explicit words, else tpm only where a TPM device exists") {
  KioskConfig c;
  c.key_protection = "file";
  CHECK(KeyProtectionFor(c).mode == KeyProtection::kFile);
  c.key_protection = "tpm";
  c.tpm_tcti = "swtpm:host=127.0.0.1,port=1";
  CHECK(KeyProtectionFor(c).mode == KeyProtection::kTpm);
  CHECK(KeyProtectionFor(c).tpm_tcti == "swtpm:host=127.0.0.1,port=1");
  c.key_protection.clear();
  CHECK(KeyProtectionFor(c).mode == (Exists("/dev/tpmrm0") ? KeyProtection::kTpm : KeyProtection::kFile));
  CHECK(std::string(KeyProtectionName(KeyProtection::kTpm)) == "tpm");
  CHECK(std::string(KeyProtectionName(KeyProtection::kFile)) == "file");
}
