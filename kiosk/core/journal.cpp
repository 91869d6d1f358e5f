#include "kiosk/core/journal.h"

#include <sys/uio.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "offline/domain/log.h"

#if MCK_HAVE_LIBSYSTEMD
#include <systemd/sd-journal.h>
#endif

namespace mck {

bool WantJournal(const std::string& mode, const char* journal_stream_env) {
  if (mode == "on") return true;
  if (mode == "off") return false;
  return journal_stream_env != nullptr && *journal_stream_env != '\0';
}

bool JournalAvailable() {
  return MCK_HAVE_LIBSYSTEMD != 0;
}

bool InstallJournalLogging(const std::string& mode) {
  if (!WantJournal(mode, std::getenv("JOURNAL_STREAM")) || !JournalAvailable()) return false;
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
