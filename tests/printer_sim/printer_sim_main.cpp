// printer-sim: a network ESC/POS printer on loopback (see sim_server.h and docs/printer.md).
//
//   printer-sim [--port N] [--host 127.0.0.1] [--out DIR] [--width 576|384]
//               [--mode ok|paper-low|paper-out|cover-open|offline|stall|silent|drop] [--after BYTES]
//               [--control FILE] [--port-file FILE]
//
// Prints "printer-sim: listening on tcp://HOST:PORT" once ready (and writes PORT to --port-file),
// logs one line per job on stderr, and runs until SIGINT or SIGTERM.
#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "tests/printer_sim/sim_server.h"

using mck::printer::sim::PrinterSim;
using mck::printer::sim::SimModeName;
using mck::printer::sim::SimOptions;

namespace {

int Usage(std::ostream& out, int code) {
  out << "Usage: printer-sim [--port N] [--host 127.0.0.1] [--out DIR] [--width 576|384]\n"
         "                   [--mode ok|paper-low|paper-out|cover-open|offline|stall|silent|drop] [--after BYTES]\n"
         "                   [--control FILE] [--port-file FILE]\n"
         "A network ESC/POS printer for tests and the demo. --port 0 (default) picks a free port.\n"
         "The control file holds \"MODE [AFTER_BYTES]\" and is re-read while running.\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  SimOptions o;
  std::string port_file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(Usage(std::cerr, 2));
      }
      return argv[++i];
    };
    try {
      if (a == "--port")
        o.port = std::stoi(next());
      else if (a == "--host")
        o.host = next();
      else if (a == "--out")
        o.out_dir = next();
      else if (a == "--width")
        o.width_dots = std::stoi(next());
      else if (a == "--after")
        o.after_bytes = std::stol(next());
      else if (a == "--control")
        o.control_file = next();
      else if (a == "--port-file")
        port_file = next();
      else if (a == "--mode") {
        auto m = mck::printer::sim::ParseSimMode(next());
        if (!m.ok()) {
          std::cerr << m.status().message_en() << "\n";
          return 2;
        }
        o.mode = *m;
      } else if (a == "--help" || a == "-h")
        return Usage(std::cout, 0);
      else {
        std::cerr << "unknown option " << a << "\n";
        return Usage(std::cerr, 2);
      }
    } catch (const std::exception&) {
      std::cerr << a << ": not a number\n";
      return 2;
    }
  }
  if (o.width_dots != 384 && o.width_dots != 576) {
    std::cerr << "--width must be 384 (58 mm) or 576 (80 mm)\n";
    return 2;
  }
  // Block the stop signals in every thread; main waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto sim = PrinterSim::Start(o);
  if (!sim.ok()) {
    std::cerr << "printer-sim: " << sim.status().ToString() << "\n";
    return 1;
  }
  if (!port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << (*sim)->port() << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  std::cout << "printer-sim: listening on " << (*sim)->Uri() << " (mode " << SimModeName((*sim)->mode())
            << (o.out_dir.empty() ? "" : ", jobs in " + o.out_dir.string()) << ")" << std::endl;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  (*sim)->Stop();
  std::cout << "printer-sim: stopped after " << (*sim)->JobCount() << " job(s)" << std::endl;
  return 0;
}
