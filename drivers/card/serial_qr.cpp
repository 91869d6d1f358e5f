#include "drivers/card/serial_qr.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/serial_baud.h"

namespace mck::card {
namespace {

constexpr size_t kMaxLine = 4096;

}  // namespace

Result<std::unique_ptr<SerialQrScanner>> SerialQrScanner::Open(const std::string& spec) {
  std::string path = spec;
  int baud = 9600;
  if (path.rfind("serial:", 0) == 0) path = path.substr(7);
  if (const size_t q = path.find('?'); q != std::string::npos) {
    const std::string query = path.substr(q + 1);
    path = path.substr(0, q);
    if (query.rfind("baud=", 0) == 0) baud = atoi(query.c_str() + 5);
  }
  const speed_t speed = SerialBaudConstant(baud);
  if (!speed) {
    return Status::Error(Code::kInvalidArgument, "QR scanner: unsupported baud rate " + std::to_string(baud),
                         "Máy quét QR: tốc độ baud không hỗ trợ " + std::to_string(baud));
  }
  const int fd = open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    return Status::Error(e == ENOENT ? Code::kNotFound : Code::kIo, "QR scanner " + path + ": " + strerror(e),
                         "Không mở được máy quét QR " + path + ". Vui lòng báo cán bộ kiểm tra dây cắm.");
  }
  termios tio{};
  if (tcgetattr(fd, &tio) == 0) {
    cfmakeraw(&tio);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag &= ~(CSTOPB | CRTSCTS);
    tio.c_iflag &= ~(IXON | IXOFF | IXANY);
    cfsetispeed(&tio, speed);
    cfsetospeed(&tio, speed);
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {  // a scanner read at the wrong speed yields garbage
      const int e = errno;
      close(fd);  // the setup error is what matters; nothing was read from this fd
      return Status::Error(Code::kIo, "QR scanner " + path + ": tcsetattr: " + strerror(e),
                           "Không cài đặt được cổng của máy quét QR " + path + ". Vui lòng báo cán bộ kỹ thuật.");
    }
  }  // not a terminal (a FIFO in tests, a USB CDC device without termios): read it as it is
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) != 0) {
    close(fd);  // read-only use: close cannot lose data; the pipe error is returned
    return Status::Error(Code::kIo, "QR scanner: pipe failed", "Máy quét QR: lỗi hệ thống");
  }
  return std::unique_ptr<SerialQrScanner>(new SerialQrScanner(fd, pipefd[0], pipefd[1]));
}

SerialQrScanner::~SerialQrScanner() {
  // Read-only descriptors and our own wake pipe: a failed close loses nothing.
  close(fd_);
  close(wake_read_);
  close(wake_write_);
}

void SerialQrScanner::Cancel() {
  const char c = 1;
  [[maybe_unused]] ssize_t n = write(wake_write_, &c, 1);
}

std::optional<std::string> SerialQrScanner::TakeLine() {
  for (;;) {
    const size_t end = buffer_.find_first_of("\r\n");
    if (end == std::string::npos) {
      if (buffer_.size() > kMaxLine) {
        buffer_.clear();
        discarding_ = true;
      }
      return std::nullopt;
    }
    std::string line = buffer_.substr(0, end);
    size_t next = end + 1;
    if (buffer_[end] == '\r' && next < buffer_.size() && buffer_[next] == '\n') ++next;
    buffer_.erase(0, next);
    if (discarding_) {
      discarding_ = false;
      continue;
    }
    if (line.empty()) continue;  // a lone CR or LF
    return line;
  }
}

Result<std::optional<std::string>> SerialQrScanner::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto line = TakeLine()) return std::optional<std::string>(std::move(*line));
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::optional<std::string>();
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
    const int rc = poll(fds, 2, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (fds[1].revents) {
      char drain[16];
      while (read(wake_read_, drain, sizeof drain) > 0) {
      }
      return std::optional<std::string>();
    }
    if (rc == 0) return std::optional<std::string>();
    if (fds[0].revents & POLLIN) {
      char buf[512];
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n > 0) {
        buffer_.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    }
    if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL) || !(fds[0].revents & POLLIN)) {
      return Status::Error(Code::kUnavailable, "QR scanner hung up",
                           "Máy quét QR vừa bị ngắt kết nối. Vui lòng báo cán bộ kiểm tra dây cắm.");
    }
  }
}

}  // namespace mck::card
