// Test fixtures for the signing layer: a throwaway officer PKI made with OpenSSL's API (a CA,
// officer certificates good / expired / not yet valid / keyEncipherment only, one from another
// CA), and a SoftHSM2 token per test in a temporary directory (SOFTHSM2_CONF points at it), filled
// with softhsm2-util --import (keys) and pkcs11-tool --write-object (certificates).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace mck::test {

inline constexpr const char* kSoftHsmModule = "/usr/lib/softhsm/libsofthsm2.so";
inline constexpr const char* kP11KitClientModule = "/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-client.so";
inline constexpr const char* kUserPin = "123456";

// Made once per test process under $TMPDIR: ca.pem, other-ca.pem and, for each officer NAME in
// good, expired, notyet, keyenc, foreign: NAME.key.pem (PKCS#8), NAME.der, NAME.pem.
struct OfficerPki {
  std::filesystem::path dir;
  std::filesystem::path ca_pem() const { return dir / "ca.pem"; }
  std::filesystem::path other_ca_pem() const { return dir / "other-ca.pem"; }
  std::filesystem::path key(const std::string& name) const { return dir / (name + ".key.pem"); }
  std::filesystem::path der(const std::string& name) const { return dir / (name + ".der"); }
  std::filesystem::path pem(const std::string& name) const { return dir / (name + ".pem"); }
  std::string ca_bundle() const;  // the text of ca.pem
};
const OfficerPki& Pki();

// A SoftHSM2 token in its own directory: initialised with `label`, user PIN kUserPin. Sets
// SOFTHSM2_CONF for this process (one token set per test; open no OfficerToken across tests).
class SoftHsmToken {
 public:
  explicit SoftHsmToken(const std::string& label = "Can bo mot cua");
  ~SoftHsmToken();
  SoftHsmToken(const SoftHsmToken&) = delete;
  SoftHsmToken& operator=(const SoftHsmToken&) = delete;
  // The officer's key and certificate (from Pki()) under CKA_ID `id_hex`.
  void Import(const std::string& officer, const std::string& id_hex);
  // A certificate with no key beside it (a CA certificate).
  void AddCertificate(const std::filesystem::path& der, const std::string& id_hex);
  // ORs `mask` into the token flags SoftHSM2 stores in its token.object (the CKA_OS_TOKENFLAGS
  // attribute, a big-endian 8-byte value after its type and kind), so the token REPORTS them in
  // C_GetTokenInfo. SoftHSM2 never sets CKF_USER_PIN_FINAL_TRY or CKF_USER_PIN_LOCKED itself, and
  // does not enforce a stored lock in C_Login: this shows how the driver reads the flags, not a
  // real lock-out. Call with no OfficerToken open.
  void AddStoredTokenFlags(unsigned long mask);
  const std::string& label() const { return label_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::string label_;
};

// `p11-kit server` exporting the token through a Unix socket; sets P11_KIT_SERVER_ADDRESS so that
// kP11KitClientModule reaches it. Kill() ends the server: the token vanishes for the client.
class P11KitServer {
 public:
  explicit P11KitServer(const SoftHsmToken& token);
  ~P11KitServer();
  void Kill();

 private:
  pid_t pid_ = -1;
};

// Runs a command (argv), returns its exit status; its output in *out when given.
int Run(const std::vector<std::string>& argv, std::string* out = nullptr);
std::string ReadFileBytes(const std::filesystem::path& path);
void WriteFileBytes(const std::filesystem::path& path, const std::string& bytes);

}  // namespace mck::test
