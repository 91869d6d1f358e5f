// Identity assurance through real pcscd + vpcd + the virtual card (issue 11): a chip is
// "chip_verified" only when its hashes match, its SOD chains to a configured CSCA (not revoked)
// and it proves its private key (Chip Authentication, else Active Authentication). Genuine,
// cloned, wrongly signed and revoked cards. Run through run_pcsc_tests.sh (see
// pcsc_integration_test.cpp).
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/drivers/card/pcsc_support.h"

using namespace mck::card;
using namespace mck::card::pcsc_test;

namespace {

std::vector<std::string> Card(std::vector<std::string> extra) {
  std::vector<std::string> argv = {"--profile", "cccd", "--pki", Env("MCK_PKI")};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

PcscOptions WithCrl(const std::string& csca, const std::string& crl) {
  PcscOptions o = Options(csca);
  o.crl_file = crl;
  return o;
}

const std::string Pki(const char* file) {
  return Env("MCK_PKI") + "/" + file;
}

}  // namespace

TEST_CASE("pcsc assurance: a genuine card with Chip Authentication is chip_verified", "[pcsc][assurance]") {
  VirtualCard card(Card({"--key-proof", "ca"}));
  PcscCardReader reader(Options(Pki("csca.pem")));
  auto id = reader.Read("", CccdKey(), nullptr);
  INFO((id.ok() ? std::string() : id.status().ToString()));
  REQUIRE(id.ok());
  CHECK(id->chip_verified);
  CHECK(id->key_proof == "ca");
  CHECK(id->assurance == mck::Assurance::kChipVerified);
  CHECK(reader.last_stats().chip_auth_attempts == 1);
  CHECK(IdentityToJson(*id)["assurance"] == "chip_verified");
  CHECK(IdentityToJson(*id)["key_proof"] == "ca");

  SECTION("the same card under a CSCA master list, and under a PEM bundle of two CSCAs") {
    for (const char* file : {"csca.ml", "bundle.pem"}) {
      INFO(file);
      PcscCardReader ml(Options(Pki(file)));
      auto m = ml.Read("", CccdKey(), nullptr);
      INFO((m.ok() ? std::string() : m.status().ToString()));
      REQUIRE(m.ok());
      CHECK(m->assurance == mck::Assurance::kChipVerified);
    }
  }
  SECTION("with no CSCA configured: consistent, never verified") {
    PcscCardReader none(Options());
    auto n = none.Read("", CccdKey(), nullptr);
    REQUIRE(n.ok());
    CHECK(n->chip_verified);
    CHECK(n->key_proof == "ca");
    CHECK(n->assurance == mck::Assurance::kChipNoCsca);
  }
  SECTION("with csca's CRL, which does not list this card's signer") {
    PcscCardReader crl(WithCrl(Pki("csca.pem"), Pki("crl.pem")));
    auto c = crl.Read("", CccdKey(), nullptr);
    INFO((c.ok() ? std::string() : c.status().ToString()));
    REQUIRE(c.ok());
    CHECK(c->assurance == mck::Assurance::kChipVerified);
  }
}

TEST_CASE("pcsc assurance: a genuine card with Active Authentication only is chip_verified", "[pcsc][assurance]") {
  for (const char* alg : {"ecdsa", "rsa"}) {
    INFO(alg);
    VirtualCard card(Card({"--key-proof", "aa", "--aa-alg", alg}));
    PcscCardReader reader(Options(Pki("csca.pem")));
    auto id = reader.Read("", CccdKey(), nullptr);
    INFO((id.ok() ? std::string() : id.status().ToString()));
    REQUIRE(id.ok());
    CHECK(id->chip_verified);
    CHECK(id->key_proof == "aa");
    CHECK(id->assurance == mck::Assurance::kChipVerified);
    CHECK(reader.last_stats().active_auth_attempts == 1);
    CHECK(reader.last_stats().chip_auth_attempts == 0);
    card.Stop();
  }
}

TEST_CASE("pcsc assurance: a card that offers no key proof is never verified", "[pcsc][assurance]") {
  VirtualCard card(Card({"--key-proof", "none"}));
  PcscCardReader reader(Options(Pki("csca.pem")));
  auto id = reader.Read("", CccdKey(), nullptr);
  REQUIRE(id.ok());
  CHECK(id->chip_verified);
  CHECK(id->sod_signature_valid.value_or(false));
  CHECK(id->key_proof == "none");
  CHECK(id->assurance == mck::Assurance::kChipNoCsca);
}

TEST_CASE("pcsc assurance: a clone (the files without the private key) is refused", "[pcsc][assurance]") {
  for (const char* proof : {"both", "ca", "aa"}) {
    for (const char* csca : {"csca.pem", ""}) {
      INFO(proof << " csca=" << csca);
      VirtualCard card(Card({"--clone", "--key-proof", proof}));
      PcscCardReader reader(Options(*csca ? Pki(csca) : ""));
      auto id = reader.Read("", CccdKey(), nullptr);
      REQUIRE_FALSE(id.ok());
      INFO(id.status().ToString());
      CHECK(id.failure() == CardFailure::kNotGenuine);
      CHECK(id.status().message_vi().find("thẻ căn cước thật") != std::string::npos);
      card.Stop();
    }
  }
}

TEST_CASE("pcsc assurance: a SOD signed under another CSCA is refused", "[pcsc][assurance]") {
  VirtualCard card(Card({"--signer", "other-ds"}));
  PcscCardReader reader(Options(Pki("csca.pem")));
  auto id = reader.Read("", CccdKey(), nullptr);
  REQUIRE_FALSE(id.ok());
  INFO(id.status().ToString());
  CHECK(id.failure() == CardFailure::kNotGenuine);
  CHECK(id.status().message_en().find("certificate verify") != std::string::npos);
  // kioskctl says so: exit 1 and the kind.
  const std::string ctl = Env("MCK_KIOSKCTL");
  if (ctl.empty()) return;
  const std::string dir = "/tmp/mck-kp-" + std::to_string(getpid());
  REQUIRE(system(("mkdir -p " + dir).c_str()) == 0);
  {
    std::ofstream cfg(dir + "/kiosk.toml");
    cfg << "[devices]\ncard_reader = \"pcsc\"\ncsca_file = \"" << Pki("csca.pem") << "\"\n";
  }
  const std::string cmd = ctl + " --config " + dir + "/kiosk.toml card read --reader '" + kSlot0 +
                          "' --id 024090000017 --dob 1990-03-15 --json > " + dir + "/out.json 2> " + dir + "/err";
  const int rc = system(cmd.c_str());
  INFO(mck::test::ReadAll(dir + "/err"));
  REQUIRE(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 1);
  const auto j = nlohmann::json::parse(mck::test::ReadAll(dir + "/out.json"));
  CHECK(j["card_failure"] == "not_genuine");
  REQUIRE(system(("rm -rf " + dir).c_str()) == 0);
}

TEST_CASE("pcsc assurance: a document signer revoked by the configured CRL is refused", "[pcsc][assurance]") {
  VirtualCard card(Card({"--signer", "revoked-ds"}));
  PcscCardReader reader(WithCrl(Pki("csca.pem"), Pki("crl.pem")));
  auto id = reader.Read("", CccdKey(), nullptr);
  REQUIRE_FALSE(id.ok());
  INFO(id.status().ToString());
  CHECK(id.failure() == CardFailure::kNotGenuine);
  CHECK(id.status().message_en().find("revoked") != std::string::npos);
  // Without the CRL the same card chains to the CSCA: the CRL is what refused it.
  PcscCardReader no_crl(Options(Pki("csca.pem")));
  auto ok = no_crl.Read("", CccdKey(), nullptr);
  REQUIRE(ok.ok());
  CHECK(ok->assurance == mck::Assurance::kChipVerified);
}

TEST_CASE("pcsc assurance: kioskctl card read reports key_proof and assurance", "[pcsc][assurance]") {
  const std::string ctl = Env("MCK_KIOSKCTL");
  if (ctl.empty()) return;
  VirtualCard card(Card({"--key-proof", "aa"}));
  const std::string dir = "/tmp/mck-kp-ctl-" + std::to_string(getpid());
  REQUIRE(system(("mkdir -p " + dir).c_str()) == 0);
  {
    std::ofstream cfg(dir + "/kiosk.toml");
    cfg << "[devices]\ncard_reader = \"pcsc\"\ncsca_file = \"" << Pki("csca.ml") << "\"\n";
  }
  const std::string base =
      ctl + " --config " + dir + "/kiosk.toml card read --reader '" + kSlot0 + "' --id 024090000017 --dob 1990-03-15";
  REQUIRE(system((base + " --json > " + dir + "/out.json").c_str()) == 0);
  const auto j = nlohmann::json::parse(mck::test::ReadAll(dir + "/out.json"));
  CHECK(j["assurance"] == "chip_verified");
  CHECK(j["key_proof"] == "aa");
  CHECK(j["sod_signature_valid"] == true);
  REQUIRE(system((base + " > " + dir + "/out.txt").c_str()) == 0);
  const std::string text = mck::test::ReadAll(dir + "/out.txt");
  CHECK(text.find("assurance): chip_verified") != std::string::npos);
  CHECK(text.find("key_proof): aa") != std::string::npos);
  REQUIRE(system(("rm -rf " + dir).c_str()) == 0);
}
