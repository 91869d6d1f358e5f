#include "kiosk/app/device_setup.h"

#include <iostream>

#include "drivers/printer/documents.h"
#include "drivers/printer/fonts.h"
#include "drivers/printer/layout.h"
#include "kiosk/core/identity_assurance.h"
#include "offline/domain/ids.h"

namespace mck::app {
namespace {

// Pages through the printer family's document builders (drivers/printer/documents.h), rendered
// with its own fonts at the configured paper width. Lives on the printer worker thread.
class PrinterPages final : public PageBuilder {
 public:
  PrinterPages(std::unique_ptr<printer::Fonts> fonts, int width_dots) : fonts_(std::move(fonts)) {
    options_.width = width_dots;
  }

  Result<printer::Raster> Receipt(const printer::KioskSlip& s) override {
    return printer::Render(printer::BuildKioskSlip(s), *fonts_, options_);
  }

  Result<printer::Raster> Ticket(const printer::QueueTicketInfo& t) override {
    return printer::Render(printer::BuildQueueTicket(t), *fonts_, options_);
  }

  Result<printer::Raster> Official(const printer::OfficialReceipt& r) override {
    return printer::Render(printer::BuildOfficialReceipt(r), *fonts_, options_);
  }

  Result<printer::Raster> Fee(const printer::FeeReceipt& r) override {
    return printer::Render(printer::BuildFeeReceipt(r), *fonts_, options_);
  }

  Result<printer::Raster> Test(const printer::TestPage& p) override {
    printer::TestPage page = p;
    page.width_dots = options_.width;
    return printer::Render(printer::BuildTestPage(page), *fonts_, options_);
  }

 private:
  std::unique_ptr<printer::Fonts> fonts_;
  printer::RenderOptions options_;
};

}  // namespace

Devices SetUpDevices(const KioskConfig& config, EventQueue& events,
                     const std::function<void(SaneScanServiceOptions&)>& adjust_scan) {
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
                                                  printer::DotsForPaperWidthMm(config.printer_width_mm));
      auto worker = std::make_unique<PrinterWorker>(std::move(p.value()), std::move(pages), events, d.states);
      worker->set_uri(config.printer);
      d.printer = std::move(worker);
    }
  }
  // The technician reads in the log what the reader's set-up allows (a pcsc kiosk without a CSCA
  // never calls a chip verified): the same lines as `kioskctl card check`.
  for (const auto& line : core::CardSetupDiagnostics(config)) {
    std::cerr << "kiosk: card set-up (" << core::CheckLevelName(line.level) << "): " << line.en << "\n";
  }
  auto reader = card::MakeCardReader(config);
  if (!reader.ok()) {
    std::cerr << "kiosk: card reader '" << config.card_reader << "': " << reader.status().ToString() << "\n";
  } else {
    d.card = std::make_unique<CardWorkerService>(std::move(reader.value()), events, d.states);
  }
  // The scanner answers at start on its own worker (ScannerFound); until then, and when no device
  // answers, the documents screen offers no scan.
  if (!config.scanner.empty() && config.scanner != "none") {
    SaneScanServiceOptions scan = ScanOptionsFromConfig(config);
    if (adjust_scan) adjust_scan(scan);
    d.scanner = std::make_unique<SaneScanService>(std::move(scan), events);
  }
  return d;
}

}  // namespace mck::app
