#include "tests/printer_sim/sim_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "drivers/printer/png_preview.h"

namespace mck::printer::sim {
namespace {

escpos::PrinterStatus StatusFor(SimMode m) {
  escpos::PrinterStatus s;
  switch (m) {
    case SimMode::kPaperLow: s.paper_low = true; break;
    case SimMode::kPaperOut:
      s.paper_out = true;
      s.paper_low = true;
      s.offline = true;
      break;
    case SimMode::kCoverOpen:
      s.cover_open = true;
      s.offline = true;
      break;
    case SimMode::kOffline: s.offline = true; break;
    default: break;
  }
  return s;
}

}  // namespace

const char* SimModeName(SimMode m) {
  switch (m) {
    case SimMode::kOk: return "ok";
    case SimMode::kPaperLow: return "paper-low";
    case SimMode::kPaperOut: return "paper-out";
    case SimMode::kCoverOpen: return "cover-open";
    case SimMode::kOffline: return "offline";
    case SimMode::kStall: return "stall";
    case SimMode::kSilent: return "silent";
    case SimMode::kDrop: return "drop";
  }
  return "ok";
}

Result<SimMode> ParseSimMode(const std::string& text) {
  std::string s = text;
  for (char& c : s) c = c == '_' ? '-' : c;
  for (SimMode m : {SimMode::kOk, SimMode::kPaperLow, SimMode::kPaperOut, SimMode::kCoverOpen, SimMode::kOffline,
                    SimMode::kStall, SimMode::kSilent, SimMode::kDrop}) {
    if (s == SimModeName(m)) return m;
  }
  return Status::Error(
      Code::kInvalidArgument,
      "unknown printer-sim mode '" + text + "' (ok, paper-low, paper-out, cover-open, offline, stall, silent, drop)",
      "Chế độ máy in giả lập không hợp lệ: " + text);
}

Result<std::unique_ptr<PrinterSim>> PrinterSim::Start(const SimOptions& options) {
  std::unique_ptr<PrinterSim> sim(new PrinterSim(options));
  sim->mode_ = options.mode;
  sim->after_bytes_ = options.after_bytes;
  if (!options.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.out_dir, ec);
    if (ec) {
      return Status::Error(Code::kIo, "cannot create " + options.out_dir.string() + ": " + ec.message(),
                           "Không tạo được thư mục " + options.out_dir.string());
    }
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(Code::kIo, std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  // A printer's receive buffer is a few KiB; a small socket buffer makes a stall felt by the
  // sender mid-job instead of vanishing into megabytes of kernel buffering.
  int rcvbuf = 8192;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(options.port));
  if (::inet_pton(AF_INET, options.host.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    return Status::Error(Code::kInvalidArgument, "host must be an IPv4 address: " + options.host);
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 8) != 0) {
    Status st = Status::Error(Code::kUnavailable, "cannot listen on " + options.host + ":" +
                                                      std::to_string(options.port) + ": " + std::strerror(errno));
    ::close(fd);
    return st;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  sim->listen_fd_ = fd;
  sim->port_ = ntohs(addr.sin_port);
  sim->ReadControlFile();
  sim->thread_ = std::thread([s = sim.get()] { s->Run(); });
  return sim;
}

PrinterSim::~PrinterSim() {
  Stop();
}

void PrinterSim::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

void PrinterSim::SetMode(SimMode mode, long after_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  mode_ = mode;
  after_bytes_ = after_bytes;
}

SimMode PrinterSim::mode() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mode_;
}

std::vector<SimJob> PrinterSim::Jobs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_;
}

size_t PrinterSim::JobCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size();
}

bool PrinterSim::WaitForJobs(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return jobs_.size() >= n; });
}

void PrinterSim::ReadControlFile() {
  if (options_.control_file.empty()) return;
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(options_.control_file, ec);
  if (ec) return;
  const auto size = std::filesystem::file_size(options_.control_file, ec);
  if (ec || (mtime == control_mtime_ && size == control_size_)) return;
  control_mtime_ = mtime;
  control_size_ = size;
  std::ifstream in(options_.control_file);
  std::string word;
  long after = 0;
  if (!(in >> word)) return;
  in >> after;
  auto mode = ParseSimMode(word);
  if (!mode.ok()) {
    std::cerr << "printer-sim: " << options_.control_file.string() << ": " << mode.status().message_en() << "\n";
    return;
  }
  SetMode(*mode, after);
  if (options_.log)
    std::cerr << "printer-sim: mode " << SimModeName(*mode)
              << (after ? " after " + std::to_string(after) + " bytes" : "") << "\n";
}

void PrinterSim::Run() {
  while (!stop_) {
    ReadControlFile();
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Serve(fd);
  }
}

void PrinterSim::Serve(int fd) {
  ++connections_;
  std::vector<uint8_t> bytes;
  escpos::EscPosDecoder decoder(options_.width_dots, [this, fd](escpos::StatusRequest n) {
    const SimMode m = mode();
    if (m == SimMode::kSilent) return;
    const uint8_t b = escpos::EncodeStatusByte(n, StatusFor(m));
    (void)::send(fd, &b, 1, MSG_NOSIGNAL);
  });
  uint8_t buf[4096];
  while (!stop_) {
    ReadControlFile();
    SimMode m;
    long after;
    {
      std::lock_guard<std::mutex> lock(mu_);
      m = mode_;
      after = after_bytes_;
    }
    const bool limited = m == SimMode::kStall || m == SimMode::kDrop;
    const size_t limit = static_cast<size_t>(std::max(after, 0L));
    if (limited && bytes.size() >= limit) {
      if (m == SimMode::kDrop) break;  // hang up mid-job
      // Stalled: read nothing, answer nothing; only notice the sender giving up.
      pollfd p{fd, POLLRDHUP, 0};
      if (::poll(&p, 1, 50) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR))) break;
      continue;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    size_t cap = sizeof buf;
    if (limited) cap = std::min(cap, limit - bytes.size());
    const ssize_t r = ::read(fd, buf, cap);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r <= 0) break;
    bytes.insert(bytes.end(), buf, buf + r);
    decoder.Feed(buf, static_cast<size_t>(r));
  }
  ::close(fd);
  escpos::DecodedJob decoded = decoder.Finish();
  if (decoded.raster_commands == 0 && decoded.cuts == 0 && decoded.text_bytes == 0) return;  // status only
  SimJob job;
  const SimMode m = mode();
  job.mode = SimModeName(m);
  job.printed = decoded.cuts > 0 && (m == SimMode::kOk || m == SimMode::kPaperLow || m == SimMode::kSilent);
  job.bytes = std::move(bytes);
  job.decoded = std::move(decoded);
  Record(std::move(job));
}

void PrinterSim::Record(SimJob job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    job.index = static_cast<int>(jobs_.size()) + 1;
  }
  std::string summary;
  if (!options_.out_dir.empty()) {
    char name[32];
    std::snprintf(name, sizeof name, "job-%04d", job.index);
    const auto base = options_.out_dir / name;
    std::ofstream(base.string() + ".bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(job.bytes.data()), static_cast<std::streamsize>(job.bytes.size()));
    nlohmann::json pages = nlohmann::json::array();
    for (const auto& p : job.decoded.pages) pages.push_back({{"width", p.width}, {"height", p.height}});
    nlohmann::json meta = {{"job", job.index},
                           {"bytes", job.bytes.size()},
                           {"mode", job.mode},
                           {"printed", job.printed},
                           {"cuts", job.decoded.cuts},
                           {"pages", pages},
                           {"status_queries", job.decoded.status_queries.size()},
                           {"unknown_bytes", job.decoded.unknown_bytes},
                           {"text_bytes", job.decoded.text_bytes}};
    if (!job.decoded.pages.empty()) {
      const Raster paper = escpos::StackPages(job.decoded.pages);
      (void)WritePng(paper, base.string() + ".png");
      (void)WritePng(paper, options_.out_dir / "last.png");
    }
    // The .json is the "job complete" marker readers wait for: written last, and atomically.
    const std::string meta_tmp = base.string() + ".json.tmp";
    std::ofstream(meta_tmp) << meta.dump(2) << "\n";
    std::filesystem::rename(meta_tmp, base.string() + ".json");
    summary = ", saved " + base.string() + ".{bin,png,json}";
  }
  if (options_.log)
    std::cerr << "printer-sim: job " << job.index << ": " << job.bytes.size() << " bytes, " << job.decoded.pages.size()
              << " page(s), " << job.decoded.cuts << " cut(s), mode " << job.mode
              << (job.printed ? ", printed" : ", NOT printed") << summary << "\n";
  std::lock_guard<std::mutex> lock(mu_);
  jobs_.push_back(std::move(job));
  cv_.notify_all();
}

}  // namespace mck::printer::sim
