// kioskctl sync | enroll | lookup — the portal side of kioskctl (docs/sync.md, docs/portal.md).
#include <signal.h>
#include <unistd.h>

#include <iostream>

#include "kiosk/core/documents.h"
#include "kiosk/core/lookup.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/domain/fee.h"
#include "offline/domain/portal_status.h"
#include "offline/store/store.h"
#include "offline/sync/enrolment.h"
#include "offline/sync/lookup.h"
#include "offline/sync/syncer.h"

namespace mck::ctl {
namespace {

using nlohmann::json;

// "--name N" as a positive integer; false (and a message) when present but not a number.
bool TakeInt(Context& ctx, const std::string& name, long min, long max, long* out) {
  auto v = ctx.TakeOption(name);
  if (!v) return true;
  char* end = nullptr;
  const long n = std::strtol(v->c_str(), &end, 10);
  if (v->empty() || *end || n < min || n > max) {
    std::cerr << "Giá trị không hợp lệ cho " << name << " / " << name << " needs a number from " << min << " to " << max
              << "\n";
    return false;
  }
  *out = n;
  return true;
}

json SummaryToJson(const SyncSummary& s) {
  json j = {{"sent", s.sent},
            {"accepted", s.accepted},
            {"needs_attention", s.needs_attention},
            {"retried", s.retried},
            {"delivered", s.delivered},
            {"remaining", s.remaining},
            {"attachments_uploaded", s.attachments_uploaded},
            {"bytes_uploaded", s.bytes_uploaded},
            {"status_updates", s.status_updates},
            {"catalog_updated", s.catalog_updated},
            {"clock_skew_s", s.clock_skew_s ? json(*s.clock_skew_s) : json()},
            {"error", json()}};
  if (!s.error.ok()) {
    j["error"] = {
        {"code", CodeName(s.error.code())}, {"message", s.error.message_en()}, {"message_vi", s.error.message_vi()}};
  }
  return j;
}

void PrintSummary(const SyncSummary& s) {
  std::cout << "Đã gửi / sent: " << s.sent << ", được tiếp nhận / accepted: " << s.accepted
            << ", cần xử lý / needs_attention: " << s.needs_attention << ", thử lại / retried: " << s.retried
            << ", còn lại / remaining: " << s.remaining << "\n";
  if (s.delivered)
    std::cout << "Đánh giá, quyết định đã gửi / ratings and decisions delivered: " << s.delivered << "\n";
  if (s.clock_skew_s && (*s.clock_skew_s > 60 || *s.clock_skew_s < -60)) {
    std::cout << "Cảnh báo: đồng hồ kiosk lệch " << *s.clock_skew_s << " giây so với cổng dịch vụ công / clock skew "
              << *s.clock_skew_s << " s\n";
  }
  if (!s.error.ok()) {
    std::cerr << "Lỗi: " << s.error.message_vi() << "\n";
    if (s.error.message_vi() != s.error.message_en()) std::cerr << "Error: " << s.error.message_en() << "\n";
  }
}

int Sync(Context& ctx) {
  const bool once = ctx.TakeFlag("--once");
  const bool drain = ctx.TakeFlag("--drain");
  long lease_s = 180, base_ms = 2000, cap_ms = 15 * 60 * 1000, batch = 16, chunk_kb = 256, in_flight = 0,
       portal_doublings = BackoffPolicy{}.portal_doublings;
  if (!TakeInt(ctx, "--lease-s", 5, 3600, &lease_s) || !TakeInt(ctx, "--backoff-base-ms", 1, 3600000, &base_ms) ||
      !TakeInt(ctx, "--backoff-cap-ms", 1, 24 * 3600000L, &cap_ms) || !TakeInt(ctx, "--batch", 1, 500, &batch) ||
      !TakeInt(ctx, "--chunk-kb", 1, 65536, &chunk_kb) || !TakeInt(ctx, "--in-flight", 1, 32, &in_flight) ||
      !TakeInt(ctx, "--portal-doublings", 0, 20, &portal_doublings)) {
    return kExitBadInput;
  }
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!ctx.args().empty() || (once && drain)) {
    std::cerr << "Usage: kioskctl sync [--once | --drain] [--json]\n";
    return kExitBadInput;
  }
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  SyncSetup setup;
  setup.store.data_dir = (*cfg)->data_dir;
  setup.store.kiosk_number = (*cfg)->kiosk_number;
  setup.store.retention_days = (*cfg)->retention_days;
  setup.store.catalog_seed = (*cfg)->catalog_seed;
  setup.connect_timeout = std::chrono::seconds((*cfg)->connect_timeout_s);
  setup.transfer_timeout = std::chrono::seconds((*cfg)->transfer_timeout_s);
  setup.proxy = (*cfg)->proxy;
  setup.max_answer_bytes = static_cast<size_t>((*cfg)->max_answer_kib) * 1024;
  SyncOptions o;
  o.max_catalog_bytes = static_cast<size_t>((*cfg)->max_catalog_kib) * 1024;
  o.interval = std::chrono::seconds((*cfg)->sync_interval_s);
  o.heartbeat_interval = std::chrono::seconds((*cfg)->heartbeat_interval_s);
  o.cert_renew_days = (*cfg)->cert_renew_days;
  o.in_flight = in_flight ? static_cast<int>(in_flight) : (*cfg)->sync_in_flight;  // --in-flight: tests, tuning
  o.lease = std::chrono::seconds(lease_s);
  o.backoff.base = std::chrono::milliseconds(base_ms);
  o.backoff.cap = std::chrono::milliseconds(cap_ms);
  o.backoff.portal_doublings = static_cast<int>(portal_doublings);  // tests: 0, the item's own ladder
  o.batch = static_cast<int>(batch);
  o.chunk_bytes = static_cast<size_t>(chunk_kb) * 1024;
  o.software_version = MCK_VERSION;
  o.data_dir = (*cfg)->data_dir;
  o.metrics_textfile = (*cfg)->metrics_textfile;  // docs/monitoring.md
  auto opened = Syncer::Open(setup, o);
  if (!opened.ok()) return ctx.Fail(opened.status());
  Syncer& syncer = **opened;

  if (once || drain) {
    auto s = once ? syncer.RunOnce() : syncer.Drain();
    if (!s.ok()) return ctx.Fail(s.status());
    if (ctx.json())
      PrintJson(SummaryToJson(*s));
    else
      PrintSummary(*s);
    return s->error.ok() ? kExitOk : kExitFailed;
  }

  // Continuous: the same worker the kiosk runs, until SIGINT or SIGTERM.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before the worker starts, so it inherits the mask
  syncer.SetSink([&ctx](const SyncEvent& e) {
    if (e.kind == SyncEvent::Kind::kPassFinished) {
      if (ctx.json())
        std::cout << SummaryToJson(e.summary).dump() << std::endl;
      else
        PrintSummary(e.summary);
    } else if (e.kind == SyncEvent::Kind::kStopped) {
      std::cerr << "Dừng / stopped: " << e.status.message_vi() << " (" << e.status.message_en() << ")" << std::endl;
    }
  });
  syncer.Start();
  int sig = 0;
  sigwait(&set, &sig);
  syncer.Stop();
  return kExitOk;
}

int Enroll(Context& ctx) {
  auto portal = ctx.TakeOption("--portal");
  auto token = ctx.TakeOption("--token");
  auto ca = ctx.TakeOption("--ca");
  const bool force = ctx.TakeFlag("--force");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  if (!portal && !(*cfg)->portal_url.empty()) portal = (*cfg)->portal_url;
  if (!portal || !token || !ca || !ctx.args().empty()) {
    std::cerr << "Usage: kioskctl enroll --portal URL --token T --ca FILE [--force]\n";
    return kExitBadInput;
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  EnrolRequest req;
  req.portal_url = *portal;
  req.token = *token;
  req.ca_file = std::filesystem::absolute(*ca);
  req.hostname = host;
  req.software_version = MCK_VERSION;
  req.connect_timeout = std::chrono::seconds((*cfg)->connect_timeout_s);
  req.transfer_timeout = std::chrono::seconds((*cfg)->transfer_timeout_s);
  req.replace_existing = force;
  req.proxy = (*cfg)->proxy;
  auto e = Enrol(**store, (*cfg)->data_dir, req);
  if (!e.ok()) return ctx.Fail(e.status());
  if (ctx.json()) {
    PrintJson({{"kiosk_id", e->kiosk_id},
               {"commune_code", e->commune_code},
               {"commune_name", e->commune_name},
               {"portal_url", e->portal_url},
               {"certificate_expires_at", e->cert_expires_at},
               {"key_file", e->key_file.string()}});
  } else {
    std::cout << "Đã đăng ký kiosk / enrolled: " << e->kiosk_id << " — " << e->commune_name << " (" << e->commune_code
              << ")\nChứng chỉ hết hạn / certificate expires: " << e->cert_expires_at << "\n";
  }
  return kExitOk;
}

int Lookup(Context& ctx) {
  if (!ctx.ExpectArgs(1, "lookup CODE_OR_CLIENT_ID [--json]")) return kExitBadInput;
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  // The screen's look-up (kiosk/core/lookup.h): the kiosk's own store first; a provisional code
  // is known only here, so the portal is asked by the official code or the client id.
  core::DossierLookup lookup(store, catalog);
  auto found = lookup.Local(ctx.args()[0]);
  std::string key = found.ok() ? found->portal_key : ctx.args()[0];
  auto local = store.dossiers().Get(found.ok() ? found->client_id : key);
  if (local.ok()) core::WipeBody(local->body);
  auto e = LoadEnrolment(store);
  if (!e.ok()) return ctx.Fail(e.status());
  auto http = MakePortalClient(*e, std::chrono::seconds(config.connect_timeout_s),
                               std::chrono::seconds(config.transfer_timeout_s), nullptr, config.proxy,
                               static_cast<size_t>(config.max_answer_kib) * 1024);
  if (!http.ok()) return ctx.Fail(http.status());
  auto st = LookupDossier(**http, key);
  if (st.ok() && found.ok()) {
    const core::PortalAnswer answer{st->status, st->status_text, st->updated_at, st->appointment_date};
    if (Status rec = lookup.RecordPortalAnswer(*found, answer); !rec.ok()) {
      std::cerr << "Không lưu được trạng thái / status not stored: " << rec.ToString() << "\n";
    }
  }
  if (ctx.json()) {
    json j = {{"local", local.ok() ? SummaryJson(*local) : json()}, {"portal", json()}, {"error", json()}};
    if (st.ok()) {
      j["portal"] = {{"dossier_code", st->dossier_code},         {"status", st->status},
                     {"status_text", st->status_text},           {"updated_at", st->updated_at},
                     {"appointment_date", st->appointment_date}, {"note", st->note}};
      if (st->fee) {  // docs/payment.md "Payment status"
        j["portal"]["fee"] = {{"amount_vnd", st->fee->amount_vnd},
                              {"paid", st->fee->paid},
                              {"paid_at", st->fee->paid_at},
                              {"reference", st->fee->reference}};
      }
    } else {
      j["error"] = {{"code", CodeName(st.status().code())},
                    {"message", st.status().message_en()},
                    {"message_vi", st.status().message_vi()}};
    }
    PrintJson(j);
  } else {
    if (local.ok()) {
      std::cout << "Trên kiosk / local: " << local->provisional_code << " " << DossierStateName(local->state)
                << (local->dossier_code ? " → " + *local->dossier_code : std::string()) << "\n";
    }
    if (st.ok()) {
      std::cout << "Cổng dịch vụ công / portal: " << st->dossier_code << " — " << PortalStatusVi(st->status) << " ("
                << st->status << ")";
      if (!st->appointment_date.empty()) std::cout << ", hẹn trả / appointment " << st->appointment_date;
      std::cout << "\n";
      if (st->fee) {
        std::cout << "Lệ phí / fee: " << FormatVnd(st->fee->amount_vnd) << " — "
                  << (st->fee->paid ? "đã nộp / paid " + st->fee->paid_at + ", " + st->fee->reference
                                    : std::string("chưa nộp / unpaid"))
                  << "\n";
      }
    }
  }
  if (!st.ok()) return ctx.json() ? ExitCodeFor(st.status()) : ctx.Fail(st.status());
  return kExitOk;
}

const CommandRegistration kSync({"sync", "[--once | --drain] [--json]",
                                 "Send queued dossiers, ratings and decisions to the portal (continuous until "
                                 "SIGTERM; --once one pass; --drain until the queue is empty)",
                                 Sync});
const CommandRegistration kEnroll({"enroll", "--portal URL --token T --ca FILE [--force] [--json]",
                                   "Enrol this kiosk: make its key pair and CSR, get its certificate, pin the CA",
                                   Enroll});
const CommandRegistration kLookup({"lookup", "CODE_OR_CLIENT_ID [--json]",
                                   "Ask the portal for a dossier's status (official, provisional code or client id)",
                                   Lookup});

}  // namespace
}  // namespace mck::ctl
