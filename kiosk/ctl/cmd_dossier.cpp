// kioskctl dossier submit | queue list | queue show | queue requeue | catalog list | db check | db purge |
// db restore-backup
#include <fstream>
#include <iostream>
#include <sstream>

#include "kiosk/core/documents.h"
#include "kiosk/core/identity_assurance.h"
#include "kiosk/core/submit.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/domain/ids.h"
#include "offline/domain/utf8.h"
#include "offline/domain/validation.h"
#include "offline/store/backup.h"
#include "offline/store/migrations.h"
#include "offline/store/store.h"

namespace mck::ctl {
namespace {

using nlohmann::json;

// Left-aligns in a column `width` characters wide (code points, not bytes) plus one space.
std::string Pad(const std::string& s, size_t width) {
  const size_t len = Utf8Length(s);
  return s + std::string(len < width ? width - len + 1 : 1, ' ');
}

Result<std::string> ReadDossierFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Error(Code::kNotFound, path.string() + ": cannot open file", path.string() + ": không mở được tệp");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Attachments in a submit file may carry "path" (relative to the file) instead of bytes.
Status LoadAttachments(json& body, const std::filesystem::path& base, std::vector<NewAttachment>* out) {
  if (!body.contains("attachments") || !body["attachments"].is_array()) return Status::Ok();
  for (auto& a : body["attachments"]) {
    if (!a.is_object() || !a.contains("path") || !a["path"].is_string()) {
      return Status::Error(Code::kInvalidArgument, "each attachment needs a \"path\" to its file",
                           "Mỗi tệp đính kèm cần \"path\" trỏ tới tệp");
    }
    std::filesystem::path p = a["path"].get<std::string>();
    if (p.is_relative()) p = base / p;
    auto data = ReadDossierFile(p);
    if (!data.ok()) return data.status();
    NewAttachment na;
    na.name = a.value("name", p.filename().string());
    na.media_type = a.value("media_type", "application/octet-stream");
    na.data = std::move(data.value());
    out->push_back(std::move(na));
    a.erase("path");
    a["name"] = na.name;
    a["media_type"] = out->back().media_type;
  }
  return Status::Ok();
}

// kInvalidArgument when the file's applicant claims an identity read from a card or a QR.
Status OnlyTypedIdentity(const json& body) {
  const json* a = body.is_object() && body.contains("applicant") ? &body["applicant"] : nullptr;
  if (a == nullptr || !a->is_object()) return Status::Ok();
  const auto claims = [&](const char* key, const json& allowed) { return a->contains(key) && (*a)[key] != allowed; };
  if (claims("identity_source", "manual") || claims("assurance", "typed") || claims("chip_verified", false)) {
    return Status::Error(Code::kInvalidArgument,
                         "kioskctl reads no card or QR: applicant.identity_source must be manual, assurance typed, "
                         "chip_verified false (or left out)",
                         "kioskctl không đọc thẻ hay mã QR: thông tin người nộp chỉ được ghi là nhập tay "
                         "(identity_source manual, assurance typed)");
  }
  return Status::Ok();
}

int DossierSubmit(Context& ctx) {
  if (!ctx.ExpectArgs(1, "dossier submit FILE.json [--json]")) return kExitBadInput;
  const std::filesystem::path file = ctx.args()[0];
  auto text = ReadDossierFile(file);
  if (!text.ok()) return ctx.Fail(text.status());
  json body = json::parse(*text, nullptr, false);
  if (body.is_discarded()) {
    return ctx.Fail(Status::Error(Code::kInvalidArgument, file.string() + ": not valid JSON",
                                  file.string() + ": không phải JSON hợp lệ"));
  }
  // kioskctl reads no card and no QR: what a file says of its applicant was typed by someone, and
  // it never claims more than that (a file saying "chip" would file a dossier in someone else's
  // name as read from their card).
  if (Status st = OnlyTypedIdentity(body); !st.ok()) return ctx.Fail(st);
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  std::vector<NewAttachment> attachments;
  if (Status st = LoadAttachments(body, file.parent_path(), &attachments); !st.ok()) return ctx.Fail(st);
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  SystemClock clock;
  // The screen's own use case (kiosk/core/submit.h): the same checks, the same one transaction.
  auto outcome = core::DossierSubmission(store, catalog, config, clock).Submit(body, std::move(attachments));
  core::WipeDocument(outcome.slip);  // kioskctl prints no slip here (kioskctl print receipt does)
  if (outcome.problem == core::SubmitOutcome::Problem::kInvalid) {
    if (ctx.json()) {
      json errs = json::array();
      for (const auto& e : outcome.errors)
        errs.push_back({{"field", e.field}, {"message", e.message_vi}, {"message_en", e.message_en}});
      std::cout << json{{"errors", errs}}.dump(2) << "\n";
    }
    std::cerr << "Hồ sơ chưa hợp lệ (" << outcome.errors.size() << " lỗi) / dossier is not valid:\n";
    for (const auto& e : outcome.errors)
      std::cerr << "  " << e.field << ": " << e.message_vi << " (" << e.message_en << ")\n";
    return kExitBadInput;
  }
  if (!outcome.stored()) return ctx.Fail(outcome.status);
  const SubmittedDossier* stored = &outcome.dossier;
  if (ctx.json()) {
    PrintJson({{"client_id", stored->client_id}, {"provisional_code", stored->provisional_code}});
  } else {
    std::cout << "Đã nộp hồ sơ / dossier stored: " << stored->provisional_code << " (" << stored->client_id << ")\n";
  }
  return kExitOk;
}

int QueueList(Context& ctx) {
  auto state_arg = ctx.TakeOption("--state");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  std::optional<DossierState> state;
  if (state_arg) {
    state = ParseDossierState(*state_arg);
    if (!state) {
      std::cerr << "Trạng thái không hợp lệ / unknown state '" << *state_arg
                << "' (queued, sending, accepted, needs_attention)\n";
      return kExitBadInput;
    }
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto list = (*store)->dossiers().List(state);
  if (!list.ok()) return ctx.Fail(list.status());
  if (ctx.json()) {
    json arr = json::array();
    for (const auto& d : *list) {
      json j = SummaryJson(d);
      arr.push_back({{"client_id", j["client_id"]},
                     {"provisional_code", j["provisional_code"]},
                     {"procedure_code", j["procedure_code"]},
                     {"state", j["state"]},
                     {"dossier_code", j["dossier_code"]},
                     {"attempts", j["attempts"]},
                     {"last_error", j["last_error"]}});
    }
    PrintJson(arr);
    return kExitOk;
  }
  std::cout << Pad("MÃ TẠM", 17) << Pad("THỦ TỤC", 10) << Pad("TRẠNG THÁI", 16) << Pad("MÃ HỒ SƠ", 27) << "LẦN GỬI\n";
  for (const auto& d : *list) {
    std::cout << Pad(d.provisional_code, 17) << Pad(d.procedure_code, 10) << Pad(DossierStateName(d.state), 16)
              << Pad(d.dossier_code.value_or("-"), 27) << d.attempts << "\n";
  }
  std::cout << list->size() << " hồ sơ / dossiers\n";
  return kExitOk;
}

int QueueShow(Context& ctx) {
  if (!ctx.ExpectArgs(1, "queue show ID (client id, provisional or official code)")) return kExitBadInput;
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto rec = (*store)->dossiers().Get(ctx.args()[0]);
  if (!rec.ok()) return ctx.Fail(rec.status());
  json j = SummaryJson(*rec);
  j["catalog_version"] = rec->catalog_version;
  j["portal_status_text"] = rec->portal_status_text ? json(*rec->portal_status_text) : json();
  j["accepted_at"] = rec->accepted_at ? json(*rec->accepted_at) : json();
  j["attention_details"] = rec->needs_attention_details;
  j["body"] = rec->body;
  // The identity's assurance level in an officer's words (a purged dossier has none left).
  if (!rec->purged && rec->body.is_object() && rec->body.contains("applicant")) {
    const json& applicant = rec->body["applicant"];
    const std::string source =
        applicant.is_object() && applicant.contains("identity_source") && applicant["identity_source"].is_string()
            ? applicant["identity_source"].get<std::string>()
            : "manual";
    const Assurance level = ApplicantAssurance(applicant);
    const core::AssuranceText text = core::DescribeAssurance(level, source);
    j["assurance"] = AssuranceName(level);
    j["assurance_text"] = text.vi;
    if (!ctx.json()) {
      std::cout << "Mức xác thực danh tính (assurance): " << text.vi << " [" << AssuranceName(level) << "]\n";
      if (text.below_verified) std::cout << "CẢNH BÁO: " << core::AssuranceWarning().vi << "\n";
    }
  }
  if (ctx.json()) {
    PrintJson(j);
  } else {
    std::cout << j.dump(2) << "\n";
  }
  return kExitOk;
}

int QueueRequeue(Context& ctx) {
  if (!ctx.ExpectArgs(1, "queue requeue ID")) return kExitBadInput;
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  if (Status st = (*store)->outbox().Requeue(ctx.args()[0]); !st.ok()) return ctx.Fail(st);
  std::cout << "Đã đưa hồ sơ vào hàng đợi gửi lại / re-queued\n";
  return kExitOk;
}

int CatalogList(Context& ctx) {
  auto search = ctx.TakeOption("--search");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const Catalog& catalog = records->catalog;
  auto found = SearchProcedures(catalog, search.value_or(""));
  if (ctx.json()) {
    json arr = json::array();
    for (const auto* p : found) {
      arr.push_back({{"code", p->code},
                     {"name", p->name},
                     {"field", p->field},
                     {"counter", p->counter},
                     {"processing_days", p->processing_days},
                     {"fee_vnd", p->fee_vnd},
                     {"fields", p->form.size()},
                     {"documents", p->documents.size()}});
    }
    PrintJson({{"version", catalog.version}, {"procedures", arr}});
    return kExitOk;
  }
  std::cout << "Danh mục thủ tục / catalog " << catalog.version << "\n";
  for (const auto* p : found) {
    std::cout << "  " << Pad(p->code, 10) << Pad(p->counter, 3) << p->name << " (" << p->field << ")\n";
  }
  std::cout << found.size() << " thủ tục / procedures\n";
  return kExitOk;
}

// The schema version of the file (read before the store opens it, which would migrate it) and
// the backups taken before migrations: what a technician needs after a failed upgrade.
struct SchemaReport {
  int file_version = -1;  // -1: no database yet
  std::vector<BackupInfo> backups;
};

Result<SchemaReport> ReadSchemaReport(const std::filesystem::path& data_dir) {
  SchemaReport r;
  const auto file = data_dir / "kiosk.db";
  if (std::filesystem::exists(file)) {
    auto db = Db::Open(file.string());
    if (!db.ok()) return db.status();
    auto v = SchemaVersion(**db);
    if (!v.ok()) return v.status();
    r.file_version = *v;
  }
  auto backups = ListBackups(data_dir);
  if (!backups.ok()) return backups.status();
  r.backups = std::move(*backups);
  return r;
}

int DbCheck(Context& ctx) {
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  auto schema = ReadSchemaReport((*cfg)->data_dir);
  if (!schema.ok()) return ctx.Fail(schema.status());
  json backups = json::array();
  for (const auto& b : schema->backups) {
    backups.push_back(
        {{"file", b.file.string()}, {"schema_version", b.schema_version}, {"taken_at", b.taken_at}, {"bytes", b.size}});
  }
  if (!ctx.json()) {
    std::cout << "schema: " << schema->file_version << " (phần mềm này / this program: " << LatestSchemaVersion()
              << ")\n";
    for (const auto& b : schema->backups) {
      std::cout << "backup: " << b.file.string() << " (schema " << b.schema_version << ", " << b.taken_at << ", "
                << b.size << " bytes)\n";
    }
    if (schema->backups.empty()) std::cout << "backup: chưa có / none\n";
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) {
    if (ctx.json()) {
      PrintJson({{"schema_version", schema->file_version},
                 {"program_schema_version", LatestSchemaVersion()},
                 {"backups", backups},
                 {"open_error", store.status().message_en()},
                 {"ok", false}});
    }
    return ctx.Fail(store.status());
  }
  auto check = (*store)->Check();
  if (!check.ok()) return ctx.Fail(check.status());
  if (ctx.json()) {
    PrintJson({{"integrity_ok", check->integrity_ok},
               {"integrity", check->integrity_message},
               {"audit_ok", check->audit_ok},
               {"audit_rows", check->audit_rows},
               {"audit", check->audit_message},
               {"schema_version", schema->file_version},
               {"program_schema_version", LatestSchemaVersion()},
               {"backups", backups},
               {"ok", check->ok()}});
  } else {
    std::cout << "integrity_check: " << check->integrity_message << "\n"
              << "audit chain: " << check->audit_message << " (" << check->audit_rows << " rows)\n"
              << (check->ok() ? "Cơ sở dữ liệu tốt / database ok\n" : "CƠ SỞ DỮ LIỆU CÓ LỖI / DATABASE FAULTY\n");
  }
  return check->ok() ? kExitOk : kExitDataFault;
}

int DbPurge(Context& ctx) {
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto n = (*store)->PurgeExpired();
  if (!n.ok()) return ctx.Fail(n.status());
  if (ctx.json())
    PrintJson({{"purged", *n}});
  else
    std::cout << "Đã xoá dữ liệu cá nhân của " << *n << " hồ sơ hết hạn lưu / purged " << *n << " dossiers\n";
  return kExitOk;
}

// `db restore-backup --latest | FILE`: after a failed upgrade, with the kiosk stopped. The
// database it replaces is kept (backup/replaced-<time>/); the next start migrates the restored
// one forward again, with a new backup first.
int DbRestoreBackup(Context& ctx) {
  const bool latest = ctx.TakeFlag("--latest");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (latest == !ctx.args().empty() || ctx.args().size() > 1) {
    std::cerr << "Usage: kioskctl db restore-backup --latest | FILE\n";
    return kExitBadInput;
  }
  auto cfg = ctx.Config();
  if (!cfg.ok()) return ctx.Fail(cfg.status());
  const auto& data_dir = (*cfg)->data_dir;
  std::filesystem::path file;
  if (latest) {
    auto all = ListBackups(data_dir);
    if (!all.ok()) return ctx.Fail(all.status());
    if (all->empty()) {
      return ctx.Fail(Status::Error(Code::kNotFound, BackupDir(data_dir).string() + ": no backup",
                                    "Chưa có bản sao lưu nào trong " + BackupDir(data_dir).string()));
    }
    file = all->back().file;
  } else {
    file = ctx.args()[0];
  }
  auto report = RestoreBackup(data_dir, file, LatestSchemaVersion(), SystemClock().Now());
  if (!report.ok()) return ctx.Fail(report.status());
  if (ctx.json()) {
    PrintJson({{"restored_from", report->restored_from.string()},
               {"schema_version", report->schema_version},
               {"replaced_dir", report->replaced_dir.string()}});
  } else {
    std::cout << "Đã khôi phục bản sao lưu / restored: " << report->restored_from.string() << " (schema "
              << report->schema_version << ")\n";
    if (!report->replaced_dir.empty()) {
      std::cout << "Cơ sở dữ liệu trước đó được giữ ở / the database it replaced is kept in: "
                << report->replaced_dir.string() << "\n";
    }
    std::cout << "Khởi động lại kiosk / start the kiosk: sudo systemctl start mot-cua-kiosk\n";
  }
  return kExitOk;
}

const CommandRegistration kSubmit(
    {"dossier submit", "FILE.json [--json]",
     "Validate a dossier against the catalog and store it (assigns client id and provisional code)", DossierSubmit});
const CommandRegistration kQueueList({"queue list", "[--state S] [--json]", "List stored dossiers and their sync state",
                                 QueueList});
const CommandRegistration kShow({"queue show", "ID [--json]",
                                 "Show one dossier (client id, provisional or official code)", QueueShow});
const CommandRegistration kDossierShow({"dossier show", "ID [--json]",
                                        "Show one dossier with its identity assurance (same as queue show)",
                                        QueueShow});
const CommandRegistration kRequeue({"queue requeue", "ID", "Send a dossier that needed attention again", QueueRequeue});
const CommandRegistration kCatalog({"catalog list", "[--search WORDS] [--json]",
                                    "List the procedure catalog (search ignores diacritics)", CatalogList});
const CommandRegistration kCheck({"db check", "[--json]",
                                  "Schema version, backups, PRAGMA integrity_check and the audit-chain check",
                                  DbCheck});
const CommandRegistration kRestore({"db restore-backup", "--latest | FILE [--json]",
                                    "Put a backup taken before a migration back in place (kiosk stopped)",
                                    DbRestoreBackup});
const CommandRegistration kPurge({"db purge", "[--json]", "Purge personal data past its retention period", DbPurge});

}  // namespace
}  // namespace mck::ctl
