#include "offline/store/help_requests.h"

#include "offline/store/audit.h"
#include "offline/store/core.h"

namespace mck {

namespace {

constexpr const char* kColumns = "id, kiosk_number, screen, requested_at, requested_unix, dismissed_at";

HelpRequest ReadRequest(const Stmt& s) {
  HelpRequest r;
  r.id = s.Int(0);
  r.kiosk_number = static_cast<int>(s.Int(1));
  r.screen = s.Text(2);
  r.requested_at = s.Text(3);
  r.requested_unix = s.Int(4);
  r.dismissed_at = s.OptText(5);
  return r;
}

Status NoSuchRequest() {
  return Status::Error(Code::kNotFound, "no such open help request", "Yêu cầu hỗ trợ này đã được xử lý");
}

}  // namespace

Result<HelpDesk::Asked> HelpDesk::Ask(const std::string& screen) {
  Db& db = *core_.db;
  const TimePoint now = core_.Now();
  const int kiosk = core_.options.kiosk_number;
  return WithTransaction(db, [&]() -> Result<Asked> {
    auto sel = db.Prepare(std::string("SELECT ") + kColumns +
                          " FROM help_requests WHERE kiosk_number = ? AND dismissed_at IS NULL");
    if (!sel.ok()) return sel.status();
    sel->Bind(1, kiosk);
    Status st;
    if (sel->Step(&st)) return Asked{ReadRequest(*sel), false};
    MCK_RETURN_IF_ERROR(st);
    Asked a;
    a.created = true;
    a.request.kiosk_number = kiosk;
    a.request.screen = screen;
    a.request.requested_at = FormatRfc3339Vietnam(now);
    a.request.requested_unix = UnixSeconds(now);
    auto ins = db.Prepare(
        "INSERT INTO help_requests(kiosk_number, screen, requested_at, requested_unix) VALUES(?,?,?,?)");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, kiosk).Bind(2, screen).Bind(3, a.request.requested_at).Bind(4, a.request.requested_unix);
    MCK_RETURN_IF_ERROR(ins->Run());
    a.request.id = sqlite3_last_insert_rowid(db.raw());
    MCK_RETURN_IF_ERROR(AppendAudit(db, a.request.requested_at, kActorKiosk, "help.requested",
                                    "help-" + std::to_string(a.request.id), "screen=" + screen));
    return a;
  });
}

Result<std::vector<HelpRequest>> HelpDesk::Open() {
  Db& db = *core_.db;
  auto sel = db.Prepare(std::string("SELECT ") + kColumns +
                        " FROM help_requests WHERE dismissed_at IS NULL ORDER BY requested_unix, id");
  if (!sel.ok()) return sel.status();
  std::vector<HelpRequest> out;
  Status st;
  while (sel->Step(&st)) out.push_back(ReadRequest(*sel));
  MCK_RETURN_IF_ERROR(st);
  return out;
}

Result<HelpRequest> HelpDesk::Dismiss(int64_t id) {
  Db& db = *core_.db;
  const std::string at = FormatRfc3339Vietnam(core_.Now());
  return WithTransaction(db, [&]() -> Result<HelpRequest> {
    auto up = db.Prepare(std::string("UPDATE help_requests SET dismissed_at = ? WHERE id = ? AND dismissed_at IS NULL "
                                     "RETURNING ") +
                         kColumns);
    if (!up.ok()) return up.status();
    up->Bind(1, at).Bind(2, id);
    Status st;
    if (!up->Step(&st)) {
      MCK_RETURN_IF_ERROR(st);
      return NoSuchRequest();
    }
    HelpRequest r = ReadRequest(*up);
    MCK_RETURN_IF_ERROR(up->Run());
    MCK_RETURN_IF_ERROR(AppendAudit(db, at, core_.staff_actor, "help.dismissed", "help-" + std::to_string(r.id),
                                    "screen=" + r.screen + " requested_at=" + r.requested_at));
    return r;
  });
}

Result<HelpRequest> HelpDesk::Get(int64_t id) {
  Db& db = *core_.db;
  auto sel = db.Prepare(std::string("SELECT ") + kColumns + " FROM help_requests WHERE id = ?");
  if (!sel.ok()) return sel.status();
  sel->Bind(1, id);
  Status st;
  if (!sel->Step(&st)) {
    MCK_RETURN_IF_ERROR(st);
    return Status::Error(Code::kNotFound, "no such help request", "Không có yêu cầu hỗ trợ này");
  }
  return ReadRequest(*sel);
}

}  // namespace mck
