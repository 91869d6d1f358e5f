// The officer PKI and SoftHSM2 tokens for the signing tests (token_fixture.h).
#include "tests/drivers/token/token_fixture.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace mck::test {
namespace fs = std::filesystem;
namespace {

fs::path FreshDir(const std::string& prefix) {
  std::random_device rd;
  const fs::path base = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  for (;;) {
    fs::path p = base / (prefix + "-" + std::to_string(rd()));
    if (fs::create_directory(p)) return p;
  }
}

struct Issued {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
};

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  REQUIRE(ext != nullptr);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate valid from now+from_s to now+to_s; self-signed when issuer is null.
Issued Make(const std::string& cn, long serial, long from_s, long to_s, const char* key_usage, const Issued* issuer) {
  Issued out;
  out.key = EVP_RSA_gen(2048);
  REQUIRE(out.key != nullptr);
  out.cert = X509_new();
  X509_set_version(out.cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(out.cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(out.cert), from_s);
  X509_gmtime_adj(X509_getm_notAfter(out.cert), to_s);
  X509_NAME* name = X509_get_subject_name(out.cert);
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("VN"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(out.cert, issuer ? X509_get_subject_name(issuer->cert) : name);
  X509_set_pubkey(out.cert, out.key);
  X509* signer_cert = issuer ? issuer->cert : out.cert;
  if (issuer == nullptr) {
    AddExt(out.cert, signer_cert, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(out.cert, signer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExt(out.cert, signer_cert, NID_basic_constraints, "CA:FALSE");
    AddExt(out.cert, signer_cert, NID_key_usage, key_usage);
  }
  AddExt(out.cert, signer_cert, NID_subject_key_identifier, "hash");
  REQUIRE(X509_sign(out.cert, issuer ? issuer->key : out.key, EVP_sha256()) > 0);
  return out;
}

void WritePemCert(const fs::path& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f != nullptr);
  PEM_write_X509(f, cert);
  std::fclose(f);
}

void WriteAll(const fs::path& dir, const std::string& name, const Issued& i) {
  FILE* f = std::fopen((dir / (name + ".key.pem")).c_str(), "w");
  REQUIRE(f != nullptr);
  PEM_write_PKCS8PrivateKey(f, i.key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  WritePemCert(dir / (name + ".pem"), i.cert);
  unsigned char* der = nullptr;
  const int n = i2d_X509(i.cert, &der);
  WriteFileBytes(dir / (name + ".der"), std::string(reinterpret_cast<char*>(der), static_cast<std::size_t>(n)));
  OPENSSL_free(der);
}

void Free(Issued& i) {
  EVP_PKEY_free(i.key);
  X509_free(i.cert);
}

}  // namespace

std::string ReadFileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFileBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::string OfficerPki::ca_bundle() const {
  return ReadFileBytes(ca_pem());
}

const OfficerPki& Pki() {
  static const OfficerPki pki = [] {
    OfficerPki p;
    p.dir = FreshDir("mck-officer-pki");
    const long day = 86400;
    Issued ca = Make("Test Officer CA", 1, -400 * day, 3650 * day, nullptr, nullptr);
    Issued other = Make("Some Other CA", 2, -400 * day, 3650 * day, nullptr, nullptr);
    WritePemCert(p.ca_pem(), ca.cert);
    WritePemCert(p.other_ca_pem(), other.cert);
    const char* sign = "critical,digitalSignature,nonRepudiation";
    Issued good = Make("Nguyễn Văn An", 0x1001, -30 * day, 700 * day, sign, &ca);
    Issued expired = Make("Trần Thị Bình", 0x1002, -400 * day, -10 * day, sign, &ca);
    Issued notyet = Make("Lê Văn Cường", 0x1003, 30 * day, 700 * day, sign, &ca);
    Issued keyenc = Make("Phạm Thị Dung", 0x1004, -30 * day, 700 * day, "critical,keyEncipherment", &ca);
    Issued foreign = Make("Hoàng Văn Em", 0x1005, -30 * day, 700 * day, sign, &other);
    WriteAll(p.dir, "ca", ca);
    WriteAll(p.dir, "good", good);
    WriteAll(p.dir, "expired", expired);
    WriteAll(p.dir, "notyet", notyet);
    WriteAll(p.dir, "keyenc", keyenc);
    WriteAll(p.dir, "foreign", foreign);
    for (Issued* i : {&ca, &other, &good, &expired, &notyet, &keyenc, &foreign}) Free(*i);
    return p;
  }();
  // The throwaway keys go with the test process.
  static const struct RemoveAtExit {
    fs::path dir;
    ~RemoveAtExit() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } remove_at_exit{pki.dir};
  return pki;
}

int Run(const std::vector<std::string>& argv, std::string* out) {
  std::string cmd;
  for (const std::string& a : argv) cmd += "'" + a + "' ";
  cmd += "2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string text;
  char buf[512];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) text.append(buf, n);
  const int rc = pclose(p);
  if (out) *out = text;
  if (rc != 0) UNSCOPED_INFO(cmd << " -> " << text);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

SoftHsmToken::SoftHsmToken(const std::string& label) : dir_(FreshDir("mck-softhsm")), label_(label) {
  fs::create_directory(dir_ / "tokens");
  WriteFileBytes(dir_ / "softhsm2.conf", "directories.tokendir = " + (dir_ / "tokens").string() +
                                             "\nobjectstore.backend = file\nlog.level = ERROR\n");
  setenv("SOFTHSM2_CONF", (dir_ / "softhsm2.conf").c_str(), 1);
  REQUIRE(Run({"softhsm2-util", "--init-token", "--free", "--label", label_, "--pin", kUserPin, "--so-pin",
               "87654321"}) == 0);
}

SoftHsmToken::~SoftHsmToken() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void SoftHsmToken::Import(const std::string& officer, const std::string& id_hex) {
  REQUIRE(Run({"softhsm2-util", "--import", Pki().key(officer).string(), "--token", label_, "--label", officer, "--id",
               id_hex, "--pin", kUserPin}) == 0);
  AddCertificate(Pki().der(officer), id_hex);
}

void SoftHsmToken::AddCertificate(const fs::path& der, const std::string& id_hex) {
  REQUIRE(Run({"pkcs11-tool", "--module", kSoftHsmModule, "--token-label", label_, "--login", "--pin", kUserPin,
               "--write-object", der.string(), "--type", "cert", "--id", id_hex, "--label", "cert-" + id_hex}) == 0);
}

void SoftHsmToken::AddStoredTokenFlags(unsigned long mask) {
  fs::path file;
  for (const auto& d : fs::directory_iterator(dir_ / "tokens")) {
    if (fs::exists(d.path() / "token.object")) file = d.path() / "token.object";
  }
  REQUIRE(!file.empty());
  std::string bytes = ReadFileBytes(file);
  // type CKA_OS_TOKENFLAGS (CKA_VENDOR_DEFINED + 0x5348 + 3), kind 2 (an unsigned long), value.
  const std::string pattern("\0\0\0\0\x80\0\x53\x4b\0\0\0\0\0\0\0\x02", 16);
  const std::size_t at = bytes.find(pattern);
  REQUIRE(at != std::string::npos);
  REQUIRE(at + 24 <= bytes.size());
  unsigned long long value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[at + 16 + i]);
  value |= mask;
  for (int i = 7; i >= 0; --i, value >>= 8) bytes[at + 16 + i] = static_cast<char>(value & 0xff);
  WriteFileBytes(file, bytes);
}

P11KitServer::P11KitServer(const SoftHsmToken& token) {
  const fs::path socket = token.dir() / "p11.sock";
  pid_ = fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) {
    std::string uri = "pkcs11:token=";  // RFC 7512: the label percent-encoded
    for (char ch : token.label()) uri += ch == ' ' ? std::string("%20") : std::string(1, ch);
    setpgid(0, 0);  // the server forks a child per connection: Kill() ends the whole group
    execlp("p11-kit", "p11-kit", "server", "-f", "-n", socket.c_str(), "--provider", kSoftHsmModule, uri.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!fs::exists(socket) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(fs::exists(socket));
  setenv("P11_KIT_SERVER_ADDRESS", ("unix:path=" + socket.string()).c_str(), 1);
}

P11KitServer::~P11KitServer() {
  Kill();
}

void P11KitServer::Kill() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace mck::test
