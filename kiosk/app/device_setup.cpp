#include "kiosk/app/device_setup.h"

#include <iostream>

#include "drivers/printer/documents.h"
#include "drivers/printer/fonts.h"
#include "drivers/printer/layout.h"
#include "offline/domain/ids.h"

namespace mck::app {
namespace {

// Pages through the printer family's document builders (drivers/printer/documents.h), rendered
// with its own fonts at the configured paper width. Lives on the printer worker thread.
class PrinterPages final : public PageBuilder {
 public:
  PrinterPages(std::unique_ptr<printer::Fonts> fonts, int width_dots, int kiosk_number,
               std::vector<std::pair<std::string, int64_t>> fees)
      : fonts_(std::move(fonts)), kiosk_number_(kiosk_number), fees_(std::move(fees)) {
    options_.width = width_dots;
  }

  Result<printer::Raster> Receipt(const ReceiptData& r) override {
    printer::KioskSlip s;
    s.commune_name = r.commune_name;
    s.provisional_code = r.provisional_code;
    s.client_id = r.client_id;
    s.applicant_name = r.applicant_name;
    s.procedure_name = r.procedure_name;
    s.procedure_code = r.procedure_code;
    s.field = r.field;
    s.counter = r.counter;
    for (const auto& d : r.documents_to_present) s.documents_to_bring.push_back({d, true});
    s.processing_days = r.processing_days;
    s.fee_vnd = r.fee_vnd;
    s.kiosk_number = kiosk_number_;
    s.submitted_at = r.submitted_at;
    s.reprinted_at = r.reprinted_at;
    auto page = printer::Render(printer::BuildKioskSlip(s), *fonts_, options_);
    SecureWipe(s.applicant_name);
    return page;
  }

  Result<printer::Raster> Ticket(const TicketData& t) override {
    printer::QueueTicketInfo q;
    q.commune_name = t.commune_name;
    q.counter = t.counter;
    q.counter_label = t.counter_name;
    q.number = t.number;
    q.waiting_before = t.waiting_before;
    q.issued_at = t.issued_at;
    q.provisional_code = t.provisional_code;
    return printer::Render(printer::BuildQueueTicket(q), *fonts_, options_);
  }

  Result<printer::Raster> Official(const printer::OfficialReceipt& r) override {
    return printer::Render(printer::BuildOfficialReceipt(r), *fonts_, options_);
  }

 private:
  std::unique_ptr<printer::Fonts> fonts_;
  printer::RenderOptions options_;
  int kiosk_number_;
  std::vector<std::pair<std::string, int64_t>> fees_;
};

}  // namespace

Devices SetUpDevices(const KioskConfig& config, EventQueue& events) {
  Devices d;
  if (config.printer.empty() || config.printer == "none") {
    std::cerr << "kiosk: no printer configured\n";
  } else {
    auto p = printer::OpenPrinter(config.printer);
    auto fonts = printer::Fonts::Load();
    if (!p.ok()) {
      std::cerr << "kiosk: printer '" << config.printer << "': " << p.status().ToString() << "\n";
    } else if (!fonts.ok()) {
      std::cerr << "kiosk: printer fonts: " << fonts.status().ToString() << "\n";
    } else {
      auto pages = std::make_unique<PrinterPages>(std::move(fonts.value()),
                                                  printer::DotsForPaperWidthMm(config.printer_width_mm),
                                                  config.kiosk_number, std::vector<std::pair<std::string, int64_t>>{});
      d.printer = std::make_unique<PrinterWorker>(std::move(p.value()), std::move(pages), events);
    }
  }
  auto reader = card::MakeCardReader(config);
  if (!reader.ok()) {
    std::cerr << "kiosk: card reader '" << config.card_reader << "': " << reader.status().ToString() << "\n";
  } else {
    d.card = std::make_unique<CardWorkerService>(std::move(reader.value()), events);
  }
  return d;
}

}  // namespace mck::app
