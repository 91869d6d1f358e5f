// The live printer state the kiosk reports to monitoring (DeviceStates, docs/monitoring.md): the
// real PrinterWorker against the real printer simulator on loopback (tests/printer_sim), asking
// DLE EOT at start, after each job and every PrinterWorker::kStatePoll between.
#include <catch2/catch.hpp>

#include "kiosk/app/device_states.h"
#include "kiosk/app/devices.h"
#include "tests/printer_sim/sim_server.h"

using namespace mck;
using namespace mck::app;
using printer::sim::PrinterSim;
using printer::sim::SimMode;

namespace {

// A small blank page: what is printed does not matter here, only the printer's answers.
class BlankPages final : public PageBuilder {
 public:
  Result<printer::Raster> Receipt(const printer::KioskSlip&) override { return printer::Raster::Blank(576, 24); }
  Result<printer::Raster> Ticket(const printer::QueueTicketInfo&) override { return printer::Raster::Blank(576, 24); }
  Result<printer::Raster> Official(const printer::OfficialReceipt&) override { return printer::Raster::Blank(576, 24); }
  Result<printer::Raster> Fee(const printer::FeeReceipt&) override { return printer::Raster::Blank(576, 24); }
  Result<printer::Raster> Test(const printer::TestPage&) override { return printer::Raster::Blank(576, 24); }
};

constexpr std::chrono::seconds kWait{20};

}  // namespace

TEST_CASE("the printer worker records the printer's live state: at start, after each job, and offline") {
  printer::sim::SimOptions so;
  so.mode = SimMode::kPaperLow;
  so.log = false;
  auto sim = PrinterSim::Start(so);
  REQUIRE(sim.ok());
  auto printer = printer::OpenPrinter((*sim)->Uri());
  REQUIRE(printer.ok());
  EventQueue events;
  auto states = std::make_shared<DeviceStates>();
  CHECK(states->printer() == "unknown");
  PrinterWorker worker(std::move(printer.value()), std::make_unique<BlankPages>(), events, states);
  CHECK(states->WaitForPrinter("paper_low", kWait));  // asked at start, before any job

  (*sim)->SetMode(SimMode::kPaperOut);
  worker.PrintTicket({});
  CHECK(states->WaitForPrinter("paper_out", kWait));  // the job found it; asked again after the job

  (*sim)->SetMode(SimMode::kCoverOpen);
  worker.PrintTicket({});
  CHECK(states->WaitForPrinter("cover_open", kWait));

  (*sim)->SetMode(SimMode::kOk);
  worker.PrintTicket({});
  CHECK(states->WaitForPrinter("ok", kWait));

  sim->reset();  // switched off: nothing answers on its port
  worker.PrintTicket({});
  CHECK(states->WaitForPrinter("offline", kWait));
}
