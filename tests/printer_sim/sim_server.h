// A network ESC/POS printer on loopback, for the demo, the UI engineer and the tests: it
// listens like a printer's raw port 9100, answers DLE EOT status queries as a printer in the
// chosen state would, decodes every job (escpos_decode.h) and keeps its bytes and a PNG of the
// paper. It can be told to be out of paper, open, offline, to stall, to stop answering or to
// hang up mid-job — by its options, by SetMode(), or by a control file it re-reads while it runs.
//
// Like a real printer it serves one connection at a time (others wait in the listen backlog),
// and its receive buffer is small (8 KiB), so a stalled "printer" really stops the sender.
// Jobs: each connection that carried anything but status queries is one job, saved as
// job-NNNN.bin (the bytes), job-NNNN.png (the pages, stacked) and job-NNNN.json (a summary)
// in the output folder, plus last.png.
//
// Thread-safety: all public methods may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "drivers/printer/escpos_decode.h"
#include "offline/domain/status.h"

namespace mck::printer::sim {

enum class SimMode {
  kOk,         // answers "ready", prints everything
  kPaperLow,   // answers "paper near end", still prints
  kPaperOut,   // answers "paper out" (and offline); keeps the bytes but marks the job unprinted
  kCoverOpen,  // answers "cover open" (and offline)
  kOffline,    // answers "offline" with no cause
  kStall,      // after `after_bytes` bytes of a connection: stops reading and answering
  kSilent,     // reads everything, never answers a status query
  kDrop,       // after `after_bytes` bytes of a connection: hangs up
};
const char* SimModeName(
    SimMode m);  // "ok", "paper-low", "paper-out", "cover-open", "offline", "stall", "silent", "drop"
// Accepts the names above (and with '_' for '-'). kInvalidArgument otherwise.
Result<SimMode> ParseSimMode(const std::string& s);

struct SimOptions {
  std::string host = "127.0.0.1";
  int port = 0;                   // 0: any free port (see PrinterSim::port())
  std::filesystem::path out_dir;  // empty: jobs kept in memory only
  int width_dots = 576;           // paper width for decoding: 576 (80 mm) or 384 (58 mm)
  SimMode mode = SimMode::kOk;
  long after_bytes = 0;  // for stall and drop
  // A file holding "MODE [AFTER_BYTES]" (e.g. "paper-out", "stall 4096"); re-read whenever it
  // changes, so a demo or a test can flip the printer's state while it runs. Empty: none.
  std::filesystem::path control_file;
  bool log = true;  // one line per job and mode change on stderr
};

struct SimJob {
  int index = 0;  // 1, 2, ...
  std::vector<uint8_t> bytes;
  escpos::DecodedJob decoded;
  std::string mode;      // the mode while it was received
  bool printed = false;  // ended with a cut while the printer could print
};

class PrinterSim {
 public:
  static Result<std::unique_ptr<PrinterSim>> Start(const SimOptions& options);
  ~PrinterSim();
  PrinterSim(const PrinterSim&) = delete;
  PrinterSim& operator=(const PrinterSim&) = delete;

  int port() const { return port_; }
  std::string Uri() const { return "tcp://" + options_.host + ":" + std::to_string(port_); }
  void SetMode(SimMode mode, long after_bytes = 0);
  SimMode mode() const;
  std::vector<SimJob> Jobs() const;
  size_t JobCount() const;
  // Connections served so far (including status-only ones).
  int Connections() const { return connections_.load(); }
  // Waits until at least n jobs were recorded; false on timeout.
  bool WaitForJobs(size_t n, std::chrono::milliseconds timeout) const;
  void Stop();

 private:
  explicit PrinterSim(const SimOptions& o) : options_(o) {}
  void Run();
  void Serve(int fd);
  void ReadControlFile();
  void Record(SimJob job);

  SimOptions options_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  SimMode mode_ = SimMode::kOk;  // guarded by mu_
  long after_bytes_ = 0;         // guarded by mu_
  std::vector<SimJob> jobs_;     // guarded by mu_
  std::filesystem::file_time_type control_mtime_{};
  std::uintmax_t control_size_ = static_cast<std::uintmax_t>(-1);
};

}  // namespace mck::printer::sim
