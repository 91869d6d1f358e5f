// PKCS#11 through the module's own function list (officer_token.h).
#include "drivers/token/officer_token.h"

#include <dlfcn.h>
#include <openssl/x509.h>
#include <p11-kit/pkcs11.h>
#include <pthread.h>
#include <signal.h>

#include <map>
#include <mutex>

#include "drivers/token/cms_signer.h"
#include "offline/domain/ids.h"
#include "offline/domain/signature.h"

namespace mck::token {

namespace {

// Blocks SIGPIPE in this thread for the duration of the module's calls and swallows one raised
// meanwhile. A module that talks to its token over a socket (p11-kit-client.so, a remote HSM)
// writes to a closed socket when the other end goes away, and the default action of SIGPIPE would
// end the kiosk instead of the call failing with a token error. Process-wide signal settings stay
// the application's.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_, old_;
  bool was_pending_ = false;
};

}  // namespace

// One loaded module: C_Initialize at the first token opened, C_Finalize with the last one closed
// (a module is initialised once per process). The library stays loaded: unloading modules that
// start threads of their own is a known source of crashes at exit.
class Module {
 public:
  CK_FUNCTION_LIST_PTR f = nullptr;
  ~Module() {
    SigpipeBlock no_sigpipe;
    if (f != nullptr) f->C_Finalize(nullptr);
  }
};

namespace {

std::mutex g_modules_mu;
std::map<std::string, std::weak_ptr<Module>> g_modules;

std::string Trimmed(const unsigned char* field, std::size_t n) {
  std::string s(reinterpret_cast<const char*>(field), n);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

TokenResult<std::shared_ptr<Module>> LoadModule(const std::string& path) {
  std::lock_guard<std::mutex> lock(g_modules_mu);
  if (auto live = g_modules[path].lock()) return live;
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) return MakeTokenError(TokenFailure::kModuleMissing, "dlopen " + path);
  auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(lib, "C_GetFunctionList"));
  CK_FUNCTION_LIST_PTR f = nullptr;
  if (get == nullptr || get(&f) != CKR_OK || f == nullptr) {
    return MakeTokenError(TokenFailure::kModuleMissing, path + " is not a PKCS#11 module");
  }
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  const CK_RV rv = f->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    return MakeTokenError(TokenFailure::kModuleMissing, "C_Initialize: " + CkrName(rv));
  }
  auto module = std::make_shared<Module>();
  module->f = f;
  g_modules[path] = module;
  return module;
}

std::string Hex(const std::string& bytes) {
  return HexEncode(bytes);
}

// One attribute's value (empty when absent).
std::string Attribute(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE a{type, nullptr, 0};
  if (f->C_GetAttributeValue(s, o, &a, 1) != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION) return {};
  std::string value(a.ulValueLen, '\0');
  a.pValue = value.data();
  if (f->C_GetAttributeValue(s, o, &a, 1) != CKR_OK) return {};
  value.resize(a.ulValueLen);
  return value;
}

// Objects of a class (and CKA_ID when `id` is given).
CK_RV Find(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const std::string* id,
           std::vector<CK_OBJECT_HANDLE>* out) {
  CK_ATTRIBUTE tmpl[2] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, nullptr, 0}};
  CK_ULONG n = 1;
  if (id != nullptr) {
    tmpl[1].pValue = const_cast<char*>(id->data());
    tmpl[1].ulValueLen = id->size();
    n = 2;
  }
  CK_RV rv = f->C_FindObjectsInit(s, tmpl, n);
  if (rv != CKR_OK) return rv;
  CK_OBJECT_HANDLE batch[16];
  CK_ULONG got = 0;
  do {
    rv = f->C_FindObjects(s, batch, 16, &got);
    if (rv != CKR_OK) break;
    out->insert(out->end(), batch, batch + got);
  } while (got == 16);
  const CK_RV end = f->C_FindObjectsFinal(s);
  return rv != CKR_OK ? rv : end;
}

PinState PinStateOf(const CK_TOKEN_INFO& info) {
  PinState p;
  p.count_low = (info.flags & CKF_USER_PIN_COUNT_LOW) != 0;
  p.final_try = (info.flags & CKF_USER_PIN_FINAL_TRY) != 0;
  p.locked = (info.flags & CKF_USER_PIN_LOCKED) != 0;
  return p;
}

}  // namespace

TokenError OfficerToken::FromCkr(const char* call, unsigned long rv) {
  const TokenFailure kind = TokenFailureFromCkr(rv, logged_in_);
  if (kind == TokenFailure::kTokenRemoved || kind == TokenFailure::kTokenAbsent) {
    logged_in_ = false;
    session_open_ = false;  // the module closed it with the token
  }
  return MakeTokenError(kind, std::string(call) + ": " + CkrName(rv));
}

TokenResult<std::unique_ptr<OfficerToken>> OfficerToken::Open(const std::string& module_path,
                                                              const TokenSelector& which) {
  SigpipeBlock no_sigpipe;
  auto module = LoadModule(module_path);
  if (!module.ok()) return module.error();
  CK_FUNCTION_LIST_PTR f = module.value()->f;
  std::unique_ptr<OfficerToken> token(new OfficerToken());
  token->module_ = module.value();
  CK_ULONG count = 0;
  CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &count);
  if (rv != CKR_OK) return MakeTokenError(TokenFailure::kTokenError, "C_GetSlotList: " + CkrName(rv));
  std::vector<CK_SLOT_ID> slots(count);
  if (count > 0) rv = f->C_GetSlotList(CK_TRUE, slots.data(), &count);
  if (rv != CKR_OK) return MakeTokenError(TokenFailure::kTokenError, "C_GetSlotList: " + CkrName(rv));
  slots.resize(count);
  int matches = 0;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info{};
    if (f->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    const std::string label = Trimmed(info.label, sizeof info.label);
    const std::string serial = Trimmed(info.serialNumber, sizeof info.serialNumber);
    if ((!which.label.empty() && label != which.label) || (!which.serial.empty() && serial != which.serial)) continue;
    if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) continue;
    if (++matches == 1) {
      token->slot_ = slot;
      token->label_ = label;
      token->serial_ = serial;
    }
  }
  if (matches == 0) {
    return MakeTokenError(TokenFailure::kTokenAbsent, which.label.empty() && which.serial.empty()
                                                          ? "no token in any slot"
                                                          : "no token with the configured label/serial");
  }
  if (matches > 1) {
    return MakeTokenError(TokenFailure::kTokenAbsent, "more than one token present: configure its label or serial");
  }
  CK_SESSION_HANDLE session = 0;
  rv = f->C_OpenSession(token->slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &session);
  if (rv != CKR_OK) return token->FromCkr("C_OpenSession", rv);
  token->session_ = session;
  token->session_open_ = true;
  return token;
}

OfficerToken::~OfficerToken() {
  SigpipeBlock no_sigpipe;
  Logout();
  if (session_open_) module_->f->C_CloseSession(session_);
}

void OfficerToken::Logout() {
  SigpipeBlock no_sigpipe;
  if (logged_in_) module_->f->C_Logout(session_);
  logged_in_ = false;
}

TokenResult<PinState> OfficerToken::ReadPinState() {
  SigpipeBlock no_sigpipe;
  CK_TOKEN_INFO info{};
  const CK_RV rv = module_->f->C_GetTokenInfo(slot_, &info);
  if (rv != CKR_OK) return FromCkr("C_GetTokenInfo", rv);
  return PinStateOf(info);
}

TokenResult<std::vector<TokenCertificate>> OfficerToken::Certificates() {
  SigpipeBlock no_sigpipe;
  if (!session_open_) return MakeTokenError(logged_in_ ? TokenFailure::kTokenRemoved : TokenFailure::kTokenAbsent);
  CK_FUNCTION_LIST_PTR f = module_->f;
  std::vector<CK_OBJECT_HANDLE> objects;
  CK_RV rv = Find(f, session_, CKO_CERTIFICATE, nullptr, &objects);
  if (rv != CKR_OK) return FromCkr("C_FindObjects", rv);
  std::vector<TokenCertificate> signing, other;
  for (CK_OBJECT_HANDLE o : objects) {
    TokenCertificate c;
    const std::string id = Attribute(f, session_, o, CKA_ID);
    c.der = Attribute(f, session_, o, CKA_VALUE);
    c.label = Attribute(f, session_, o, CKA_LABEL);
    const auto* p = reinterpret_cast<const unsigned char*>(c.der.data());
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(c.der.size()));
    if (x == nullptr || id.empty()) {
      X509_free(x);
      continue;
    }
    const SignerInfo info = DescribeCertificate(x);
    X509_free(x);
    c.id_hex = Hex(id);
    c.subject_cn = info.subject_cn;
    c.serial_hex = info.serial_hex;
    c.not_before = info.not_before;
    c.not_after = info.not_after;
    c.for_signing = info.for_signing;
    // A certificate with a key beside it: its public key object (public, visible before login)
    // or, after login, its private key.
    std::vector<CK_OBJECT_HANDLE> keys;
    if (Find(f, session_, CKO_PUBLIC_KEY, &id, &keys) != CKR_OK) keys.clear();
    if (keys.empty() && logged_in_ && Find(f, session_, CKO_PRIVATE_KEY, &id, &keys) != CKR_OK) keys.clear();
    if (keys.empty()) continue;  // a CA certificate kept on the token
    (c.for_signing ? signing : other).push_back(std::move(c));
  }
  signing.insert(signing.end(), std::make_move_iterator(other.begin()), std::make_move_iterator(other.end()));
  return signing;
}

TokenStatus OfficerToken::Login(const std::string& pin) {
  SigpipeBlock no_sigpipe;
  if (!session_open_) return MakeTokenError(TokenFailure::kTokenAbsent);
  CK_FUNCTION_LIST_PTR f = module_->f;
  auto state = ReadPinState();
  if (!state.ok()) return state.error();
  if (state.value().locked) {
    TokenError e = MakeTokenError(TokenFailure::kPinLocked, "CKF_USER_PIN_LOCKED before login");
    e.pin = state.value();
    return e;
  }
  // The PIN goes to the module from the caller's buffer: no copy of it is made here.
  const CK_RV rv =
      f->C_Login(session_, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin.data())), pin.size());
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) {
    logged_in_ = true;
    return Done{};
  }
  TokenError e = FromCkr("C_Login", rv);
  if (e.kind == TokenFailure::kWrongPin || e.kind == TokenFailure::kPinLocked) {
    auto after = ReadPinState();
    if (after.ok()) {
      // A wrong PIN that used the last try: the token now reports the lock.
      if (after.value().locked) e = MakeTokenError(TokenFailure::kPinLocked, "C_Login: " + CkrName(rv));
      e.pin = after.value();
      const std::string vi = e.kind == TokenFailure::kPinLocked || e.pin->DescribeVi().empty()
                                 ? e.status.message_vi()
                                 : e.status.message_vi() + " " + e.pin->DescribeVi();
      e.status = Status::Error(e.status.code(), e.status.message_en() + "; " + e.pin->DescribeEn(), vi);
    }
  }
  return e;
}

TokenResult<std::string> OfficerToken::SignDetached(std::string_view content, const std::string& cert_id_hex,
                                                    std::int64_t now) {
  SigpipeBlock no_sigpipe;
  if (!logged_in_) {
    return MakeTokenError(session_open_ ? TokenFailure::kNotLoggedIn : TokenFailure::kTokenRemoved);
  }
  auto certs = Certificates();
  if (!certs.ok()) return certs.error();
  const TokenCertificate* chosen = nullptr;
  for (const TokenCertificate& c : certs.value()) {
    if (cert_id_hex.empty() ? c.for_signing : c.id_hex == cert_id_hex) {
      chosen = &c;
      break;
    }
  }
  if (chosen == nullptr && cert_id_hex.empty() && !certs.value().empty()) chosen = &certs.value().front();
  if (chosen == nullptr) return MakeTokenError(TokenFailure::kNoCertificate);
  {
    const auto* p = reinterpret_cast<const unsigned char*>(chosen->der.data());
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(chosen->der.size()));
    Status why;
    const SignatureProblem problem = CheckSigningCertificate(x, now, &why);
    X509_free(x);
    if (problem == SignatureProblem::kCertExpired)
      return MakeTokenError(TokenFailure::kCertExpired, chosen->serial_hex);
    if (problem == SignatureProblem::kCertNotYetValid) {
      return MakeTokenError(TokenFailure::kCertNotYetValid, chosen->serial_hex);
    }
    if (problem == SignatureProblem::kNotForSigning) {
      return MakeTokenError(TokenFailure::kCertNotForSigning, chosen->serial_hex);
    }
  }
  CK_FUNCTION_LIST_PTR f = module_->f;
  std::string id;
  for (std::size_t i = 0; i + 1 < chosen->id_hex.size(); i += 2) {
    id.push_back(static_cast<char>(std::stoi(chosen->id_hex.substr(i, 2), nullptr, 16)));
  }
  std::vector<CK_OBJECT_HANDLE> keys;
  CK_RV rv = Find(f, session_, CKO_PRIVATE_KEY, &id, &keys);
  if (rv != CKR_OK) return FromCkr("C_FindObjects", rv);
  if (keys.empty()) return MakeTokenError(TokenFailure::kNoCertificate, "no private key with the certificate's id");
  CK_KEY_TYPE key_type = 0;
  CK_ATTRIBUTE kt{CKA_KEY_TYPE, &key_type, sizeof key_type};
  rv = f->C_GetAttributeValue(session_, keys[0], &kt, 1);
  if (rv != CKR_OK) return FromCkr("C_GetAttributeValue", rv);
  if (key_type != CKK_RSA) return MakeTokenError(TokenFailure::kNoCertificate, "the key is not RSA");

  // CA certificates on the token (no key beside them) go into the CMS too.
  std::vector<std::string> chain;
  std::vector<CK_OBJECT_HANDLE> all;
  if (Find(f, session_, CKO_CERTIFICATE, nullptr, &all) == CKR_OK) {
    for (CK_OBJECT_HANDLE o : all) {
      const std::string cid = Attribute(f, session_, o, CKA_ID);
      bool has_key = false;
      for (const TokenCertificate& c : certs.value()) has_key = has_key || c.id_hex == Hex(cid);
      if (!has_key) chain.push_back(Attribute(f, session_, o, CKA_VALUE));
    }
  }

  CK_RV sign_rv = CKR_OK;
  const char* failed_call = "C_Sign";
  const CK_OBJECT_HANDLE key = keys[0];
  const CK_SESSION_HANDLE session = session_;
  RawRsaSign sign = [&](std::string_view digest_info, std::string* signature) {
    CK_MECHANISM mech{CKM_RSA_PKCS, nullptr, 0};
    sign_rv = f->C_SignInit(session, &mech, key);
    if (sign_rv != CKR_OK) {
      failed_call = "C_SignInit";
      return false;
    }
    CK_ULONG len = 0;
    auto* data = reinterpret_cast<CK_BYTE_PTR>(const_cast<char*>(digest_info.data()));
    sign_rv = f->C_Sign(session, data, digest_info.size(), nullptr, &len);
    if (sign_rv != CKR_OK) return false;
    signature->assign(len, '\0');
    sign_rv = f->C_Sign(session, data, digest_info.size(), reinterpret_cast<CK_BYTE_PTR>(signature->data()), &len);
    if (sign_rv != CKR_OK) return false;
    signature->resize(len);
    return true;
  };
  auto cms = BuildDetachedCades(content, chosen->der, chain, now, sign);
  if (sign_rv != CKR_OK) return FromCkr(failed_call, sign_rv);
  if (!cms.ok()) return TokenError{TokenFailure::kTokenError, cms.status(), std::nullopt};
  return std::move(cms).value();
}

TokenResult<std::string> SignWithToken(const std::string& module_path, const TokenSelector& which,
                                       const std::string& pin, const std::string& cert_id_hex, std::string_view content,
                                       std::int64_t now) {
  auto token = OfficerToken::Open(module_path, which);
  if (!token.ok()) return token.error();
  auto login = token.value()->Login(pin);
  if (!login.ok()) return login.error();
  auto cms = token.value()->SignDetached(content, cert_id_hex, now);
  token.value()->Logout();
  return cms;
}

}  // namespace mck::token
