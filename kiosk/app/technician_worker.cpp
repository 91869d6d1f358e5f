#include "kiosk/app/technician_worker.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "kiosk/core/diagnostics.h"
#include "offline/domain/ids.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/http.h"
#include "offline/sync/renewal.h"

namespace mck::app {
namespace {

using Kind = TechnicianAnswer::Kind;

TechnicianAnswer Failed(uint64_t id, Kind kind, const Status& st) {
  TechnicianAnswer a;
  a.request_id = id;
  a.kind = kind;
  a.ok = false;
  a.text_vi = st.message_vi();
  a.text_en = st.message_en();
  return a;
}

Status NoStore() {
  return Status::Error(Code::kUnavailable, "the technician worker could not open the store",
                       "Chưa mở được dữ liệu của máy.");
}

std::string Days(int64_t d) {
  return std::to_string(d) + " ngày / days";
}

std::string Seconds(int64_t s) {
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " phút / min";
  return std::to_string(s / 3600) + " giờ / h";
}

std::string Or(const std::string& v, const char* none = "—") {
  return v.empty() ? none : v;
}

// A device state from the report ("paper_out", "unknown", …) in Vietnamese for the screen.
std::string StateVi(const std::string& state) {
  static const std::pair<const char*, const char*> kStates[] = {
      {"ok", "sẵn sàng"},        {"ready", "sẵn sàng"},         {"paper_low", "sắp hết giấy"},
      {"paper_out", "hết giấy"}, {"cover_open", "nắp đang mở"}, {"offline", "mất kết nối"},
      {"unknown", "chưa rõ"},    {"absent", "không thấy"},      {"error", "lỗi"}};
  for (const auto& [en, vi] : kStates) {
    if (state == en) return vi;
  }
  return state;
}

}  // namespace

Result<CaFileInfo> ReadCaFileInfo(const std::filesystem::path& file) {
  FILE* f = std::fopen(file.c_str(), "r");
  if (!f) return Status::Error(Code::kNotFound, "CA file not readable", "Không đọc được tệp chứng chỉ CA");
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!cert) {
    return Status::Error(Code::kCorrupt, "not a PEM certificate", "Tệp này không phải chứng chỉ PEM");
  }
  CaFileInfo info;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned int i = 0; i < n; ++i) {
    if (i) info.sha256 += ':';
    info.sha256 += kHex[md[i] >> 4];
    info.sha256 += kHex[md[i] & 15];
  }
  char subject[256] = {0};
  X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
  info.subject = subject;
  X509_free(cert);
  return info;
}

TechnicianWorker::TechnicianWorker(TechnicianWorkerOptions options, EventQueue& events)
    : options_(std::move(options)), events_(events) {
  worker_.Post([this] {
    auto opened = Store::Open(options_.store);
    if (opened.ok()) {
      store_ = std::move(opened.value());
    } else {
      std::cerr << "kiosk: technician worker: store: " << opened.status().ToString() << "\n";
    }
  });
}

TechnicianWorker::~TechnicianWorker() {
  worker_.Post([this] { store_.reset(); });
  worker_.Stop();
}

uint64_t TechnicianWorker::Enqueue(std::function<void(Store*, uint64_t id)> job) {
  const uint64_t id = next_id_++;
  worker_.Post([this, id, job = std::move(job)] { job(store_.get(), id); });
  return id;
}

std::vector<std::string> FindCaFiles(const std::vector<std::filesystem::path>& dirs) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& dir : dirs) {
    std::error_code ec;
    // The folder itself and one level below (a USB stick's mount point holds the stick's files).
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end && files.size() < 12; it.increment(ec)) {
      if (it.depth() > 1) {
        it.disable_recursion_pending();
        continue;
      }
      const auto ext = it->path().extension();
      if (it->is_regular_file(ec) && (ext == ".pem" || ext == ".crt")) files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

uint64_t TechnicianWorker::ListCaFiles(std::vector<std::filesystem::path> dirs) {
  return Enqueue([this, dirs = std::move(dirs)](Store*, uint64_t id) {
    TechnicianAnswer a;
    a.request_id = id;
    a.kind = Kind::kCaFiles;
    a.files = FindCaFiles(dirs);
    events_.Push(std::move(a));
  });
}

uint64_t TechnicianWorker::ReadCa(std::filesystem::path file) {
  return Enqueue([this, file](Store*, uint64_t id) {
    auto info = ReadCaFileInfo(file);
    if (!info.ok()) {
      events_.Push(Failed(id, Kind::kCaFile, info.status()));
      return;
    }
    TechnicianAnswer a;
    a.request_id = id;
    a.kind = Kind::kCaFile;
    a.rows = {{"tech.ca_file", file.string()}, {"tech.ca_subject", info->subject}, {"tech.ca_sha256", info->sha256}};
    events_.Push(std::move(a));
  });
}

uint64_t TechnicianWorker::Provision(core::ProvisioningPlan plan) {
  return Enqueue([this, plan = std::move(plan)](Store* store, uint64_t id) mutable {
    auto finish = [&](TechnicianAnswer a) {
      plan.Wipe();
      events_.Push(std::move(a));
    };
    if (!store) return finish(Failed(id, Kind::kDone, NoStore()));
    // The technician PIN is already set (it opened this screen): only the plan's other values count.
    for (const auto& p : core::ValidatePlan(plan)) {
      if (p.key != "pins.technician") return finish(Failed(id, Kind::kDone, p.status));
    }
    core::ProvisioningEnv env;
    env.data_dir = options_.config->data_dir;
    env.pin_policy.max_attempts = options_.config->pin_max_attempts;
    env.pin_policy.lockout = std::chrono::seconds(options_.config->pin_lockout_s);
    env.hostname = options_.hostname;
    env.software_version = options_.version;
    env.connect_timeout = std::chrono::seconds(options_.config->connect_timeout_s);
    env.transfer_timeout = std::chrono::seconds(options_.config->transfer_timeout_s);
    env.proxy = options_.config->proxy;
    core::Provisioning provisioning(*store, *options_.clock, env);
    // The enrolment is never replaced from the screen (that is `kioskctl provision --force`);
    // the first staff PIN and the devices are the technician's to set again.
    const core::StepReport reports[] = {provisioning.Enrol(plan, /*force=*/false)};
    auto post = [&](const core::StepReport& r) {
      TechnicianAnswer a;
      a.request_id = id;
      a.kind = Kind::kStep;
      a.ok = r.outcome != core::StepOutcome::kFailed;
      a.step = core::StepName(r.step);
      a.text_vi = r.outcome == core::StepOutcome::kFailed ? r.status.message_vi() : r.summary_vi;
      a.text_en = r.outcome == core::StepOutcome::kFailed ? r.status.message_en() : r.summary_en;
      if (!a.ok) std::cerr << "kiosk: provisioning step " << a.step << " failed: " << r.status.ToString() << "\n";
      events_.Push(a);
      return a.ok;
    };
    if (!post(reports[0])) return finish(Failed(id, Kind::kDone, reports[0].status));
    if (auto r = provisioning.SetStaffPin(plan, /*force=*/true); !post(r))
      return finish(Failed(id, Kind::kDone, r.status));
    if (auto r = provisioning.RecordDevices(plan, /*force=*/true); !post(r))
      return finish(Failed(id, Kind::kDone, r.status));
    TechnicianAnswer done;
    done.request_id = id;
    done.kind = Kind::kDone;
    finish(std::move(done));
  });
}

uint64_t TechnicianWorker::Diagnostics(std::optional<std::string> printer_state,
                                       std::optional<std::string> card_reader_state) {
  return Enqueue([this, printer_state, card_reader_state](Store* store, uint64_t id) {
    if (!store) return events_.Push(Failed(id, Kind::kDiagnostics, NoStore()));
    core::DiagnosticsInputs in;
    in.version = options_.version;
    in.now = options_.clock->Now();
    in.printer_state = printer_state;  // live, from the device workers (kiosk/app/device_states.h)
    in.card_reader_state = card_reader_state;
    auto r = core::CollectDiagnostics(*store, *options_.config, in);
    if (!r.ok()) return events_.Push(Failed(id, Kind::kDiagnostics, r.status()));
    TechnicianAnswer a;
    a.request_id = id;
    a.kind = Kind::kDiagnostics;
    auto opt = [](const std::optional<int64_t>& v, std::string (*f)(int64_t)) { return v ? f(*v) : std::string("—"); };
    a.rows = {
        {"tech.diag.version", r->version},
        {"tech.diag.kiosk", r->enrolled ? r->kiosk_id + " (" + r->commune_code + ")" : "chưa đăng ký / not enrolled"},
        {"tech.diag.portal", Or(r->portal_url)},
        {"tech.diag.queue", std::to_string(r->queue_depth)},
        {"tech.diag.oldest", r->queue_depth > 0 ? Seconds(r->oldest_unsent_age_s) : "—"},
        {"tech.diag.digitised",
         "hôm nay " + std::to_string(r->digitised_today) + " · tổng " + std::to_string(r->digitised_total)},
        {"tech.diag.last_sync", Or(r->last_sync_at)},
        {"tech.diag.last_error", Or(r->last_sync_error, "không có / none")},
        {"tech.diag.latency", opt(r->portal_latency_ms, [](int64_t v) { return std::to_string(v) + " ms"; })},
        {"tech.diag.skew", opt(r->clock_skew_s, [](int64_t v) { return std::to_string(v) + " s"; })},
        {"tech.diag.disk",
         opt(r->disk_free_bytes, [](int64_t v) { return std::to_string(v / (1024 * 1024)) + " MB"; })},
        {"tech.diag.printer", StateVi(r->printer_state) + "  (" + Or(r->printer, "không có") + ")"},
        {"tech.diag.reader", StateVi(r->card_reader_state) + "  (" + Or(r->card_reader, "không có") + ")"},
        {"tech.diag.cert", opt(r->cert_days_left, Days)},
    };
    events_.Push(std::move(a));
  });
}

uint64_t TechnicianWorker::SaveSpeech(int volume, int rate_wpm) {
  return Enqueue([volume, rate_wpm](Store* store, uint64_t) {
    Status st = store ? Status::Ok() : Status::Error(Code::kUnavailable, "no store");
    if (st.ok()) st = store->settings().Put(std::string(kSpeechVolumeSetting), std::to_string(volume));
    if (st.ok()) st = store->settings().Put(std::string(kSpeechRateSetting), std::to_string(rate_wpm));
    if (!st.ok()) std::cerr << "kiosk: the voice's volume and speed were not saved: " << st.ToString() << "\n";
  });
}

uint64_t TechnicianWorker::Officers(OfficerRequest request) {
  return Enqueue([this, request = std::move(request)](Store* store, uint64_t id) mutable {
    using Op = OfficerRequest::Op;
    static const char* kOps[] = {"list", "add", "disable", "enable", "reset_pin", "unlock"};
    TechnicianAnswer a;
    a.request_id = id;
    a.kind = Kind::kOfficers;
    a.step = kOps[static_cast<int>(request.op)];
    Status st = store ? Status::Ok() : NoStore();
    if (st.ok()) {
      OfficerPinPolicy policy;  // the same rules as kioskctl officer and the sign-in (core worker)
      policy.max_attempts = options_.config->pin_max_attempts;
      policy.lockout = std::chrono::seconds(options_.config->pin_lockout_s);
      auto& officers = store->officers();
      switch (request.op) {
        case Op::kList: break;
        case Op::kAdd: st = officers.Add(request.officer, request.pin, policy); break;
        case Op::kDisable: st = officers.SetDisabled(request.officer.id, true); break;
        case Op::kEnable: st = officers.SetDisabled(request.officer.id, false); break;
        case Op::kResetPin: st = officers.ResetPin(request.officer.id, request.pin, policy); break;
        case Op::kUnlock: st = officers.Unlock(request.officer.id); break;
      }
    }
    SecureWipe(request.pin);  // the store has its record: the digits go now
    if (!st.ok()) {
      // The code only: neither the PIN nor the officer's name or id in the log.
      std::cerr << "kiosk: officer " << a.step << " refused: " << CodeName(st.code()) << "\n";
      a.ok = false;
      a.text_vi = st.message_vi();
      a.text_en = st.message_en();
    }
    if (store) {
      auto list = store->officers().List();
      if (list.ok()) {
        a.officers = std::move(*list);
      } else if (a.ok) {
        a.ok = false;
        a.text_vi = list.status().message_vi();
        a.text_en = list.status().message_en();
      }
    }
    events_.Push(std::move(a));
  });
}

uint64_t TechnicianWorker::Certificate(bool renew) {
  return Enqueue([this, renew](Store* store, uint64_t id) {
    if (!store) return events_.Push(Failed(id, Kind::kCertificate, NoStore()));
    auto e = LoadEnrolment(*store);
    if (!e.ok()) return events_.Push(Failed(id, Kind::kCertificate, e.status()));
    std::string renewed;
    if (renew) {
      HttpOptions h;
      h.base_url = e->portal_url;
      h.ca_file = e->ca_file;
      h.connect_timeout = std::chrono::seconds(options_.config->connect_timeout_s);
      h.transfer_timeout = std::chrono::seconds(options_.config->transfer_timeout_s);
      h.proxy = options_.config->proxy;
      Status st = LoadClientKey(*e, &h);
      std::optional<Result<RenewalResult>> r;
      if (st.ok()) {
        auto http = HttpClient::Create(std::move(h));
        if (!http.ok()) {
          st = http.status();
        } else {
          r.emplace(RenewCertificate(*store, **http, options_.clock->Now()));
          if (!r->ok()) st = r->status();
        }
      }
      if (!st.ok()) {
        std::cerr << "kiosk: certificate renewal from the technician screen: " << st.ToString() << "\n";
        return events_.Push(Failed(id, Kind::kCertificate, st));
      }
      renewed = "sê-ri mới / new serial " + (*r)->new_serial + " (cũ / old " + (*r)->old_serial + ")";
      e = LoadEnrolment(*store);  // the new pair's files
      if (!e.ok()) return events_.Push(Failed(id, Kind::kCertificate, e.status()));
    }
    auto info = ReadCertificateInfo(e->cert_file);
    if (!info.ok()) return events_.Push(Failed(id, Kind::kCertificate, info.status()));
    TechnicianAnswer a;
    a.request_id = id;
    a.kind = Kind::kCertificate;
    a.rows = {{"tech.cert.subject", "CN=" + info->subject_cn},
              {"tech.cert.serial", info->serial_hex},
              {"tech.cert.expires", FormatRfc3339Vietnam(FromUnixSeconds(info->not_after_unix))},
              {"tech.cert.days_left", Days(CertificateDaysLeft(info->not_after_unix, options_.clock->Now()))}};
    if (!renewed.empty()) a.rows.push_back({"tech.cert.renewed", renewed});
    events_.Push(std::move(a));
  });
}

}  // namespace mck::app
