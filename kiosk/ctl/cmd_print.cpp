// kioskctl ticket take | ticket call | print test | print receipt | print bien-lai | print ticket |
// print status
// (docs/printer.md). The printer URI defaults to the config's [devices] printer; the paper width
// to [devices] printer_width_mm. A queue number counts as issued only when the printer confirmed
// the ticket; otherwise it is recorded as print_failed and shown large for staff.
#include <algorithm>
#include <iostream>
#include <tuple>

#include "drivers/printer/documents.h"
#include "drivers/printer/png_preview.h"
#include "drivers/printer/printer.h"
#include "kiosk/core/counters.h"
#include "kiosk/core/documents.h"
#include "kiosk/core/tickets.h"
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

// Prints a ticket on kioskctl's printer, in line (the use case records the printer's answer).
class CtlTicketPrinter final : public core::TicketPrinter {
 public:
  CtlTicketPrinter(const PrintSetup& setup, Printer& printer) : setup_(setup), printer_(printer) {}
  Status PrintTicket(const QueueTicketInfo& ticket) override {
    return RenderAndPrint(BuildQueueTicket(ticket), setup_, printer_);
  }

 private:
  const PrintSetup& setup_;
  Printer& printer_;
};

json ErrorJson(const Status& st) {
  return {{"code", CodeName(st.code())}, {"message", st.message_vi()}, {"message_en", st.message_en()}};
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
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  core::TicketDesk desk(store, catalog, config);
  // Checked before the printer is opened: a wrong counter is bad input, whatever the printer.
  if (Status st = desk.CheckCounter(counter); !st.ok()) return ctx.Fail(st);
  auto printer = OpenConfiguredPrinter(*setup);
  if (!printer.ok()) return ctx.Fail(printer.status());
  CtlTicketPrinter out(*setup, **printer);
  auto issued = desk.Issue(counter, dossier, out);
  if (!issued.ok()) return ctx.Fail(issued.status());
  const auto& t = issued->reserved;
  const Status& printed = issued->printed;
  const int waiting = t.document.waiting_before;
  if (ctx.json()) {
    json j = {{"ticket_id", t.ticket.id},  {"counter", counter},    {"number", t.ticket.number},
              {"display", t.display},      {"day", t.ticket.day},   {"state", t.ticket.state},
              {"waiting_before", waiting}, {"printer", setup->uri}, {"text", LayoutText(BuildQueueTicket(t.document))}};
    if (!t.document.come_back_at.empty()) j["come_back_at"] = t.document.come_back_at;
    if (!printed.ok()) j["error"] = ErrorJson(printed);
    PrintJson(j);
  }
  if (printed.ok()) {
    if (!ctx.json()) {
      std::cout << "Đã in số thứ tự / ticket printed: " << t.display << " (quầy " << counter << ", " << waiting
                << " người chờ trước"
                << (t.document.come_back_at.empty() ? "" : ", quay lại khoảng " + t.document.come_back_at) << ")\n";
    }
    return kExitOk;
  }
  // The number is not issued: staff must see it and deal with the printer (peer-lessons.md).
  std::cerr << "\n  ************************************************\n"
            << "    KHÔNG IN ĐƯỢC PHIẾU SỐ THỨ TỰ / TICKET NOT PRINTED\n\n"
            << "                  " << t.display << "\n\n"
            << "  ************************************************\n"
            << printed.message_vi() << "\n(" << printed.ToString() << ")\n"
            << "Nhân viên: kiểm tra máy in rồi in lại số này (kioskctl ticket reprint " << t.display
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
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  core::TicketDesk desk(store, catalog, config);
  if (auto found = desk.ForReprint(ctx.args()[0]); !found.ok()) return ctx.Fail(found.status());
  auto printer = OpenConfiguredPrinter(*setup);
  if (!printer.ok()) return ctx.Fail(printer.status());
  CtlTicketPrinter out(*setup, **printer);
  auto issued = desk.Reprint(ctx.args()[0], out);
  if (!issued.ok()) return ctx.Fail(issued.status());
  const auto& t = issued->reserved;
  const Status& printed = issued->printed;
  if (ctx.json()) {
    json j = {{"ticket_id", t.ticket.id},
              {"counter", t.ticket.counter},
              {"number", t.ticket.number},
              {"display", t.display},
              {"state", t.ticket.state},
              {"printer", setup->uri},
              {"text", LayoutText(BuildQueueTicket(t.document))}};
    if (!printed.ok()) j["error"] = ErrorJson(printed);
    PrintJson(j);
  }
  if (!printed.ok()) return ctx.Fail(printed);
  if (!ctx.json()) std::cout << "Đã in lại số thứ tự / ticket reprinted: " << t.display << "\n";
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
  if (!ctx.ExpectArgs(1, "ticket call COUNTER")) return kExitBadInput;
  const std::string counter = ctx.args()[0];
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  core::TicketDesk desk(store, catalog, config);
  auto t = desk.CallNext(counter);
  if (!t.ok()) {
    if (t.status().code() != Code::kNotFound) return ctx.Fail(t.status());
    if (ctx.json()) PrintJson({{"counter", counter}, {"called", nullptr}});
    std::cerr << t.status().message_vi() << " / " << t.status().message_en() << "\n";
    return kExitFailed;
  }
  auto waiting = desk.Waiting(counter);
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

// Prints one of a dossier's documents on the configured printer, records the print in the audit
// log (a failure to record it is said, not fatal) and reports it: --json gives `report` with the
// common fields added, else `done` is printed. kExitOk only when the printer took it.
int PrintDossierDocument(Context& ctx, const PrintSetup& setup, core::DossierDocuments& documents, const Layout& layout,
                         const std::string& what, const std::string& audit_code, json report,
                         const std::string& done) {
  auto printer = OpenConfiguredPrinter(setup);
  if (!printer.ok()) return ctx.Fail(printer.status());
  Status st = RenderAndPrint(layout, setup, **printer);
  if (Status audited = documents.RecordPrint("kioskctl", what, audit_code, st); !audited.ok()) {
    std::cerr << "Không ghi được nhật ký in / print not audited: " << audited.ToString() << "\n";
  }
  if (ctx.json()) {
    report["document"] = what;
    report["printer"] = setup.uri;
    report["printed"] = st.ok();
    report["error"] = st.ok() ? json() : json(st.message_vi());
    report["preview"] = setup.preview ? json(*setup.preview) : json();
    report["text"] = LayoutText(layout);
    PrintJson(report);
  }
  if (!st.ok()) return ctx.Fail(st);
  if (!ctx.json()) std::cout << done << "\n";
  return kExitOk;
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
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  SystemClock clock;
  core::DossierDocuments documents(store, catalog, config, clock);
  // The one assembly of each document (kiosk/core/documents.h), as the kiosk prints it.
  Layout layout;
  std::string code, shown;
  if (official) {
    auto r = documents.Official(ctx.args()[0], officer.value_or(""));
    if (!r.ok()) return ctx.Fail(r.status());
    code = r->provisional_code;
    shown = r->dossier_code.value_or(code);
    layout = BuildOfficialReceipt(*r);
    core::WipeDocument(*r);
  } else {
    auto s = documents.Slip(ctx.args()[0], /*reprint=*/true);  // the kiosk printed the first
    if (!s.ok()) return ctx.Fail(s.status());
    code = shown = s->provisional_code;
    layout = BuildKioskSlip(*s);
    core::WipeDocument(*s);
  }
  const std::string what = official ? "official_receipt" : "kiosk_slip";
  return PrintDossierDocument(ctx, *setup, documents, layout, what, code, {{"dossier", code}},
                              std::string(official ? "Đã in giấy tiếp nhận (Mẫu 01) / official receipt printed: "
                                                   : "Đã in phiếu xác nhận / kiosk slip printed: ") +
                                  shown);
}

// The fee receipt (biên lai) of a dossier whose fee the portal says was paid, reprinted by the
// technician or the officer (docs/payment.md "kioskctl print bien-lai").
int PrintBienLai(Context& ctx) {
  auto setup = TakePrintOptions(ctx);
  if (ctx.RejectUnknownOptions(std::cerr)) return kExitBadInput;
  if (!setup.ok()) return ctx.Fail(setup.status());
  if (ctx.args().size() != 1) {
    std::cerr << "Usage: kioskctl print bien-lai DOSSIER_CODE|CLIENT_ID [--printer URI] [--preview FILE.png] "
                 "[--width-mm 58|80]\n";
    return kExitBadInput;
  }
  auto records = ctx.OpenRecords();
  if (!records.ok()) return ctx.Fail(records.status());
  const auto& [config, store, catalog] = *records;
  SystemClock clock;
  core::DossierDocuments documents(store, catalog, config, clock);
  auto r = documents.FeeReceipt(ctx.args()[0]);
  if (!r.ok()) return ctx.Fail(r.status());
  auto rec = store.dossiers().Get(ctx.args()[0]);  // for the audit row's provisional code
  const std::string code = rec.ok() ? rec->provisional_code : r->dossier_code;
  if (rec.ok()) core::WipeBody(rec->body);
  return PrintDossierDocument(ctx, *setup, documents, BuildFeeReceipt(*r), "fee_receipt", code,
                              {{"dossier", r->dossier_code}, {"amount_vnd", r->amount_vnd}},
                              "Đã in biên lai thu lệ phí / fee receipt printed: " + r->dossier_code);
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
const CommandRegistration kPrintBienLai(
    {"print bien-lai", "DOSSIER_CODE|CLIENT_ID [--printer URI] [--preview FILE.png] [--width-mm 58|80] [--json]",
     "Reprint a dossier's fee receipt (biên lai) once the portal says the fee was paid", PrintBienLai});
const CommandRegistration kPrintTicket({"print ticket", "COUNTER [--printer URI] [--preview FILE.png] [--dossier ID]",
                                        "Same as 'ticket take': take a number and print its ticket", PrintTicket});
const CommandRegistration kPrintStatus(
    {"print status", "[--printer URI] [--json]",
     "Ask the printer its state (DLE EOT): ok, paper_low, paper_out, cover_open, offline", PrintStatus});

}  // namespace
}  // namespace mck::ctl
