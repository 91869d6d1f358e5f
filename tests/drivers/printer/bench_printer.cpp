// bench-printer: how long printing takes and how many bytes a receipt is (scripts/bench-printer).
//   render   layout → raster (FreeType glyphs cached after the first document)
//   encode   raster → ESC/POS bytes
//   print    Printer::Print over TCP to the loopback printer simulator: from the call to the
//            last byte written (connect + status before + job), and the whole call (+ status after)
//   file     Printer::Print to a file: (no status)
// Figures are printed, never asserted.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <vector>

#include "drivers/printer/documents.h"
#include "drivers/printer/escpos.h"
#include "drivers/printer/transport.h"
#include "tests/drivers/printer/sample_documents.h"
#include "tests/printer_sim/sim_server.h"

using namespace mck::printer;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Stats {
  std::vector<double> v;
  void Add(double x) { v.push_back(x); }
  double Median() {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
  }
  double Max() { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }
};

KioskSlip Slip() {
  return testing::SampleSlip("Nguyễn Thị Hoà", "2026-11-22T09:14:03+07:00");
}

OfficialReceipt Receipt() {
  return testing::SampleReceipt("Nguyễn Thị Hoà");
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  auto t0 = Clock::now();
  auto fonts = Fonts::Load();
  if (!fonts.ok()) {
    std::cerr << fonts.status().ToString() << "\n";
    return 1;
  }
  std::printf("fonts loaded in %.1f ms (%s)\n", Ms(Clock::now() - t0), (*fonts)->files().regular.c_str());

  struct Doc {
    const char* name;
    Layout layout;
  };
  const QueueTicketInfo ticket{"UBND xã Mẫu", "HT", "Hộ tịch", 12, 3, "2026-11-22T09:14:03+07:00", "", "10:40"};
  std::vector<Doc> docs = {{"kiosk slip", BuildKioskSlip(Slip())},
                           {"official receipt (Mẫu 01)", BuildOfficialReceipt(Receipt())},
                           {"queue ticket", BuildQueueTicket(ticket)}};

  {
    // Cold: a fresh font cache, as for the first receipt after the kiosk starts.
    auto cold_fonts = Fonts::Load();
    auto a = Clock::now();
    auto r = Render(docs[0].layout, **cold_fonts, RenderOptions{576});
    std::printf("first kiosk slip after start (cold glyph cache): %.1f ms\n", Ms(Clock::now() - a));
    if (!r.ok()) return 1;
  }
  std::printf("\n%5s %6s %8s %10s %10s  %s\n", "dots", "rows", "bytes", "render ms", "encode ms", "document");
  Raster slip80;
  for (int width : {384, 576}) {
    for (auto& d : docs) {
      Stats render, encode;
      size_t bytes = 0;
      Raster r;
      for (int i = 0; i < n; ++i) {
        auto a = Clock::now();
        auto rr = Render(d.layout, **fonts, RenderOptions{width});
        auto b = Clock::now();
        if (!rr.ok()) {
          std::cerr << rr.status().ToString() << "\n";
          return 1;
        }
        bytes = escpos::EncodeJob(*rr).size();
        auto c = Clock::now();
        render.Add(Ms(b - a));
        encode.Add(Ms(c - b));
        r = std::move(rr.value());
      }
      if (width == 576 && std::string(d.name) == "kiosk slip") slip80 = r;
      std::printf("%5d %6d %8zu %10.2f %10.3f  %s\n", width, r.height, bytes, render.Median(), encode.Median(), d.name);
    }
  }
  std::printf("(median of %d; the first render of a size includes rasterising its glyphs)\n", n);

  mck::printer::sim::SimOptions so;
  so.log = false;
  auto sim = mck::printer::sim::PrinterSim::Start(so);
  if (!sim.ok()) {
    std::cerr << sim.status().ToString() << "\n";
    return 1;
  }
  auto printer = OpenPrinter((*sim)->Uri());
  auto uri = ParsePrinterUri((*sim)->Uri());
  Stats to_last_byte, whole, write_only;
  const auto job = escpos::EncodeJob(slip80);
  for (int i = 0; i < n; ++i) {
    // From "print" to the last byte written, without the closing status round trip: open the
    // connection, ask the status once as Print does, write the job.
    auto a = Clock::now();
    auto t = OpenTransport(*uri, PrinterOptions{});
    if (!t.ok()) return 1;
    for (auto q : {escpos::StatusRequest::kPrinter, escpos::StatusRequest::kOfflineCause,
                   escpos::StatusRequest::kErrorCause, escpos::StatusRequest::kPaperSensor}) {
      if (!(*t)->Write(escpos::StatusQuery(q)).ok() || !(*t)->ReadByte(std::chrono::seconds(2)).ok()) return 1;
    }
    auto b = Clock::now();
    if (!(*t)->Write(job).ok()) return 1;
    auto c = Clock::now();
    to_last_byte.Add(Ms(c - a));
    write_only.Add(Ms(c - b));
    t->reset();
    (*sim)->WaitForJobs(static_cast<size_t>(2 * i + 1), std::chrono::seconds(5));
    auto d = Clock::now();
    if (!(*printer)->Print(slip80).ok()) return 1;
    whole.Add(Ms(Clock::now() - d));
    (*sim)->WaitForJobs(static_cast<size_t>(2 * i + 2), std::chrono::seconds(5));
  }
  std::printf("\nTCP to the loopback printer simulator (8 KiB receive buffer), kiosk slip 80 mm, %zu bytes:\n",
              job.size());
  std::printf(
      "  print -> last byte written (connect + status before + write into the socket): median %.2f ms, "
      "max %.2f ms (the write alone: median %.2f ms)\n",
      to_last_byte.Median(), to_last_byte.Max(), write_only.Median());
  std::printf(
      "  whole Print() (+ status after, answered only once the printer has read every byte): "
      "median %.2f ms, max %.2f ms\n",
      whole.Median(), whole.Max());

  const auto file = std::filesystem::temp_directory_path() / "mck-bench-printer.bin";
  auto fp = OpenPrinter("file:" + file.string());
  Stats file_ms;
  for (int i = 0; i < n; ++i) {
    auto a = Clock::now();
    if (!(*fp)->Print(slip80).ok()) return 1;
    file_ms.Add(Ms(Clock::now() - a));
  }
  std::filesystem::remove(file);
  std::printf("file: Print(): median %.2f ms, max %.2f ms\n", file_ms.Median(), file_ms.Max());
  std::printf(
      "\nSerial line time for the same %zu bytes (8N1, computed, not measured): 19200 baud %.1f s, "
      "115200 baud %.1f s\n",
      job.size(), job.size() * 10.0 / 19200, job.size() * 10.0 / 115200);
  return 0;
}
