#include "drivers/printer/transport.h"

#include "drivers/serial_baud.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace mck::printer {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

Status Invalid(const std::string& uri, const std::string& en, const std::string& vi) {
  return Status::Error(Code::kInvalidArgument, "printer URI '" + uri + "': " + en,
                       "Địa chỉ máy in '" + uri + "' không hợp lệ: " + vi);
}

// The one place errno becomes a Status. `what` says which operation, in English and Vietnamese.
Status ErrnoStatus(int err, const std::string& what_en, const std::string& what_vi) {
  const std::string en = what_en + ": " + std::strerror(err);
  switch (err) {
    case EPIPE:
    case ECONNRESET:
    case ECONNREFUSED:
    case ECONNABORTED:
    case ENODEV:
    case ENXIO:
    case ENOENT:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ENETDOWN:
    case EIO:
    case EBUSY:
    case ENOTCONN:
    case EHOSTDOWN:
      return Status::Error(Code::kUnavailable, en,
                           what_vi + ": không kết nối được máy in (máy tắt, rút cáp hoặc mất mạng)");
    case ETIMEDOUT: return Status::Error(Code::kTimeout, en, what_vi + ": máy in không phản hồi");
    case EACCES:
    case EPERM: return Status::Error(Code::kIo, en, what_vi + ": không có quyền truy cập thiết bị máy in");
    case ENOSPC:
    case EDQUOT: return Status::Error(Code::kIo, en, what_vi + ": hết dung lượng đĩa");
    default: return Status::Error(Code::kIo, en, what_vi + ": lỗi thiết bị máy in");
  }
}

// Waits for `events` on fd until the deadline. ok(true) ready, ok(false) timed out.
Result<bool> PollUntil(int fd, short events, SteadyClock::time_point deadline, short* revents) {
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60000)));
    if (rc < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "poll", "Chờ máy in");
    }
    if (rc == 0) continue;  // re-check the deadline
    *revents = p.revents;
    return true;
  }
}

class FdTransport final : public Transport {
 public:
  FdTransport(int fd, bool is_socket, bool can_read, milliseconds io_timeout)
      : fd_(fd), is_socket_(is_socket), can_read_(can_read), io_timeout_(io_timeout) {}
  // Every byte was written (and drained) by Write(); a failing close has nothing left to lose.
  ~FdTransport() override { ::close(fd_); }

  Status Write(const uint8_t* data, size_t n) override {
    size_t done = 0;
    while (done < n) {
      // The deadline restarts with every byte accepted: slow links (serial at 9600 baud) are
      // fine, a printer that stops taking data is not.
      short rev = 0;
      auto ready = PollUntil(fd_, POLLOUT, SteadyClock::now() + io_timeout_, &rev);
      if (!ready.ok()) return ready.status();
      if (!*ready) {
        return Status::Error(
            Code::kTimeout,
            "printer accepted no data for " + std::to_string(io_timeout_.count()) + " ms (" + std::to_string(done) +
                "/" + std::to_string(n) + " bytes sent)",
            "Máy in ngừng nhận dữ liệu giữa chừng (kẹt giấy, hết giấy hoặc mất kết nối); phiếu chưa in xong");
      }
      if (rev & (POLLERR | POLLHUP | POLLNVAL)) {
        if (!(rev & POLLOUT)) {
          return Status::Error(Code::kUnavailable, "printer connection closed while printing",
                               "Máy in bị ngắt kết nối khi đang in; phiếu chưa in xong");
        }
      }
      const size_t chunk = std::min<size_t>(n - done, 16384);
      const ssize_t w = is_socket_ ? ::send(fd_, data + done, chunk, MSG_NOSIGNAL) : ::write(fd_, data + done, chunk);
      if (w < 0) {
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
        return ErrnoStatus(errno, "write to printer", "Gửi dữ liệu tới máy in");
      }
      done += static_cast<size_t>(w);
    }
    return Status::Ok();
  }

  Result<uint8_t> ReadByte(milliseconds timeout) override {
    if (!can_read_) {
      return Status::Error(Code::kFailedPrecondition, "this printer transport cannot read",
                           "Kết nối máy in này không đọc được trạng thái");
    }
    const auto deadline = SteadyClock::now() + timeout;
    for (;;) {
      short rev = 0;
      auto ready = PollUntil(fd_, POLLIN, deadline, &rev);
      if (!ready.ok()) return ready.status();
      if (!*ready) {
        return Status::Error(
            Code::kTimeout, "printer did not answer the status query within " + std::to_string(timeout.count()) + " ms",
            "Máy in không trả lời khi hỏi trạng thái (máy bận, kẹt hoặc mất kết nối)");
      }
      uint8_t b = 0;
      const ssize_t r = ::read(fd_, &b, 1);
      if (r == 1) return b;
      if (r == 0) {
        if (!is_socket_ && !(rev & POLLHUP)) continue;  // a tty with nothing to say yet
        return Status::Error(Code::kUnavailable, "printer closed the connection", "Máy in đã đóng kết nối");
      }
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return ErrnoStatus(errno, "read from printer", "Đọc trạng thái máy in");
    }
  }

  void DrainInput() override {
    if (!can_read_) return;
    uint8_t buf[256];
    for (int i = 0; i < 64; ++i) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) return;
      if (::read(fd_, buf, sizeof buf) <= 0) return;
    }
  }

  bool CanRead() const override { return can_read_; }

 private:
  int fd_;
  bool is_socket_;
  bool can_read_;
  milliseconds io_timeout_;
};

Result<int> OpenDevice(const std::string& path, int flags, mode_t mode = 0600) {
  const int fd = ::open(path.c_str(), flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, mode);
  if (fd < 0) return ErrnoStatus(errno, "open " + path, "Mở thiết bị máy in " + path);
  return fd;
}

Result<std::unique_ptr<Transport>> OpenSerial(const PrinterUri& uri, milliseconds io) {
  auto fd = OpenDevice(uri.path, O_RDWR);
  if (!fd.ok()) return fd.status();
  termios t{};
  if (::tcgetattr(*fd, &t) != 0) {
    Status st = ErrnoStatus(errno, "tcgetattr " + uri.path, uri.path + " không phải cổng nối tiếp");
    ::close(*fd);  // nothing written yet: the setup error is what matters
    return st;
  }
  ::cfmakeraw(&t);
  t.c_cflag |= CLOCAL | CREAD;
  t.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
  t.c_iflag &= ~(IXON | IXOFF | IXANY);
  if (uri.flow == PrinterUri::Flow::kRtsCts) t.c_cflag |= CRTSCTS;
  if (uri.flow == PrinterUri::Flow::kXonXoff) t.c_iflag |= IXON | IXOFF;
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
  ::cfsetispeed(&t, SerialBaudConstant(uri.baud));
  ::cfsetospeed(&t, SerialBaudConstant(uri.baud));
  if (::tcsetattr(*fd, TCSANOW, &t) != 0) {
    Status st = ErrnoStatus(errno, "tcsetattr " + uri.path, "Cài đặt cổng nối tiếp " + uri.path);
    ::close(*fd);  // nothing written yet: the setup error is what matters
    return st;
  }
  ::tcflush(*fd, TCIFLUSH);  // best effort: drops stale status bytes; a failure only leaves them
  return std::unique_ptr<Transport>(new FdTransport(*fd, false, true, io));
}

Result<std::unique_ptr<Transport>> ConnectTcp(const PrinterUri& uri, const PrinterOptions& o, milliseconds io) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(uri.port);
  if (int rc = ::getaddrinfo(uri.host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    return Status::Error(Code::kUnavailable, "resolve printer host " + uri.host + ": " + ::gai_strerror(rc),
                         "Không tìm thấy máy in mạng " + uri.host);
  }
  Status last =
      Status::Error(Code::kUnavailable, "no address for " + uri.host, "Không tìm thấy máy in mạng " + uri.host);
  const auto deadline = SteadyClock::now() + o.connect_timeout;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      last = ErrnoStatus(errno, "socket", "Kết nối máy in mạng");
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // latency only: works without it
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS) {
      last = ErrnoStatus(errno, "connect " + uri.host + ":" + port, "Kết nối máy in mạng " + uri.host);
      ::close(fd);  // never connected: nothing to lose; the next address is tried
      continue;
    }
    short rev = 0;
    auto ready = PollUntil(fd, POLLOUT, deadline, &rev);
    if (!ready.ok() || !*ready) {
      last = ready.ok() ? Status::Error(Code::kTimeout,
                                        "connect " + uri.host + ":" + port + " timed out after " +
                                            std::to_string(o.connect_timeout.count()) + " ms",
                                        "Máy in mạng " + uri.host + " không trả lời (kiểm tra nguồn điện và dây mạng)")
                        : ready.status();
      ::close(fd);  // never connected: nothing to lose
      continue;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;  // unknown: not connected
    if (err != 0) {
      last = ErrnoStatus(err, "connect " + uri.host + ":" + port, "Kết nối máy in mạng " + uri.host);
      ::close(fd);  // never connected: nothing to lose
      continue;
    }
    ::freeaddrinfo(res);
    return std::unique_ptr<Transport>(new FdTransport(fd, true, true, io));
  }
  ::freeaddrinfo(res);
  return last;
}

bool ParseInt(const std::string& s, int* out) {
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && p == end && !s.empty();
}

}  // namespace

Result<PrinterUri> ParsePrinterUri(const std::string& uri) {
  PrinterUri u;
  std::string rest;
  if (uri.empty() || uri == "none") {
    return Status::Error(Code::kFailedPrecondition, "no printer configured ([devices] printer)",
                         "Chưa cấu hình máy in ([devices] printer)");
  }
  if (uri.rfind("file:", 0) == 0) {
    u.kind = PrinterUri::Kind::kFile;
    rest = uri.substr(5);
  } else if (uri.rfind("usb:", 0) == 0) {
    u.kind = PrinterUri::Kind::kUsb;
    rest = uri.substr(4);
  } else if (uri.rfind("serial:", 0) == 0) {
    u.kind = PrinterUri::Kind::kSerial;
    rest = uri.substr(7);
  } else if (uri.rfind("tcp://", 0) == 0) {
    u.kind = PrinterUri::Kind::kTcp;
    rest = uri.substr(6);
  } else {
    return Invalid(uri, "expected file:, usb:, serial: or tcp://", "cần bắt đầu bằng file:, usb:, serial: hoặc tcp://");
  }
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.resize(q);
  }
  if (u.kind == PrinterUri::Kind::kTcp) {
    std::string host = rest, port;
    if (!host.empty() && host.front() == '[') {  // [::1]:9100
      const auto close = host.find(']');
      if (close == std::string::npos) return Invalid(uri, "unclosed [", "thiếu dấu ]");
      port = close + 1 < host.size() && host[close + 1] == ':' ? host.substr(close + 2) : "";
      host = host.substr(1, close - 1);
    } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
      port = host.substr(colon + 1);
      host.resize(colon);
    }
    if (!host.empty() && host.back() == '/') host.pop_back();
    if (!port.empty() && port.back() == '/') port.pop_back();
    if (host.empty()) return Invalid(uri, "no host", "thiếu tên hoặc địa chỉ IP máy in");
    u.host = host;
    if (!port.empty() && (!ParseInt(port, &u.port) || u.port < 1 || u.port > 65535)) {
      return Invalid(uri, "port must be 1..65535", "cổng phải từ 1 đến 65535");
    }
  } else {
    if (rest.empty()) return Invalid(uri, "no path", "thiếu đường dẫn");
    u.path = rest;
  }
  size_t pos = 0;
  while (pos < query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    const std::string kv = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (kv.empty()) continue;
    const auto eq = kv.find('=');
    const std::string key = kv.substr(0, eq), value = eq == std::string::npos ? "" : kv.substr(eq + 1);
    int n = 0;
    if (key == "status" && (value == "0" || value == "1")) {
      u.status = value == "1";
    } else if (key == "timeout_ms" && ParseInt(value, &n) && n >= 100 && n <= 600000) {
      u.timeout = std::chrono::milliseconds(n);
    } else if (key == "baud" && u.kind == PrinterUri::Kind::kSerial && ParseInt(value, &n) &&
               SerialBaudConstant(n) != B0) {
      u.baud = n;
    } else if (key == "flow" && u.kind == PrinterUri::Kind::kSerial &&
               (value == "none" || value == "rtscts" || value == "xonxoff")) {
      u.flow = value == "none"     ? PrinterUri::Flow::kNone
               : value == "rtscts" ? PrinterUri::Flow::kRtsCts
                                   : PrinterUri::Flow::kXonXoff;
    } else {
      return Invalid(
          uri,
          "bad option '" + kv + "' (status=0|1, timeout_ms=100..600000, baud=1200..230400, flow=none|rtscts|xonxoff)",
          "tuỳ chọn '" + kv + "' không đúng");
    }
  }
  return u;
}

Result<std::unique_ptr<Transport>> OpenTransport(const PrinterUri& uri, const PrinterOptions& o) {
  const milliseconds io = uri.timeout.value_or(o.io_timeout);
  switch (uri.kind) {
    case PrinterUri::Kind::kFile: {
      // Regular files are appended to; device nodes and FIFOs are opened for writing as-is.
      struct stat st {};
      const bool regular = ::stat(uri.path.c_str(), &st) != 0 || S_ISREG(st.st_mode);
      // A development transport: the file collects every slip (names, addresses, phones), so it
      // is created 0600 and an existing one of ours is narrowed to 0600 too.
      auto fd = OpenDevice(uri.path, O_WRONLY | (regular ? O_CREAT | O_APPEND : 0), 0600);
      if (!fd.ok()) return fd.status();
      if (struct stat now{}; regular && ::fstat(*fd, &now) == 0 && S_ISREG(now.st_mode) && now.st_uid == ::geteuid() &&
                             (now.st_mode & 077) != 0) {
        ::fchmod(*fd, 0600);
      }
      return std::unique_ptr<Transport>(new FdTransport(*fd, false, false, io));
    }
    case PrinterUri::Kind::kUsb: {
      auto fd = OpenDevice(uri.path, O_RDWR);
      if (!fd.ok()) return fd.status();
      return std::unique_ptr<Transport>(new FdTransport(*fd, false, true, io));
    }
    case PrinterUri::Kind::kSerial: return OpenSerial(uri, io);
    case PrinterUri::Kind::kTcp: return ConnectTcp(uri, o, io);
  }
  return Status::Error(Code::kInternal, "unknown transport kind");
}

}  // namespace mck::printer
