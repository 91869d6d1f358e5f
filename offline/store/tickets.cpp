#include "offline/store/tickets.h"

#include "offline/store/audit.h"
#include "offline/store/core.h"

namespace mck {

namespace {

constexpr const char* kTicketColumns = "id, counter, number, day, state, issued_at, called_at, dossier_client_id";

Ticket ReadTicket(const Stmt& s) {
  Ticket t;
  t.id = s.Int(0);
  t.counter = s.Text(1);
  t.number = static_cast<int>(s.Int(2));
  t.day = s.Text(3);
  t.state = ParseTicketState(s.Text(4)).value_or(TicketState::kPending);
  t.issued_at = s.Text(5);
  t.called_at = s.OptText(6);
  t.dossier_client_id = s.OptText(7);
  return t;
}

Result<std::vector<Ticket>> ReadAll(Stmt& s) {
  std::vector<Ticket> out;
  Status st;
  while (s.Step(&st)) out.push_back(ReadTicket(s));
  MCK_RETURN_IF_ERROR(st);
  return out;
}

std::string Subject(const std::string& counter, int64_t number) {
  return counter + "-" + std::to_string(number);
}

}  // namespace

Result<Ticket> TicketBook::Reserve(const std::string& counter, const std::optional<std::string>& dossier_client_id) {
  if (counter.empty()) return Status::Error(Code::kInvalidArgument, "no counter given", "Chưa chọn quầy");
  Db& db = *core_.db;
  const TimePoint now = core_.Now();
  Ticket t;
  t.counter = counter;
  t.day = FormatDate(VietnamDate(now));
  t.state = TicketState::kPending;
  t.issued_at = FormatRfc3339Vietnam(now);
  t.dossier_client_id = dossier_client_id;
  return WithTransaction(db, [&]() -> Result<Ticket> {
    auto seq = NextInSequence(db, "ticket:" + counter, t.day);
    if (!seq.ok()) return seq.status();
    t.number = *seq;
    auto ins = db.Prepare(
        "INSERT INTO tickets(counter, day, number, state, issued_at, dossier_client_id) VALUES(?,?,?,?,?,?)");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, counter).Bind(2, t.day).Bind(3, t.number).Bind(4, TicketStateName(t.state)).Bind(5, t.issued_at);
    ins->Bind(6, dossier_client_id);
    MCK_RETURN_IF_ERROR(ins->Run());
    t.id = sqlite3_last_insert_rowid(db.raw());
    MCK_RETURN_IF_ERROR(AppendAudit(db, t.issued_at, kActorKiosk, "ticket.reserved", Subject(counter, t.number), ""));
    return t;
  });
}

Status TicketBook::SetState(int64_t ticket_id, TicketState state) {
  Db& db = *core_.db;
  return WithTransaction(db, [&]() -> Status {
    auto up = db.Prepare("UPDATE tickets SET state = ? WHERE id = ? RETURNING counter, number");
    if (!up.ok()) return up.status();
    up->Bind(1, TicketStateName(state)).Bind(2, ticket_id);
    Status st;
    if (!up->Step(&st)) {
      MCK_RETURN_IF_ERROR(st);
      return Status::Error(Code::kNotFound, "no such ticket", "Không có số thứ tự này");
    }
    const std::string subject = Subject(up->Text(0), up->Int(1));
    MCK_RETURN_IF_ERROR(up->Run());
    return AppendAudit(db, FormatRfc3339Vietnam(core_.Now()), kActorKiosk,
                       std::string("ticket.") + TicketStateName(state), subject, "");
  });
}

Result<Ticket> TicketBook::CallNext(const std::string& counter) {
  Db& db = *core_.db;
  const TimePoint now = core_.Now();
  return WithTransaction(db, [&]() -> Result<Ticket> {
    auto sel = db.Prepare(std::string("SELECT ") + kTicketColumns +
                          " FROM tickets WHERE counter = ? AND day = ? AND state = 'issued' ORDER BY number LIMIT 1");
    if (!sel.ok()) return sel.status();
    sel->Bind(1, counter).Bind(2, FormatDate(VietnamDate(now)));
    Status st;
    if (!sel->Step(&st)) {
      MCK_RETURN_IF_ERROR(st);
      return Status::Error(Code::kNotFound, "nobody is waiting at counter " + counter,
                           "Không còn ai chờ ở quầy " + counter);
    }
    Ticket t = ReadTicket(*sel);
    t.state = TicketState::kCalled;
    t.called_at = FormatRfc3339Vietnam(now);
    auto up = db.Prepare("UPDATE tickets SET state = 'called', called_at = ? WHERE id = ?");
    if (!up.ok()) return up.status();
    up->Bind(1, *t.called_at).Bind(2, t.id);
    MCK_RETURN_IF_ERROR(up->Run());
    MCK_RETURN_IF_ERROR(AppendAudit(db, *t.called_at, core_.staff_actor, "ticket.called", Subject(counter, t.number), ""));
    return t;
  });
}

Result<int> TicketBook::Waiting(const std::string& counter) {
  auto s = core_.db->Prepare("SELECT count(*) FROM tickets WHERE counter = ? AND day = ? AND state = 'issued'");
  if (!s.ok()) return s.status();
  s->Bind(1, counter).Bind(2, FormatDate(VietnamDate(core_.Now())));
  Status st;
  if (!s->Step(&st)) return st.ok() ? Status::Error(Code::kInternal, "count returned no row") : st;
  return static_cast<int>(s->Int(0));
}

Result<std::vector<Ticket>> TicketBook::Today(TicketState state) {
  auto s = core_.db->Prepare(std::string("SELECT ") + kTicketColumns +
                             " FROM tickets WHERE day = ? AND state = ? ORDER BY counter, number");
  if (!s.ok()) return s.status();
  s->Bind(1, FormatDate(VietnamDate(core_.Now()))).Bind(2, TicketStateName(state));
  return ReadAll(*s);
}

Result<std::vector<Ticket>> TicketBook::CalledToday(const std::string& counter) {
  auto s = core_.db->Prepare(std::string("SELECT ") + kTicketColumns +
                             " FROM tickets WHERE counter = ? AND day = ? AND called_at IS NOT NULL"
                             " ORDER BY called_at, id");
  if (!s.ok()) return s.status();
  s->Bind(1, counter).Bind(2, FormatDate(VietnamDate(core_.Now())));
  return ReadAll(*s);
}

}  // namespace mck
