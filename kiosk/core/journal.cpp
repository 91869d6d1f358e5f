#include "kiosk/core/journal.h"

#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "offline/domain/log.h"

#if MCK_HAVE_LIBSYSTEMD
#include <systemd/sd-journal.h>
#endif

namespace mck {

bool WantJournal(const std::string& mode, const char* journal_stream_env, unsigned long long stderr_dev,
                 unsigned long long stderr_ino) {
  if (mode == "on") return true;
  if (mode == "off" || journal_stream_env == nullptr) return false;
  unsigned long long dev = 0, ino = 0;
  char tail = 0;
  if (std::sscanf(journal_stream_env, "%llu:%llu%c", &dev, &ino, &tail) != 2) return false;
  return dev == stderr_dev && ino == stderr_ino;
}

bool JournalAvailable() {
  return MCK_HAVE_LIBSYSTEMD != 0;
}

bool InstallJournalLogging(const std::string& mode) {
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) != 0) st = {};
  if (!WantJournal(mode, std::getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino) || !JournalAvailable()) return false;
#if MCK_HAVE_LIBSYSTEMD
  SetLogSink([](const LogRecord& r) {
    std::vector<std::string> lines;
    for (const auto& [key, value] : JournalFields(r)) lines.push_back(key + "=" + value);
    std::vector<iovec> iov;
    for (auto& l : lines) iov.push_back({l.data(), l.size()});
    if (sd_journal_sendv(iov.data(), static_cast<int>(iov.size())) < 0) {
      // The journal is gone (shutting down?): the entry still goes somewhere.
      std::fputs((StderrLine(r) + "\n").c_str(), stderr);
    }
  });
  return true;
#else
  return false;
#endif
}

}  // namespace mck
