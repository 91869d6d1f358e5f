// kioskctl ticket take | ticket call | print test | print receipt | print ticket | print status
// (docs/printer.md). The printer URI defaults to the config's [devices] printer; the paper width
// to [devices] printer_width_mm. A queue number counts as issued only when the printer confirmed
// the ticket; otherwise it is recorded as print_failed and shown large for staff.
#include <algorithm>
#include <iostream>
#include <set>
#include <tuple>

#include "drivers/printer/documents.h"
#include "drivers/printer/dossier_documents.h"
#include "drivers/printer/png_preview.h"
#include "drivers/printer/printer.h"
#include "kiosk/ctl/command.h"
#include "kiosk/ctl/json_out.h"
#include "offline/domain/clock.h"
#include "offline/store/store.h"

namespace mck::ctl {
namespace {

using nlohmann::json;
using namespace mck::printer;

// Options every printing command takes.
struct PrintSetup {
  std::string uri;
  int width_dots = 576;
  std::optional<std::string> preview;
};

Result<PrintSetup> TakePrintOptions(Context& ctx) {
  PrintSetup s;
  auto uri = ctx.TakeOption("--printer");
  auto width = ctx.TakeOption("--width-mm");
  s.preview = ctx.TakeOption("--preview");
  auto cfg = ctx.Config();
  if (!cfg.ok()) return cfg.status();
  s.uri = uri.value_or((*cfg)->printer);
  int mm = (*cfg)->printer_width_mm;
  if (width) mm = std::atoi(width->c_str());
  s.width_dots = DotsForPaperWidthMm(mm);
  if (s.width_dots == 0) {
    return Status::Error(Code::kInvalidArgument, "paper width must be 58 or 80 mm", "Khổ giấy phải là 58 hoặc 80 mm");
  }
  if (s.preview && s.preview->empty()) {
    return Status::Error(Code::kInvalidArgument, "--preview needs a FILE.png", "--preview cần tên tệp ảnh .png");
  }
  return s;
}

std::string NowRfc3339() {
  return FormatRfc3339Vietnam(std::chrono::system_clock::now());
}

// Renders, writes the preview if asked, prints. The preview is written first, so it exists
// even when the printer fails.
Status RenderAndPrint(const Layout& layout, const PrintSetup& setup, Printer& printer) {
  auto fonts = Fonts::Load();
  if (!fonts.ok()) return fonts.status();
  auto raster = Render(layout, **fonts, RenderOptions{setup.width_dots});
  if (!raster.ok()) return raster.status();
  if (setup.preview) MCK_RETURN_IF_ERROR(WritePng(*raster, *setup.preview));
  return printer.Print(*raster);
}

Result<std::unique_ptr<Printer>> OpenConfiguredPrinter(const PrintSetup& setup) {
  return OpenPrinter(setup.uri);
}

// The fields served at a counter, from the catalog: "Hộ tịch, Chứng thực".
std::string CounterLabel(const Catalog& c, const std::string& counter) {
  std::string out;
  std::set<std::string> seen;
  for (const auto& p : c.procedures) {
    if (p.counter == counter && !p.field.empty() && seen.insert(p.field).second)
      out += (out.empty() ? "" : ", ") + p.field;
  }
  return out;
}

int TakeTicket(Context& ctx, const char* usage) {
  auto setup = TakePrintOptions(ctx);
  auto dossier = ctx.TakeOption("--dossier");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!setup.ok()) return ctx.Fail(setup.status());
  if (ctx.args().size() != 1) {
    std::cerr << "Usage: kioskctl " << usage << "\n";
    return kExitBadInput;
  }
  const std::string counter = ctx.args()[0];
  auto cfg = ctx.Config();
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto catalog = (*store)->catalog().Load();
  if (!catalog.ok()) return ctx.Fail(catalog.status());
  const auto counters = catalog->Counters();
  if (std::find(counters.begin(), counters.end(), counter) == counters.end()) {
    std::string list;
    for (const auto& c : counters) list += (list.empty() ? "" : ", ") + c;
    return ctx.Fail(Status::Error(Code::kInvalidArgument,
                                  "no counter '" + counter + "' in the catalog (have: " + list + ")",
                                  "Không có quầy '" + counter + "' trong danh mục (các quầy: " + list + ")"));
  }
  std::optional<std::string> dossier_client_id;
  std::string provisional_code;
  if (dossier) {
    auto rec = (*store)->dossiers().Get(*dossier);
    if (!rec.ok()) return ctx.Fail(rec.status());
    dossier_client_id = rec->client_id;
    provisional_code = rec->provisional_code;
  }
  auto printer = OpenConfiguredPrinter(*setup);
  if (!printer.ok()) return ctx.Fail(printer.status());
  auto waiting = (*store)->tickets().Waiting(counter);
  if (!waiting.ok()) return ctx.Fail(waiting.status());
  auto ticket = (*store)->tickets().Reserve(counter, dossier_client_id);
  if (!ticket.ok()) return ctx.Fail(ticket.status());

  const QueueTicketInfo info{(*cfg)->commune_name, counter,  CounterLabel(*catalog, counter),
                             ticket->number,       *waiting, ticket->issued_at,
                             provisional_code};
  const std::string shown = FormatTicketNumber(counter, ticket->number);
  Status printed = RenderAndPrint(BuildQueueTicket(info), *setup, **printer);
  const TicketState state = printed.ok() ? TicketState::kIssued : TicketState::kPrintFailed;
  if (Status st = (*store)->tickets().SetState(ticket->id, state); !st.ok()) return ctx.Fail(st);
  if (ctx.json()) {
    json j = {{"ticket_id", ticket->id},    {"counter", counter},   {"number", ticket->number},
              {"display", shown},           {"day", ticket->day},   {"state", TicketStateName(state)},
              {"waiting_before", *waiting}, {"printer", setup->uri}};
    if (!printed.ok())
      j["error"] = {
          {"code", CodeName(printed.code())}, {"message", printed.message_vi()}, {"message_en", printed.message_en()}};
    PrintJson(j);
  }
  if (printed.ok()) {
    if (!ctx.json()) {
      std::cout << "Đã in số thứ tự / ticket printed: " << shown << " (quầy " << counter << ", " << *waiting
                << " người chờ trước)\n";
    }
    return kExitOk;
  }
  // The number is not issued: staff must see it and deal with the printer (peer-lessons.md).
  std::cerr << "\n  ************************************************\n"
            << "    KHÔNG IN ĐƯỢC PHIẾU SỐ THỨ TỰ / TICKET NOT PRINTED\n\n"
            << "                  " << shown << "\n\n"
            << "  ************************************************\n"
            << printed.message_vi() << "\n(" << printed.ToString() << ")\n"
            << "Nhân viên: kiểm tra máy in rồi in lại số này (kioskctl ticket reprint " << shown
            << ", hoặc ở chế độ cán bộ); đến lúc đó số được ghi là print_failed và không được gọi.\n";
  return kExitFailed;
}

// kioskctl ticket reprint HT-003|TICKET_ID: today's number whose ticket did not print, printed
// again; once the printer confirms it is issued and waits in its place.
int TicketReprint(Context& ctx) {
  auto setup = TakePrintOptions(ctx);
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!setup.ok()) return ctx.Fail(setup.status());
  if (ctx.args().size() != 1) {
    std::cerr << "Usage: kioskctl ticket reprint COUNTER-NUMBER|TICKET_ID [--printer URI] [--preview FILE.png]\n";
    return kExitBadInput;
  }
  const std::string wanted = ctx.args()[0];
  auto cfg = ctx.Config();
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto failed = (*store)->tickets().Today(TicketState::kPrintFailed);
  if (!failed.ok()) return ctx.Fail(failed.status());
  const Ticket* ticket = nullptr;
  for (const auto& t : *failed) {
    if (wanted == FormatTicketNumber(t.counter, t.number) || wanted == std::to_string(t.id)) ticket = &t;
  }
  if (!ticket) {
    return ctx.Fail(Status::Error(Code::kNotFound, "no ticket " + wanted + " waiting for a reprint today",
                                  "Hôm nay không có số " + wanted + " đang chờ in lại"));
  }
  auto catalog = (*store)->catalog().Load();
  if (!catalog.ok()) return ctx.Fail(catalog.status());
  std::string provisional_code;
  if (ticket->dossier_client_id) {
    if (auto rec = (*store)->dossiers().Get(*ticket->dossier_client_id); rec.ok())
      provisional_code = rec->provisional_code;
  }
  auto waiting = (*store)->tickets().Waiting(ticket->counter);
  if (!waiting.ok()) return ctx.Fail(waiting.status());
  auto printer = OpenConfiguredPrinter(*setup);
  if (!printer.ok()) return ctx.Fail(printer.status());
  const QueueTicketInfo info{(*cfg)->commune_name, ticket->counter, CounterLabel(*catalog, ticket->counter),
                             ticket->number,       *waiting,        ticket->issued_at,
                             provisional_code};
  const std::string shown = FormatTicketNumber(ticket->counter, ticket->number);
  Status printed = RenderAndPrint(BuildQueueTicket(info), *setup, **printer);
  if (printed.ok()) {
    if (Status st = (*store)->tickets().SetState(ticket->id, TicketState::kIssued); !st.ok()) return ctx.Fail(st);
  }
  if (ctx.json()) {
    json j = {{"ticket_id", ticket->id},
              {"counter", ticket->counter},
              {"number", ticket->number},
              {"display", shown},
              {"state", printed.ok() ? TicketState::kIssued : TicketState::kPrintFailed},
              {"printer", setup->uri}};
    if (!printed.ok())
      j["error"] = {
          {"code", CodeName(printed.code())}, {"message", printed.message_vi()}, {"message_en", printed.message_en()}};
    PrintJson(j);
  }
  if (!printed.ok()) return ctx.Fail(printed);
  if (!ctx.json()) std::cout << "Đã in lại số thứ tự / ticket reprinted: " << shown << "\n";
  return kExitOk;
}

// kioskctl ticket list [--state S]: today's numbers.
int TicketList(Context& ctx) {
  auto state = ctx.TakeOption("--state");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!ctx.args().empty()) {
    std::cerr << "Usage: kioskctl ticket list [--state pending|issued|print_failed|called|done] [--json]\n";
    return kExitBadInput;
  }
  if (state && !ParseTicketState(*state)) {
    std::cerr << "Unknown --state " << *state << " (pending, issued, print_failed, called, done)\n";
    return kExitBadInput;
  }
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  std::vector<Ticket> all;
  for (TicketState s : kAllTicketStates) {
    if (state && *state != TicketStateName(s)) continue;
    auto t = (*store)->tickets().Today(s);
    if (!t.ok()) return ctx.Fail(t.status());
    all.insert(all.end(), t->begin(), t->end());
  }
  std::sort(all.begin(), all.end(), [](const Ticket& a, const Ticket& b) {
    return std::tie(a.counter, a.number) < std::tie(b.counter, b.number);
  });
  if (ctx.json()) {
    json arr = json::array();
    for (const auto& t : all) {
      arr.push_back({{"ticket_id", t.id},
                     {"counter", t.counter},
                     {"number", t.number},
                     {"display", FormatTicketNumber(t.counter, t.number)},
                     {"state", TicketStateName(t.state)},
                     {"issued_at", t.issued_at},
                     {"called_at", t.called_at ? json(*t.called_at) : json()}});
    }
    PrintJson(arr);
    return kExitOk;
  }
  for (const auto& t : all) {
    std::cout << FormatTicketNumber(t.counter, t.number) << "  " << TicketStateName(t.state) << "  " << t.issued_at
              << "\n";
  }
  return kExitOk;
}

int TicketTake(Context& ctx) {
  return TakeTicket(ctx, "ticket take COUNTER [--printer URI] [--preview FILE.png] [--dossier ID]");
}
int PrintTicket(Context& ctx) {
  return TakeTicket(ctx, "print ticket COUNTER [--printer URI] [--preview FILE.png] [--dossier ID]");
}

int TicketCall(Context& ctx) {
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (ctx.args().size() != 1) {
    std::cerr << "Usage: kioskctl ticket call COUNTER\n";
    return kExitBadInput;
  }
  const std::string counter = ctx.args()[0];
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto t = (*store)->tickets().CallNext(counter);
  if (!t.ok()) {
    if (t.status().code() != Code::kNotFound) return ctx.Fail(t.status());
    if (ctx.json()) PrintJson({{"counter", counter}, {"called", nullptr}});
    std::cerr << t.status().message_vi() << " / " << t.status().message_en() << "\n";
    return kExitFailed;
  }
  auto waiting = (*store)->tickets().Waiting(counter);
  const std::string shown = FormatTicketNumber(counter, t->number);
  if (ctx.json()) {
    PrintJson(
        {{"counter", counter},
         {"called", {{"ticket_id", t->id}, {"number", t->number}, {"display", shown}, {"called_at", *t->called_at}}},
         {"waiting", waiting.ok() ? json(*waiting) : json()}});
  } else {
    std::cout << "Mời số " << shown << " đến quầy " << counter << " / now serving " << shown;
    if (waiting.ok()) std::cout << " (" << *waiting << " người còn chờ)";
    std::cout << "\n";
  }
  return kExitOk;
}

int PrintTest(Context& ctx) {
  auto setup = TakePrintOptions(ctx);
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!setup.ok()) return ctx.Fail(setup.status());
  if (!ctx.args().empty()) {
    std::cerr << "Usage: kioskctl print test [--printer URI] [--preview FILE.png] [--width-mm 58|80]\n";
    return kExitBadInput;
  }
  auto printer = OpenConfiguredPrinter(*setup);
  if (!printer.ok()) return ctx.Fail(printer.status());
  auto state = (*printer)->QueryStatus();
  const std::string state_text = state.ok() ? PaperStateTextVi(*state) : state.status().message_vi();
  Status st =
      RenderAndPrint(BuildTestPage({setup->uri, state_text, setup->width_dots, NowRfc3339()}), *setup, **printer);
  if (ctx.json()) {
    PrintJson({{"printer", setup->uri},
               {"state", state.ok() ? PaperStateName(*state) : CodeName(state.status().code())},
               {"printed", st.ok()},
               {"error", st.ok() ? json() : json(st.message_vi())}});
  }
  if (!st.ok()) return ctx.Fail(st);
  if (!ctx.json()) std::cout << "Đã in trang thử / test page printed on " << setup->uri << " (" << state_text << ")\n";
  return kExitOk;
}

int PrintStatus(Context& ctx) {
  auto setup = TakePrintOptions(ctx);
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!setup.ok()) return ctx.Fail(setup.status());
  auto printer = OpenConfiguredPrinter(*setup);
  if (!printer.ok()) return ctx.Fail(printer.status());
  auto state = (*printer)->QueryStatus();
  if (!state.ok()) {
    if (ctx.json()) PrintJson({{"printer", setup->uri}, {"state", nullptr}, {"error", state.status().message_vi()}});
    return ctx.Fail(state.status());
  }
  if (ctx.json()) {
    PrintJson({{"printer", setup->uri}, {"state", PaperStateName(*state)}, {"text", PaperStateTextVi(*state)}});
  } else {
    std::cout << setup->uri << ": " << PaperStateTextVi(*state) << " (" << PaperStateName(*state) << ")\n";
  }
  const bool can_print = *state == PaperState::kOk || *state == PaperState::kPaperLow || *state == PaperState::kUnknown;
  return can_print ? kExitOk : kExitFailed;
}

int PrintReceipt(Context& ctx) {
  auto setup = TakePrintOptions(ctx);
  const bool official = ctx.TakeFlag("--official");
  auto officer = ctx.TakeOption("--officer");
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!setup.ok()) return ctx.Fail(setup.status());
  if (ctx.args().size() != 1) {
    std::cerr
        << "Usage: kioskctl print receipt ID [--official] [--officer NAME] [--printer URI] [--preview FILE.png]\n";
    return kExitBadInput;
  }
  auto cfg = ctx.Config();
  auto store = ctx.OpenStore();
  if (!store.ok()) return ctx.Fail(store.status());
  auto rec = (*store)->dossiers().Get(ctx.args()[0]);
  if (!rec.ok()) return ctx.Fail(rec.status());
  auto catalog = (*store)->catalog().Load();
  if (!catalog.ok()) return ctx.Fail(catalog.status());
  Procedure fallback;
  const Procedure* procedure = catalog->Find(rec->procedure_code);
  if (!procedure) {  // the catalog changed since submission: print what the dossier itself knows
    fallback.code = rec->procedure_code;
    fallback.name = "Thủ tục " + rec->procedure_code;
    procedure = &fallback;
  }
  DossierPrintContext pc;
  pc.commune_name = (*cfg)->commune_name;
  pc.kiosk_number = (*cfg)->kiosk_number;
  pc.officer_name = officer.value_or("");
  pc.copy_label = official ? "Liên 2: Giao người nộp hồ sơ" : "";
  Layout layout;
  if (official) {
    // The counter's accept decision, when one was recorded, says which papers were received,
    // by whom and when: the receipt prints what the officer checked.
    auto decisions = (*store)->decisions().For(*rec);
    if (!decisions.ok()) return ctx.Fail(decisions.status());
    for (const auto& d : *decisions) {
      if (d.decision != "accept" || d.body.value("purged", false) || rec->purged) continue;
      if (d.body.contains("documents_received")) rec->body["documents_received"] = d.body["documents_received"];
      if (pc.officer_name.empty()) pc.officer_name = d.body.value("officer", "");
      pc.received_at = d.decided_at;
    }
    auto r = OfficialReceiptFromDossier(*rec, *procedure, pc);
    if (!r.ok()) return ctx.Fail(r.status());
    layout = BuildOfficialReceipt(*r);
  } else {
    auto s = KioskSlipFromDossier(*rec, *procedure, pc);
    if (!s.ok()) return ctx.Fail(s.status());
    s->reprinted_at = FormatRfc3339Vietnam(SystemClock().Now());  // the kiosk printed the first
    layout = BuildKioskSlip(*s);
  }
  auto printer = OpenConfiguredPrinter(*setup);
  if (!printer.ok()) return ctx.Fail(printer.status());
  Status st = RenderAndPrint(layout, *setup, **printer);
  const std::string what = official ? "print.official_receipt" : "print.kiosk_slip";
  (void)(*store)->Audit("kioskctl", what + (st.ok() ? "" : ".failed"), rec->provisional_code,
                        st.ok() ? "" : CodeName(st.code()));
  if (ctx.json()) {
    PrintJson({{"dossier", rec->provisional_code},
               {"document", official ? "official_receipt" : "kiosk_slip"},
               {"printer", setup->uri},
               {"printed", st.ok()},
               {"error", st.ok() ? json() : json(st.message_vi())},
               {"preview", setup->preview ? json(*setup->preview) : json()}});
  }
  if (!st.ok()) return ctx.Fail(st);
  if (!ctx.json()) {
    std::cout << (official ? "Đã in giấy tiếp nhận (Mẫu 01) / official receipt printed: "
                           : "Đã in phiếu xác nhận / kiosk slip printed: ")
              << rec->dossier_code.value_or(rec->provisional_code) << "\n";
  }
  return kExitOk;
}

const CommandRegistration kTicketTake({"ticket take",
                                       "COUNTER [--printer URI] [--preview FILE.png] [--dossier ID] [--json]",
                                       "Take a queue number and print its ticket (issued only if the printer confirms)",
                                       TicketTake});
const CommandRegistration kTicketReprint({"ticket reprint",
                                          "COUNTER-NUMBER|TICKET_ID [--printer URI] [--preview FILE.png] [--json]",
                                          "Reprint today's number whose ticket did not print; issued once it prints",
                                          TicketReprint});
const CommandRegistration kTicketList({"ticket list", "[--state S] [--json]", "Today's queue numbers and their states",
                                       TicketList});
const CommandRegistration kTicketCall({"ticket call", "COUNTER [--json]", "Call the next waiting number at a counter",
                                       TicketCall});
const CommandRegistration kPrintTest({"print test", "[--printer URI] [--preview FILE.png] [--width-mm 58|80]",
                                      "Print the test page (every Vietnamese letter, a QR) and show the printer state",
                                      PrintTest});
const CommandRegistration kPrintReceipt(
    {"print receipt", "ID [--official] [--officer NAME] [--printer URI] [--preview FILE.png] [--width-mm 58|80]",
     "Print a dossier's kiosk slip, or with --official its Mẫu 01 receipt", PrintReceipt});
const CommandRegistration kPrintTicket({"print ticket", "COUNTER [--printer URI] [--preview FILE.png] [--dossier ID]",
                                        "Same as 'ticket take': take a number and print its ticket", PrintTicket});
const CommandRegistration kPrintStatus(
    {"print status", "[--printer URI] [--json]",
     "Ask the printer its state (DLE EOT): ok, paper_low, paper_out, cover_open, offline", PrintStatus});

}  // namespace
}  // namespace mck::ctl
