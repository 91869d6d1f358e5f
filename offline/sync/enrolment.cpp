#include "offline/sync/enrolment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <sstream>

#include "offline/domain/ids.h"
#include "offline/store/store.h"
#include "offline/sync/answer.h"
#include "offline/sync/http.h"
#include "offline/sync/portal_errors.h"

namespace mck {

using nlohmann::json;

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct ReqFree {
  void operator()(X509_REQ* r) const { X509_REQ_free(r); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

std::string BioString(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

Status OpenSslError(const std::string& what) {
  return Status::Error(Code::kInternal, "OpenSSL: " + what, "Lỗi tạo khoá bảo mật của kiosk");
}

// Writes a file atomically (temp + fsync + rename) with the given mode.
Status WriteFileAtomic(const std::filesystem::path& path, const std::string& data, mode_t mode) {
  const std::string tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    return Status::Error(Code::kIo, tmp + ": cannot write", "Không ghi được tệp " + path.string());
  }
  ::fchmod(fd, mode);
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::Error(Code::kIo, tmp + ": write failed (disk full?)", "Không ghi được tệp " + path.string());
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::Error(Code::kIo, path.string() + ": cannot store", "Không ghi được tệp " + path.string());
  }
  return Status::Ok();
}

Result<std::string> ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Error(Code::kNotFound, path.string() + ": cannot read the CA file",
                         "Không đọc được tệp chứng chỉ CA: " + path.string());
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::string> Setting(Store& store, const char* key) {
  auto v = store.settings().Get(key);
  if (!v.ok()) return v.status();
  return v->value_or("");
}

}  // namespace

Result<Enrolment> LoadEnrolment(Store& store) {
  Enrolment e;
  auto url = Setting(store, settings::kPortalUrl);
  if (!url.ok()) return url.status();
  e.portal_url = *url;
  if (e.portal_url.empty()) {
    return Status::Error(Code::kFailedPrecondition, "kiosk is not enrolled with the portal (run kioskctl enroll)",
                         "Kiosk chưa đăng ký với cổng dịch vụ công (kỹ thuật viên chạy: kioskctl enroll)");
  }
  std::string ca, cert, key;
  for (auto [k, out] : {std::pair{settings::kKioskId, &e.kiosk_id}, std::pair{settings::kCommuneCode, &e.commune_code},
                        std::pair{settings::kCommuneName, &e.commune_name}, std::pair{settings::kCaFile, &ca},
                        std::pair{settings::kCertFile, &cert}, std::pair{settings::kKeyFile, &key},
                        std::pair{settings::kCertExpiresAt, &e.cert_expires_at}}) {
    auto v = Setting(store, k);
    if (!v.ok()) return v.status();
    *out = *v;
  }
  e.ca_file = ca;
  e.cert_file = cert;
  e.key_file = key;
  e.key_protection = store.key_protection();
  return e;
}

Status LoadClientKey(const Enrolment& e, HttpOptions* options) {
  auto pem = LoadSecret(e.key_protection, e.key_file);
  if (!pem.ok() && pem.status().code() == Code::kNotFound) {
    return Status::Error(Code::kFailedPrecondition,
                         e.key_file.string() + ": the kiosk's client key is missing (re-enrol)",
                         "Thiếu khoá của kiosk; kỹ thuật viên cần đăng ký lại (kioskctl enroll --force)");
  }
  if (!pem.ok()) return pem.status();
  options->client_cert = e.cert_file;
  SecureWipe(options->client_key_pem);
  options->client_key_pem = std::move(pem.value());
  return Status::Ok();
}

Result<KeyAndCsr> MakeKeyAndCsr(const std::string& common_name) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  if (!key) return OpenSslError("EC P-256 key generation failed");
  std::unique_ptr<X509_REQ, ReqFree> req(X509_REQ_new());
  if (!req || X509_REQ_set_version(req.get(), 0) != 1) return OpenSslError("X509_REQ_new");
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  const std::string cn = common_name.empty() ? "kiosk" : common_name.substr(0, 64);
  if (X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("VN"), -1, -1, 0) !=
          1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1) {
    return OpenSslError("CSR subject");
  }
  if (X509_REQ_set_pubkey(req.get(), key.get()) != 1) return OpenSslError("CSR public key");
  if (X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0) return OpenSslError("CSR signature");
  std::unique_ptr<BIO, BioFree> kb(BIO_new(BIO_s_secmem()));
  std::unique_ptr<BIO, BioFree> rb(BIO_new(BIO_s_mem()));
  if (!kb || !rb) return OpenSslError("BIO_new");
  if (PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_X509_REQ(rb.get(), req.get()) != 1) {
    return OpenSslError("PEM encoding");
  }
  return KeyAndCsr{BioString(kb.get()), BioString(rb.get())};
}

namespace {
// What is wrong with the request before anything is sent (token, already enrolled).
Status CheckEnrolRequest(Store& store, const EnrolRequest& request) {
  if (request.token.empty()) {
    return Status::Error(Code::kInvalidArgument, "no enrolment token given", "Chưa nhập mã đăng ký (token)");
  }
  if (!request.replace_existing) {
    auto existing = Setting(store, settings::kPortalUrl);
    if (!existing.ok()) return existing.status();
    if (!existing->empty()) {
      return Status::Error(Code::kAlreadyExists,
                           "kiosk is already enrolled with " + *existing + " (use --force to re-enrol)",
                           "Kiosk đã đăng ký với " + *existing + " (thêm --force để đăng ký lại)");
    }
  }
  return Status::Ok();
}
}  // namespace

Result<Enrolment> Enrol(Store& store, const std::filesystem::path& data_dir, const EnrolRequest& request) {
  if (Status st = CheckEnrolRequest(store, request); !st.ok()) return st;
  HttpOptions opts;
  opts.base_url = request.portal_url;
  opts.ca_file = request.ca_file;
  opts.connect_timeout = request.connect_timeout;
  opts.transfer_timeout = request.transfer_timeout;
  opts.proxy = request.proxy;
  auto http = HttpClient::Create(opts);
  if (!http.ok()) return http.status();
  return Enrol(store, data_dir, request, **http);
}

Result<Enrolment> Enrol(Store& store, const std::filesystem::path& data_dir, const EnrolRequest& request,
                        PortalTransport& transport) {
  if (Status st = CheckEnrolRequest(store, request); !st.ok()) return st;
  auto ca_pem = ReadAll(request.ca_file);
  if (!ca_pem.ok()) return ca_pem.status();

  auto kc = MakeKeyAndCsr(request.hostname);
  if (!kc.ok()) return kc.status();
  const json body = {{"token", request.token},
                     {"csr", kc->csr_pem},
                     {"hostname", request.hostname},
                     {"software_version", request.software_version}};
  PortalRequest req;
  req.method = "POST";
  req.path = "/api/v1/kiosks/enroll";
  req.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", NewUuidV4()}};
  req.body = body.dump();
  auto resp = transport.Send(req);
  if (!resp.ok()) {
    SecureWipe(kc->private_key_pem);
    return resp.status();
  }
  if (resp->status != 201 && resp->status != 200) {
    SecureWipe(kc->private_key_pem);
    if (resp->status == 401) {
      return Status::Error(Code::kRejected, "portal refused the enrolment token (unknown or already used)",
                           "Cổng dịch vụ công không chấp nhận mã đăng ký (sai hoặc đã dùng). Xin mã mới từ Sở.");
    }
    return PortalErrorStatus(*resp, "enrolment");
  }
  auto answer = ReadEnrolAnswer(resp->body);
  if (!answer.ok()) {
    SecureWipe(kc->private_key_pem);
    return Status::Error(Code::kUnavailable, answer.status().message_en(),
                         "Câu trả lời đăng ký của cổng dịch vụ công không đầy đủ hoặc không hợp lệ");
  }
  const std::string cert_pem = answer->certificate;
  // The certificate must be for the key we made.
  {
    std::unique_ptr<BIO, BioFree> cb(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
    std::unique_ptr<BIO, BioFree> kb(
        BIO_new_mem_buf(kc->private_key_pem.data(), static_cast<int>(kc->private_key_pem.size())));
    std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
    if (!cert || !key || X509_check_private_key(cert.get(), key.get()) != 1) {
      SecureWipe(kc->private_key_pem);
      return Status::Error(Code::kSecurity, "certificate from the portal does not match the kiosk's key",
                           "Chứng chỉ cổng dịch vụ công cấp không khớp với khoá của kiosk");
    }
  }

  const std::filesystem::path dir = data_dir / "portal";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  ::chmod(dir.c_str(), 0700);
  Enrolment e;
  e.portal_url = request.portal_url;
  while (!e.portal_url.empty() && e.portal_url.back() == '/') e.portal_url.pop_back();  // as HttpClient keeps it
  e.kiosk_id = answer->kiosk_id;
  e.commune_code = answer->commune_code;
  e.commune_name = answer->commune_name;
  e.cert_expires_at = answer->expires_at;
  e.ca_file = dir / "ca.pem";
  e.cert_file = dir / "kiosk.crt";
  e.key_file = dir / "kiosk.key";
  e.key_protection = store.key_protection();
  // Sealed to the TPM (never in a file in the clear), or the plain 0600 file in "file" mode.
  Status st = SaveSecret(e.key_protection, e.key_file, kc->private_key_pem);
  SecureWipe(kc->private_key_pem);
  MCK_RETURN_IF_ERROR(st);
  MCK_RETURN_IF_ERROR(WriteFileAtomic(e.cert_file, cert_pem, 0644));
  MCK_RETURN_IF_ERROR(WriteFileAtomic(e.ca_file, *ca_pem, 0644));
  MCK_RETURN_IF_ERROR(WriteFileAtomic(dir / "client-chain.pem", answer->ca_chain, 0644));

  for (auto [k, v] :
       {std::pair{settings::kKioskId, e.kiosk_id}, std::pair{settings::kCommuneCode, e.commune_code},
        std::pair{settings::kCommuneName, e.commune_name}, std::pair{settings::kCaFile, e.ca_file.string()},
        std::pair{settings::kCertFile, e.cert_file.string()}, std::pair{settings::kKeyFile, e.key_file.string()},
        std::pair{settings::kCertExpiresAt, e.cert_expires_at},
        std::pair{settings::kEnrolledAt, FormatRfc3339Vietnam(std::chrono::system_clock::now())},
        // The URL last: its presence means "enrolled", so it is written once the rest is.
        std::pair{settings::kPortalUrl, e.portal_url}}) {
    MCK_RETURN_IF_ERROR(store.settings().Put(k, v));
  }
  MCK_RETURN_IF_ERROR(store.Audit("technician", "kiosk.enrolled", e.kiosk_id, "portal=" + e.portal_url));
  return e;
}

}  // namespace mck
