// The systemd journal as mck::Log's sink (offline/domain/log.h): each entry is sent with
// sd_journal_sendv and the fields JournalFields builds (PRIORITY, MCK_COMPONENT, MCK_CLIENT_ID
// for a dossier's client id). Built only when pkg-config finds libsystemd; without it, or when
// the journal is not wanted, entries stay on stderr.
#pragma once

#include <string>

namespace mck {

// Whether entries should go to the journal: config [logging] journal "on" → yes, "off" → no,
// "auto" → when `journal_stream_env` (the JOURNAL_STREAM variable "DEV:INODE" systemd sets for
// a unit whose output goes to the journal) names `stderr_dev`/`stderr_ino` (stderr's fstat), as
// sd_journal_stream_fd(3) advises: a child whose stderr was redirected keeps using it. Pure.
bool WantJournal(const std::string& mode, const char* journal_stream_env, unsigned long long stderr_dev,
                 unsigned long long stderr_ino);

// True when this build can talk to the journal (libsystemd was found).
bool JournalAvailable();

// Installs the journal sink when WantJournal(mode, getenv("JOURNAL_STREAM")) and the build has
// libsystemd; returns whether it did. Call once at start-up, before threads.
bool InstallJournalLogging(const std::string& mode);

}  // namespace mck
