#include "kiosk/core/tickets.h"

#include <algorithm>

#include "kiosk/core/counters.h"

namespace mck::core {

Result<ReservedTicket> TicketDesk::Describe(const Ticket& t, int waiting_before) {
  ReservedTicket r;
  r.ticket = t;
  r.display = printer::FormatTicketNumber(t.counter, t.number);
  r.document.commune_name = config_.commune_name;
  r.document.counter = t.counter;
  r.document.counter_label = CounterName(catalog_, t.counter);
  r.document.number = t.number;
  r.document.waiting_before = waiting_before;
  r.document.issued_at = t.issued_at;
  if (t.dossier_client_id) {
    // The linked dossier's code on the ticket; a ticket prints without it if it cannot be read.
    if (auto d = store_.dossiers().Get(*t.dossier_client_id); d.ok()) r.document.provisional_code = d->provisional_code;
  }
  return r;
}

Status TicketDesk::CheckCounter(const std::string& counter) const {
  const auto counters = catalog_.Counters();
  if (std::find(counters.begin(), counters.end(), counter) != counters.end()) return Status::Ok();
  std::string list;
  for (const auto& c : counters) list += (list.empty() ? "" : ", ") + c;
  return Status::Error(Code::kInvalidArgument, "no counter '" + counter + "' in the catalog (have: " + list + ")",
                       "Không có quầy '" + counter + "' trong danh mục (các quầy: " + list + ")");
}

Result<ReservedTicket> TicketDesk::Reserve(const std::string& counter, const std::optional<std::string>& dossier_key) {
  MCK_RETURN_IF_ERROR(CheckCounter(counter));
  std::optional<std::string> client_id;
  if (dossier_key) {
    auto rec = store_.dossiers().Get(*dossier_key);
    if (!rec.ok()) return rec.status();
    client_id = rec->client_id;
  }
  auto waiting = store_.tickets().Waiting(counter);
  if (!waiting.ok()) return waiting.status();
  auto t = store_.tickets().Reserve(counter, client_id);
  if (!t.ok()) return t.status();
  auto r = Describe(*t, *waiting);
  if (!r.ok()) return r;
  if (const auto now = ParseRfc3339(t->issued_at)) {
    r->come_back_at = ComeBackAt(counter, *now, *waiting);
    if (r->come_back_at) r->document.come_back_at = FormatVietnamHhMm(*r->come_back_at);
  }
  return r;
}

std::optional<TimePoint> TicketDesk::ComeBackAt(const std::string& counter, TimePoint now, int ahead) {
  if (ahead <= 0) return std::nullopt;
  auto called = store_.tickets().CalledToday(counter);
  if (!called.ok()) return std::nullopt;
  std::vector<CallRecord> calls;
  for (const auto& t : *called) {
    const auto issued = ParseRfc3339(t.issued_at);
    const auto at = t.called_at ? ParseRfc3339(*t.called_at) : std::nullopt;
    if (issued && at) calls.push_back({*issued, *at});
  }
  return EstimateComeBack(now, ahead, ServiceTimes(calls));
}

Status TicketDesk::RecordPrint(const Ticket& ticket, const Status& printed) {
  if (printed.ok()) return store_.tickets().SetState(ticket.id, TicketState::kIssued);
  if (ticket.state == TicketState::kPrintFailed) return Status::Ok();  // a failed reprint: still to reprint
  return store_.tickets().SetState(ticket.id, TicketState::kPrintFailed);
}

Result<IssuedTicket> TicketDesk::Issue(const std::string& counter, const std::optional<std::string>& dossier_key,
                                       TicketPrinter& printer) {
  auto r = Reserve(counter, dossier_key);
  if (!r.ok()) return r.status();
  IssuedTicket out{std::move(r.value()), Status::Ok()};
  out.printed = printer.PrintTicket(out.reserved.document);
  MCK_RETURN_IF_ERROR(RecordPrint(out.reserved.ticket, out.printed));
  out.reserved.ticket.state = out.printed.ok() ? TicketState::kIssued : TicketState::kPrintFailed;
  return out;
}

Result<std::vector<Ticket>> TicketDesk::FailedToday() {
  return store_.tickets().Today(TicketState::kPrintFailed);
}

Result<ReservedTicket> TicketDesk::ForReprint(const std::string& wanted) {
  auto failed = FailedToday();
  if (!failed.ok()) return failed.status();
  const Ticket* ticket = nullptr;
  for (const auto& t : *failed) {
    if (wanted == printer::FormatTicketNumber(t.counter, t.number) || wanted == std::to_string(t.id)) ticket = &t;
  }
  if (!ticket) {
    return Status::Error(Code::kNotFound, "no ticket " + wanted + " waiting for a reprint today",
                         "Hôm nay không có số " + wanted + " đang chờ in lại");
  }
  auto waiting = store_.tickets().Waiting(ticket->counter);
  if (!waiting.ok()) return waiting.status();
  return Describe(*ticket, *waiting);
}

Result<IssuedTicket> TicketDesk::Reprint(const std::string& wanted, TicketPrinter& printer) {
  auto r = ForReprint(wanted);
  if (!r.ok()) return r.status();
  IssuedTicket out{std::move(r.value()), Status::Ok()};
  out.printed = printer.PrintTicket(out.reserved.document);
  MCK_RETURN_IF_ERROR(RecordPrint(out.reserved.ticket, out.printed));
  if (out.printed.ok()) out.reserved.ticket.state = TicketState::kIssued;
  return out;
}

Result<Ticket> TicketDesk::CallNext(const std::string& counter) {
  return store_.tickets().CallNext(counter);
}

Result<int> TicketDesk::Waiting(const std::string& counter) {
  return store_.tickets().Waiting(counter);
}

}  // namespace mck::core
